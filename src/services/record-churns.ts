// Records churn history (a churns CSV, POST /api/v1/churns, or churned rows of an accounts
// import) in the caller's transaction: the churn event, its ARR history rows, and the
// account's status. Keyed by (account, churn day): the same churn sent again updates the
// event instead of adding one, so re-importing a file changes nothing.
//
// Imported history is the past, already dealt with: its events carry source import/api and
// a closed retrospective, so no retro thread is seeded and nothing is posted to Slack.
//
// The account's ARR is left alone. It is the contract value the CRM reports, and zeroing it
// for churned accounts would hand the learned model a feature that is the outcome itself.
// The ARR lost is kept on the event and replayed in the ARR history (arr_change).
import type { DbTx } from "../db/client.js";
import type { ChurnRow } from "../domain/ingest/import-rows.js";
import type { ChurnReasonKey } from "../domain/churn-post-mortem.js";
import { Prisma } from "../generated/prisma/client.js";
import { keepTasksWithAccounts } from "./task-actions.js";

export interface RecordChurnsResult {
  created: number;
  updated: number;
  unchanged: number;
}

interface Stored {
  id: number;
  accountId: number;
  churnedOn: Date;
  kind: "full" | "downgrade";
  arrBefore: Prisma.Decimal;
  arrLost: Prisma.Decimal;
  primaryReason: ChurnReasonKey;
  reasonOther: string | null;
  reversedAt: Date | null;
}

const keyOf = (accountId: number, day: Date) => `${accountId}|${day.getTime()}`;

/** What the event should hold: the row's values over the stored ones (undefined keeps). */
function resolve(row: ChurnRow, stored: Stored | undefined, accountArr: Prisma.Decimal) {
  const kind = row.kind ?? stored?.kind ?? "full";
  let arrLost: Prisma.Decimal;
  if (row.arrLost) arrLost = new Prisma.Decimal(row.arrLost);
  else if (row.arrLost === undefined && stored && stored.kind === kind) arrLost = stored.arrLost;
  else arrLost = accountArr;
  // A downgrade's ARR before is what the account had: the CRM's current ARR is what remained.
  const arrBefore =
    kind === "full"
      ? arrLost
      : stored && stored.kind === "downgrade" && row.arrLost === undefined
        ? stored.arrBefore
        : accountArr.plus(arrLost);
  const primaryReason = row.primaryReason ?? stored?.primaryReason ?? "other";
  const reasonOther = row.primaryReason !== undefined ? (row.reasonOther ?? null) : (stored?.reasonOther ?? null);
  const reversedAt = row.wonBackOn === undefined ? (stored?.reversedAt ?? null) : row.wonBackOn;
  return { kind, arrLost, arrBefore, primaryReason, reasonOther, reversedAt };
}

type Resolved = ReturnType<typeof resolve>;

function sameAsStored(r: Resolved, s: Stored): boolean {
  return (
    r.kind === s.kind &&
    r.arrLost.equals(s.arrLost) &&
    r.arrBefore.equals(s.arrBefore) &&
    r.primaryReason === s.primaryReason &&
    r.reasonOther === s.reasonOther &&
    (r.reversedAt?.getTime() ?? null) === (s.reversedAt?.getTime() ?? null)
  );
}

function arrChangesOf(
  workspaceId: number,
  accountId: number,
  churnEventId: number,
  churnedOn: Date,
  r: Resolved,
  currency: string,
) {
  const arrAfter = r.arrBefore.minus(r.arrLost);
  const rows: Prisma.ArrChangeCreateManyInput[] = [
    {
      workspaceId,
      accountId,
      churnEventId,
      effectiveOn: churnedOn,
      kind: r.kind === "full" ? "churn" : "contraction",
      arrBefore: r.arrBefore,
      arrAfter,
      currency,
    },
  ];
  if (r.reversedAt)
    rows.push({
      workspaceId,
      accountId,
      churnEventId,
      effectiveOn: r.reversedAt,
      kind: "winback",
      arrBefore: arrAfter,
      arrAfter: r.arrBefore,
      currency,
    });
  return rows;
}

