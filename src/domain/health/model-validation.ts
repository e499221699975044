// Honest validation of a churn model on rows it was not fitted on, beside the rules score.
//
// With several as-of days: rolling-origin splits. Each test block is a later as-of day;
// its model is fitted only on rows whose outcome was known before that day (as-of day +
// horizon ≤ test day), so no fold learns from the future it is tested on. With a single
// as-of day: 5-fold cross-validation grouped by account, so an account never sits on both
// sides. Held-out predictions of every fold are pooled and measured once. Pure; the only
// randomness (the bootstrap) comes from a seeded generator.
import {
  fitLearnedModel,
  bandOfProbability,
  predictChurn,
  type LearnedModelSpec,
  type TrainingRow,
} from "./learned-model.js";

/** Minimum churns among the training rows before a model is fitted. */
export const MIN_CHURNS = 30;

export interface RankMetrics {
  rows: number;
  churned: number;
  auc: number | null;
  /** 95% interval from a bootstrap over accounts. */
  aucInterval: [number, number] | null;
  topDecileLift: number | null;
  red: { flagged: number; precision: number | null; recall: number | null };
}

export interface CalibrationBin {
  decile: number;
  rows: number;
  predicted: number;
  observed: number;
}

export interface ValidationReport {
  scheme: "rolling-origin" | "grouped-cv";
  folds: number;
  learned: RankMetrics;
  rules: RankMetrics;
  calibration: CalibrationBin[];
}

/** A small, fast, seeded generator (mulberry32): the same seed, the same bootstrap. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * ROC AUC of "higher risk = more likely to churn", ties half (Mann-Whitney), over rows in
 * `order` (ascending risk) with a weight each: weights let the bootstrap resample without
 * re-sorting.
 */
function weightedAuc(
  order: Uint32Array,
  risk: ArrayLike<number>,
  label: ArrayLike<number>,
  weight: ArrayLike<number>,
): number | null {
  let negativesBelow = 0;
  let positives = 0;
  let negatives = 0;
  let sum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let groupPos = 0;
    let groupNeg = 0;
    while (j < order.length && risk[order[j]!] === risk[order[i]!]) {
      const r = order[j]!;
      if (label[r]) groupPos += weight[r]!;
      else groupNeg += weight[r]!;
      j++;
    }
    sum += groupPos * (negativesBelow + groupNeg / 2);
    negativesBelow += groupNeg;
    positives += groupPos;
    negatives += groupNeg;
    i = j;
  }
  return positives > 0 && negatives > 0 ? sum / (positives * negatives) : null;
}

export function rocAucOf(risk: ArrayLike<number>, label: ArrayLike<number>): number | null {
  const order = ascendingOrder(risk);
  return weightedAuc(order, risk, label, new Float64Array(risk.length).fill(1));
}

function ascendingOrder(risk: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: risk.length }, (_, i) => i);
  return order.sort((a, b) => risk[a]! - risk[b]!);
}

/** 95% percentile interval of the AUC, resampling whole accounts with replacement. */
export function bootstrapAucInterval(
  risk: ArrayLike<number>,
  label: ArrayLike<number>,
  accountIds: ArrayLike<number>,
  options: { replicates?: number; seed?: number } = {},
): [number, number] | null {
  const replicates = options.replicates ?? 200;
  const random = seededRandom(options.seed ?? 17);
  const order = ascendingOrder(risk);
  const accounts = [...new Set(Array.from(accountIds as ArrayLike<number>))];
  const index = new Map(accounts.map((a, i) => [a, i]));
  const rowAccount = Uint32Array.from(accountIds as ArrayLike<number>, (a) => index.get(a)!);
  const draws = new Float64Array(accounts.length);
  const weight = new Float64Array(risk.length);
  const aucs: number[] = [];
  for (let b = 0; b < replicates; b++) {
    draws.fill(0);
    for (let k = 0; k < accounts.length; k++) draws[Math.floor(random() * accounts.length)]! += 1;
    for (let r = 0; r < weight.length; r++) weight[r] = draws[rowAccount[r]!]!;
    const auc = weightedAuc(order, risk, label, weight);
    if (auc !== null) aucs.push(auc);
  }
  if (aucs.length < replicates / 2) return null;
  aucs.sort((a, b) => a - b);
  const at = (q: number) => aucs[Math.min(aucs.length - 1, Math.max(0, Math.round(q * (aucs.length - 1))))]!;
  return [round3(at(0.025)), round3(at(0.975))];
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

export function rankMetrics(
  risk: ArrayLike<number>,
  label: ArrayLike<number>,
  accountIds: ArrayLike<number>,
  red: ArrayLike<boolean>,
  seed = 17,
): RankMetrics {
  const n = risk.length;
  let churned = 0;
  for (let i = 0; i < n; i++) churned += label[i]!;
  const auc = rocAucOf(risk, label);
  const order = ascendingOrder(risk);
  const top = Math.max(1, Math.ceil(n / 10));
  let topChurned = 0;
  for (let k = 0; k < top && k < n; k++) topChurned += label[order[n - 1 - k]!]!;
  let flagged = 0;
  let hits = 0;
  for (let i = 0; i < n; i++)
    if (red[i]) {
      flagged++;
      hits += label[i]!;
    }
  return {
    rows: n,
    churned,
    auc: auc === null ? null : round3(auc),
    aucInterval: auc === null ? null : bootstrapAucInterval(risk, label, accountIds, { seed }),
    topDecileLift: n && churned ? Math.round((topChurned / top / (churned / n)) * 100) / 100 : null,
    red: {
      flagged,
      precision: flagged ? round3(hits / flagged) : null,
      recall: churned ? round3(hits / churned) : null,
    },
  };
}

export function calibrationTable(predicted: ArrayLike<number>, label: ArrayLike<number>): CalibrationBin[] {
  const order = ascendingOrder(predicted);
  const n = order.length;
  const bins: CalibrationBin[] = [];
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    if (to <= from) continue;
    let p = 0;
    let o = 0;
    for (let k = from; k < to; k++) {
      p += predicted[order[k]!]!;
      o += label[order[k]!]!;
    }
    bins.push({
      decile: d + 1,
      rows: to - from,
      predicted: round3(p / (to - from)),
      observed: round3(o / (to - from)),
    });
  }
  return bins;
}

