// Back-test: score every account as of a past day with only the evidence known then, and
// measure how well that ranking foretold the churn of the following horizon. Churners are
// the accounts with a (not reversed) churn event in (asOf, asOf + horizon]; accounts that
// had churned on or before asOf are not scored at all.
import { addDays, daysBetween, isoDay, startOfUtcDay } from "../domain/dates.js";
import { bandPrecisionRecall, median, riskiestDecileLift, rocAuc, type BacktestRow, type BandPrecisionRecall, type DecileLift } from "../domain/health/backtest-metrics.js";
import { AppError } from "../errors.js";
import { loadWorkspaceModel, scorePagesAsOf, type ScoringContext } from "./score-accounts.js";

export interface BacktestOptions {
  asOf: Date;
  horizonDays: number;
  /** Churners are re-scored every this many days until they churn, to date their first red. */
  warningStepDays?: number;
}

export interface BacktestReport {
  workspaceId: number;
  asOf: string;
  horizonDays: number;
  modelVersion: string;
  accounts: number;
  churned: number;
  failures: number;
  auc: number | null;
  red: BandPrecisionRecall;
  riskiestDecile: DecileLift;
  /** Median days between the first red score (re-scored every warningStepDays from asOf) and the churn. */
  medianDaysOfWarning: number | null;
  churnersWarned: number;
}

export async function runBacktest(ctx: ScoringContext, workspaceId: number, options: BacktestOptions): Promise<BacktestReport> {
  if (!Number.isInteger(options.horizonDays) || options.horizonDays < 1) {
    throw new AppError("INVALID_INPUT", "The horizon must be a whole number of days, at least 1");
  }
  const asOf = startOfUtcDay(options.asOf);
  const horizonEnd = addDays(asOf, options.horizonDays);
  const step = options.warningStepDays ?? 7;
  const { model } = await loadWorkspaceModel(ctx, workspaceId);

  const churnRows = await ctx.db.$queryRaw<{ accountId: number; churnedOn: Date }[]>`
    SELECT "accountId", min("churnedOn") AS "churnedOn"
    FROM "churn_event"
    WHERE "workspaceId" = ${workspaceId} AND "reversedAt" IS NULL
      AND "churnedOn" > ${isoDay(asOf)}::date AND "churnedOn" <= ${isoDay(horizonEnd)}::date
    GROUP BY "accountId"`;
  const churnedOn = new Map(churnRows.map((r) => [r.accountId, new Date(r.churnedOn)]));

  const rows: BacktestRow[] = [];
  let failures = 0;
  for await (const page of scorePagesAsOf(ctx.db, workspaceId, model, asOf, asOf)) {
    failures += page.failures.length;
    for (const item of page.scored) {
      const accountId = item.row.features.accountId;
      rows.push({ accountId, score: item.result.score, band: item.result.band, churned: churnedOn.has(accountId) });
    }
  }

  // Days of warning: walk forward from asOf, each day with only what was known that day.
  const churnerIds = rows.filter((r) => r.churned).map((r) => r.accountId);
  const firstRed = new Map<number, Date>();
  for (let day = asOf; day < horizonEnd && churnerIds.length; day = addDays(day, step)) {
    const pending = churnerIds.filter((id) => !firstRed.has(id) && churnedOn.get(id)! > day);
    if (!pending.length) continue;
    for await (const page of scorePagesAsOf(ctx.db, workspaceId, model, day, day, { accountIds: pending })) {
      for (const item of page.scored) if (item.result.band === "red") firstRed.set(item.row.features.accountId, day);
    }
  }
  const warnings = [...firstRed].map(([id, day]) => daysBetween(day, churnedOn.get(id)!));

  return {
    workspaceId,
    asOf: isoDay(asOf),
    horizonDays: options.horizonDays,
    modelVersion: model.version,
    accounts: rows.length,
    churned: churnerIds.length,
    failures,
    auc: rocAuc(rows),
    red: bandPrecisionRecall(rows, "red"),
    riskiestDecile: riskiestDecileLift(rows),
    medianDaysOfWarning: median(warnings),
    churnersWarned: warnings.length,
  };
}
