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
