// Bulk writes to usage_daily. Prisma's createMany costs ~0.25 ms a row here; one
// INSERT ... SELECT FROM unnest(arrays) moves tens of thousands of rows in one round trip.
import type { DbTx } from "./client.js";
import { isoDay } from "../domain/dates.js";

export interface UsageDailyRow {
  workspaceId: number;
  accountId: number;
  day: Date;
  activeUsers: number;
  logins: number;
  seats: number | null;
  modules: Record<string, number>;
  source: "slack" | "import" | "api" | "demo" | "system";
}

const BATCH = 20_000;

/** Inserts or replaces (per workspace, account and day) the given rows. */
export async function upsertUsageDaily(db: DbTx, rows: UsageDailyRow[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    written += await db.$executeRaw`
      INSERT INTO "usage_daily" ("workspaceId", "accountId", "day", "activeUsers", "logins", "seats", "modules", "source", "updatedAt")
      SELECT w, a, d::date, au, l, s, m::jsonb, src::"DataSource", now()
        FROM unnest(
          ${chunk.map((r) => r.workspaceId)}::int[],
          ${chunk.map((r) => r.accountId)}::int[],
          ${chunk.map((r) => isoDay(r.day))}::text[],
          ${chunk.map((r) => r.activeUsers)}::int[],
          ${chunk.map((r) => r.logins)}::int[],
          ${chunk.map((r) => r.seats)}::int[],
          ${chunk.map((r) => JSON.stringify(r.modules))}::text[],
          ${chunk.map((r) => r.source)}::text[]
        ) AS t(w, a, d, au, l, s, m, src)
      ON CONFLICT ("workspaceId", "accountId", "day") DO UPDATE SET
        "activeUsers" = EXCLUDED."activeUsers", "logins" = EXCLUDED."logins", "seats" = EXCLUDED."seats",
        "modules" = EXCLUDED."modules", "source" = EXCLUDED."source", "updatedAt" = now()`;
  }
  return written;
}
