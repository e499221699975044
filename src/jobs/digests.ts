// Every minute: post the digests that are due in their own time zones.
import type { AppContext } from "../app-context.js";
import { digestPosterFactory } from "../services/digest-poster.js";
import { runDigests } from "../services/digests.js";

export async function runDigestsJob(
  ctx: AppContext,
  now: Date,
  instanceId: string,
  workspaceIds?: number[],
): Promise<void> {
  const outcomes = await runDigests(ctx, { posterFor: digestPosterFactory(ctx), instanceId }, now, workspaceIds);
  if (outcomes.posted || outcomes.failed || outcomes.adopted) ctx.logger.info({ outcomes }, "digest tick");
}
