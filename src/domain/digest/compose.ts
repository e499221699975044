// What a digest says, decided from plain data: which accounts need attention today and
// why, with each account shown once, in the first section it belongs to. Alert fatigue
// kills digests, so: changes first, snoozed accounts hidden unless they got worse, and a
// quiet day is one line.
import { addDays, startOfUtcDay } from "../dates.js";
import type { HealthReason } from "../health/snapshot.js";

export type Band = "green" | "yellow" | "red";

export interface DigestAccount {
  id: number;
  name: string;
  ownerSlackId: string | null;
  arr: number;
  currency: string;
  score: number | null;
  band: Band | null;
  /** The score this account had in the previous digest (or a day before, for the first). */
  previousScore: number | null;
  previousBand: Band | null;
  topReason: HealthReason | null;
  renewalDate: Date | null;
  lastTouchAt: Date | null;
  /** Detractor answers (NPS 0-6) in the last day. */
  detractors: { score: number; comment: string | null }[];
  overdueTasks: number;
  snooze: { until: Date; scoreAtSnooze: number | null } | null;
}

export type SectionKind = "turned_red" | "biggest_drops" | "renewing" | "detractors" | "no_touch";

export interface DigestRow {
  account: DigestAccount;
  change: number | null;
  action: string;
}

export interface DigestSection {
  kind: SectionKind;
  title: string;
  rows: DigestRow[];
}

export interface DigestContent {
  counts: Record<Band, number>;
  countChanges: Record<Band, number> | null;
  sections: DigestSection[];
  quiet: boolean;
  /** Stored with the run, so the next digest can say what changed. */
  summary: DigestSummary;
}

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
}

const SECTION_TITLES: Record<SectionKind, string> = {
  turned_red: "Turned red",
  biggest_drops: "Biggest score drops",
  renewing: "Red or yellow, renewing within 90 days",
  detractors: "Detractor answers in the last day",
  no_touch: "No touchpoint lately",
};

/** The concrete next step Pulse suggests, from why the account is here and its top reason. */
export function suggestAction(kind: SectionKind, account: Pick<DigestAccount, "topReason" | "overdueTasks">): string {
  if (account.overdueTasks > 0) return `Finish the ${account.overdueTasks} overdue playbook task${account.overdueTasks > 1 ? "s" : ""} first`;
  if (kind === "detractors") return "Call the respondent within 48 hours to close the loop";
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

export function composeDigest(accounts: DigestAccount[], options: ComposeOptions): DigestContent {
  const { now } = options;
  const bands = new Set(options.bands.length ? options.bands : (["red", "yellow"] as Band[]));
  const minDrop = options.minDrop ?? 5;
  const counts: Record<Band, number> = { green: 0, yellow: 0, red: 0 };
  const scores: Record<string, number> = {};
  const bandsShown: Record<string, Band> = {};
  for (const a of accounts) {
    if (a.band) {
      counts[a.band]++;
      bandsShown[String(a.id)] = a.band;
    }
    if (a.score !== null) scores[String(a.id)] = a.score;
  }
  const shown = new Set<number>();
  const today = startOfUtcDay(now);
  const change = (a: DigestAccount) => (a.score !== null && a.previousScore !== null ? a.score - a.previousScore : null);
  const candidates = accounts.filter((a) => visible(a, now));
  const inBands = (a: DigestAccount) => a.band !== null && bands.has(a.band);

  const pick = (kind: SectionKind, rows: DigestAccount[]): DigestSection => {
    const out: DigestRow[] = [];
    for (const a of rows) {
      if (shown.has(a.id)) continue;
      shown.add(a.id);
      out.push({ account: a, change: change(a), action: suggestAction(kind, a) });
    }
    return { kind, title: SECTION_TITLES[kind], rows: out };
  };

  const sections = [
    pick(
      "turned_red",
      candidates.filter((a) => a.band === "red" && a.previousBand !== null && a.previousBand !== "red" && bands.has("red")).sort((a, b) => b.arr - a.arr),
    ),
    pick(
      "biggest_drops",
      candidates
        .filter((a) => inBands(a) && (change(a) ?? 0) <= -minDrop)
        .sort((a, b) => change(a)! - change(b)! || b.arr - a.arr)
        .slice(0, 15),
    ),
    pick(
      "renewing",
      candidates
        .filter((a) => (a.band === "red" || a.band === "yellow") && inBands(a) && a.renewalDate && a.renewalDate >= today && a.renewalDate <= addDays(today, 90))
        .sort((a, b) => a.renewalDate!.getTime() - b.renewalDate!.getTime()),
    ),
    pick("detractors", candidates.filter((a) => a.detractors.length > 0)),
    pick(
      "no_touch",
      candidates
        .filter((a) => inBands(a) && (!a.lastTouchAt || a.lastTouchAt < addDays(now, -options.noTouchDays)))
        .sort((a, b) => b.arr - a.arr),
    ),
  ].filter((s) => s.rows.length > 0);

  const countChanges = options.previousCounts
    ? { green: counts.green - options.previousCounts.green, yellow: counts.yellow - options.previousCounts.yellow, red: counts.red - options.previousCounts.red }
    : null;
  return { counts, countChanges, sections, quiet: sections.length === 0, summary: { scores, bands: bandsShown, counts } };
}
