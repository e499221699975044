// Back-test: score accounts as of past days with only the evidence known then, and measure
// how well that ranking foretold the churn of the following horizon. One as-of day, or a
// rolling form pooling every (account, as-of day) row from --from to --to. Churners are the
// accounts with a churn event in (asOf, asOf + horizon], won back or not: a churn that was
// later reversed still happened within the horizon. Accounts churned on or before the
// as-of day are not scored that day.
import { addDays, daysBetween, isoDay, startOfUtcDay } from "../domain/dates.js";
import { riskiestDecileLift, rocAuc, type BacktestRow, type DecileLift } from "../domain/health/backtest-metrics.js";
import { median } from "../domain/statistics.js";
import { bootstrapAucInterval } from "../domain/health/model-validation.js";
import type { LearnedModelSpec } from "../domain/health/learned-model.js";
import { AppError } from "../errors.js";
import { analyzeEvidenceTables } from "../db/health-scoring.js";
import { readChurnOutcomes } from "../db/churn-outcomes.js";
import { findModelVersion } from "./health-models.js";
import { loadWorkspaceModel, scorePagesAsOf, scoringDays, type ScoringContext } from "./score-accounts.js";

/** "rules": the rules model; "current": what scores the workspace now; else a learned version. */
export type BacktestModelChoice = "rules" | "current" | string;

export interface BacktestOptions {
  /** One as-of day, or the first of a rolling range. */
  asOf: Date;
  /** Rolling form: the last as-of day and the step between as-of days. */
  to?: Date;
  every?: { days: number } | { months: number };
  horizonDays: number;
  model?: BacktestModelChoice;
  /** Days between re-scorings when dating the first red (default 7). */
  warningStepDays?: number;
}

export interface BacktestAccountRow {
  accountId: number;
  account: string;
  asOf: string;
  score: number;
  band: string;
  churnedInHorizon: boolean;
}

export interface BacktestReport {
  workspaceId: number;
  asOf: string;
  to: string;
  asOfDays: number;
  horizonDays: number;
  modelVersion: string;
  /** (account, as-of day) rows scored; accounts for a single as-of day. */
  accounts: number;
  churned: number;
  failures: number;
  auc: number | null;
  aucInterval: [number, number] | null;
  red: { flagged: number; truePositives: number; precision: number | null; recall: number | null };
  riskiestDecile: DecileLift;
  /** Median days between the first red score (re-scored every warningStepDays from the as-of day) and the churn. */
  medianDaysOfWarning: number | null;
  churnersWarned: number;
  /** The false-alarm side: survivors that went red within the horizon, and how many survivors there were. */
  survivorsFlagged: number;
  survivors: number;
  rows: BacktestAccountRow[];
}

const DAY_MS = 86_400_000;

async function chooseModel(ctx: ScoringContext, workspaceId: number, choice: BacktestModelChoice) {
  const loaded = await loadWorkspaceModel(ctx, workspaceId);
  let learned: LearnedModelSpec | null = null;
  if (choice === "current") learned = loaded.learned;
  else if (choice !== "rules") learned = (await findModelVersion(ctx.db, workspaceId, choice)).spec;
  return { rules: loaded.model, learned, version: learned?.version ?? loaded.model.version };
}

