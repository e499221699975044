// Weekly and monthly usage rows, turned into the daily rows Pulse stores. Counts (logins,
// per-module uses) are spread over the period's days so that their sum is exactly the
// row's; levels (active users, seats) are kept as they are on every day, since a week's
// active users are an average, not a sum. Pure: the import's day comes in.
import { addDays, DAY_MS } from "../dates.js";
import type { UsageRow } from "./import-rows.js";

export const USAGE_PERIODS = ["day", "week", "month"] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number];

/** The first day of the period holding `day`: itself, its ISO week's Monday, or the 1st. */
export function periodStart(day: Date, period: UsagePeriod): Date {
  if (period === "day") return day;
  if (period === "week") return addDays(day, -((day.getUTCDay() + 6) % 7));
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
}

/** The period's days from its start: 1, 7, or the month's length. */
export function periodLength(start: Date, period: UsagePeriod): number {
  if (period === "day") return 1;
  if (period === "week") return 7;
  return Math.round((Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - start.getTime()) / DAY_MS);
}

/** `total` over `days` whole parts that sum to it: the remainder goes to the first days. */
export function spreadCount(total: number, days: number): number[] {
  const base = Math.floor(total / days);
  const remainder = total - base * days;
  return Array.from({ length: days }, (_, i) => base + (i < remainder ? 1 : 0));
}

/**
 * The daily rows of one period's row. Days after `today` are not written, and the counts
 * are spread over the days that are, so a month still in progress keeps its total. Empty
 * when the whole period is in the future.
 */
export function spreadUsageRow(row: UsageRow, period: UsagePeriod, today: Date): UsageRow[] {
  if (period === "day") return [row];
  const start = periodStart(row.day, period);
  const length = periodLength(start, period);
  const days = Math.min(length, Math.floor((today.getTime() - start.getTime()) / DAY_MS) + 1);
  if (days <= 0) return [];
  const logins = row.logins === undefined ? undefined : spreadCount(row.logins, days);
  const modules =
    row.modules === undefined
      ? undefined
      : Object.entries(row.modules).map(([name, uses]) => [name, spreadCount(uses, days)] as const);
  const rows: UsageRow[] = [];
  for (let i = 0; i < days; i++) {
    const daily: UsageRow = { accountId: row.accountId, day: addDays(start, i), activeUsers: row.activeUsers };
    if (logins) daily.logins = logins[i]!;
    if (row.seats !== undefined) daily.seats = row.seats;
    if (modules) daily.modules = Object.fromEntries(modules.map(([name, counts]) => [name, counts[i]!]));
    rows.push(daily);
  }
  return rows;
}
