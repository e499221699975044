// Playbooks: each risk trigger maps to concrete tasks for the account's owner. Pure: the
// job gathers the inputs, these rules decide what fires.
import { createHash } from "node:crypto";
import { z } from "zod";
import { newcombeDifference, type Proportion } from "../proportion-intervals.js";
import type { HealthBand } from "../vocabulary.js";

export const PLAYBOOK_KEYS = [
  "low_usage",
  "no_logins",
  "detractor_nps",
  "low_csat",
  "score_drop",
  "renewal_risk",
  "stalled_onboarding",
  "sponsor_left",
  "unanswered_customer_question",
  "customer_went_quiet",
] as const;
export type PlaybookKey = (typeof PLAYBOOK_KEYS)[number];

export interface TaskTemplate {
  title: string;
  dueInDays: number;
}

/** What the job knows about one account when it evaluates the rules. */
export interface PlaybookInputs {
  accountId: number;
  segment: string | null;
  stage: string;
  ageDays: number;
  band: HealthBand | null;
  score: number | null;
  /** Mean share of seats active over the last 14 days (null: no usage rows or no seats). */
  activeSeatShare14d: number | null;
  /** Highest daily active-seat share ever (onboarding's value milestone). */
  bestActiveSeatShare: number | null;
  daysSinceLastLogin: number | null;
  hasUsageData: boolean;
  latestDetractorNps: number | null;
  latestLowCsat: number | null;
  scoreDropSignal: boolean;
  renewalInDays: number | null;
  sponsorLeftDaysAgo: number | null;
  /** Hours the oldest unanswered customer question in a linked channel has waited (null: none, or no linked channel). */
  oldestUnansweredQuestionHours: number | null;
  /** Days since the customer last wrote in a linked channel, when they wrote weekly before (else null). */
  customerQuietDays: number | null;
}

export const playbookThresholdsSchema = z.object({
  lowUsageShare: z.number().min(0).max(1).default(0.2),
  noLoginDays: z.number().int().positive().default(14),
  renewalWindowDays: z.number().int().positive().default(90),
  stalledOnboardingDays: z.number().int().positive().default(45),
  onboardingMilestoneShare: z.number().min(0).max(1).default(0.25),
  sponsorLeftWithinDays: z.number().int().positive().default(60),
  unansweredQuestionHours: z.number().positive().default(24),
  customerQuietDays: z.number().int().positive().default(21),
});
export type PlaybookThresholds = z.infer<typeof playbookThresholdsSchema>;

/** playbook.config: thresholds, with overrides per segment. */
export const playbookConfigSchema = z.object({
  thresholds: playbookThresholdsSchema.default(playbookThresholdsSchema.parse({})),
  segments: z.record(z.string(), playbookThresholdsSchema.partial()).default({}),
});
export type PlaybookConfig = z.infer<typeof playbookConfigSchema>;

export interface PlaybookDefinition {
  key: PlaybookKey;
  name: string;
  tasks: TaskTemplate[];
  /** A short, specific reason when it fires; undefined when it does not. */
  evaluate(inputs: PlaybookInputs, t: PlaybookThresholds): string | undefined;
}

