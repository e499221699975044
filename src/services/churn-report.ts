// Gathers what the churn metrics need for one workspace: the ARR history (arr_change) and
// the post-mortems (churn_event). The arithmetic lives in src/domain/churn-metrics.ts.
import type { DbTx } from "../db/client.js";
import {
  computeChurnMetrics,
  periodBounds,
  type ArrChangeRecord,
  type ChurnEventRecord,
  type ChurnMetrics,
  type Period,
} from "../domain/churn-metrics.js";
import { startOfUtcDay } from "../domain/dates.js";

export interface ChurnReport {
  metrics: ChurnMetrics;
  /** The portfolio's main currency; ARR in other currencies is summed as is. */
  currency: string;
  mixedCurrencies: boolean;
}

export async function buildChurnReport(
  db: DbTx,
  input: { workspaceId: number; period: Period; grossMargin?: number },
): Promise<ChurnReport> {
  const { workspaceId, period } = input;
  const { from, toExclusive } = periodBounds(period);
  const [changes, accounts, events] = await Promise.all([
    db.arrChange.findMany({
      where: { workspaceId, effectiveOn: { lt: toExclusive } },
      select: { accountId: true, effectiveOn: true, kind: true, arrBefore: true, arrAfter: true },
      orderBy: [{ effectiveOn: "asc" }, { id: "asc" }],
    }),
    db.account.findMany({
      where: { workspaceId },
      select: { id: true, arr: true, currency: true, contractStart: true, createdAt: true },
    }),
    db.churnEvent.findMany({
      where: { workspaceId, churnedOn: { gte: from, lt: toExclusive } },
      select: {
        accountId: true,
        kind: true,
        churnedOn: true,
        arrLost: true,
        primaryReason: true,
        daysOfWarning: true,
        preventable: true,
      },
    }),
  ]);
  const arrChanges: ArrChangeRecord[] = changes.map((c) => ({
    accountId: c.accountId,
    effectiveOn: c.effectiveOn,
    kind: c.kind,
    arrBefore: Number(c.arrBefore.toString()),
    arrAfter: Number(c.arrAfter.toString()),
  }));
  // Accounts imported without any ARR history count from their contract start at today's ARR.
  const withHistory = new Set(changes.map((c) => c.accountId));
  for (const a of accounts) {
    if (withHistory.has(a.id)) continue;
    const effectiveOn = startOfUtcDay(a.contractStart ?? a.createdAt);
    if (effectiveOn.getTime() < toExclusive.getTime()) {
      arrChanges.push({
        accountId: a.id,
        effectiveOn,
        kind: "new_business",
        arrBefore: 0,
        arrAfter: Number(a.arr.toString()),
      });
    }
  }
  const churnEvents: ChurnEventRecord[] = events.map((e) => ({
    accountId: e.accountId,
    kind: e.kind,
    churnedOn: e.churnedOn,
    arrLost: Number(e.arrLost.toString()),
    primaryReason: e.primaryReason,
    daysOfWarning: e.daysOfWarning,
    preventable: e.preventable,
  }));
  const currencyCounts = new Map<string, number>();
  for (const a of accounts) currencyCounts.set(a.currency, (currencyCounts.get(a.currency) ?? 0) + 1);
  const currency = [...currencyCounts].sort((x, y) => y[1] - x[1])[0]?.[0] ?? "USD";
  return {
    metrics: computeChurnMetrics({ period, arrChanges, churnEvents, grossMargin: input.grossMargin }),
    currency,
    mixedCurrencies: currencyCounts.size > 1,
  };
}