interface Fold {
  train: TrainingRow[];
  test: TrainingRow[];
}

/** A stable pseudo-random fold for an account id. */
const foldOf = (accountId: number, folds: number) => (Math.imul(accountId ^ 0x9e3779b9, 0x85ebca6b) >>> 0) % folds;

function groupedFolds(rows: readonly TrainingRow[]): Fold[] {
  const k = 5;
  return Array.from({ length: k }, (_, f) => ({
    train: rows.filter((r) => foldOf(r.accountId, k) !== f),
    test: rows.filter((r) => foldOf(r.accountId, k) === f),
  })).filter((f) => f.test.length && f.train.length);
}

export function makeFolds(
  rows: readonly TrainingRow[],
  horizonDays: number,
  scheme?: ValidationReport["scheme"],
): { scheme: ValidationReport["scheme"]; folds: Fold[] } {
  if (scheme === "grouped-cv") return { scheme, folds: groupedFolds(rows) };
  const days = [...new Set(rows.map((r) => r.asOfDay))].sort((a, b) => a - b);
  // Rolling origin needs test days whose training side (as-of + horizon ≤ test day) has rows.
  const testDays = days.filter((day) => rows.some((r) => r.asOfDay + horizonDays <= day));
  if (testDays.length >= 2) {
    const blocks = Math.min(4, testDays.length);
    const chosen = testDays.slice(-Math.max(blocks, Math.ceil(testDays.length / 2)));
    const per = Math.ceil(chosen.length / blocks);
    const folds: Fold[] = [];
    for (let b = 0; b < chosen.length; b += per) {
      const block = chosen.slice(b, b + per);
      const start = block[0]!;
      const test = rows.filter((r) => block.includes(r.asOfDay));
      const train = rows.filter((r) => r.asOfDay + horizonDays <= start);
      if (test.length && train.length) folds.push({ train, test });
    }
    if (folds.length) return { scheme: "rolling-origin", folds };
  }
  return { scheme: "grouped-cv", folds: groupedFolds(rows) };
}

const usableFold = (fold: Fold) => {
  const churns = fold.train.reduce((s, r) => s + r.label, 0);
  return churns >= 5 && churns < fold.train.length && fold.test.some((r) => r.label);
};

export interface HeldOutPrediction {
  row: TrainingRow;
  probability: number;
  band: ReturnType<typeof bandOfProbability>;
}

/** Fits one model per fold and returns every held-out row with its out-of-sample prediction. */
export function crossValidate(
  rows: readonly TrainingRow[],
  options: { horizonDays: number; l2?: number },
): { scheme: ValidationReport["scheme"]; folds: number; predictions: HeldOutPrediction[] } {
  let { scheme, folds } = makeFolds(rows, options.horizonDays);
  // Churn recorded on few days (a snapshot export dated at its import) leaves the earlier
  // time splits without churners: fall back to folds grouped by account.
  if (scheme === "rolling-origin" && folds.filter(usableFold).length < 2)
    ({ scheme, folds } = makeFolds(rows, options.horizonDays, "grouped-cv"));
  const predictions: HeldOutPrediction[] = [];
  let used = 0;
  for (const fold of folds) {
    if (!usableFold(fold)) continue;
    const spec: LearnedModelSpec = fitLearnedModel(fold.train, {
      version: "fold",
      horizonDays: options.horizonDays,
      l2: options.l2,
    });
    used++;
    for (const row of fold.test) {
      const probability = predictChurn(spec, row.values);
      predictions.push({ row, probability, band: bandOfProbability(probability, spec.bands) });
    }
  }
  return { scheme, folds: used, predictions };
}

/** The side-by-side report on pooled held-out rows: learned probabilities against the rules score. */
export function validationReport(
  scheme: ValidationReport["scheme"],
  folds: number,
  predictions: readonly HeldOutPrediction[],
): ValidationReport {
  const label = Float64Array.from(predictions, (p) => p.row.label);
  const accounts = Float64Array.from(predictions, (p) => p.row.accountId);
  const learnedRisk = Float64Array.from(predictions, (p) => p.probability);
  const rulesRisk = Float64Array.from(predictions, (p) => -p.row.rulesScore);
  return {
    scheme,
    folds,
    learned: rankMetrics(
      learnedRisk,
      label,
      accounts,
      predictions.map((p) => p.band === "red"),
    ),
    rules: rankMetrics(
      rulesRisk,
      label,
      accounts,
      predictions.map((p) => p.row.rulesBand === "red"),
    ),
    calibration: calibrationTable(learnedRisk, label),
  };
}
