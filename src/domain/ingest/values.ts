// Parsers for the text values found in CRM exports and API payloads. Each returns
// `{ ok: true, value }` or `{ ok: false, reason }` with a reason a person can act on;
// none of them guesses (a date written 05/01/2026 is refused rather than misread).
import { parseIsoDay } from "../dates.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Lower-cased, without spaces or punctuation: "Account Name", "account_name" -> "accountname". */
export function normalizeKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

const dayCache = new Map<string, Parsed<Date>>();
const DAY_CACHE_LIMIT = 20_000;

/**
 * A calendar day: YYYY-MM-DD, or an ISO date-time whose UTC day is taken. Results are
 * cached: a usage file repeats the same few hundred days a million times. The returned
 * Date is shared, so callers must not mutate it.
 */
export function parseDay(text: string): Parsed<Date> {
  const cached = dayCache.get(text);
  if (cached) return cached;
  const parsed = parseDayUncached(text);
  if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear();
  dayCache.set(text, parsed);
  return parsed;
}

function parseDayUncached(text: string): Parsed<Date> {
  const trimmed = text.trim();
  const day = parseIsoDay(trimmed.slice(0, 10));
  if (day && (trimmed.length === 10 || /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed))) {
    if (trimmed.length === 10) return ok(day);
    const instant = parseInstant(trimmed);
    return instant.ok
      ? ok(new Date(Date.UTC(instant.value.getUTCFullYear(), instant.value.getUTCMonth(), instant.value.getUTCDate())))
      : instant;
  }
  return fail(`bad date "${clip(trimmed)}": expected YYYY-MM-DD`);
}

/**
 * An instant: ISO 8601 with or without a time zone (none means UTC), or a bare day
 * (midnight UTC). "2026-03-01 14:05" (HubSpot's export format) is accepted too.
 */
export function parseInstant(text: string): Parsed<Date> {
  const trimmed = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
    trimmed,
  );
  if (!m || !parseIsoDay(`${m[1]}-${m[2]}-${m[3]}`))
    return fail(`bad date "${clip(trimmed)}": expected YYYY-MM-DD or an ISO 8601 date-time`);
  if (m[4] === undefined) return ok(new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`));
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)
    return fail(`bad date "${clip(trimmed)}": the time is out of range`);
  const zone =
    m[8] === undefined || m[8].toUpperCase() === "Z"
      ? "Z"
      : m[8].length === 5
        ? `${m[8].slice(0, 3)}:${m[8].slice(3)}`
        : m[8];
  const fraction = m[7] ? m[7].slice(0, 4) : "";
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? fail(`bad date "${clip(trimmed)}"`) : ok(date);
}

/**
 * An amount of money, >= 0, at most 2 decimals: "12000", "12,000.50", "$12,000", "€900".
 * Returned as a decimal string so nothing is lost to floating point.
 */
export function parseMoney(text: string, what = "amount"): Parsed<string> {
  const trimmed = text.trim();
  const negative = /^-|^\(.*\)$/.test(trimmed);
  const digits = trimmed
    .replace(/^[-(]|\)$/g, "")
    .replace(/^[$€£]\s*/, "")
    .replace(/\s*[A-Z]{3}$/, "");
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(digits))
    return fail(`${what} "${clip(trimmed)}" is not an amount such as 12000 or 12,000.50`);
  if (negative && Number(digits.replace(/,/g, "")) !== 0)
    return fail(`negative ${what} ${clip(trimmed)}: it must be 0 or more`);
  const plain = digits.replace(/,/g, "");
  if (plain.split(".")[0]!.length > 12) return fail(`${what} ${clip(trimmed)} is too large`);
  return ok(plain);
}

/** A whole number within [min, max]. */
export function parseWholeNumber(text: string, what: string, min: number, max: number): Parsed<number> {
  const trimmed = text.trim().replace(/,/g, "");
  if (!/^-?\d+(\.0+)?$/.test(trimmed)) return fail(`${what} "${clip(text.trim())}" is not a whole number`);
  const n = Number(trimmed);
  if (n < min || n > max) return fail(`${what} ${n} is out of range (${min} to ${max})`);
  return ok(n);
}

/** One of `allowed` (after normalizeKey), or a synonym of one. */
export function parseChoice<T extends string>(
  text: string,
  what: string,
  allowed: readonly T[],
  synonyms: Record<string, T> = {},
): Parsed<T> {
  const key = normalizeKey(text);
  const direct = allowed.find((a) => normalizeKey(a) === key);
  const found = direct ?? synonyms[key];
  return found ? ok(found) : fail(`unknown ${what} "${clip(text.trim())}": expected one of ${allowed.join(", ")}`);
}

export function parseCurrency(text: string): Parsed<string> {
  const code = text.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code)
    ? ok(code)
    : fail(`currency "${clip(text.trim())}" is not a 3-letter ISO code such as USD`);
}

/** A web domain from a domain or a URL: "https://www.Acme.com/about" -> "acme.com". */
export function parseDomain(text: string): Parsed<string> {
  const host = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "")
    .replace(/^www\./, "");
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(host)
    ? ok(host)
    : fail(`domain "${clip(text.trim())}" is not a web domain such as acme.com`);
}

export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
