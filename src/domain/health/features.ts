// What the scoring model knows about one account on one day: aggregates computed in SQL
// from usage, touchpoints, contacts and surveys known before the cut-off. Plain data.
import type { LifecycleStage } from "./model-config.js";

export interface UsageFeatures {
  /** Days of usage rows ever received before the scored day (0: no usage data at all). */
  rowsEver: number;
  /** Sum of daily active users over the last 30 complete days / over the 30 before. */
  activeSum30: number;
  activeSumPrev30: number;
  /** Sum of daily active users over the last 7 complete days / over the 28 days before them. */
  activeSum7: number;
  activeSumBase28: number;
  /** Days with at least one login in the last 30 complete days. */
  loginDays30: number;
  /** Distinct modules used in the last 30 complete days. */
  modules30: number;
  /** First day any usage was recorded, and first day the first-value share of seats was active. */
  firstUsageOn: Date | null;
  firstValueOn: Date | null;
  /** Usage rows whose `modules` is not a JSON object (a broken import). */
  malformedRows: number;
}

export interface EngagementFeatures {
  lastTouchAt: Date | null;
  /** Stakeholder types reached in the coverage window. */
  reachedSponsor: boolean;
  reachedImplementer: boolean;
  reachedEndUser: boolean;
  escalations: number;
  negativeTouches: number;
  /** The latest day a sponsor left (within the look-back), and whether a sponsor remains. */
  sponsorLeftOn: Date | null;
  sponsorsRemaining: number;
}

export interface PerceptionFeatures {
  /** Average NPS (0-10) of answers in the recent window, and of the window before it. */
  npsRecentAvg: number | null;
  npsRecentCount: number;
  npsPriorAvg: number | null;
  /** Lowest recent NPS answer and its date (for "Detractor NPS (4) on 2 Nov"). */
  npsRecentMin: number | null;
  npsRecentMinAt: Date | null;
  /** Latest NPS ever, for accounts with no recent answer. */
  npsLatest: number | null;
  npsLatestAt: Date | null;
  /** Average CSAT (1-5) of recent answers. */
  csatRecentAvg: number | null;
  csatRecentCount: number;
  /** Any survey answer at all (NPS, CSAT, CES). */
  lastAnswerAt: Date | null;
}

export interface AccountFeatures {
  accountId: number;
  segment: string | null;
  stage: LifecycleStage;
  /** Licensed seats (latest usage row's seats, else the account's). Null: unknown. */
  seats: number | null;
  createdAt: Date;
  usage: UsageFeatures;
  engagement: EngagementFeatures;
  perception: PerceptionFeatures;
}

/**
 * Evidence no real account can have (negative counts, negative seats, non-finite numbers)
 * means a broken import; scoring it would produce a confident, wrong score, so the account
 * is refused with this explanation and the run goes on without it.
 */
export function findFeatureProblem(f: AccountFeatures): string | undefined {
  const counts: [string, number | null][] = [
    ["usage rows", f.usage.rowsEver],
    ["active users (last 30 days)", f.usage.activeSum30],
    ["active users (previous 30 days)", f.usage.activeSumPrev30],
    ["active users (last 7 days)", f.usage.activeSum7],
    ["active users (28 days before the last 7)", f.usage.activeSumBase28],
    ["login days", f.usage.loginDays30],
    ["modules", f.usage.modules30],
    ["seats", f.seats],
    ["escalations", f.engagement.escalations],
    ["negative touchpoints", f.engagement.negativeTouches],
  ];
  for (const [label, value] of counts) {
    if (value !== null && (!Number.isFinite(value) || value < 0)) return `invalid evidence: ${label} is ${value}`;
  }
  if (f.usage.malformedRows > 0) {
    return `invalid evidence: ${f.usage.malformedRows} usage row(s) have modules that are not a JSON object of module -> uses`;
  }
  if (Number.isNaN(f.createdAt.getTime())) return "invalid evidence: the account has no valid start date";
  return undefined;
}
