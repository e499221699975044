import { describe, expect, it } from "vitest";
import {
  parseDay,
  parseDomain,
  parseInstant,
  parseMoney,
  parseWholeNumber,
} from "../../../src/domain/ingest/values.js";

describe("parseDay", () => {
  it.each([
    ["2026-03-01", "2026-03-01T00:00:00.000Z"],
    [" 2026-03-01 ", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01T23:30:00-02:00", "2026-03-02T00:00:00.000Z"],
    ["2026-03-01 10:00", "2026-03-01T00:00:00.000Z"],
  ])("%s -> %s", (text, expected) => {
    const r = parseDay(text);
    expect(r.ok && r.value.toISOString()).toBe(expected);
  });
  it.each(["03/01/2026", "2026-02-30", "2026-13-01", "yesterday", ""])("refuses %j", (text) => {
    const r = parseDay(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^bad date/);
  });
});

describe("parseInstant", () => {
  it.each([
    ["2026-03-01T14:05:00Z", "2026-03-01T14:05:00.000Z"],
    ["2026-03-01T14:05:00.123+0100", "2026-03-01T13:05:00.123Z"],
    ["2026-03-01 14:05", "2026-03-01T14:05:00.000Z"],
    ["2026-03-01", "2026-03-01T00:00:00.000Z"],
  ])("%s -> %s", (text, expected) => {
    const r = parseInstant(text);
    expect(r.ok && r.value.toISOString()).toBe(expected);
  });
  it.each(["2026-03-01T25:00", "1 March 2026", "2026-02-29T10:00:00Z"])("refuses %j", (text) => {
    expect(parseInstant(text).ok).toBe(false);
  });
});

describe("parseMoney", () => {
  it.each([
    ["12000", "12000"],
    ["12,000.50", "12000.50"],
    ["$12,000", "12000"],
    ["€900.5", "900.5"],
    ["1500 USD", "1500"],
    ["0", "0"],
    ["-0", "0"],
  ])("%s -> %s", (text, expected) => {
    const r = parseMoney(text, "ARR");
    expect(r.ok && r.value).toBe(expected);
  });
  it.each([
    ["-500", "negative ARR -500: it must be 0 or more"],
    ["(500)", "negative ARR (500): it must be 0 or more"],
    ["ten", 'ARR "ten" is not an amount such as 12000 or 12,000.50'],
    ["12.345", 'ARR "12.345" is not an amount such as 12000 or 12,000.50'],
    ["1,00", 'ARR "1,00" is not an amount such as 12000 or 12,000.50'],
    ["1234567890123", "ARR 1234567890123 is too large"],
  ])("refuses %s", (text, reason) => {
    expect(parseMoney(text, "ARR")).toEqual({ ok: false, reason });
  });
});

describe("parseWholeNumber and parseDomain", () => {
  it.each([
    ["12", 12],
    ["1,200", 1200],
    ["7.0", 7],
  ])("%s -> %d", (text, n) => expect(parseWholeNumber(text, "seats", 0, 10_000)).toEqual({ ok: true, value: n }));
  it("refuses fractions and out-of-range values", () => {
    expect(parseWholeNumber("1.5", "seats", 0, 10)).toEqual({ ok: false, reason: 'seats "1.5" is not a whole number' });
    expect(parseWholeNumber("11", "NPS score", 0, 10)).toEqual({
      ok: false,
      reason: "NPS score 11 is out of range (0 to 10)",
    });
  });
  it.each([
    ["https://www.Acme.com/about?x=1", "acme.com"],
    ["acme.co.uk", "acme.co.uk"],
    ["http://app.acme.io:8080", "app.acme.io"],
  ])("domain %s -> %s", (text, expected) => expect(parseDomain(text)).toEqual({ ok: true, value: expected }));
  it("refuses a non-domain", () => expect(parseDomain("not a domain").ok).toBe(false));
});
