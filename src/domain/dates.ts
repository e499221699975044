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

/** Parses YYYY-MM-DD strictly; undefined for anything else (including 2026-02-30). */
export function parseIsoDay(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return isoDay(d) === text.trim() ? d : undefined;
}
