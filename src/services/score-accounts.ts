// Scoring use cases: the nightly/on-demand run over a workspace, the card's one-account
// recompute, and the history backfill. Features are aggregated in SQL in one pass, handed
// over a page of accounts at a time, scored in TypeScript and written back in bulk, so
// memory stays flat however many accounts a workspace has. A bad account is logged,
// counted and skipped; it never aborts the run.
import { topLoweringReason } from "../domain/health/reason-direction.js";
import type { AppContext } from "../app-context.js";
import type { Db } from "../db/client.js";
import {
  analyzeEvidenceTables,
  executeThroughPrisma,
  featurePages,
  insertScoreDrops,
  readWorkspaceEvidence,
  SnapshotWriters,
  upsertSnapshots,
  type AccountFeatureRow,
  type ScoreDropWrite,
  type SnapshotWrite,
} from "../db/health-scoring.js";
import { addDays, isoDay, startOfUtcDay } from "../domain/dates.js";
import { findFeatureProblem } from "../domain/health/features.js";
import { resolveHealthModel, type HealthModel } from "../domain/health/model-config.js";
import {
  evidenceNotes,
  isScoreDrop,
  scoreAccountHealth,
  scoreTrend,
  type HealthBand,
  type HealthScore,
  type ScoreTrend,
} from "../domain/health/score-model.js";
import type { HealthReason } from "../domain/health/snapshot.js";
import { AppError } from "../errors.js";
import { retryWrite } from "../db/retry-write.js";
import { churnFeatureValues } from "../domain/health/churn-features.js";
import { learnedHealthScore, type LearnedModelSpec } from "../domain/health/learned-model.js";
import { loadAdoptedModel } from "./health-models.js";

export type ScoringContext = Pick<AppContext, "db" | "logger" | "config" | "databaseUrl">;

export const DEFAULT_PAGE_SIZE = 1_000;
const MAX_FAILURES_IN_DETAILS = 50;
const CONCURRENT_PAGE_WRITES = 2;

export interface ScoredAccount extends HealthScore {
  accountId: number;
  name: string;
  externalId: string | null;
  scoredOn: Date;
  trend: ScoreTrend;
}

export interface RiskiestAccount {
  accountId: number;
  name: string;
  externalId: string | null;
  score: number;
  band: HealthBand;
  topReason: string | null;
}

export interface ScoringRunSummary {
  runId: number;
  workspaceId: number;
  scoredOn: Date;
  trigger: string;
  modelVersion: string;
  /** True when the workspace's own model was invalid and the default was used. */
  modelFellBack: boolean;
  accountsScored: number;
  failures: number;
  bands: Record<HealthBand, number>;
  scoreDrops: number;
  riskiest: RiskiestAccount[];
  /** What the workspace does not collect (left out of every score), said once per run. */
  notes: string[];
  durationMs: number;
}

export interface ScoreOptions {
  trigger?: string;
  pageSize?: number;
}

/** The calendar day `now` falls on in `timeZone`, as a UTC midnight. */
export function localDay(now: Date, timeZone: string): Date {
  const text = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    now,
  );
  return new Date(`${text}T00:00:00Z`);
}

export interface LoadedModel {
  model: HealthModel;
  problems: string[];
  /** The adopted learned model, when the workspace has one: it gives score, band and reasons. */
  learned: LearnedModelSpec | null;
}

