// Raw usage events are kept for PULSE_EVENT_RETENTION_DAYS (default 90), whole UTC days at
// a time, then deleted; the usage_daily roll-ups built from them stay. Whole days matter:
// the API refuses events older than the same boundary, so a day's roll-up is only ever
// recomputed while every raw event of that day is still there.
//
// A user's latest group call is kept however old: it is what ties their later events to an
// account when those carry no groupId of their own.
import type { AppContext } from "../app-context.js";
import { retentionStart } from "../domain/ingest/segment-events.js";

const DELETE_CHUNK = 50_000;

export async function runPruneUsageEvents(
  ctx: Pick<AppContext, "db" | "logger" | "config">,
  now: Date,
): Promise<number> {
  const cutoff = retentionStart(now, ctx.config.ingestion.eventRetentionDays);
  let total = 0;
  // In chunks: one day of a busy workspace is millions of rows, too many for one statement's locks and WAL burst.
  for (;;) {
    const deleted = await ctx.db.$executeRaw`
      DELETE FROM usage_event WHERE id IN (
        SELECT e.id FROM usage_event e
         WHERE e."occurredAt" < ${cutoff}
           AND (e.type <> 'group' OR EXISTS (
                 SELECT 1 FROM usage_event newer
                  WHERE newer."workspaceId" = e."workspaceId" AND newer.type = 'group'
                    AND newer."userKey" = e."userKey" AND newer."occurredAt" > e."occurredAt"))
         LIMIT ${DELETE_CHUNK})`;
    total += deleted;
    if (deleted < DELETE_CHUNK) break;
  }
  if (total) ctx.logger.info({ count: total, before: cutoff.toISOString() }, "pruned raw usage events");
  return total;
}
