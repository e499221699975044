// When a digest subscription is due, in its own time zone. Ticks come every minute; a
// subscription is due on a local day once the local wall clock has reached its time, and
// stays due for the rest of that local day (so one missed while Pulse was down is caught
// up). A wall time skipped by spring-forward (02:30 that never happens) is reached at the
// next valid minute (03:00); a repeated hour at fall-back is reached at its first
// occurrence, and the per-day claim keeps the second from posting again.
import { parseIsoDay } from "../dates.js";

export interface LocalTime {
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  /** Minutes after local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local date a subscription is due on at `now`, or undefined when it is not due yet. */
export function dueLocalDate(sub: { postAtMinutes: number; timezone: string }, now: Date): string | undefined {
  const local = localTime(now, sub.timezone);
  return local.minutes >= sub.postAtMinutes ? local.date : undefined;
}

/** Parses "09:00" / "9:30" into minutes after midnight. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The local date as a UTC-midnight Date, for the digest_run.localDate column. */
export function localDateValue(date: string): Date {
  return parseIsoDay(date)!;
}