/** The workspace's score model (its valid override, else the default with the problems). */
export async function loadWorkspaceModel(ctx: ScoringContext, workspaceId: number): Promise<LoadedModel> {
  const workspace = await ctx.db.workspace.findUnique({
    where: { id: workspaceId },
    select: { id: true, settings: true },
  });
  if (!workspace)
    throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist`, "That workspace does not exist.");
  const settings = workspace.settings as Record<string, unknown> | null;
  const resolved = resolveHealthModel(settings && typeof settings === "object" ? settings.scoreModel : undefined);
  if (!resolved.ok) {
    ctx.logger.warn(
      { workspaceId, problems: resolved.problems },
      "invalid score model in workspace settings: using the default model",
    );
    return { model: resolved.model, problems: resolved.problems, learned: await adoptedSpec(ctx, workspaceId) };
  }
  return { model: resolved.model, problems: [], learned: await adoptedSpec(ctx, workspaceId) };
}

async function adoptedSpec(ctx: ScoringContext, workspaceId: number): Promise<LearnedModelSpec | null> {
  try {
    return (await loadAdoptedModel(ctx.db, workspaceId))?.spec ?? null;
  } catch (error) {
    // A stored model that no longer validates must not stop the nightly score: the rules apply.
    ctx.logger.error(
      { err: error, workspaceId },
      "the adopted churn model could not be read: scoring with the rules model",
    );
    return null;
  }
}

/** The version written on snapshots and runs: the learned model's when one is adopted. */
const versionOf = (loaded: LoadedModel) => loaded.learned?.version ?? loaded.model.version;

export interface ScoredPageItem {
  row: AccountFeatureRow;
  result: HealthScore;
  trend: ScoreTrend;
}

export interface PageFailure {
  accountId: number;
  error: string;
}

/** Scores one page in memory; accounts that cannot be scored become failures. */
export function scorePage(
  rows: AccountFeatureRow[],
  model: HealthModel,
  scoredOn: Date,
  learned?: LearnedModelSpec | null,
): { scored: ScoredPageItem[]; failures: PageFailure[] } {
  const scored: ScoredPageItem[] = [];
  const failures: PageFailure[] = [];
  for (const row of rows) {
    try {
      const problem = findFeatureProblem(row.features);
      if (problem) throw new AppError("INVALID_INPUT", problem);
      const rules = scoreAccountHealth(row.features, model, scoredOn);
      const result = learned ? learnedHealthScore(learned, churnFeatureValues(row.features, scoredOn), rules) : rules;
      if (!Number.isFinite(result.score)) throw new AppError("INTERNAL", "the model produced a non-finite score");
      scored.push({ row, result, trend: scoreTrend(result.score, row.scoreWeekAgo, row.scoreMonthAgo) });
    } catch (error) {
      failures.push({ accountId: row.features.accountId, error: (error as Error).message });
    }
  }
  return { scored, failures };
}

/**
 * Walks every eligible account of a workspace as of a day, page by page, yielding scored
 * pages. Eligible: started before the cut-off and not churned on or before the day.
 */
export async function* scorePagesAsOf(
  db: Db,
  workspaceId: number,
  model: HealthModel,
  scoredOn: Date,
  cutoff: Date,
  options: { pageSize?: number; accountIds?: number[]; learned?: LearnedModelSpec | null } = {},
): AsyncGenerator<{ scored: ScoredPageItem[]; failures: PageFailure[] }> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  for await (const rows of featurePages(db, model, {
    workspaceId,
    scoredOn,
    cutoff,
    pageSize,
    accountIds: options.accountIds,
  })) {
    yield scorePage(rows, model, scoredOn, options.learned);
  }
}

function dropDetails(item: ScoredPageItem, scoredOn: Date, model: HealthModel): Record<string, unknown> {
  return {
    from: item.row.scoreWeekAgo,
    to: item.result.score,
    change: item.trend.change7d,
    fromOn: isoDay(addDays(scoredOn, -7)),
    toOn: isoDay(scoredOn),
    band: item.result.band,
    thresholdPoints: model.scoreDropPoints,
    modelVersion: model.version,
    topReasons: item.result.reasons.slice(0, 3).map((r) => r.text),
  };
}

/**
 * Writes a page: snapshots (and score drops) in one transaction. If the bulk statement
 * fails (an account deleted mid-run, say), rows are retried one by one so only the
 * offending account is lost.
 */
async function writePage(
  ctx: ScoringContext,
  writers: SnapshotWriters,
  workspaceId: number,
  scoredOn: Date,
  items: ScoredPageItem[],
  drops: Set<number>,
  model: HealthModel,
): Promise<{ written: ScoredPageItem[]; failures: PageFailure[]; dropsRaised: number }> {
  const toWrite = (list: ScoredPageItem[]): [SnapshotWrite[], ScoreDropWrite[]] => [
    list.map((i) => ({ accountId: i.row.features.accountId, result: i.result })),
    list
      .filter((i) => drops.has(i.row.features.accountId))
      .map((i) => ({ accountId: i.row.features.accountId, details: dropDetails(i, scoredOn, model) })),
  ];
  const write = async (list: ScoredPageItem[]) => {
    const [snapshots, dropRows] = toWrite(list);
    return writers.inTransaction(async (execute) => {
      await upsertSnapshots(execute, workspaceId, scoredOn, snapshots);
      return insertScoreDrops(execute, workspaceId, scoredOn, dropRows);
    });
  };
  try {
    const dropsRaised = await write(items);
    return { written: items, failures: [], dropsRaised };
  } catch (error) {
    // Only a row's own problem is worth finding row by row; a lost connection or a server
    // shutting down would fail every row again, once each. That ends the run instead.
    if (!isRowLevelError(error)) throw error;
    ctx.logger.warn(
      { err: error, workspaceId, accounts: items.length },
      "bulk snapshot write failed: retrying account by account",
    );
    const written: ScoredPageItem[] = [];
    const failures: PageFailure[] = [];
    let dropsRaised = 0;
    for (const item of items) {
      try {
        dropsRaised += await write([item]);
        written.push(item);
      } catch (e) {
        failures.push({
          accountId: item.row.features.accountId,
          error: `could not save the snapshot: ${(e as Error).message.split("\n")[0]}`,
        });
      }
    }
    return { written, failures, dropsRaised };
  }
}

/** PostgreSQL's data exceptions (class 22) and integrity violations (class 23). */
function isRowLevelError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}

function pushRiskiest(list: RiskiestAccount[], item: ScoredPageItem, keep = 10): void {
  list.push({
    accountId: item.row.features.accountId,
    name: item.row.name,
    externalId: item.row.externalId,
    score: item.result.score,
    band: item.result.band,
    topReason: topNegativeReason(item.result.reasons)?.text ?? null,
  });
  list.sort((a, b) => a.score - b.score || a.accountId - b.accountId);
  if (list.length > keep) list.length = keep;
}

/** The strongest reason that lowered the score (what a CSM should look at first). */
export function topNegativeReason(reasons: HealthReason[]): HealthReason | undefined {
  return topLoweringReason(reasons) ?? undefined;
}

interface RunDayOptions {
  pageSize?: number;
  learned: LearnedModelSpec | null;
  raiseSignals: boolean;
  onFailure: (failure: PageFailure) => void;
  onScored?: (item: ScoredPageItem) => void;
}

async function scoreDay(
  ctx: ScoringContext,
  workspaceId: number,
  model: HealthModel,
  scoredOn: Date,
  cutoff: Date,
  options: RunDayOptions,
): Promise<{
  scored: number;
  failures: number;
  drops: number;
  bands: Record<HealthBand, number>;
  riskiest: RiskiestAccount[];
}> {
  const totals = {
    scored: 0,
    failures: 0,
    drops: 0,
    bands: { green: 0, yellow: 0, red: 0 } as Record<HealthBand, number>,
    riskiest: [] as RiskiestAccount[],
  };
  const tally = ({ written, failures, dropsRaised }: Awaited<ReturnType<typeof writePage>>) => {
    for (const f of failures) {
      totals.failures++;
      options.onFailure(f);
    }
    totals.drops += dropsRaised;
    for (const item of written) {
      totals.scored++;
      totals.bands[item.result.band]++;
      pushRiskiest(totals.riskiest, item);
      options.onScored?.(item);
    }
  };
  // Writing a page costs PostgreSQL more than reading and scoring it, so pages are written
  // on two connections at once while the next page is scored.
  const writes = new Set<Promise<void>>();
  const writers = new SnapshotWriters(ctx.databaseUrl, CONCURRENT_PAGE_WRITES, (error) =>
    ctx.logger.warn({ err: error, workspaceId }, "a snapshot-writing connection failed"),
  );
  try {
    for await (const page of scorePagesAsOf(ctx.db, workspaceId, model, scoredOn, cutoff, {
      pageSize: options.pageSize,
      learned: options.learned,
    })) {
      for (const f of page.failures) {
        totals.failures++;
        options.onFailure(f);
      }
      const drops = new Set(
        options.raiseSignals
          ? page.scored.filter((i) => isScoreDrop(i.trend, model.scoreDropPoints)).map((i) => i.row.features.accountId)
          : [],
      );
      const write = writePage(ctx, writers, workspaceId, scoredOn, page.scored, drops, model).then(tally);
      writes.add(write);
      write.then(
        () => writes.delete(write),
        () => writes.delete(write),
      );
      if (writes.size >= CONCURRENT_PAGE_WRITES) await Promise.race(writes);
    }
    await Promise.all(writes);
  } finally {
    await Promise.allSettled(writes);
    await writers.close();
  }
  return totals;
}

/** Scores every active account of one workspace as of `now`, recording a scoring_run. */
export async function scoreWorkspace(
  ctx: ScoringContext,
  workspaceId: number,
  now: Date,
  options: ScoreOptions = {},
): Promise<ScoringRunSummary> {
  const started = Date.now();
  const trigger = options.trigger ?? "manual";
  const loaded = await loadWorkspaceModel(ctx, workspaceId);
  const { model, problems, learned } = loaded;
  const scoredOn = localDay(now, ctx.config.timezone);
  const run = await ctx.db.scoringRun.create({
    data: {
      workspaceId,
      trigger,
      scoredOn,
      status: "running",
      modelVersion: versionOf(loaded),
      details: problems.length ? { modelProblems: problems } : {},
    },
  });
  const failed: PageFailure[] = [];
  const log = ctx.logger.child({ workspaceId, scoringRunId: run.id, scoredOn: isoDay(scoredOn) });
  try {
    const notes = evidenceNotes(await readWorkspaceEvidence(ctx.db, workspaceId, scoredOn, now));
    const totals = await scoreDay(ctx, workspaceId, model, scoredOn, now, {
      pageSize: options.pageSize,
      learned,
      raiseSignals: true,
      onFailure: (f) => {
        log.warn({ accountId: f.accountId, error: f.error }, "account skipped: it could not be scored");
        failed.push(f);
      },
    });
    const durationMs = Date.now() - started;
    await ctx.db.scoringRun.update({
      where: { id: run.id },
      data: {
        status: "succeeded",
        finishedAt: new Date(),
        accountsScored: totals.scored,
        failures: totals.failures,
        details: {
          ...(problems.length ? { modelProblems: problems, modelFellBack: true } : {}),
          ...(notes.length ? { notes } : {}),
          bands: totals.bands,
          scoreDrops: totals.drops,
          durationMs,
          failedAccounts: failed
            .slice(0, MAX_FAILURES_IN_DETAILS)
            .map((f) => ({ accountId: f.accountId, error: f.error.slice(0, 300) })),
        },
      },
    });
    log.info(
      {
        accountsScored: totals.scored,
        failures: totals.failures,
        bands: totals.bands,
        scoreDrops: totals.drops,
        durationMs,
      },
      "scoring run finished",
    );
    return {
      runId: run.id,
      workspaceId,
      scoredOn,
      trigger,
      modelVersion: versionOf(loaded),
      modelFellBack: problems.length > 0,
      accountsScored: totals.scored,
      failures: totals.failures,
      bands: totals.bands,
      scoreDrops: totals.drops,
      riskiest: totals.riskiest,
      notes,
      durationMs,
    };
  } catch (error) {
    await retryWrite(
      () =>
        ctx.db.scoringRun.update({
          where: { id: run.id },
          data: {
            status: "failed",
            finishedAt: new Date(),
            failures: failed.length,
            details: { error: String((error as Error).message).slice(0, 2000) },
          },
        }),
      { logger: log, what: "recording the scoring run's failure" },
    ).catch(() => undefined);
    throw error;
  }
}

/** Scores every active workspace; one workspace's failure does not stop the others. */
export async function scoreAllWorkspaces(
  ctx: ScoringContext,
  now: Date,
  options: ScoreOptions = {},
  workspaceIds?: number[],
): Promise<ScoringRunSummary[]> {
  const workspaces = await ctx.db.workspace.findMany({
    where: { active: true, ...(workspaceIds && { id: { in: workspaceIds } }) },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const summaries: ScoringRunSummary[] = [];
  const errors: unknown[] = [];
  for (const w of workspaces) {
    try {
      summaries.push(await scoreWorkspace(ctx, w.id, now, options));
    } catch (error) {
      ctx.logger.error({ err: error, workspaceId: w.id }, "scoring a workspace failed");
      errors.push(error);
    }
  }
  if (errors.length && errors.length === workspaces.length) throw errors[0];
  return summaries;
}

/** The card's Recompute: scores one account now and writes today's snapshot. */
export async function scoreAccount(
  ctx: ScoringContext,
  workspaceId: number,
  accountId: number,
  now: Date,
): Promise<ScoredAccount> {
  const { model, learned } = await loadWorkspaceModel(ctx, workspaceId);
  const scoredOn = localDay(now, ctx.config.timezone);
  const pages = scorePagesAsOf(ctx.db, workspaceId, model, scoredOn, now, {
    accountIds: [accountId],
    pageSize: 1,
    learned,
  });
  const first = await pages.next();
  await pages.return(undefined);
  if (first.done) {
    throw new AppError(
      "NOT_FOUND",
      `Account ${accountId} is not an active account of workspace ${workspaceId}`,
      "That account does not exist or has churned.",
    );
  }
  const [failure] = first.value.failures;
  if (failure)
    throw new AppError(
      "INVALID_INPUT",
      `Account ${accountId} cannot be scored: ${failure.error}`,
      `This account cannot be scored: ${failure.error}`,
    );
  const item = first.value.scored[0]!;
  const drops = new Set(isScoreDrop(item.trend, model.scoreDropPoints) ? [accountId] : []);
  await ctx.db.$transaction(async (tx) => {
    await upsertSnapshots(executeThroughPrisma(tx), workspaceId, scoredOn, [{ accountId, result: item.result }]);
    await insertScoreDrops(
      executeThroughPrisma(tx),
      workspaceId,
      scoredOn,
      drops.size ? [{ accountId, details: dropDetails(item, scoredOn, model) }] : [],
    );
  });
  return {
    ...item.result,
    accountId,
    name: item.row.name,
    externalId: item.row.externalId,
    scoredOn,
    trend: item.trend,
  };
}

/** The days from `from` to `to`, stepping by whole days or by calendar months (same day of the month, clamped). */
export function scoringDays(from: Date, to: Date, step: { days: number } | { months: number }): Date[] {
  const days: Date[] = [];
  if ("days" in step) {
    for (let day = from; day <= to; day = addDays(day, step.days)) days.push(day);
    return days;
  }
  for (let k = 0; ; k++) {
    const month = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + k * step.months, 1));
    const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();
    const day = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), Math.min(from.getUTCDate(), last)));
    if (day > to) return days;
    days.push(day);
  }
}

export interface BackfillResult {
  days: number;
  snapshots: number;
  failures: number;
  durationMs: number;
}

/**
 * Scores each past day from `from` to `to` with only the evidence known at the start of
 * that day, writing snapshots dated that day. Score drops are not raised for the past:
 * they are alerts, and an alert about last spring helps nobody.
 */
export async function backfillScores(
  ctx: ScoringContext,
  workspaceId: number,
  options: {
    from: Date;
    to: Date;
    everyDays?: number;
    everyMonths?: number;
    pageSize?: number;
    onDay?: (done: number, total: number) => void;
  },
): Promise<BackfillResult> {
  const started = Date.now();
  const from = startOfUtcDay(options.from);
  const to = startOfUtcDay(options.to);
  const step = options.everyDays ?? 1;
  if (!Number.isInteger(step) || step < 1)
    throw new AppError("INVALID_INPUT", "everyDays must be a whole number of at least 1");
  if (options.everyMonths !== undefined && (!Number.isInteger(options.everyMonths) || options.everyMonths < 1))
    throw new AppError("INVALID_INPUT", "everyMonths must be a whole number of at least 1");
  if (to < from) throw new AppError("INVALID_INPUT", `Backfill range is empty: ${isoDay(from)} is after ${isoDay(to)}`);
  const days = scoringDays(from, to, options.everyMonths ? { months: options.everyMonths } : { days: step });
  await analyzeEvidenceTables(ctx.db);
  const loaded = await loadWorkspaceModel(ctx, workspaceId);
  const { model, problems, learned } = loaded;
  const run = await ctx.db.scoringRun.create({
    data: {
      workspaceId,
      trigger: "backfill",
      scoredOn: to,
      status: "running",
      modelVersion: versionOf(loaded),
      details: { from: isoDay(from), to: isoDay(to), everyDays: step },
    },
  });
  let snapshots = 0;
  let failures = 0;
  let scored = 0;
  try {
    for (const day of days) {
      const totals = await scoreDay(ctx, workspaceId, model, day, day, {
        pageSize: options.pageSize,
        learned,
        raiseSignals: false,
        onFailure: (f) =>
          ctx.logger.warn(
            { workspaceId, accountId: f.accountId, day: isoDay(day), error: f.error },
            "backfill: account skipped",
          ),
      });
      snapshots += totals.scored;
      failures += totals.failures;
      scored++;
      options.onDay?.(scored, days.length);
    }
    const durationMs = Date.now() - started;
    await ctx.db.scoringRun.update({
      where: { id: run.id },
      data: {
        status: "succeeded",
        finishedAt: new Date(),
        accountsScored: snapshots,
        failures,
        details: {
          from: isoDay(from),
          to: isoDay(to),
          everyDays: step,
          everyMonths: options.everyMonths ?? null,
          days: scored,
          durationMs,
          ...(problems.length ? { modelProblems: problems, modelFellBack: true } : {}),
        },
      },
    });
    ctx.logger.info({ workspaceId, days: scored, snapshots, failures, durationMs }, "score history backfilled");
    return { days: scored, snapshots, failures, durationMs };
  } catch (error) {
    await retryWrite(
      () =>
        ctx.db.scoringRun.update({
          where: { id: run.id },
          data: {
            status: "failed",
            finishedAt: new Date(),
            details: { error: String((error as Error).message).slice(0, 2000) },
          },
        }),
      { logger: ctx.logger, what: "recording the backfill's failure" },
    ).catch(() => undefined);
    throw error;
  }
}
