// Which accounts churned, and when: the outcomes a churn model learns from and a back-test
// is judged on. A churn event (full or partial, won back or not: it still happened), and an
// account marked churned on a day with no churn event of its own (an accounts export whose
// status column says "churned", dated by the import).
import { isoDay } from "../domain/dates.js";
import type { Db } from "./client.js";

export interface ChurnOutcome {
  accountId: number;
  churnedOn: Date;
}

/** Churns of the workspace with `after` < churn day ≤ `until`. */
export async function readChurnOutcomes(
  db: Db,
  workspaceId: number,
  range: { after?: Date; until: Date },
): Promise<ChurnOutcome[]> {
  const after = isoDay(range.after ?? new Date(0));
  const until = isoDay(range.until);
  const rows = await db.$queryRaw<{ accountId: number; churnedOn: Date }[]>`
    SELECT "accountId", "churnedOn" FROM "churn_event"
    WHERE "workspaceId" = ${workspaceId} AND "churnedOn" > ${after}::date AND "churnedOn" <= ${until}::date
    UNION
    SELECT a.id, a."churnedAt" FROM "account" a
    WHERE a."workspaceId" = ${workspaceId} AND a.status = 'churned' AND a."churnedAt" > ${after}::date AND a."churnedAt" <= ${until}::date
      AND NOT EXISTS (SELECT 1 FROM "churn_event" ce WHERE ce."workspaceId" = a."workspaceId" AND ce."accountId" = a.id AND ce.kind = 'full')`;
  return rows.map((r) => ({ accountId: r.accountId, churnedOn: new Date(r.churnedOn) }));
}
