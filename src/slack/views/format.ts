// Small, shared wording for views.
import { displayDate, displayDateTime, displayDay } from "../../domain/dates.js";

export const BAND_EMOJI = {
  green: ":large_green_circle:",
  yellow: ":large_yellow_circle:",
  red: ":red_circle:",
} as const;

const moneyFormatters = new Map<string, Intl.NumberFormat | null>();

export function formatMoney(amount: string | number, currency: string): string {
  const n = typeof amount === "string" ? Number(amount) : amount;
  let f = moneyFormatters.get(currency);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 });
    } catch {
      f = null; // not an ISO currency code: written as a number and the code
    }
    moneyFormatters.set(currency, f);
  }
  return f ? f.format(n) : `${Math.round(n).toLocaleString("en-US")} ${currency}`;
}

// Dates, one format everywhere Pulse writes to Slack: "1 Dec 2026". A calendar day (a due
// date, a renewal, the day a score is for) is the same day for every reader; an instant (a
// touchpoint, an answer, an audit entry) is shown on the day, and at the time, of the
// reader's time zone: the Slack user's `tz` when Pulse knows it, else the workspace's.

/** A calendar day: "1 Dec 2026" ("—" when there is none). */
export function formatDay(day: Date | null | undefined): string {
  return day ? displayDay(day) : "—";
}

/** The day of an instant in the reader's time zone: "1 Dec 2026". */
export function formatDate(instant: Date | null | undefined, timeZone: string | null | undefined): string {
  return instant ? displayDate(instant, timeZone) : "—";
}

/** An instant with its time in the reader's time zone: "1 Dec 2026, 07:40 GMT". */
export function formatDateTime(instant: Date | null | undefined, timeZone: string | null | undefined): string {
  return instant ? displayDateTime(instant, timeZone) : "—";
}

/** "1 note", "3 notes", "1 entry", "2 entries": a count said as a person says it, never "note(s)". */
export function countOf(
  n: number,
  one: string,
  many = one.endsWith("y") ? `${one.slice(0, -1)}ies` : `${one}s`,
): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function signed(n: number | null): string {
  if (n === null) return "n/a";
  return n > 0 ? `+${n}` : String(n);
}

export function humanise(enumValue: string): string {
  const map: Record<string, string> = { qbr: "QBR", end_user: "end user", support_escalation: "support escalation" };
  return map[enumValue] ?? enumValue.replace(/_/g, " ");
}

export function stageName(stage: string): string {
  return stage.charAt(0).toUpperCase() + stage.slice(1);
}