export const DEFAULT_PLAYBOOKS: PlaybookDefinition[] = [
  {
    key: "low_usage",
    name: "Low usage",
    tasks: [
      { title: "Review usage with the admin: which teams stopped, and why", dueInDays: 3 },
      { title: "Offer a re-training session for the teams that stopped", dueInDays: 7 },
    ],
    evaluate: (i, t) =>
      i.stage !== "orientation" && i.activeSeatShare14d !== null && i.activeSeatShare14d < t.lowUsageShare
        ? `only ${Math.round(i.activeSeatShare14d * 100)}% of seats active over 14 days`
        : undefined,
  },
  {
    key: "no_logins",
    name: "No logins",
    tasks: [{ title: "Call the admin: nobody has logged in lately", dueInDays: 2 }],
    evaluate: (i, t) =>
      i.hasUsageData && i.daysSinceLastLogin !== null && i.daysSinceLastLogin >= t.noLoginDays
        ? `no login in ${i.daysSinceLastLogin} days`
        : undefined,
  },
  {
    key: "detractor_nps",
    name: "Detractor NPS",
    tasks: [
      { title: "Call the respondent to understand the detractor answer", dueInDays: 2 },
      { title: "Share a written fix plan with the sponsor", dueInDays: 7 },
    ],
    evaluate: (i) => (i.latestDetractorNps !== null ? `NPS ${i.latestDetractorNps} in the last 7 days` : undefined),
  },
  {
    key: "low_csat",
    name: "Low CSAT",
    tasks: [{ title: "Follow up on the support experience with the user", dueInDays: 2 }],
    evaluate: (i) => (i.latestLowCsat !== null ? `CSAT ${i.latestLowCsat} in the last 7 days` : undefined),
  },
  {
    key: "score_drop",
    name: "Score drop",
    tasks: [{ title: "Find out what changed: review the card's reasons with the champion", dueInDays: 3 }],
    evaluate: (i) => (i.scoreDropSignal ? "health fell sharply in the last 7 days" : undefined),
  },
  {
    key: "renewal_risk",
    name: "Renewal at risk",
    tasks: [
      { title: "Book a value review with the sponsor before the renewal", dueInDays: 7 },
      { title: "Agree a renewal plan with your manager", dueInDays: 10 },
    ],
    evaluate: (i, t) =>
      (i.band === "red" || i.band === "yellow") &&
      i.renewalInDays !== null &&
      i.renewalInDays >= 0 &&
      i.renewalInDays <= t.renewalWindowDays
        ? `${i.band} and renewing in ${i.renewalInDays} days`
        : undefined,
  },
  {
    key: "stalled_onboarding",
    name: "Stalled onboarding",
    tasks: [
      { title: "Escalate the onboarding plan with the sponsor: no value milestone yet", dueInDays: 2 },
      { title: "Run a hands-on setup session with the implementer", dueInDays: 5 },
    ],
    evaluate: (i, t) =>
      i.stage === "onboarding" &&
      i.ageDays > t.stalledOnboardingDays &&
      (i.bestActiveSeatShare ?? 0) < t.onboardingMilestoneShare
        ? `onboarding for ${i.ageDays} days and never ${Math.round(t.onboardingMilestoneShare * 100)}% of seats active`
        : undefined,
  },
  {
    key: "sponsor_left",
    name: "Sponsor left",
    tasks: [
      { title: "Find and meet the new sponsor", dueInDays: 5 },
      { title: "Re-run the value story for the new sponsor", dueInDays: 14 },
    ],
    evaluate: (i, t) =>
      i.sponsorLeftDaysAgo !== null && i.sponsorLeftDaysAgo <= t.sponsorLeftWithinDays
        ? `the sponsor left ${i.sponsorLeftDaysAgo} days ago`
        : undefined,
  },
  {
    key: "unanswered_customer_question",
    name: "Unanswered customer question",
    tasks: [
      { title: "Answer the customer's question in their channel, or say when you will", dueInDays: 0 },
      { title: "Agree who watches the customer's channel so questions are answered within the target", dueInDays: 7 },
    ],
    evaluate: (i, t) =>
      i.oldestUnansweredQuestionHours !== null && i.oldestUnansweredQuestionHours >= t.unansweredQuestionHours
        ? `a customer question has waited ${Math.floor(i.oldestUnansweredQuestionHours)} h for an answer`
        : undefined,
  },
  {
    key: "customer_went_quiet",
    name: "Customer went quiet",
    tasks: [
      { title: "Check in with the champion: the customer stopped writing in their channel", dueInDays: 2 },
      { title: "Find out whether the champion or the project changed", dueInDays: 7 },
    ],
    evaluate: (i, t) =>
      i.customerQuietDays !== null && i.customerQuietDays >= t.customerQuietDays
        ? `no customer message in ${i.customerQuietDays} days after weekly activity`
        : undefined,
  },
];

export function thresholdsFor(config: PlaybookConfig, segment: string | null): PlaybookThresholds {
  const override = segment ? config.segments[segment] : undefined;
  return { ...config.thresholds, ...(override ?? {}) };
}

/**
 * Treated or control, chosen at random but reproducibly: a hash of the playbook, the account
 * and the day, so re-running a day gives the same answer and the choice can be audited.
 */
export function assignGroup(
  key: string,
  accountId: number,
  firedOn: string,
  controlShare: number,
): "treated" | "control" {
  if (controlShare <= 0) return "treated";
  const h = createHash("sha256").update(`${key}:${accountId}:${firedOn}`).digest().readUInt32BE(0) / 2 ** 32;
  return h < controlShare ? "control" : "treated";
}

export type { Proportion };

/**
 * Treated minus control recovery rate with its 95% interval (Newcombe's, from Wilson score
 * intervals: it stays informative at 0% and 100%, where the normal approximation collapsed
 * to a point), or why not.
 */
export function differenceOfProportions(
  treated: Proportion,
  control: Proportion,
  minN = 10,
): { difference: number; low: number; high: number } | { notEnoughData: string } {
  if (treated.n < minN || control.n < minN)
    return { notEnoughData: `need at least ${minN} in each group (treated ${treated.n}, control ${control.n})` };
  return newcombeDifference(treated, control, 0.95);
}
