// Every minute: post the digests that are due in their own time zones.
import type { AppContext } from "../app-context.js";
import type { Workspace } from "../generated/prisma/client.js";
import { portDigestPoster, type DigestPoster } from "../services/digest-poster.js";
import { runDigests } from "../services/digests.js";

/** Each workspace's port: Slack when connected, the terminal in local mode. */
export function digestPosterFactory(ctx: Pick<AppContext, "slack">): (workspace: Workspace) => Promise<DigestPoster> {
  return async (workspace) => portDigestPoster(ctx.slack.forWorkspace(workspace.id));
}

export async function runDigestsJob(ctx: AppContext, now: Date, instanceId: string): Promise<void> {
  const outcomes = await runDigests(ctx, { posterFor: digestPosterFactory(ctx), instanceId }, now);
  if (outcomes.posted || outcomes.failed || outcomes.adopted) ctx.logger.info({ outcomes }, "digest tick");
}
