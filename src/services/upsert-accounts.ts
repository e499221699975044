// Creates or updates accounts by external id, writing ARR history (arr_change), stage
// history (stage_change) and attribute history (account_attribute_change) in the caller's
// transaction whenever those change. Shared by the CSV import and POST /api/v1/accounts.
// Fields a row leaves undefined are left alone.
//
// A row marked churned with a churn day is recorded as a churn exactly as a churns-file row
// would be (recordChurns); without a day the account is marked churned as of today, and the
// caller is told how many were, so it can ask for the real dates.
import type { DbTx } from "../db/client.js";
import { startOfUtcDay } from "../domain/dates.js";
import type { AccountRow, ChurnRow, TraitValue } from "../domain/ingest/import-rows.js";
import { Prisma } from "../generated/prisma/client.js";
import { writeAttributeChanges, type AttributeChange } from "../db/account-attributes.js";
import { recordChurns, type RecordChurnsResult } from "./record-churns.js";
import { keepTasksWithAccounts } from "./task-actions.js";

export interface UpsertAccountsResult {
  created: number;
  updated: number;
  unchanged: number;
  /** externalId -> account id, for every row. */
  ids: Map<string, number>;
  /** Accounts newly marked churned without a churn day: dated today. */
  churnedWithoutDate: number;
  /** Churn events recorded from rows with a churn day. */
  churns: RecordChurnsResult;
}

const COMPARED_FIELDS = [
  "name",
  "domain",
  "segment",
  "ownerId",
  "currency",
  "seats",
  "contractStart",
  "renewalDate",
  "stage",
  "plan",
  "billingTerm",
  "autoRenew",
] as const;

/** Attributes whose every change is kept, for scoring a past day with what was true then. */
const TRACKED_FIELDS = ["plan", "seats", "billingTerm", "autoRenew"] as const;

type Traits = Record<string, number | string>;

function asTraits(value: unknown): Traits {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Traits) : {};
}

/** The stored traits with the row's applied (null removes); undefined when nothing changes. */
function mergeTraits(current: Traits, update: Record<string, TraitValue> | undefined): Traits | undefined {
  if (!update) return undefined;
  const next: Traits = { ...current };
  let changed = false;
  for (const [name, value] of Object.entries(update)) {
    if (value === null) {
      if (name in next) {
        delete next[name];
        changed = true;
      }
    } else if (next[name] !== value) {
      next[name] = value;
      changed = true;
    }
  }
  return changed ? next : undefined;
}

function traitChanges(
  accountId: number,
  current: Traits,
  update: Record<string, TraitValue> | undefined,
): AttributeChange[] {
  if (!update) return [];
  return Object.entries(update)
    .filter(([name, value]) => (value === null ? name in current : current[name] !== value))
    .map(([name, value]) => ({ accountId, attribute: `trait:${name}`, value }));
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}

function arrChangeKind(
  before: Prisma.Decimal,
  after: Prisma.Decimal,
  isNew: boolean,
): "new_business" | "expansion" | "contraction" {
  if (isNew) return "new_business";
  return after.greaterThan(before) ? "expansion" : "contraction";
}

