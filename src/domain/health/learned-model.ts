// A churn model learned from a workspace's own outcomes, and how it scores.
//
// Encoding (fitted on the training rows only): a numeric input is clipped to its 1st-99th
// percentiles, log-scaled when it is a count or money, imputed with its median when
// missing and standardised; when an input is missing for some accounts and present for
// others, "missing" becomes a column of its own. A category keeps its frequent values as
// one-hot columns ("(other)" and "(missing)" pool the rest). Inputs with no variation are
// dropped. The model is a ridge logistic regression on those columns (logistic-fit.ts).
//
// Scoring: the predicted churn probability p within the horizon maps onto 0-100
// monotonically, piecewise linear through (p = 0 → 100), (p = greenBelow → 70),
// (p = redAbove → 50), (p = 1 → 0), so the bands the rest of Pulse reads keep their
// meaning and each band is a probability: red means "more than redAbove likely to churn".
// Reasons are the per-input contributions to the log-odds against an average account,
// turned into the score points each one moved, with their sign. Pure.
import { z } from "zod";
import { featureInfo, isPresenceFeature, type FeatureValue, type FeatureValues } from "./churn-features.js";
import { fitLogistic, sigmoid, type DesignMatrix } from "./logistic-fit.js";
import type { HealthBand, HealthScore } from "./score-model.js";
import type { HealthReason } from "./snapshot.js";

const finite = z.number().refine(Number.isFinite, "must be a finite number");

const numericColumnSchema = z.object({
  kind: z.literal("number"),
  key: z.string(),
  log: z.boolean(),
  lo: finite,
  hi: finite,
  median: finite,
  mean: finite,
  sd: finite.refine((v) => v > 0, "must be positive"),
  coefficient: finite,
  /** When present: the share of training rows missing it, and the "missing" column's weight. */
  missing: z.object({ rate: finite, coefficient: finite }).nullable(),
});

const categoryColumnSchema = z.object({
  kind: z.literal("category"),
  key: z.string(),
  levels: z.array(z.object({ value: z.string(), share: finite, coefficient: finite })).min(1),
});

export const learnedModelSpecSchema = z.object({
  version: z.string().min(1).max(64),
  horizonDays: z.number().int().min(1).max(730),
  /** Share of training rows that churned within the horizon. */
  baseRate: finite,
  intercept: finite,
  columns: z.array(z.discriminatedUnion("kind", [numericColumnSchema, categoryColumnSchema])),
  /** Churn probabilities that bound the bands. */
  bands: z
    .object({ redAbove: finite, greenBelow: finite })
    .refine((b) => b.greenBelow < b.redAbove, "greenBelow must be below redAbove"),
});
export type LearnedModelSpec = z.infer<typeof learnedModelSpecSchema>;
type Column = LearnedModelSpec["columns"][number];
type NumericColumn = Extract<Column, { kind: "number" }>;
type CategoryColumn = Extract<Column, { kind: "category" }>;

export const OTHER_LEVEL = "(other)";
export const MISSING_LEVEL = "(missing)";
const MAX_LEVELS = 12;

/** One (account, as-of day) of evidence with its outcome. */
export interface TrainingRow {
  accountId: number;
  /** Day number (days since 1970-01-01) of the as-of day. */
  asOfDay: number;
  /** 1: churned within the horizon after the as-of day. */
  label: 0 | 1;
  values: FeatureValues;
  /** The rules model's score that day, for the side-by-side comparison. */
  rulesScore: number;
  rulesBand: HealthBand;
}

