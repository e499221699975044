import { describe, expect, it } from "vitest";
import { findSpokenPeriod, parseSpokenPeriod } from "../../src/domain/period.js";

const NOW = new Date("2026-11-23T10:00:00Z");

describe("parseSpokenPeriod", () => {
  it.each([
    ["last month", "October 2026"],
    ["this month", "November 2026"],
    ["Last Quarter", "2026 Q3"],
    ["this quarter", "2026 Q4"],
    ["last 30 days", "last 30 days"],
    ["past 2 weeks", "last 14 days"],
    ["last week", "last 7 days"],
    ["q3 2026", "2026 Q3"],
    ["2026-10", "October 2026"],
  ])("%s", (phrase, label) => {
    expect(parseSpokenPeriod(phrase, NOW)?.label).toBe(label);
  });

  it("reads January's last month as December of the year before", () => {
    expect(parseSpokenPeriod("last month", new Date("2027-01-05T00:00:00Z"))?.label).toBe("December 2026");
  });

  it("is no period for other words", () => {
    expect(parseSpokenPeriod("enterprise", NOW)).toBeUndefined();
    expect(parseSpokenPeriod("last fortnight", NOW)).toBeUndefined();
  });

  it("finds a period among other words and leaves them", () => {
    const found = findSpokenPeriod(["enterprise", "last", "month"], NOW);
    expect([found?.period.label, found?.rest]).toEqual(["October 2026", ["enterprise"]]);
  });
});
