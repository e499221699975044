// Slack retries a delivery for at most a few minutes; a day of receipts is ample for
// de-duplication, and keeping them forever would grow without bound.
import type { AppContext } from "../app-context.js";

export const EVENT_RECEIPT_RETENTION_MS = 24 * 60 * 60 * 1000;

export async function runPruneEventReceipts(ctx: Pick<AppContext, "db" | "logger">, now: Date): Promise<number> {
  const { count } = await ctx.db.slackEventReceipt.deleteMany({
    where: { receivedAt: { lt: new Date(now.getTime() - EVENT_RECEIPT_RETENTION_MS) } },
  });
  if (count) ctx.logger.info({ count }, "pruned Slack event receipts");
  return count;
}
