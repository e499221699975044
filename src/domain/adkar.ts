// ADKAR per stakeholder group (Prosci: Awareness, Desire, Knowledge, Ability,
// Reinforcement). The CSM sets where each group stands; these rules only *suggest*, from the
// evidence Pulse holds, and every suggestion carries that evidence in words. Pure: the
// service gathers the evidence, a clock is passed in.
//
// Lifecycle stage (orientation … development) is about the account's relationship with the
// product; ADKAR is about each group of people's change in behaviour. An account in
// Adoption can have end users at Knowledge and a sponsor at Reinforcement (docs/playbooks.md).
import { daysBetween, displayDay } from "./dates.js";
import type { Sentiment, StakeholderType } from "./vocabulary.js";

export const ADKAR_STAGES = ["awareness", "desire", "knowledge", "ability", "reinforcement"] as const;
export type AdkarStage = (typeof ADKAR_STAGES)[number];

export const GROUP_LABEL: Record<StakeholderType, string> = {
  end_user: "End users",
  sponsor: "Managers / sponsors",
  implementer: "Implementers / admins",
};
export const STAGE_LABEL: Record<AdkarStage, string> = {
  awareness: "Awareness",
  desire: "Desire",
  knowledge: "Knowledge",
  ability: "Ability",
  reinforcement: "Reinforcement",
};

/** Words in a touchpoint's notes that mark it as training (the touchpoint kinds have no "training"). */
const TRAINING_WORDS =
  /\b(training|trained|workshop|enablement|webinar|tutorial|onboarding session|certification|coaching)\b/i;

export function isTrainingNote(notes: string | null | undefined): boolean {
  return Boolean(notes && TRAINING_WORDS.test(notes));
}

/** What Pulse knows about one group of one account. */
export interface GroupEvidence {
  group: StakeholderType;
  /** Touchpoints that reached the group, ever (the kickoff is the first). */
  touchpointsReached: number;
  /** The newest touchpoint that reached the group. */
  lastReachedOn: Date | null;
  lastSentiment: Sentiment | null;
  /** The newest touchpoint reaching the group whose notes say it was training. */
  lastTrainingOn: Date | null;
  /** A QBR (kind qbr) that reached the group in the last 180 days. */
  qbrWithGroup180d: boolean;
  /** The newest NPS answered by someone of this group in the last 90 days. */
  latestNps90d: number | null;
}

/** Account-level usage, read for the groups that use the product. */
export interface UsageEvidence {
  /** Mean active share of seats over the last 14 days (null: no usage or no seats). */
  activeShare14d: number | null;
  /** Weekly mean active shares of the last `sustainedWeeks` weeks, oldest first. */
  weeklyShares: number[];
  modules30d: number;
}

export const ADKAR_RULES = {
  /** Active share from which a group "can" use the product (Ability). */
  abilityShare: 0.4,
  /** Active share every week must reach for broad, sustained use (Reinforcement). */
  sustainedShare: 0.6,
  sustainedWeeks: 8,
  reinforcementModules: 3,
  /** Modules in use from which implementers have set the product up (Ability). */
  implementerAbilityModules: 2,
  /** A group not reached for this long has gone quiet. */
  quietDays: 90,
} as const;

/** How long a group may stay at a stage before it counts as stuck (a risk signal); reinforcement has no limit. */
export const STAGE_ALLOWED_DAYS: Record<AdkarStage, number | null> = {
  awareness: 30,
  desire: 45,
  knowledge: 45,
  ability: 60,
  reinforcement: null,
};

