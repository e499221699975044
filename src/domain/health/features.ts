// What the scoring models know about one account on one day: aggregates computed in SQL
// from usage, touchpoints, contacts, surveys, contract history and traits known before the
// cut-off. Plain data, shared by the rules model and the learned model.
import type { BillingTerm, LifecycleStage } from "../vocabulary.js";

/**
 * Which kinds of evidence the workspace has collected for anyone before the cut-off. A
 * kind nobody collects says nothing about any one account: it is left out of every score
 * instead of becoming a per-account penalty (or, worse, a credit for being new).
 */
export interface WorkspaceEvidence {
  /** CSM touchpoints other than escalations and negative ones (what "engagement" is judged on). */
  touchpoints: boolean;
  surveys: boolean;
  usage: boolean;
  /** Whether the usage feed carries logins at all, and per-module uses at all. */
  logins: boolean;
  modules: boolean;
  /** Whether any linked customer channel of the workspace had activity (and channel signals are on). */
  channels?: boolean;
}

/**
 * From the account's linked customer channels, as of the scored day; absent when the account
 * has no linked channel (or channel signals are off): silence is evidence only where Pulse listens.
 */
export interface ChannelFeatures {
  customerMessages30: number;
  customerPeople30: number;
  lastCustomerMessageOn: Date | null;
  /** Weeks (of the 4 up to the last customer message) the customer wrote in: 3+ is "weekly activity". */
  activeWeeksBeforeLast: number;
  medianFirstResponseSeconds30: number | null;
  /** Customer questions of the last 30 days that waited past the response target (unanswered by the scored day). */
  unanswered30: number;
  customerLeaves90: number;
}

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
  /** Logins summed over the last 30 complete days / the 30 before. */
  loginsSum30: number;
  loginsSumPrev30: number;
  /** Latest day with at least one active user (the absence of use counts from it). */
  lastActiveOn: Date | null;
  /** Names of the modules used in the last 30 days. */
  moduleNames30: string[];
  /** Seats on record about 90 days before the scored day (seat downgrades). */
  seats90Ago: number | null;
  /**
   * Where this account's 30-day active share of seats stands among its peers (its segment
   * when the segment has at least 10 accounts with seats, else the workspace), 0 (lowest)
   * to 1 (highest). Null without seats or usage.
   */
  peerActiveShareRank: number | null;
}

export interface EngagementFeatures {
  /**
   * The latest CSM touchpoint that was not an escalation and not negative: bad news is
   * evidence against the account, never proof of a healthy relationship.
   */
  lastTouchAt: Date | null;
  /** Stakeholder types reached (by such touchpoints) in the coverage window. */
  reachedSponsor: boolean;
  reachedImplementer: boolean;
  reachedEndUser: boolean;
  escalations: number;
  negativeTouches: number;
  /** The latest day a sponsor left (within the look-back), and whether a sponsor remains. */
  sponsorLeftOn: Date | null;
  sponsorsRemaining: number;
  /**
   * The same for likely champions (the most active customer people of its linked channels)
   * who are not sponsors: the latest day one left, and how many have not left.
   */
  championLeftOn: Date | null;
  championsRemaining: number;
  /** Over the last 90 days: CSM touchpoints (not escalations), negative and positive ones, escalations. */
  touches90: number;
  negativeTouches90: number;
  positiveTouches90: number;
  escalations90: number;
  /** Success-plan milestones past their due day and not completed by the scored day. */
  overdueMilestones: number;
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
  /** Average CES (1-7, lower is easier) of recent answers. */
  cesRecentAvg: number | null;
  /** Any survey answer at all (NPS, CSAT, CES). */
  lastAnswerAt: Date | null;
}

/** Contract and commercial evidence, each as it stood on the scored day. */
export interface ContractFeatures {
  billingTerm: BillingTerm | null;
  autoRenew: boolean | null;
  /** The stored renewal date (the next one, as last imported), rolled to the scored day by `renewalAsOf`. */
  renewalDate: Date | null;
  /** ARR on the scored day and about 90 days before (from the ARR history). */
  arr: number | null;
  arr90Ago: number | null;
  plan: string | null;
  /** Imported account traits (numbers and categories) as of the scored day. */
  traits: Record<string, number | string>;
}

export interface AccountFeatures {
  accountId: number;
  segment: string | null;
  stage: LifecycleStage;
  /** Licensed seats (latest usage row's seats, else the account's). Null: unknown. */
  seats: number | null;
  /** When the account started: the earliest of its creation, contract start and first usage. */
  createdAt: Date;
  /** True when a person set the stage (or a stage change is on record); false: the default was never touched. */
  stageSet: boolean;
  usage: UsageFeatures;
  engagement: EngagementFeatures;
  perception: PerceptionFeatures;
  contract: ContractFeatures;
  evidence: WorkspaceEvidence;
  channels?: ChannelFeatures | null;
}

const TERM_MONTHS: Record<BillingTerm, number> = { monthly: 1, quarterly: 3, annual: 12, multi_year: 24 };

function addMonths(day: Date, months: number): Date {
  const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), Math.min(day.getUTCDate(), last)));
}

/**
 * The first renewal after `day`: the stored renewal date is the next one as of the last
 * import, so a past day is scored against the renewal that was ahead of it then (the
 * stored date stepped back by whole terms; an unknown term counts as annual).
 */
export function renewalAsOf(renewalDate: Date | null, term: BillingTerm | null, day: Date): Date | null {
  if (!renewalDate) return null;
  const months = TERM_MONTHS[term ?? "annual"];
  let r = renewalDate;
  for (let i = 0; i < 600 && addMonths(r, -months) > day; i++) r = addMonths(r, -months);
  for (let i = 0; i < 600 && r <= day; i++) r = addMonths(r, months);
  return r;
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
    ["logins (last 30 days)", f.usage.loginsSum30],
    ["ARR", f.contract.arr],
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

/** A sponsor or champion gone with nobody of their kind left in their place. */
export interface KeyPersonDeparture {
  role: "sponsor" | "champion";
  on: Date;
  sponsorsRemaining: number;
  championsRemaining: number;
}

/**
 * The latest departure of a sponsor or a likely champion that left the account without one
 * of their kind (sponsor for sponsor, champion for champion): the "sponsor left" evidence of
 * both models. Null when nobody left, or each who left has someone in their place.
 */
export function keyPersonDeparture(e: EngagementFeatures): KeyPersonDeparture | null {
  const sponsor = e.sponsorLeftOn && e.sponsorsRemaining === 0 ? e.sponsorLeftOn : null;
  const champion = e.championLeftOn && e.championsRemaining === 0 ? e.championLeftOn : null;
  if (!sponsor && !champion) return null;
  // The more recent departure is the news; on the same day the sponsor's weighs more.
  const role = sponsor && (!champion || sponsor >= champion) ? "sponsor" : "champion";
  return {
    role,
    on: (role === "sponsor" ? sponsor : champion)!,
    sponsorsRemaining: e.sponsorsRemaining,
    championsRemaining: e.championsRemaining,
  };
}
