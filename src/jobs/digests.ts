// Every minute: post the digests that are due in their own time zones.
import type { AppContext } from "../app-context.js";
import type { Workspace } from "../generated/prisma/client.js";
import { NotifierDigestPoster, SlackDigestPoster, type DigestPoster } from "../services/digest-poster.js";
import { runDigests } from "../services/digests.js";
import { createWebClient } from "../slack/client.js";

export function digestPosterFactory(ctx: Pick<AppContext, "config" | "notifier">): (workspace: Workspace) => DigestPoster {
  const token = ctx.config.slack.botToken;
  if (!token) return (workspace) => new NotifierDigestPoster(ctx.notifier, workspace.id);
  const client = createWebClient(token, { apiUrl: ctx.config.slack.apiUrl });
  return () => new SlackDigestPoster(client);
}

export async function runDigestsJob(ctx: AppContext, now: Date, instanceId: string): Promise<void> {
  const outcomes = await runDigests(ctx, { posterFor: digestPosterFactory(ctx), instanceId }, now);
  if (outcomes.posted || outcomes.failed || outcomes.adopted) ctx.logger.info({ outcomes }, "digest tick");
}
