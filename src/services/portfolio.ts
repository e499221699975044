// A CSM's accounts with their latest health, riskiest first; also what App Home shows.
import type { Db } from "../db/client.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import { healthReasonsSchema } from "../domain/health/snapshot.js";
import { topLoweringReason } from "../domain/health/reason-direction.js";
import type { HealthBand } from "../domain/vocabulary.js";

export interface PortfolioRow {
  id: number;
  name: string;
  score: number | null;
  band: HealthBand | null;
  topReason: string | null;
  arr: string;
  currency: string;
  renewalDate: Date | null;
  stage: string;
}

export interface Portfolio {
  rows: PortfolioRow[];
  counts: { green: number; yellow: number; red: number; unscored: number };
}

interface LatestRow {
  id: number;
  name: string;
  arr: string;
  currency: string;
  renewalDate: Date | null;
  stage: string;
  score: number | null;
  band: HealthBand | null;
  reasons: unknown;
}

/** Active accounts owned by `ownerId` (all owners when null), riskiest first. */
export async function getPortfolio(db: Db, workspaceId: number, ownerId: number | null): Promise<Portfolio> {
  const rows = await db.$queryRaw<LatestRow[]>`
    SELECT a."id", a."name", a."arr"::text AS "arr", a."currency", a."renewalDate", a."stage"::text AS "stage",
           s."score", s."band"::text AS "band", s."reasons"
      FROM "account" a
      LEFT JOIN LATERAL (
        SELECT "score", "band", "reasons" FROM "health_snapshot" h
         WHERE h."workspaceId" = a."workspaceId" AND h."accountId" = a."id"
         ORDER BY h."scoredOn" DESC LIMIT 1
      ) s ON true
     WHERE a."workspaceId" = ${workspaceId} AND a."status" = 'active'
       AND (${ownerId}::int IS NULL OR a."ownerId" = ${ownerId}::int)
     ORDER BY s."score" ASC NULLS FIRST, a."arr" DESC, a."name"`;
  const counts = { green: 0, yellow: 0, red: 0, unscored: 0 };
  const out = rows.map((r) => {
    if (r.band) counts[r.band]++;
    else counts.unscored++;
    const reasons = healthReasonsSchema.safeParse(r.reasons);
    return {
      id: r.id,
      name: r.name,
      score: r.score,
      band: r.band,
      // What lowered the score, never what held it up (issue 15: "held steady" led on yellow rows).
      topReason: reasons.success ? (topLoweringReason(reasons.data)?.text ?? null) : null,
      arr: r.arr,
      currency: r.currency,
      renewalDate: r.renewalDate,
      stage: r.stage,
    };
  });
  return { rows: out, counts };
}

export function renewingWithin(rows: PortfolioRow[], now: Date, days: number): PortfolioRow[] {
  const today = startOfUtcDay(now);
  const until = addDays(today, days);
  return rows
    .filter((r) => r.renewalDate && r.renewalDate >= today && r.renewalDate <= until)
    .sort((a, b) => a.renewalDate!.getTime() - b.renewalDate!.getTime());
}
