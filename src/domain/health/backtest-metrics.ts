// How well a score ranked the accounts that went on to churn. Pure functions over
// (score, band, churned) rows; the back-test service gathers the rows.
import type { HealthBand } from "./score-model.js";

export interface BacktestRow {
  accountId: number;
  score: number;
  band: HealthBand;
  churned: boolean;
}

/**
 * ROC AUC of "lower score = riskier": the probability that a random churner scored below a
 * random survivor, ties counting half (Mann-Whitney U). Null without both classes.
 */
export function rocAuc(rows: BacktestRow[]): number | null {
  const churners = rows.filter((r) => r.churned);
  const survivors = rows.filter((r) => !r.churned);
  if (!churners.length || !survivors.length) return null;
  // Rank by score ascending with average ranks for ties: O(n log n).
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  const ranks = new Map<BacktestRow, number>();
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.score === sorted[i]!.score) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks.set(sorted[k]!, avg);
    i = j + 1;
  }
  // Sum of survivors' ranks counts, for each survivor, the rows at or below it.
  const survivorRankSum = survivors.reduce((s, r) => s + ranks.get(r)!, 0);
  const u = survivorRankSum - (survivors.length * (survivors.length + 1)) / 2;
  return u / (churners.length * survivors.length);
}

export interface BandPrecisionRecall {
  flagged: number;
  truePositives: number;
  /** Null when nothing was flagged / nobody churned. */
  precision: number | null;
  recall: number | null;
}

export function bandPrecisionRecall(rows: BacktestRow[], band: HealthBand = "red"): BandPrecisionRecall {
  const flagged = rows.filter((r) => r.band === band);
  const truePositives = flagged.filter((r) => r.churned).length;
  const churned = rows.filter((r) => r.churned).length;
  return {
    flagged: flagged.length,
    truePositives,
    precision: flagged.length ? truePositives / flagged.length : null,
    recall: churned ? truePositives / churned : null,
  };
}

export interface DecileLift {
  size: number;
  churned: number;
  /** Churn rate among the riskiest tenth over the overall churn rate; null if nobody churned. */
  lift: number | null;
}

/** The riskiest tenth (lowest scores, at least one account; ties broken by account id). */
export function riskiestDecileLift(rows: BacktestRow[]): DecileLift {
  if (!rows.length) return { size: 0, churned: 0, lift: null };
  const size = Math.max(1, Math.ceil(rows.length / 10));
  const riskiest = [...rows].sort((a, b) => a.score - b.score || a.accountId - b.accountId).slice(0, size);
  const churned = riskiest.filter((r) => r.churned).length;
  const overall = rows.filter((r) => r.churned).length / rows.length;
  return { size, churned, lift: overall > 0 ? churned / size / overall : null };
}
