// What a digest says, decided from plain data: which accounts need attention today and
// why, with each account shown once, in the first section it belongs to. Alert fatigue
// kills digests, so: changes first, snoozed accounts hidden unless they got worse, and a
// quiet day is one line.
import { addDays, startOfUtcDay } from "../dates.js";
import type { HealthReason } from "../health/snapshot.js";
import type { HealthBand } from "../vocabulary.js";

/** A health band; the digest's older name for it, kept for its importers. */
export type Band = HealthBand;

export interface DigestAccount {
  id: number;
  name: string;
  ownerSlackId: string | null;
  /** Shown instead of a mention when the account did not change (mentions are for news). */
  ownerName?: string | null;
  arr: number;
  currency: string;
  score: number | null;
  band: Band | null;
  /** The score this account had in the previous digest (or a day before, for the first). */
  previousScore: number | null;
  previousBand: Band | null;
  /** What lowers the score most (never a reason that holds it up). */
  topReason: HealthReason | null;
  /** What pulled the score down most since the snapshot before (explains a drop). */
  changeReason?: { text: string; component: HealthReason["component"]; delta: number } | null;
  renewalDate: Date | null;
  lastTouchAt: Date | null;
  /** Detractor answers (NPS 0-6) in the last day. */
  detractors: { score: number; comment: string | null }[];
  overdueTasks: number;
  snooze: { until: Date; scoreAtSnooze: number | null } | null;
  /** From linked customer channels; absent when none is linked (or channel signals are off). */
  channel?: {
    /** Customer questions unanswered past the workspace's response target. */
    unanswered: number;
    oldestUnansweredHours: number | null;
    /** Days without a customer message after weekly activity; null when the customer was not active weekly. */
    quietDays: number | null;
  };
}

/** A customer who wrote weekly and then nothing for this long "went quiet". */
export const QUIET_CHANNEL_DAYS = 21;

export type SectionKind =
  | "turned_red"
  | "biggest_drops"
  | "renewing"
  | "detractors"
  | "unanswered_question"
  | "went_quiet"
  | "no_touch";

export interface DigestRow {
  account: DigestAccount;
  change: number | null;
  action: string;
}

export interface DigestSection {
  kind: SectionKind;
  title: string;
  /** The first rows (at most ROWS_PER_SECTION: no message shows more). */
  rows: DigestRow[];
  /** How many accounts the section holds in all. */
  total: number;
}

/** A message shows about twenty rows; keeping more only costs time at 100k accounts. */
export const ROWS_PER_SECTION = 50;

export interface DigestContent {
  counts: Record<Band, number>;
  countChanges: Record<Band, number> | null;
  sections: DigestSection[];
  quiet: boolean;
  /** Stored with the run, so the next digest can say what changed. */
  summary: DigestSummary;
}

/** Stored with a posted run: band counts, and the score and band of each account shown. */
export interface DigestSummary {
  scores: Record<string, number>;
  bands: Record<string, Band>;
  counts: Record<Band, number>;
}

export interface ComposeOptions {
  bands: Band[];
  noTouchDays: number;
  now: Date;
  previousCounts: Record<Band, number> | null;
  /** A drop of at least this many points is news. */
  minDrop?: number;
  /** Rows kept per section (ROWS_PER_SECTION); the full, paged list keeps them all. */
  rowsPerSection?: number;
}

/** Sections that say something changed since the day before: their owners are mentioned. */
export const CHANGE_KINDS: ReadonlySet<SectionKind> = new Set(["turned_red", "biggest_drops", "detractors"]);

/** A row with the section it is in. */
export interface RankedDigestRow extends DigestRow {
  kind: SectionKind;
}

/** Every row of the digest in priority order: section by section, each in its own order. */
export function rowsInPriorityOrder(content: Pick<DigestContent, "sections">): RankedDigestRow[] {
  return content.sections.flatMap((s) => s.rows.map((row) => ({ ...row, kind: s.kind })));
}

const SECTION_TITLES: Record<SectionKind, string> = {
  turned_red: "Turned red",
  biggest_drops: "Biggest score drops",
  renewing: "Red or yellow, renewing within 90 days",
  detractors: "Detractor answers in the last day",
  unanswered_question: "Unanswered customer question for 24 h",
  went_quiet: `Customer went quiet (no message in ${QUIET_CHANNEL_DAYS} days after weekly activity)`,
  no_touch: "No touchpoint lately",
};

/** The concrete next step Pulse suggests, from why the account is here and its top reason. */
export function suggestAction(
  kind: SectionKind,
  account: Pick<DigestAccount, "topReason" | "overdueTasks" | "channel">,
): string {
  if (account.overdueTasks > 0)
    return `Finish the ${account.overdueTasks} overdue playbook task${account.overdueTasks > 1 ? "s" : ""} first`;
  if (kind === "detractors") return "Call the respondent within 48 hours to close the loop";
  if (kind === "unanswered_question") {
    const hours = Math.floor(account.channel?.oldestUnansweredHours ?? 24);
    return `Answer the customer in their channel: a question has waited ${hours} h`;
  }
  if (kind === "went_quiet")
    return `Check in with your champion: the customer has not written in ${account.channel?.quietDays ?? QUIET_CHANNEL_DAYS} days`;
  if (kind === "renewing") return "Start the renewal conversation: confirm the sponsor and the value delivered";
  if (kind === "no_touch") return "Schedule a check-in with the sponsor this week";
  switch (account.topReason?.component) {
    case "usage":
      return "Book a usage review with the admin; re-train the teams that stopped";
    case "engagement":
      return "Reconnect with the sponsor and agree a success plan";
    case "perception":
      return "Ask what went wrong and share a fix plan within a week";
    default:
      return "Review the account card and agree a next step";
  }
}

