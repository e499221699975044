// Reporting periods people type: "last-90d", "2026-Q3", "2026-10", "last-quarter",
// "this-quarter". A period is [start, end) in UTC days, with the same-length period before
// it for trends.
import { addDays, displayDay, startOfUtcDay } from "./dates.js";

export interface Period {
  label: string;
  /** Calendar months and quarters step back by calendar; day ranges by their length. */
  unit: "days" | "month" | "quarter";
  start: Date;
  /** Exclusive. */
  end: Date;
}

function quarterStart(year: number, q: number): Date {
  return new Date(Date.UTC(year, (q - 1) * 3, 1));
}

/**
 * Parses a VoC/QBR period, or undefined when `text` is not one (callers probe arguments with
 * it). Not churn-metrics' parseReportPeriod: this period is half-open (`end` exclusive),
 * knows its unit so previousPeriod can step back a calendar month or quarter for trends,
 * labels "2026 Q3" / "October 2026", and defaults to last-90d.
 */
export function parseTrendPeriod(text: string | undefined, now: Date, fallback = "last-90d"): Period | undefined {
  const t = (text ?? fallback).trim().toLowerCase();
  const today = startOfUtcDay(now);
  let m = /^last-(\d{1,4})d$/.exec(t);
  if (m) {
    const days = Number(m[1]);
    if (days < 1) return undefined;
    return { label: `last ${days} days`, unit: "days", start: addDays(today, -days + 1), end: addDays(today, 1) };
  }
  m = /^(\d{4})-q([1-4])$/.exec(t);
  if (m) {
    const start = quarterStart(Number(m[1]), Number(m[2]));
    return {
      label: `${m[1]} Q${m[2]}`,
      unit: "quarter",
      start,
      end: quarterStart(Number(m[1]) + (m[2] === "4" ? 1 : 0), m[2] === "4" ? 1 : Number(m[2]) + 1),
    };
  }
  m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return {
      label: start.toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }),
      unit: "month",
      start,
      end: new Date(Date.UTC(Number(m[1]), Number(m[2]), 1)),
    };
  }
  if (t === "this-quarter" || t === "last-quarter") {
    const q = Math.floor(today.getUTCMonth() / 3) + 1;
    let year = today.getUTCFullYear();
    let quarter = q;
    if (t === "last-quarter") {
      quarter = q === 1 ? 4 : q - 1;
      if (q === 1) year--;
    }
    return parseTrendPeriod(`${year}-q${quarter}`, now);
  }
  return undefined;
}

/** The period just before `p`: the previous month or quarter, or as many days before. */
export function previousPeriod(p: Period): Period {
  let start: Date;
  if (p.unit === "month") start = new Date(Date.UTC(p.start.getUTCFullYear(), p.start.getUTCMonth() - 1, 1));
  else if (p.unit === "quarter") start = new Date(Date.UTC(p.start.getUTCFullYear(), p.start.getUTCMonth() - 3, 1));
  else start = addDays(p.start, -Math.round((p.end.getTime() - p.start.getTime()) / 86_400_000));
  return { label: `${displayDay(start)} to ${displayDay(addDays(p.start, -1))}`, unit: p.unit, start, end: p.start };
}

export const PERIOD_HELP = "last-90d (default), last-30d, 2026-Q3, 2026-10, this-quarter, last-quarter";

/**
 * The same periods as people say them: "last month", "this month", "last quarter", "this
 * quarter", "last 30 days", "past 2 weeks", "last week", "2026 Q3". Undefined when `phrase`
 * is none of these (nor a period parseTrendPeriod reads).
 */
export function parseSpokenPeriod(phrase: string, now: Date): Period | undefined {
  const t = phrase.trim().toLowerCase().replace(/\s+/g, " ");
  const canonical = parseTrendPeriod(t, now);
  if (canonical) return canonical;
  const today = startOfUtcDay(now);
  const month = (offset: number) => {
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + offset, 1));
    return parseTrendPeriod(`${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`, now);
  };
  if (/^(last|previous|past) month$/.test(t)) return month(-1);
  if (t === "this month") return month(0);
  if (/^(last|previous|past) quarter$/.test(t)) return parseTrendPeriod("last-quarter", now);
  if (t === "this quarter") return parseTrendPeriod("this-quarter", now);
  if (/^(last|past) week$/.test(t)) return parseTrendPeriod("last-7d", now);
  if (/^(last|past) year$/.test(t)) return parseTrendPeriod("last-365d", now);
  let m = /^(?:last|past) (\d{1,3}) (day|days|week|weeks|month|months)$/.exec(t);
  if (m) {
    const perUnit = m[2]!.startsWith("day") ? 1 : m[2]!.startsWith("week") ? 7 : 30;
    return parseTrendPeriod(`last-${Number(m[1]) * perUnit}d`, now);
  }
  m = /^(?:(\d{4}) q([1-4])|q([1-4]) (\d{4}))$/.exec(t);
  if (m) return parseTrendPeriod(`${m[1] ?? m[4]}-q${m[2] ?? m[3]}`, now);
  return undefined;
}

/** Words that start a spoken period: a phrase led by one that reads as no period is a mistake, not a name. */
export const PERIOD_LEAD_WORDS = ["last", "this", "past", "previous"];

/**
 * Finds a period said anywhere among `words` (one to four of them in a row, longest
 * first), and the words left around it.
 */
export function findSpokenPeriod(words: string[], now: Date): { period: Period; rest: string[] } | undefined {
  for (let length = Math.min(4, words.length); length >= 1; length--)
    for (let start = 0; start + length <= words.length; start++) {
      const period = parseSpokenPeriod(words.slice(start, start + length).join(" "), now);
      if (period) return { period, rest: [...words.slice(0, start), ...words.slice(start + length)] };
    }
  return undefined;
}

export const SPOKEN_PERIOD_HELP = "last month, this quarter, last 30 days, 2026-Q3, 2026-10 (default: last 90 days)";