export async function recordChurns(
  tx: DbTx,
  options: { workspaceId: number; rows: ChurnRow[]; now: Date; source: "import" | "api" },
): Promise<RecordChurnsResult> {
  const { workspaceId, rows, now, source } = options;
  const result: RecordChurnsResult = { created: 0, updated: 0, unchanged: 0 };
  if (!rows.length) return result;
  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  // Row locks: a post-mortem filed from Slack meanwhile serialises behind this import.
  const accounts = await tx.$queryRaw<{ id: number; arr: Prisma.Decimal; currency: string }[]>`
    SELECT id, arr, currency FROM account WHERE "workspaceId" = ${workspaceId} AND id = ANY(${accountIds}::int[]) ORDER BY id FOR UPDATE`;
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const storedEvents = await tx.churnEvent.findMany({
    where: {
      workspaceId,
      accountId: { in: accountIds },
      churnedOn: { in: [...new Set(rows.map((r) => r.churnedOn.getTime()))].map((t) => new Date(t)) },
    },
    select: {
      id: true,
      accountId: true,
      churnedOn: true,
      kind: true,
      arrBefore: true,
      arrLost: true,
      primaryReason: true,
      reasonOther: true,
      reversedAt: true,
    },
    orderBy: { id: "asc" },
  });
  const storedByKey = new Map<string, Stored>();
  for (const e of storedEvents)
    if (!storedByKey.has(keyOf(e.accountId, e.churnedOn))) storedByKey.set(keyOf(e.accountId, e.churnedOn), e);

  const fresh: { row: ChurnRow; resolved: Resolved }[] = [];
  for (const row of rows) {
    const account = accountById.get(row.accountId);
    if (!account) continue; // Resolved from this workspace's accounts before: cannot happen inside the transaction.
    const stored = storedByKey.get(keyOf(row.accountId, row.churnedOn));
    const resolved = resolve(row, stored, new Prisma.Decimal(account.arr));
    if (!stored) {
      fresh.push({ row, resolved });
      continue;
    }
    if (sameAsStored(resolved, stored)) {
      result.unchanged++;
      continue;
    }
    await tx.churnEvent.update({
      where: { id: stored.id, workspaceId },
      data: {
        kind: resolved.kind,
        arrBefore: resolved.arrBefore,
        arrLost: resolved.arrLost,
        primaryReason: resolved.primaryReason,
        reasonOther: resolved.reasonOther,
        reversedAt: resolved.reversedAt,
      },
    });
    // The event's ARR history is derived from it: rewritten with it.
    await tx.arrChange.deleteMany({ where: { workspaceId, churnEventId: stored.id } });
    await tx.arrChange.createMany({
      data: arrChangesOf(workspaceId, row.accountId, stored.id, row.churnedOn, resolved, account.currency),
    });
    result.updated++;
  }

  if (fresh.length) {
    const created = await tx.churnEvent.createManyAndReturn({
      data: fresh.map(({ row, resolved }) => ({
        workspaceId,
        accountId: row.accountId,
        kind: resolved.kind,
        churnedOn: row.churnedOn,
        arrBefore: resolved.arrBefore,
        arrLost: resolved.arrLost,
        primaryReason: resolved.primaryReason,
        reasonOther: resolved.reasonOther,
        reversedAt: resolved.reversedAt,
        filedAt: now,
        source,
        retroStatus: "closed" as const,
        retroClosedAt: now,
      })),
      select: { id: true },
    });
    const arrChanges = created.flatMap((event, i) => {
      const { row, resolved } = fresh[i]!;
      return arrChangesOf(
        workspaceId,
        row.accountId,
        event.id,
        row.churnedOn,
        resolved,
        accountById.get(row.accountId)!.currency,
      );
    });
    await tx.arrChange.createMany({ data: arrChanges });
    result.created = created.length;
  }

  await syncChurnStatus(tx, workspaceId, accountIds);
  await keepTasksWithAccounts(tx, workspaceId, accountIds);
  return result;
}

/**
 * Brings each account's status in line with its latest full churn: not won back, it is
 * churned since that day; won back, it is active. Accounts without any full churn are left
 * as they are (an accounts import may have marked them churned without a date).
 */
export async function syncChurnStatus(tx: DbTx, workspaceId: number, accountIds: number[]): Promise<number> {
  if (!accountIds.length) return 0;
  return tx.$executeRaw`
    WITH latest AS (
      SELECT DISTINCT ON ("accountId") "accountId", "churnedOn", "reversedAt"
        FROM churn_event
       WHERE "workspaceId" = ${workspaceId} AND "accountId" = ANY(${accountIds}::int[]) AND kind = 'full'
       ORDER BY "accountId", "churnedOn" DESC, id DESC
    ), target AS (
      SELECT "accountId",
             CASE WHEN "reversedAt" IS NULL THEN 'churned' ELSE 'active' END::"AccountStatus" AS status,
             CASE WHEN "reversedAt" IS NULL THEN "churnedOn" END AS churned_at
        FROM latest
    )
    UPDATE account a SET status = t.status, "churnedAt" = t.churned_at, "updatedAt" = now()
      FROM target t
     WHERE a."workspaceId" = ${workspaceId} AND a.id = t."accountId"
       AND (a.status, a."churnedAt") IS DISTINCT FROM (t.status, t.churned_at)`;
}
