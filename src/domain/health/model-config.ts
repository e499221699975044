// The health score model's knobs: weights, targets and thresholds, per lifecycle stage
// and (optionally) per segment. Validated with zod so a workspace's override in
// `workspace.settings.scoreModel` can never feed NaN or a negative weight into a score.
// Every snapshot records `version`, so a change of defaults is a new version string.
import { z } from "zod";
import { LIFECYCLE_STAGES, type LifecycleStage } from "../vocabulary.js";

const share = z.number().min(0).max(1);
const points = z.number().min(0).max(100);
const positiveDays = z.number().int().min(1).max(3650);

const componentWeightsSchema = z
  .object({ usage: share, engagement: share, perception: share })
  .refine((w) => w.usage + w.engagement + w.perception > 0, { message: "component weights must not all be zero" });

/** How the usage component's sub-scores are mixed, and what "good" looks like. */
const usageRulesSchema = z.object({
  /** Average daily active users / seats that earns full marks (after the ramp). */
  targetActiveShare: z.number().min(0.01).max(1),
  /** Share of days in the window with at least one login that earns full marks. */
  targetLoginDayShare: z.number().min(0.01).max(1),
  /** Distinct modules used in the last 30 days that earns full marks. */
  targetModules: z.number().int().min(1).max(100),
  /**
   * Kept so older overrides still validate, but no longer applied: a target that grows with
   * the account's age made young accounts score higher for being young, and young accounts
   * are the ones that churn most.
   */
  rampDays: z.number().int().min(0).max(730),
  /** Time to first value: judged only when > 0 (orientation/onboarding). */
  firstValueDays: z.number().int().min(0).max(730),
  /** `peer`: where the account's active share stands among its segment's (or the workspace's) accounts. */
  weights: z.object({
    adoption: share,
    frequency: share,
    breadth: share,
    trend: share,
    firstValue: share,
    peer: share.default(0),
  }),
});

const engagementRulesSchema = z.object({
  /** A touchpoint at most this old earns full marks for recency. */
  touchGoodDays: positiveDays,
  /** Recency falls linearly to 0 at this age. */
  touchStaleDays: positiveDays,
  /** `support` is kept for older overrides; escalations and negative touchpoints are now penalties on the overall score. */
  weights: z.object({ recency: share, coverage: share, support: share }),
});

export const stageRulesSchema = z.object({
  weights: componentWeightsSchema,
  usage: usageRulesSchema,
  engagement: engagementRulesSchema,
});
export type StageRules = z.infer<typeof stageRulesSchema>;