function visible(a: DigestAccount, now: Date): boolean {
  if (!a.snooze || a.snooze.until <= now) return true;
  // Snoozed, unless it got worse than when it was snoozed.
  return a.score !== null && a.snooze.scoreAtSnooze !== null && a.score < a.snooze.scoreAtSnooze;
}

/** The k smallest items by `compare`, sorted: O(n·k) instead of sorting all n. */
function smallest<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k >= items.length) return [...items].sort(compare);
  const out: T[] = [];
  for (const item of items) {
    if (out.length === k && compare(item, out[k - 1]!) >= 0) continue;
    let i = out.length;
    while (i > 0 && compare(item, out[i - 1]!) < 0) i--;
    out.splice(i, 0, item);
    if (out.length > k) out.pop();
  }
  return out;
}

const SECTION_ORDER: SectionKind[] = [
  "turned_red",
  "biggest_drops",
  "renewing",
  "detractors",
  "unanswered_question",
  "went_quiet",
  "no_touch",
];

/**
 * `accounts` must be sorted by ARR, largest first: sections without an order of their own
 * (turned red, detractors, no touchpoint) list the largest accounts first.
 */
export function composeDigest(accounts: DigestAccount[], options: ComposeOptions): DigestContent {
  const { now } = options;
  const bands = new Set(options.bands.length ? options.bands : (["red", "yellow"] as Band[]));
  const minDrop = options.minDrop ?? 5;
  const perSection = options.rowsPerSection ?? ROWS_PER_SECTION;
  const counts: Record<Band, number> = { green: 0, yellow: 0, red: 0 };
  for (const a of accounts) if (a.band) counts[a.band]++;
  const today = startOfUtcDay(now).getTime();
  const renewalHorizon = addDays(startOfUtcDay(now), 90).getTime();
  const touchCutoff = addDays(now, -options.noTouchDays).getTime();
  const change = (a: DigestAccount) =>
    a.score !== null && a.previousScore !== null ? a.score - a.previousScore : null;

  // One pass: each visible account goes to the first section it belongs to.
  const buckets: Record<SectionKind, DigestAccount[]> = {
    turned_red: [],
    biggest_drops: [],
    renewing: [],
    detractors: [],
    unanswered_question: [],
    went_quiet: [],
    no_touch: [],
  };
  for (const a of accounts) {
    if (!visible(a, now)) continue;
    const inBands = a.band !== null && bands.has(a.band);
    const delta = change(a);
    const renewal = a.renewalDate?.getTime();
    if (a.band === "red" && a.previousBand !== null && a.previousBand !== "red" && bands.has("red"))
      buckets.turned_red.push(a);
    else if (inBands && delta !== null && delta <= -minDrop) buckets.biggest_drops.push(a);
    else if (
      inBands &&
      (a.band === "red" || a.band === "yellow") &&
      renewal !== undefined &&
      renewal >= today &&
      renewal <= renewalHorizon
    )
      buckets.renewing.push(a);
    else if (a.detractors.length > 0) buckets.detractors.push(a);
    // A waiting customer matters whatever the band: these two are not limited to the digest's bands.
    else if (a.channel && a.channel.unanswered > 0) buckets.unanswered_question.push(a);
    else if (a.channel?.quietDays != null && a.channel.quietDays >= QUIET_CHANNEL_DAYS) buckets.went_quiet.push(a);
    else if (inBands && (!a.lastTouchAt || a.lastTouchAt.getTime() < touchCutoff)) buckets.no_touch.push(a);
  }
  const ordered: Record<SectionKind, DigestAccount[]> = {
    turned_red: buckets.turned_red.slice(0, perSection),
    biggest_drops: smallest(buckets.biggest_drops, perSection, (a, b) => change(a)! - change(b)! || b.arr - a.arr),
    renewing: smallest(buckets.renewing, perSection, (a, b) => a.renewalDate!.getTime() - b.renewalDate!.getTime()),
    detractors: buckets.detractors.slice(0, perSection),
    unanswered_question: smallest(
      buckets.unanswered_question,
      perSection,
      (a, b) => (b.channel!.oldestUnansweredHours ?? 0) - (a.channel!.oldestUnansweredHours ?? 0) || b.arr - a.arr,
    ),
    went_quiet: buckets.went_quiet.slice(0, perSection),
    no_touch: buckets.no_touch.slice(0, perSection),
  };
  const sections: DigestSection[] = SECTION_ORDER.filter((kind) => buckets[kind].length > 0).map((kind) => ({
    kind,
    title: SECTION_TITLES[kind],
    total: buckets[kind].length,
    rows: ordered[kind].map((account) => ({ account, change: change(account), action: suggestAction(kind, account) })),
  }));

  const countChanges = options.previousCounts
    ? {
        green: counts.green - options.previousCounts.green,
        yellow: counts.yellow - options.previousCounts.yellow,
        red: counts.red - options.previousCounts.red,
      }
    : null;
  const scores: Record<string, number> = {};
  const bandsShown: Record<string, Band> = {};
  for (const row of sections.flatMap((sec) => sec.rows)) {
    if (row.account.score !== null) scores[String(row.account.id)] = row.account.score;
    if (row.account.band) bandsShown[String(row.account.id)] = row.account.band;
  }
  return {
    counts,
    countChanges,
    sections,
    quiet: sections.length === 0,
    summary: { scores, bands: bandsShown, counts },
  };
}