export interface AdkarSuggestion {
  group: StakeholderType;
  stage: AdkarStage;
  rule: string;
  /** The evidence, in words, each with its period. */
  evidence: string[];
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

function sustained(u: UsageEvidence, r: typeof ADKAR_RULES): boolean {
  return (
    u.weeklyShares.length >= r.sustainedWeeks &&
    u.weeklyShares.slice(-r.sustainedWeeks).every((s) => s >= r.sustainedShare)
  );
}

/**
 * Where the evidence says a group stands. The rules run in ADKAR order and the first that
 * holds wins: a group nobody has met is at Awareness whatever the usage says.
 */
export function suggestAdkarStage(g: GroupEvidence, u: UsageEvidence, now: Date, r = ADKAR_RULES): AdkarSuggestion {
  const say = (stage: AdkarStage, rule: string, evidence: string[]): AdkarSuggestion => ({
    group: g.group,
    stage,
    rule,
    evidence,
  });
  if (g.touchpointsReached === 0 || !g.lastReachedOn) {
    return say("awareness", "no_kickoff", [
      `no touchpoint has reached ${GROUP_LABEL[g.group].toLowerCase()} yet (no kickoff)`,
    ]);
  }
  const reached = `${g.touchpointsReached} touchpoint${g.touchpointsReached === 1 ? "" : "s"} reached them, the last on ${displayDay(g.lastReachedOn)}`;
  if (g.latestNps90d !== null && g.latestNps90d <= 6)
    return say("desire", "detractor", [
      reached,
      `their latest NPS in the last 90 days is ${g.latestNps90d} (a detractor)`,
    ]);
  if (g.lastSentiment === "negative")
    return say("desire", "negative_touchpoint", [
      reached,
      `the last touchpoint with them (${displayDay(g.lastReachedOn)}) was negative`,
    ]);
  const quiet = daysBetween(g.lastReachedOn, now) > r.quietDays;

  if (g.group === "sponsor") {
    if (quiet)
      return say("desire", "sponsor_quiet", [
        reached,
        `no touchpoint with the sponsor in ${daysBetween(g.lastReachedOn, now)} days`,
      ]);
    if (!g.qbrWithGroup180d)
      return say("knowledge", "sponsor_no_review", [
        reached,
        "no business review with the sponsor in the last 180 days",
      ]);
    if (sustained(u, r))
      return say("reinforcement", "sponsor_reviews_broad_use", [
        reached,
        "a business review with the sponsor in the last 180 days",
        `every one of the last ${r.sustainedWeeks} weeks had ${pct(r.sustainedShare)}+ of seats active`,
      ]);
    return say("ability", "sponsor_reviews", [reached, "a business review with the sponsor in the last 180 days"]);
  }

  const trained = g.lastTrainingOn ? `trained on ${displayDay(g.lastTrainingOn)}` : undefined;
  const share = u.activeShare14d;
  const shareText =
    share === null ? "no usage recorded over the last 14 days" : `${pct(share)} of seats active over the last 14 days`;

  if (g.group === "implementer") {
    const modules = `${u.modules30d} module${u.modules30d === 1 ? "" : "s"} in use over the last 30 days`;
    if (u.modules30d >= r.reinforcementModules && sustained(u, r))
      return say("reinforcement", "implementer_sustained", [
        reached,
        modules,
        `every one of the last ${r.sustainedWeeks} weeks had ${pct(r.sustainedShare)}+ of seats active`,
      ]);
    if (u.modules30d >= r.implementerAbilityModules) return say("ability", "implementer_setup", [reached, modules]);
    if (trained) return say("knowledge", "implementer_trained_not_set_up", [reached, trained, modules]);
    return say("desire", "implementer_not_trained", [reached, "no training recorded with them", modules]);
  }

  // End users: usage is theirs.
  if (share !== null && share >= r.abilityShare && u.modules30d >= r.reinforcementModules && sustained(u, r)) {
    return say("reinforcement", "broad_sustained_use", [
      reached,
      shareText,
      `every one of the last ${r.sustainedWeeks} weeks had ${pct(r.sustainedShare)}+ of seats active`,
      `${u.modules30d} modules in use over the last 30 days`,
    ]);
  }
  if (share !== null && share >= r.abilityShare) return say("ability", "active_use", [reached, shareText]);
  if (trained) return say("knowledge", "trained_low_use", [reached, trained, shareText]);
  return say("desire", "reached_not_trained", [reached, "no training recorded with them", shareText]);
}

export interface StuckCheck {
  group: StakeholderType;
  stage: AdkarStage;
  daysAtStage: number;
  allowedDays: number;
}

/** A group held at a stage longer than the stage allows, or undefined. */
export function stuckAtStage(
  group: StakeholderType,
  stage: AdkarStage,
  since: Date,
  now: Date,
  allowed = STAGE_ALLOWED_DAYS,
): StuckCheck | undefined {
  const limit = allowed[stage];
  const days = daysBetween(since, now);
  return limit !== null && days > limit ? { group, stage, daysAtStage: days, allowedDays: limit } : undefined;
}

export interface ActionItem {
  title: string;
  dueInDays: number;
}

/** Each stage's concrete actions for each group; they become the owner's playbook tasks. */
export const STAGE_ACTIONS: Record<AdkarStage, Record<StakeholderType, ActionItem[]>> = {
  awareness: {
    sponsor: [
      {
        title: "Hold an awareness session with the sponsor: why this change, why now, what it costs to wait",
        dueInDays: 7,
      },
    ],
    end_user: [
      { title: "Ask the sponsor to announce the change to end users: what changes for them and why", dueInDays: 7 },
    ],
    implementer: [{ title: "Brief the implementers on the plan, the timeline and their part in it", dueInDays: 5 }],
  },
  desire: {
    sponsor: [
      {
        title: "Agree with the sponsor what success means for them personally, and write it into the success plan",
        dueInDays: 7,
      },
    ],
    end_user: [
      { title: "Send end users a “what's in it for me” message with one concrete win from their peers", dueInDays: 5 },
    ],
    implementer: [
      { title: "Show the implementers the admin time the rollout saves them, and ask what worries them", dueInDays: 7 },
    ],
  },
  knowledge: {
    sponsor: [
      { title: "Walk the sponsor through the success plan and the progress figures they will follow", dueInDays: 7 },
    ],
    end_user: [
      { title: "Run a training session for end users on the workflows the objectives depend on", dueInDays: 10 },
    ],
    implementer: [{ title: "Run an admin training: setup, integrations, permissions", dueInDays: 10 }],
  },
  ability: {
    sponsor: [
      { title: "Book a 30-minute check-in for the sponsor to review progress against the objectives", dueInDays: 14 },
    ],
    end_user: [{ title: "Offer hands-on coaching (office hours) to the teams still below target use", dueInDays: 7 }],
    implementer: [{ title: "Pair with the implementer on the next integration until it runs unaided", dueInDays: 10 }],
  },
  reinforcement: {
    sponsor: [{ title: "Present the value delivered against the plan in the QBR", dueInDays: 21 }],
    end_user: [
      { title: "Recognise the adopters: share their results with the sponsor and their peers", dueInDays: 14 },
    ],
    implementer: [
      { title: "Recognise the implementers' work with the sponsor and agree the next use case", dueInDays: 21 },
    ],
  },
};

export function nextStage(stage: AdkarStage): AdkarStage | undefined {
  return ADKAR_STAGES[ADKAR_STAGES.indexOf(stage) + 1];
}

/** The dedupe key of a stage action task: one open task per (account, group, stage, step). */
export function actionDedupeKey(group: StakeholderType, stage: AdkarStage, step: number): string {
  return `adkar:${group}:${stage}${step === 0 ? "" : `:${step + 1}`}`;
}