export const healthModelSchema = z
  .object({
    version: z.string().min(1).max(64),
    bands: z
      .object({ greenAtLeast: points, redBelow: points })
      .refine((b) => b.redBelow <= b.greenAtLeast, { message: "redBelow must not exceed greenAtLeast" }),
    /** A drop of more than this many points within 7 days raises a score_drop risk signal. */
    scoreDropPoints: z.number().min(1).max(100),
    /** Kept for older overrides; no longer applied (an account's age never changes its score). */
    newAccountDays: z.number().int().min(0).max(365),
    usageWindowDays: z.literal(30),
    /** Share of seats active on one day that counts as "first value". */
    firstValueShare: share,
    engagement: z.object({
      /** Stakeholder coverage looks back this far. */
      coverageDays: positiveDays,
      /** Support escalations and negative touchpoints look back this far. */
      supportDays: positiveDays,
      coverageWeights: z.object({ sponsor: share, implementer: share, end_user: share }),
      /**
       * Points taken off the overall score per escalation / negative touchpoint in supportDays,
       * and when the sponsor left and nobody replaced them. Penalties on the overall score, so
       * bad news can only ever lower it (as a sub-score it could raise a component's mix).
       */
      escalationPenalty: points,
      negativeTouchPenalty: points,
      sponsorLeftPenalty: points,
      /** The most escalations and negative touchpoints together can take off. */
      supportPenaltyCap: points.default(25),
      /** Points per success-plan milestone overdue, and the most they take off together. */
      overdueMilestonePenalty: points.default(3),
      overdueMilestoneCap: points.default(9),
      sponsorLeftLookbackDays: positiveDays,
      /** Points per customer question in a linked channel left unanswered past the target (30 days), and their cap. */
      unansweredQuestionPenalty: points.default(4),
      unansweredQuestionCap: points.default(12),
      /** A customer who wrote weekly and then nothing in their channel for this long loses these points. */
      channelQuietDays: positiveDays.default(21),
      channelQuietPenalty: points.default(8),
    }),
    perception: z.object({
      /** Survey answers this recent form the current view. */
      recentDays: positiveDays,
      /** No answer at all for longer than this counts as silence. */
      silenceDays: positiveDays,
      /** Points taken off perception for silence. */
      silencePenalty: points,
      /** Perception given to an account old enough to have answered but that never did. */
      neverAnsweredScore: points,
      /** NPS average falling by at least this much (0-10 scale) against the prior period is a reason. */
      npsDropPoints: z.number().min(0).max(10),
      npsTrendPenalty: points,
      weights: z.object({ nps: share, csat: share }),
    }),
    /** Contract and commercial evidence: penalties on the overall score (they only ever lower it). */
    contract: z
      .object({
        monthlyTermPenalty: points,
        noAutoRenewPenalty: points,
        renewalSoonPenalty: points,
        renewalSoonDays: positiveDays,
        /** ARR or seats down by at least this share over 90 days is a downgrade. */
        downgradeShare: share,
        arrDownPenalty: points,
        seatsDownPenalty: points,
      })
      .default({
        monthlyTermPenalty: 6,
        noAutoRenewPenalty: 4,
        renewalSoonPenalty: 4,
        renewalSoonDays: 60,
        downgradeShare: 0.1,
        arrDownPenalty: 8,
        seatsDownPenalty: 5,
      }),
    stages: z.object(
      Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, stageRulesSchema])) as Record<
        LifecycleStage,
        typeof stageRulesSchema
      >,
    ),
    /** Per-segment overrides of stage rules (deep-merged over the stage's defaults). */
    segments: z
      .record(
        z.string(),
        z.object({ stages: z.record(z.string(), z.unknown()).optional(), bands: z.unknown().optional() }),
      )
      .default({}),
  })
  .strict();
export type HealthModel = z.infer<typeof healthModelSchema>;

const matureUsage = {
  targetActiveShare: 0.6,
  targetLoginDayShare: 0.6,
  targetModules: 5,
  rampDays: 0,
  firstValueDays: 0,
  weights: { adoption: 0.25, frequency: 0.1, breadth: 0.15, trend: 0.3, firstValue: 0, peer: 0.2 },
};
const matureEngagement = {
  touchGoodDays: 14,
  touchStaleDays: 60,
  weights: { recency: 0.6, coverage: 0.4, support: 0 },
};

export const DEFAULT_HEALTH_MODEL: HealthModel = healthModelSchema.parse({
  version: "2026.12-v2",
  bands: { greenAtLeast: 70, redBelow: 50 },
  scoreDropPoints: 15,
  newAccountDays: 14,
  usageWindowDays: 30,
  firstValueShare: 0.25,
  engagement: {
    coverageDays: 90,
    supportDays: 30,
    coverageWeights: { sponsor: 0.5, implementer: 0.25, end_user: 0.25 },
    escalationPenalty: 8,
    negativeTouchPenalty: 6,
    sponsorLeftPenalty: 12,
    supportPenaltyCap: 25,
    sponsorLeftLookbackDays: 120,
    unansweredQuestionPenalty: 4,
    unansweredQuestionCap: 12,
    channelQuietDays: 21,
    channelQuietPenalty: 8,
  },
  perception: {
    recentDays: 90,
    silenceDays: 120,
    silencePenalty: 25,
    neverAnsweredScore: 45,
    npsDropPoints: 2,
    npsTrendPenalty: 15,
    weights: { nps: 0.7, csat: 0.3 },
  },
  stages: {
    // Just signed (set by a person, never inferred): judged mostly on whether the CSM is engaged.
    orientation: {
      weights: { usage: 0.3, engagement: 0.5, perception: 0.2 },
      usage: {
        targetActiveShare: 0.3,
        targetLoginDayShare: 0.4,
        targetModules: 2,
        rampDays: 0,
        firstValueDays: 0,
        weights: { adoption: 0.4, frequency: 0.2, breadth: 0.1, trend: 0, firstValue: 0, peer: 0.3 },
      },
      engagement: { touchGoodDays: 10, touchStaleDays: 30, weights: { recency: 0.7, coverage: 0.3, support: 0 } },
    },
    // Judged on adoption against the target, against peers, and on time to first value.
    onboarding: {
      weights: { usage: 0.5, engagement: 0.35, perception: 0.15 },
      usage: {
        targetActiveShare: 0.5,
        targetLoginDayShare: 0.5,
        targetModules: 3,
        rampDays: 0,
        firstValueDays: 30,
        weights: { adoption: 0.25, frequency: 0.1, breadth: 0.1, trend: 0.15, firstValue: 0.2, peer: 0.2 },
      },
      engagement: { touchGoodDays: 14, touchStaleDays: 40, weights: { recency: 0.6, coverage: 0.4, support: 0 } },
    },
    adoption: {
      weights: { usage: 0.5, engagement: 0.3, perception: 0.2 },
      usage: { ...matureUsage, targetActiveShare: 0.5, targetModules: 4 },
      engagement: matureEngagement,
    },
    // Judged on steady breadth and a flat-or-rising trend.
    maturity: {
      weights: { usage: 0.45, engagement: 0.25, perception: 0.3 },
      usage: matureUsage,
      engagement: matureEngagement,
    },
    development: {
      weights: { usage: 0.45, engagement: 0.25, perception: 0.3 },
      usage: { ...matureUsage, targetModules: 6 },
      engagement: matureEngagement,
    },
  },
  segments: {},
});

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge of plain objects; arrays and scalars in `override` replace. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