export async function upsertAccounts(
  tx: DbTx,
  options: {
    workspaceId: number;
    rows: AccountRow[];
    now: Date;
    changedById?: number | null;
    source?: "import" | "api";
  },
): Promise<UpsertAccountsResult> {
  const { workspaceId, rows, now } = options;
  const source = options.source ?? "import";
  const today = startOfUtcDay(now);
  const existing = await tx.account.findMany({
    where: { workspaceId, externalId: { in: rows.map((r) => r.externalId) } },
  });
  const byExternalId = new Map(existing.map((a) => [a.externalId!, a]));
  const result: UpsertAccountsResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    ids: new Map(),
    churnedWithoutDate: 0,
    churns: { created: 0, updated: 0, unchanged: 0 },
  };
  const attributeChanges: AttributeChange[] = [];

  const toCreate = rows.filter((r) => !byExternalId.has(r.externalId));
  if (toCreate.length) {
    const created = await tx.account.createManyAndReturn({
      data: toCreate.map((r) => ({
        workspaceId,
        externalId: r.externalId,
        name: r.name ?? r.externalId,
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
        plan: r.plan ?? null,
        billingTerm: r.billingTerm ?? null,
        autoRenew: r.autoRenew ?? null,
        traits: mergeTraits({}, r.traits) ?? {},
        ...(r.status === "churned" ? { status: "churned" as const, churnedAt: r.churnedOn ?? today } : {}),
      })),
      select: { id: true, externalId: true, arr: true, currency: true, stage: true },
    });
    const rowOf = new Map(toCreate.map((r) => [r.externalId, r]));
    for (const a of created) {
      const r = rowOf.get(a.externalId!)!;
      for (const field of TRACKED_FIELDS)
        if (r[field] !== undefined && r[field] !== null)
          attributeChanges.push({ accountId: a.id, attribute: field, value: r[field] });
      if (r.arr !== undefined) attributeChanges.push({ accountId: a.id, attribute: "arr", value: Number(r.arr) });
      attributeChanges.push(...traitChanges(a.id, {}, r.traits));
      if (r.status === "churned" && !r.churnedOn) result.churnedWithoutDate++;
    }
    const arrChanges = created
      .filter((a) => a.arr.greaterThan(0))
      .map((a) => ({
        workspaceId,
        accountId: a.id,
        effectiveOn: today,
        kind: "new_business" as const,
        arrBefore: "0",
        arrAfter: a.arr,
        currency: a.currency,
      }));
    if (arrChanges.length) await tx.arrChange.createMany({ data: arrChanges });
    const explicitStage = new Set(toCreate.filter((r) => r.stage).map((r) => r.externalId));
    const stageChanges = created
      .filter((a) => explicitStage.has(a.externalId!))
      .map((a) => ({
        workspaceId,
        accountId: a.id,
        fromStage: null,
        toStage: a.stage,
        changedAt: now,
        changedById: options.changedById ?? null,
        source: "import",
      }));
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
    const traits = mergeTraits(asTraits(current.traits), row.traits);
    if (traits) data.traits = traits;
    if (row.status === "churned" && current.status !== "churned") {
      data.status = "churned";
      // The churn event's day, when there is one, is set from it below (recordChurns).
      data.churnedAt = row.churnedOn ?? today;
      if (!row.churnedOn) result.churnedWithoutDate++;
    } else if (row.status === "active" && current.status !== "active") {
      data.status = "active";
      data.churnedAt = null;
    }
    for (const field of TRACKED_FIELDS)
      if (data[field] !== undefined)
        attributeChanges.push({ accountId: current.id, attribute: field, value: row[field] ?? null });
    if (arrChanged)
      attributeChanges.push({ accountId: current.id, attribute: "arr", value: Number(arrAfter.toString()) });
    attributeChanges.push(...traitChanges(current.id, asTraits(current.traits), row.traits));
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
        data: {
          workspaceId,
          accountId: current.id,
          fromStage: current.stage,
          toStage: row.stage!,
          changedAt: now,
          changedById: options.changedById ?? null,
          source: "import",
        },
      });
    }
    result.updated++;
  }

  await writeAttributeChanges(tx, { workspaceId, effectiveOn: today, source, changes: attributeChanges });

  const churnRows: ChurnRow[] = rows
    .filter((r) => r.status === "churned" && r.churnedOn)
    .map((r) => ({ accountId: result.ids.get(r.externalId)!, churnedOn: r.churnedOn! }));
  if (churnRows.length) result.churns = await recordChurns(tx, { workspaceId, rows: churnRows, now, source });
  // A new owner takes the account's open tasks; a churned account's close.
  if (result.updated) await keepTasksWithAccounts(tx, workspaceId, [...result.ids.values()]);
  return result;
}