export async function runBacktest(
  ctx: ScoringContext,
  workspaceId: number,
  options: BacktestOptions,
): Promise<BacktestReport> {
  if (!Number.isInteger(options.horizonDays) || options.horizonDays < 1) {
    throw new AppError("INVALID_INPUT", "The horizon must be a whole number of days, at least 1");
  }
  const from = startOfUtcDay(options.asOf);
  const to = options.to ? startOfUtcDay(options.to) : from;
  if (to < from)
    throw new AppError("INVALID_INPUT", `The back-test range is empty: ${isoDay(from)} is after ${isoDay(to)}`);
  const asOfDays = scoringDays(from, to, options.every ?? { days: 1 });
  if (!options.every && options.to && +to !== +from)
    throw new AppError("INVALID_INPUT", "A rolling back-test needs --every (1mo, 7d, …)");
  const step = options.warningStepDays ?? 7;
  const { rules, learned, version } = await chooseModel(ctx, workspaceId, options.model ?? "current");
  await analyzeEvidenceTables(ctx.db);

  const lastDay = addDays(to, options.horizonDays);
  const churnsOf = new Map<number, Date[]>();
  for (const r of await readChurnOutcomes(ctx.db, workspaceId, { after: from, until: lastDay }))
    churnsOf.set(r.accountId, [...(churnsOf.get(r.accountId) ?? []), r.churnedOn]);
  const churnIn = (accountId: number, asOf: Date) =>
    (churnsOf.get(accountId) ?? [])
      .filter((c) => c > asOf && c <= addDays(asOf, options.horizonDays))
      .sort((a, b) => +a - +b)[0];

  const rows: (BacktestRow & { asOf: Date; name: string })[] = [];
  let failures = 0;
  for (const asOf of asOfDays) {
    for await (const page of scorePagesAsOf(ctx.db, workspaceId, rules, asOf, asOf, { learned })) {
      failures += page.failures.length;
      for (const item of page.scored) {
        const accountId = item.row.features.accountId;
        rows.push({
          accountId,
          asOf,
          name: item.row.externalId ?? item.row.name,
          score: item.result.score,
          band: item.result.band,
          churned: churnIn(accountId, asOf) !== undefined,
        });
      }
    }
  }

  // Days of warning, both sides: walk forward from each as-of day, each day with only what
  // was known that day. A churner's warning runs from its first red to the churn; a survivor
  // that went red within the horizon is a false alarm.
  const walkDays = scoringDays(from, addDays(to, options.horizonDays - 1), { days: step });
  const redOn = new Map<number, number[]>();
  for (const day of walkDays) {
    for await (const page of scorePagesAsOf(ctx.db, workspaceId, rules, day, day, { learned })) {
      for (const item of page.scored) {
        if (item.result.band !== "red") continue;
        const id = item.row.features.accountId;
        redOn.set(id, [...(redOn.get(id) ?? []), day.getTime()]);
      }
    }
  }
  const warnings: number[] = [];
  let survivors = 0;
  let survivorsFlagged = 0;
  for (const r of rows) {
    const reds = redOn.get(r.accountId) ?? [];
    if (r.churned) {
      const churnedOn = churnIn(r.accountId, r.asOf)!;
      const first = reds.filter((d) => d >= r.asOf.getTime() && d < churnedOn.getTime()).sort((a, b) => a - b)[0];
      if (first !== undefined) warnings.push(daysBetween(new Date(first), churnedOn));
    } else {
      survivors++;
      if (reds.some((d) => d >= r.asOf.getTime() && d < r.asOf.getTime() + options.horizonDays * DAY_MS))
        survivorsFlagged++;
    }
  }

  const churned = rows.filter((r) => r.churned).length;
  const flagged = rows.filter((r) => r.band === "red");
  const truePositives = flagged.filter((r) => r.churned).length;
  const auc = rocAuc(rows);
  return {
    workspaceId,
    asOf: isoDay(from),
    to: isoDay(to),
    asOfDays: asOfDays.length,
    horizonDays: options.horizonDays,
    modelVersion: version,
    accounts: rows.length,
    churned,
    failures,
    auc,
    aucInterval:
      auc === null
        ? null
        : bootstrapAucInterval(
            rows.map((r) => -r.score),
            rows.map((r) => (r.churned ? 1 : 0)),
            rows.map((r) => r.accountId),
          ),
    red: {
      flagged: flagged.length,
      truePositives,
      precision: flagged.length ? truePositives / flagged.length : null,
      recall: churned ? truePositives / churned : null,
    },
    riskiestDecile: riskiestDecileLift(rows),
    medianDaysOfWarning: median(warnings),
    churnersWarned: warnings.length,
    survivorsFlagged,
    survivors,
    rows: rows.map((r) => ({
      accountId: r.accountId,
      account: r.name,
      asOf: isoDay(r.asOf),
      score: r.score,
      band: r.band,
      churnedInHorizon: r.churned,
    })),
  };
}
