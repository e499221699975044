// Slack retries a delivery for at most a few minutes, and refuses a signature older than
// five; a day of event receipts and request keys is ample for de-duplication, and keeping
// them forever would grow without bound.
import type { AppContext } from "../app-context.js";
import { pruneRequestKeys } from "../services/request-keys.js";

export const EVENT_RECEIPT_RETENTION_MS = 24 * 60 * 60 * 1000;

export async function runPruneEventReceipts(ctx: Pick<AppContext, "db" | "logger">, now: Date): Promise<number> {
  const before = new Date(now.getTime() - EVENT_RECEIPT_RETENTION_MS);
  const { count } = await ctx.db.slackEventReceipt.deleteMany({ where: { receivedAt: { lt: before } } });
  const keys = await pruneRequestKeys(ctx.db, before);
  if (count || keys)
    ctx.logger.info({ receipts: count, requestKeys: keys }, "pruned Slack event receipts and request keys");
  return count + keys;
}
