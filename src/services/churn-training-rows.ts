// Builds the (account, as-of day) rows a churn model learns from and is judged on: each
// row holds the evidence known before its day (the same feature pass the nightly score
// uses), the rules model's score that day, and whether the account churned within the
// horizon after it. Only churns recorded on or before `until` are read, and a row is
// labelled only when its whole horizon ends by then, so nothing after `until` can leak in.
// Won-back churns count: the account did churn within the horizon.
import { addDays, daysBetween, isoDay, startOfUtcDay } from "../domain/dates.js";
import { churnFeatureValues } from "../domain/health/churn-features.js";
import { findFeatureProblem } from "../domain/health/features.js";
import type { TrainingRow } from "../domain/health/learned-model.js";
import type { HealthModel } from "../domain/health/model-config.js";
import { scoreAccountHealth } from "../domain/health/score-model.js";
import { analyzeEvidenceTables, featurePages } from "../db/health-scoring.js";
import { readChurnOutcomes } from "../db/churn-outcomes.js";
import type { Db } from "../db/client.js";

export interface TrainingRowOptions {
  horizonDays: number;
  /** Outcomes known by this day are read; rows whose horizon ends after it are unlabelled. */
  until: Date;
  /** As-of days; default: `asOfGrid`. */
  days?: Date[];
  onDay?: (done: number, total: number) => void;
}

const DAY_MS = 86_400_000;
const dayNumber = (d: Date) => Math.floor(d.getTime() / DAY_MS);
const MAX_DAYS = 36;
/** Rows kept in memory for one fit (the `pulse` command runs with a 512 MB heap): beyond it, as-of days are thinned, the most recent kept. */
const MAX_ROWS = 120_000;

/**
 * As-of days to learn from: the days the workspace has stored scores for (`pulse score
 * --from … --every …`), at least four weeks apart, else every four weeks back from the last
 * labelled day to the first evidence. At most 36, the most recent kept.
 */
export async function asOfGrid(db: Db, workspaceId: number, lastDay: Date): Promise<Date[]> {
  const stored = await db.$queryRaw<{ day: Date }[]>`
    SELECT DISTINCT "scoredOn" AS day FROM "health_snapshot"
    WHERE "workspaceId" = ${workspaceId} AND "scoredOn" <= ${isoDay(lastDay)}::date ORDER BY 1 DESC`;
  const thinned: Date[] = [];
  for (const { day } of stored) {
    const d = startOfUtcDay(new Date(day));
    if (!thinned.length || daysBetween(d, thinned[thinned.length - 1]!) >= 28) thinned.push(d);
  }
  // The last labelled day itself is always an as-of day: with churn dated at the end of the
  // history (a snapshot export), it is the one day whose horizon holds the churns.
  const withLast = [lastDay, ...thinned.filter((d) => daysBetween(d, lastDay) >= 14)];
  if (withLast.length >= 3) return withLast.slice(0, MAX_DAYS).reverse();
  const [first] = await db.$queryRaw<{ day: Date | null }[]>`
    SELECT LEAST(
      (SELECT min(day) FROM "usage_daily" WHERE "workspaceId" = ${workspaceId}),
      (SELECT min(LEAST("createdAt"::date, COALESCE("contractStart", "createdAt"::date))) FROM "account" WHERE "workspaceId" = ${workspaceId})
    ) AS day`;
  const start = first?.day ? startOfUtcDay(new Date(first.day)) : lastDay;
  const days: Date[] = [];
  for (let d = lastDay; d > start && days.length < MAX_DAYS; d = addDays(d, -28)) days.push(d);
  return days.reverse();
}

/** Churn days recorded on or before `until`, per account. */
async function churnDays(db: Db, workspaceId: number, until: Date): Promise<Map<number, number[]>> {
  const byAccount = new Map<number, number[]>();
  for (const r of await readChurnOutcomes(db, workspaceId, { until })) {
    const list = byAccount.get(r.accountId) ?? [];
    list.push(dayNumber(r.churnedOn));
    byAccount.set(r.accountId, list);
  }
  return byAccount;
}

export interface TrainingRowsResult {
  rows: TrainingRow[];
  days: Date[];
  skipped: number;
}

export async function buildTrainingRows(
  db: Db,
  workspaceId: number,
  rulesModel: HealthModel,
  options: TrainingRowOptions,
): Promise<TrainingRowsResult> {
  const until = startOfUtcDay(options.until);
  const lastLabelled = addDays(until, -options.horizonDays);
  let days = (options.days ?? (await asOfGrid(db, workspaceId, lastLabelled))).filter((d) => d <= lastLabelled);
  const accounts = await db.account.count({ where: { workspaceId } });
  const fit = Math.max(1, Math.floor(MAX_ROWS / Math.max(1, accounts)));
  if (days.length > fit) {
    const every = Math.ceil(days.length / fit);
    days = days.filter((_, i) => (days.length - 1 - i) % every === 0);
  }
  await analyzeEvidenceTables(db);
  const churns = await churnDays(db, workspaceId, until);
  const rows: TrainingRow[] = [];
  let skipped = 0;
  let done = 0;
  for (const day of days) {
    const asOfDay = dayNumber(day);
    for await (const page of featurePages(db, rulesModel, {
      workspaceId,
      scoredOn: day,
      cutoff: day,
      pageSize: 1_000,
    })) {
      for (const { features } of page) {
        if (findFeatureProblem(features)) {
          skipped++;
          continue;
        }
        const rules = scoreAccountHealth(features, rulesModel, day);
        const churnedIn = (churns.get(features.accountId) ?? []).some(
          (c) => c > asOfDay && c <= asOfDay + options.horizonDays,
        );
        rows.push({
          accountId: features.accountId,
          asOfDay,
          label: churnedIn ? 1 : 0,
          values: churnFeatureValues(features, day),
          rulesScore: rules.score,
          rulesBand: rules.band,
        });
      }
    }
    options.onDay?.(++done, days.length);
  }
  return { rows, days, skipped };
}