function quantile(sorted: Float64Array | number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const transform = (log: boolean, v: number) => (log ? Math.sign(v) * Math.log1p(Math.abs(v)) : v);

/** Encoder columns (coefficients zero) fitted on `values` of the training rows. */
export function fitEncoder(rows: readonly FeatureValues[]): Column[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  const columns: Column[] = [];
  const n = rows.length;
  for (const key of [...keys].sort()) {
    const presence = isPresenceFeature(key);
    const raw = rows.map((r) => {
      const v = r[key];
      return v === undefined ? (presence ? 0 : null) : v;
    });
    const present = raw.filter((v): v is number | string => v !== null);
    if (!present.length) continue;
    const numeric = present.every((v) => typeof v === "number" && Number.isFinite(v));
    if (numeric) {
      const log = Boolean(featureInfo(key).log) && (present as number[]).every((v) => v >= 0);
      const sorted = Float64Array.from(present as number[]).sort();
      const lo = quantile(sorted, 0.01);
      const hi = quantile(sorted, 0.99);
      const median = quantile(sorted, 0.5);
      const missingRate = (n - present.length) / n;
      const encoded = raw.map((v) => transform(log, Math.min(hi, Math.max(lo, v === null ? median : (v as number)))));
      const mean = encoded.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(encoded.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
      const hasMissing = missingRate > 0.001 && missingRate < 0.999;
      if (!(sd > 1e-9) && !hasMissing) continue;
      columns.push({
        kind: "number",
        key,
        log,
        lo,
        hi,
        median,
        mean,
        sd: sd > 1e-9 ? sd : 1,
        coefficient: 0,
        missing: hasMissing ? { rate: missingRate, coefficient: 0 } : null,
      });
    } else {
      const counts = new Map<string, number>();
      for (const v of raw) {
        const level = v === null ? MISSING_LEVEL : String(v);
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      const minCount = Math.max(20, Math.ceil(n * 0.01));
      const frequent = [...counts]
        .filter(([level, c]) => c >= minCount && level !== MISSING_LEVEL)
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_LEVELS);
      const kept = new Set(frequent.map(([level]) => level));
      const levels = frequent.map(([value, c]) => ({ value, share: c / n, coefficient: 0 }));
      const otherCount = [...counts]
        .filter(([level]) => !kept.has(level) && level !== MISSING_LEVEL)
        .reduce((s, [, c]) => s + c, 0);
      if (otherCount) levels.push({ value: OTHER_LEVEL, share: otherCount / n, coefficient: 0 });
      const missingCount = counts.get(MISSING_LEVEL) ?? 0;
      if (missingCount) levels.push({ value: MISSING_LEVEL, share: missingCount / n, coefficient: 0 });
      if (levels.length < 2) continue;
      columns.push({ kind: "category", key, levels });
    }
  }
  return columns;
}

/** How many design-matrix columns each encoder column takes. */
const width = (c: Column) => (c.kind === "number" ? 1 + (c.missing ? 1 : 0) : c.levels.length);

function levelOf(c: CategoryColumn, v: FeatureValue | undefined): number {
  const text = v === null || v === undefined ? MISSING_LEVEL : String(v);
  let index = c.levels.findIndex((l) => l.value === text);
  if (index < 0 && text === MISSING_LEVEL) index = c.levels.findIndex((l) => l.value === OTHER_LEVEL);
  if (index < 0) index = c.levels.findIndex((l) => l.value === OTHER_LEVEL);
  return index;
}

function numericValue(c: NumericColumn, v: FeatureValue | undefined): { x: number; missing: boolean } {
  const raw = v === undefined ? (isPresenceFeature(c.key) ? 0 : null) : v;
  const isMissing = raw === null || typeof raw !== "number" || !Number.isFinite(raw);
  const value = isMissing ? c.median : (raw as number);
  return { x: (transform(c.log, Math.min(c.hi, Math.max(c.lo, value))) - c.mean) / c.sd, missing: isMissing };
}

/** Writes one row's encoded columns into `out` at `offset`. */
function encodeInto(columns: Column[], values: FeatureValues, out: Float64Array, offset: number): void {
  let j = offset;
  for (const c of columns) {
    if (c.kind === "number") {
      const { x, missing } = numericValue(c, values[c.key]);
      out[j++] = x;
      if (c.missing) out[j++] = missing ? 1 : 0;
    } else {
      const level = levelOf(c, values[c.key]);
      for (let l = 0; l < c.levels.length; l++) out[j++] = l === level ? 1 : 0;
    }
  }
}

export function encodeRows(columns: Column[], rows: readonly FeatureValues[]): DesignMatrix {
  const d = columns.reduce((s, c) => s + width(c), 0);
  const values = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) encodeInto(columns, rows[i]!, values, i * d);
  return { values, rows: rows.length, columns: d };
}

/** Churn probabilities that bound the bands: red at twice the base rate, green below three quarters of it. */
export function bandProbabilities(baseRate: number): LearnedModelSpec["bands"] {
  const redAbove = Math.min(0.9, Math.max(0.02, 2 * baseRate));
  const greenBelow = Math.min(redAbove / 2, Math.max(0.005, 0.75 * baseRate));
  return { redAbove: round4(redAbove), greenBelow: round4(greenBelow) };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

export interface FitOptions {
  version: string;
  horizonDays: number;
  l2?: number;
}

/** Fits the encoder and the regression on the rows: the whole learned model. */
export function fitLearnedModel(rows: readonly TrainingRow[], options: FitOptions): LearnedModelSpec {
  const values = rows.map((r) => r.values);
  const columns = fitEncoder(values);
  const x = encodeRows(columns, values);
  const y = Float64Array.from(rows, (r) => r.label);
  const fit = fitLogistic(x, y, { l2: options.l2 ?? 1 });
  let j = 0;
  const withWeights = columns.map((c): Column => {
    if (c.kind === "number") {
      const coefficient = fit.coefficients[j++]!;
      const missing = c.missing ? { rate: c.missing.rate, coefficient: fit.coefficients[j++]! } : null;
      return { ...c, coefficient, missing };
    }
    return { ...c, levels: c.levels.map((l) => ({ ...l, coefficient: fit.coefficients[j++]! })) };
  });
  const baseRate = rows.length ? y.reduce((s, v) => s + v, 0) / rows.length : 0;
  return learnedModelSpecSchema.parse({
    version: options.version,
    horizonDays: options.horizonDays,
    baseRate,
    intercept: fit.intercept,
    columns: withWeights,
    bands: bandProbabilities(baseRate),
  });
}

export interface Contribution {
  key: string;
  value: FeatureValue;
  /** Change in log-odds of churn against an average account (positive: riskier). */
  logOdds: number;
}

/** Churn probability and each input's contribution for one row. */
export function explainChurn(
  spec: LearnedModelSpec,
  values: FeatureValues,
): { probability: number; contributions: Contribution[] } {
  let z = spec.intercept;
  const contributions: Contribution[] = [];
  for (const c of spec.columns) {
    const value = values[c.key] ?? (isPresenceFeature(c.key) ? 0 : null);
    let own = 0;
    let average = 0;
    if (c.kind === "number") {
      const { x, missing } = numericValue(c, values[c.key]);
      own = c.coefficient * x + (c.missing ? c.missing.coefficient * (missing ? 1 : 0) : 0);
      // Standardised columns average 0; the missing column averages its rate.
      average = c.missing ? c.missing.coefficient * c.missing.rate : 0;
    } else {
      const level = levelOf(c, values[c.key]);
      own = level >= 0 ? c.levels[level]!.coefficient : 0;
      average = c.levels.reduce((s, l) => s + l.share * l.coefficient, 0);
    }
    z += own;
    contributions.push({ key: c.key, value, logOdds: own - average });
  }
  return { probability: sigmoid(z), contributions };
}

export function predictChurn(spec: LearnedModelSpec, values: FeatureValues): number {
  return explainChurn(spec, values).probability;
}

const SCORE_GREEN_AT = 70;
const SCORE_RED_BELOW = 50;

/** The score for a churn probability (see the file comment). Monotone: more risk, lower score. */
export function probabilityToScore(p: number, bands: LearnedModelSpec["bands"]): number {
  const q = Math.min(1, Math.max(0, p));
  const anchors: [number, number][] = [
    [0, 100],
    [bands.greenBelow, SCORE_GREEN_AT],
    [bands.redAbove, SCORE_RED_BELOW],
    [1, 0],
  ];
  for (let i = 1; i < anchors.length; i++) {
    const [p1, s1] = anchors[i]!;
    const [p0, s0] = anchors[i - 1]!;
    if (q <= p1) return p1 === p0 ? s1 : s0 + ((q - p0) / (p1 - p0)) * (s1 - s0);
  }
  return 0;
}

export function bandOfProbability(p: number, bands: LearnedModelSpec["bands"]): HealthBand {
  if (p > bands.redAbove) return "red";
  if (p <= bands.greenBelow) return "green";
  return "yellow";
}

const MAX_REASONS = 8;

/**
 * The learned model's verdict as a HealthScore. The rules model's components stay as the
 * breakdown a CSM reads on the card; score, band and reasons are the learned model's.
 */
export function learnedHealthScore(
  spec: LearnedModelSpec,
  values: FeatureValues,
  rules: HealthScore,
): HealthScore & { churnProbability: number } {
  const { probability, contributions } = explainChurn(spec, values);
  const band = bandOfProbability(probability, spec.bands);
  const exact = probabilityToScore(probability, spec.bands);
  const range =
    band === "green"
      ? [SCORE_GREEN_AT, 100]
      : band === "yellow"
        ? [SCORE_RED_BELOW, SCORE_GREEN_AT - 1]
        : [0, SCORE_RED_BELOW - 1];
  const score = Math.min(range[1]!, Math.max(range[0]!, Math.round(exact)));
  const logit = Math.log(probability / (1 - probability));
  const reasons: HealthReason[] = contributions
    .map((c) => {
      // Points this input moved the score: the score with it against the score with an average value.
      const without = probabilityToScore(sigmoid(logit - c.logOdds), spec.bands);
      const impact = Math.round((exact - without) * 10) / 10;
      const info = featureInfo(c.key);
      const component = info.group === "contract" ? "engagement" : info.group;
      return { component, code: `learned.${c.key}`, text: info.describe(c.value), impact } satisfies HealthReason;
    })
    .filter((r) => Math.abs(r.impact) >= 0.5)
    .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || a.code.localeCompare(b.code))
    .slice(0, MAX_REASONS);
  const components = structuredClone(rules.components);
  components.usage.details.churnProbability = Math.round(probability * 1000) / 1000;
  components.usage.details.horizonDays = spec.horizonDays;
  return { ...rules, score, band, reasons, components, modelVersion: spec.version, churnProbability: probability };
}

/** The model's weights in words, strongest first, for `pulse model show`. */
export function describeWeights(spec: LearnedModelSpec): { key: string; text: string; weight: number }[] {
  const lines: { key: string; text: string; weight: number }[] = [];
  for (const c of spec.columns) {
    if (c.kind === "number") {
      const dir = c.coefficient > 0 ? "more churn risk" : "less churn risk";
      lines.push({
        key: c.key,
        weight: Math.abs(c.coefficient),
        text: `Higher ${c.key.replace(/_/g, " ")} → ${dir} (×${Math.exp(Math.abs(c.coefficient)).toFixed(2)} odds per standard deviation)`,
      });
      if (c.missing && Math.abs(c.missing.coefficient) > 0.01) {
        lines.push({
          key: `${c.key} missing`,
          weight: Math.abs(c.missing.coefficient),
          text: `${c.key.replace(/_/g, " ")} missing → ${c.missing.coefficient > 0 ? "more" : "less"} churn risk (×${Math.exp(Math.abs(c.missing.coefficient)).toFixed(2)} odds)`,
        });
      }
    } else {
      const mean = c.levels.reduce((s, l) => s + l.share * l.coefficient, 0);
      for (const l of c.levels) {
        const d = l.coefficient - mean;
        lines.push({
          key: `${c.key}=${l.value}`,
          weight: Math.abs(d),
          text: `${c.key.replace(/_/g, " ")} = ${l.value} → ${d > 0 ? "more" : "less"} churn risk (×${Math.exp(Math.abs(d)).toFixed(2)} odds)`,
        });
      }
    }
  }
  return lines.sort((a, b) => b.weight - a.weight);
}
