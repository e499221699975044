// Calendar-day arithmetic in UTC. Database `date` columns come back as UTC midnights, so
// every day in Pulse is a Date at 00:00Z.
export const DAY_MS = 86_400_000;

/** JavaScript time has no leap seconds: every UTC day is exactly DAY_MS long. */
const utcDayNumber = (instant: Date) => Math.floor(instant.getTime() / DAY_MS);

export function startOfUtcDay(instant: Date): Date {
  return new Date(utcDayNumber(instant) * DAY_MS);
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: Date, to: Date): number {
  return utcDayNumber(to) - utcDayNumber(from);
}

export function isoDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * "1 Dec 2026": the one way Pulse writes a day for people to read (YYYY-MM-DD is for
 * files, ids and the command line). Months are spelled here, not by Intl: ICU's en-GB
 * writes "Sept", and a format that changes with the runtime's ICU is not one format.
 */
export function displayDay(day: Date): string {
  return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
}

// One formatter per time zone, built once: constructing an Intl.DateTimeFormat costs far
// more than formatting with one, and views format dates in loops.
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    zoneFormatters.set(timeZone, f);
  }
  return f;
}

/** The calendar day and wall-clock time of an instant in a time zone (UTC when unknown or invalid). */
export function zonedParts(
  instant: Date,
  timeZone: string | null | undefined,
): { day: Date; time: string; zone: string } {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = zoneFormatter(timeZone || "UTC");
  } catch {
    formatter = zoneFormatter("UTC");
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    day: new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day))),
    time: `${parts.hour}:${parts.minute}`,
    zone: parts.timeZoneName ?? "UTC",
  };
}

/** "1 Dec 2026": the day an instant falls on for a reader in `timeZone`. */
export function displayDate(instant: Date, timeZone: string | null | undefined): string {
  return displayDay(zonedParts(instant, timeZone).day);
}

/** "1 Dec 2026, 07:40 GMT": an instant as a reader in `timeZone` reads it. */
export function displayDateTime(instant: Date, timeZone: string | null | undefined): string {
  const { day, time, zone } = zonedParts(instant, timeZone);
  return `${displayDay(day)}, ${time} ${zone}`;
}

/** Parses YYYY-MM-DD strictly; undefined for anything else (including 2026-02-30). */
export function parseIsoDay(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return isoDay(d) === text.trim() ? d : undefined;
}
