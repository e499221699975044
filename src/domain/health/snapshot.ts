// The shape of what a health snapshot stores in its JSON columns. The scoring engine
// writes it; cards, digests, retros and playbooks read it through these schemas, so a
// change here is a change to every reader.
import { z } from "zod";

export const healthComponentNameSchema = z.enum(["usage", "engagement", "perception"]);
export type HealthComponentName = z.infer<typeof healthComponentNameSchema>;

/** One plain-words reason, e.g. "No CSM touchpoint in 41 days". */
export const healthReasonSchema = z.object({
  component: healthComponentNameSchema,
  /** Points this evidence moved the overall score (negative: it lowered it). */
  impact: z.number(),
  text: z.string().min(1),
  /** Stable machine key of the rule that produced it ("usage.wau_drop", "engagement.no_touch"). */
  code: z.string().min(1),
});
export type HealthReason = z.infer<typeof healthReasonSchema>;

export const healthComponentSchema = z.object({
  /** 0-100, or null when there was no evidence of this kind at all. */
  score: z.number().min(0).max(100).nullable(),
  /** Weight actually applied in the overall score (renormalised when a component is null). */
  weight: z.number().min(0).max(1),
  /** Sub-scores and the raw evidence behind them, for the card's breakdown. */
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});
export type HealthComponent = z.infer<typeof healthComponentSchema>;

export const healthComponentsSchema = z.object({
  usage: healthComponentSchema,
  engagement: healthComponentSchema,
  perception: healthComponentSchema,
});
export type HealthComponents = z.infer<typeof healthComponentsSchema>;

/** Reasons are stored strongest first (largest |impact|). */
export const healthReasonsSchema = z.array(healthReasonSchema);

/** Risk signal kinds shared by the scoring job, playbooks and digests. */
export const RISK_SIGNAL_KINDS = [
  "score_drop",
  "low_usage",
  "no_logins",
  "detractor_nps",
  "low_csat",
  "renewal_risk",
  "stalled_onboarding",
  "sponsor_left",
] as const;
export type RiskSignalKind = (typeof RISK_SIGNAL_KINDS)[number];