export type ResolveModelResult =
  | { ok: true; model: HealthModel }
  | { ok: false; model: HealthModel; problems: string[] };

/**
 * A workspace's model: the default deep-merged with `settings.scoreModel`. An override
 * must carry its own `version` (snapshots must say which rules made them). On any problem
 * the default applies and the problems are returned for the run's details.
 */
export function resolveHealthModel(scoreModelSetting: unknown): ResolveModelResult {
  if (scoreModelSetting === undefined || scoreModelSetting === null) return { ok: true, model: DEFAULT_HEALTH_MODEL };
  if (!isPlainObject(scoreModelSetting))
    return { ok: false, model: DEFAULT_HEALTH_MODEL, problems: ["scoreModel must be an object"] };
  const problems: string[] = [];
  if (typeof scoreModelSetting.version !== "string" || scoreModelSetting.version === DEFAULT_HEALTH_MODEL.version) {
    problems.push("scoreModel.version must be set to a version string of its own");
  }
  const parsed = healthModelSchema.safeParse(deepMerge(DEFAULT_HEALTH_MODEL, scoreModelSetting));
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `scoreModel.${i.path.join(".")}: ${i.message}`));
  if (parsed.success) {
    for (const [segment, override] of Object.entries(parsed.data.segments)) {
      for (const stage of LIFECYCLE_STAGES) {
        const merged = stageRulesSchema.safeParse(deepMerge(parsed.data.stages[stage], override.stages?.[stage]));
        if (!merged.success)
          problems.push(
            ...merged.error.issues.map(
              (i) => `scoreModel.segments.${segment}.stages.${stage}.${i.path.join(".")}: ${i.message}`,
            ),
          );
      }
      if (override.bands !== undefined) {
        const bands = healthModelSchema.shape.bands.safeParse(deepMerge(parsed.data.bands, override.bands));
        if (!bands.success)
          problems.push(
            ...bands.error.issues.map((i) => `scoreModel.segments.${segment}.bands.${i.path.join(".")}: ${i.message}`),
          );
      }
    }
  }
  if (problems.length || !parsed.success) return { ok: false, model: DEFAULT_HEALTH_MODEL, problems };
  return { ok: true, model: parsed.data };
}

export interface EffectiveRules {
  stage: StageRules;
  bands: HealthModel["bands"];
}

/** The stage rules and bands that apply to one account (segment override over stage defaults). */
export function rulesFor(model: HealthModel, stage: LifecycleStage, segment: string | null): EffectiveRules {
  const override = segment ? model.segments[segment] : undefined;
  if (!override) return { stage: model.stages[stage], bands: model.bands };
  return {
    stage: deepMerge(model.stages[stage], override.stages?.[stage]),
    bands: deepMerge(model.bands, override.bands),
  };
}
