// Creates or updates accounts by external id, writing ARR history (arr_change) and stage
// history (stage_change) in the caller's transaction whenever those change. Shared by the
// CSV import and POST /api/v1/accounts. Fields a row leaves undefined are left alone.
import type { DbTx } from "../db/client.js";
import { startOfUtcDay } from "../domain/dates.js";
import type { AccountRow } from "../domain/ingest/import-rows.js";
import { Prisma } from "../generated/prisma/client.js";

export interface UpsertAccountsResult {
  created: number;
  updated: number;
  unchanged: number;
  /** externalId -> account id, for every row. */
  ids: Map<string, number>;
}

const COMPARED_FIELDS = ["name", "domain", "segment", "ownerId", "currency", "seats", "contractStart", "renewalDate", "stage"] as const;

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}

function arrChangeKind(before: Prisma.Decimal, after: Prisma.Decimal, isNew: boolean): "new_business" | "expansion" | "contraction" {
  if (isNew) return "new_business";
  return after.greaterThan(before) ? "expansion" : "contraction";
}

export async function upsertAccounts(
  tx: DbTx,
  options: { workspaceId: number; rows: AccountRow[]; now: Date; changedById?: number | null },
): Promise<UpsertAccountsResult> {
  const { workspaceId, rows, now } = options;
  const today = startOfUtcDay(now);
  const existing = await tx.account.findMany({
    where: { workspaceId, externalId: { in: rows.map((r) => r.externalId) } },
  });
  const byExternalId = new Map(existing.map((a) => [a.externalId!, a]));
  const result: UpsertAccountsResult = { created: 0, updated: 0, unchanged: 0, ids: new Map() };

  const toCreate = rows.filter((r) => !byExternalId.has(r.externalId));
  if (toCreate.length) {
    const created = await tx.account.createManyAndReturn({
      data: toCreate.map((r) => ({
        workspaceId,
        externalId: r.externalId,
        name: r.name,
        domain: r.domain ?? null,
        segment: r.segment ?? null,
        ownerId: r.ownerId ?? null,
        arr: r.arr ?? "0",
        currency: r.currency ?? "USD",
        seats: r.seats ?? null,
        contractStart: r.contractStart ?? null,
        renewalDate: r.renewalDate ?? null,
        stage: r.stage ?? "orientation",
        stageSince: now,
      })),
      select: { id: true, externalId: true, arr: true, currency: true, stage: true },
    });
    const arrChanges = created
      .filter((a) => a.arr.greaterThan(0))
      .map((a) => ({ workspaceId, accountId: a.id, effectiveOn: today, kind: "new_business" as const, arrBefore: "0", arrAfter: a.arr, currency: a.currency }));
    if (arrChanges.length) await tx.arrChange.createMany({ data: arrChanges });
    const explicitStage = new Set(toCreate.filter((r) => r.stage).map((r) => r.externalId));
    const stageChanges = created
      .filter((a) => explicitStage.has(a.externalId!))
      .map((a) => ({ workspaceId, accountId: a.id, fromStage: null, toStage: a.stage, changedAt: now, changedById: options.changedById ?? null, source: "import" }));
    if (stageChanges.length) await tx.stageChange.createMany({ data: stageChanges });
    for (const a of created) result.ids.set(a.externalId!, a.id);
    result.created = created.length;
  }

  for (const row of rows) {
    const current = byExternalId.get(row.externalId);
    if (!current) continue;
    result.ids.set(row.externalId, current.id);
    const data: Prisma.AccountUncheckedUpdateInput = {};
    for (const field of COMPARED_FIELDS) {
      const value = row[field];
      if (value !== undefined && !same(value, current[field])) (data as Record<string, unknown>)[field] = value;
    }
    const arrAfter = row.arr === undefined ? current.arr : new Prisma.Decimal(row.arr);
    const arrChanged = !arrAfter.equals(current.arr);
    if (arrChanged) data.arr = arrAfter;
    if (Object.keys(data).length === 0) {
      result.unchanged++;
      continue;
    }
    if (data.stage !== undefined) data.stageSince = now;
    await tx.account.update({ where: { id: current.id, workspaceId }, data });
    if (arrChanged) {
      await tx.arrChange.create({
        data: {
          workspaceId,
          accountId: current.id,
          effectiveOn: today,
          kind: arrChangeKind(current.arr, arrAfter, false),
          arrBefore: current.arr,
          arrAfter,
          currency: row.currency ?? current.currency,
        },
      });
    }
    if (data.stage !== undefined) {
      await tx.stageChange.create({
        data: { workspaceId, accountId: current.id, fromStage: current.stage, toStage: row.stage!, changedAt: now, changedById: options.changedById ?? null, source: "import" },
      });
    }
    result.updated++;
  }
  return result;
}
