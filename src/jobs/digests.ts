// Every minute: post the digests that are due in their own time zones.
import type { AppContext } from "../app-context.js";
import type { Workspace } from "../generated/prisma/client.js";
import { NotifierDigestPoster, SlackDigestPoster, type DigestPoster } from "../services/digest-poster.js";
import { runDigests } from "../services/digests.js";
import { slackClientFor } from "../slack/workspace-clients.js";

/** Slack when connected (the workspace's own client), the terminal in local mode. */
export function digestPosterFactory(ctx: Pick<AppContext, "config" | "notifier" | "db">): (workspace: Workspace) => Promise<DigestPoster> {
  if (ctx.config.slack.mode === "local") return async (workspace) => new NotifierDigestPoster(ctx.notifier, workspace.id);
  return async (workspace) => new SlackDigestPoster(await slackClientFor(ctx, workspace.id));
}

export async function runDigestsJob(ctx: AppContext, now: Date, instanceId: string): Promise<void> {
  const outcomes = await runDigests(ctx, { posterFor: digestPosterFactory(ctx), instanceId }, now);
  if (outcomes.posted || outcomes.failed || outcomes.adopted) ctx.logger.info({ outcomes }, "digest tick");
}
