import { describe, expect, it } from "vitest";
import { parseTrendPeriod, previousPeriod } from "../../src/domain/period.js";
import { computeCes, computeCsat, computeNps, vocByGroup } from "../../src/domain/voc.js";

describe("voice-of-the-customer metrics", () => {
  it.each([
    // scores, NPS, promoters, passives, detractors
    [[10, 9, 8, 7, 6, 0], 0, 2, 2, 2],
    [[10, 10, 9, 9], 100, 4, 0, 0],
    [[0, 1, 2], -100, 0, 0, 3],
    [[9, 9, 9, 7, 3], 40, 3, 1, 1],
    [[8, 7, 8], 0, 0, 3, 0],
  ])("NPS of %j is %d", (scores, value, promoters, passives, detractors) => {
    expect(computeNps(scores)).toEqual({ value, responses: scores.length, promoters, passives, detractors });
  });

  it("no answers give null with a count of 0, never NaN", () => {
    expect(computeNps([])).toEqual({ value: null, responses: 0, promoters: 0, passives: 0, detractors: 0 });
    expect(computeCsat([])).toEqual({ value: null, responses: 0 });
    expect(computeCes([])).toEqual({ value: null, responses: 0 });
  });

  it.each([
    [[5, 4, 3, 2], 50],
    [[5, 5, 4], 100],
    [[1, 2, 3], 0],
    [[4, 4, 3], 66.7],
  ])("CSAT of %j is %d%%", (scores, value) => {
    expect(computeCsat(scores).value).toBe(value);
  });

  it.each([
    [[1, 2, 3], 2],
    [[7, 6], 6.5],
    [[2, 2, 3], 2.33],
  ])("CES of %j is %d", (scores, value) => {
    expect(computeCes(scores).value).toBe(value);
  });

  it("groups answers and adds an All row", () => {
    const rows = vocByGroup([
      { kind: "nps", score: 10, group: "smb" },
      { kind: "nps", score: 2, group: "enterprise" },
      { kind: "csat", score: 5, group: "smb" },
    ]);
    expect(rows.map((r) => [r.group, r.nps.value, r.csat.value])).toEqual([
      ["All", 0, 100],
      ["enterprise", -100, null],
      ["smb", 100, 100],
    ]);
  });
});

describe("periods", () => {
  const now = new Date("2026-11-23T10:00:00Z");
  it.each([
    ["last-90d", "2026-08-26", "2026-11-24"],
    ["2026-Q3", "2026-07-01", "2026-10-01"],
    ["2026-q4", "2026-10-01", "2027-01-01"],
    ["2026-10", "2026-10-01", "2026-11-01"],
    ["last-quarter", "2026-07-01", "2026-10-01"],
    ["this-quarter", "2026-10-01", "2027-01-01"],
  ])("%s is [%s, %s)", (text, start, end) => {
    const p = parseTrendPeriod(text, now)!;
    expect([p.start.toISOString().slice(0, 10), p.end.toISOString().slice(0, 10)]).toEqual([start, end]);
  });

  it.each(["2026-13", "yesterday", "last-0d", "2026-Q5"])("refuses %s", (text) => {
    expect(parseTrendPeriod(text, now)).toBeUndefined();
  });

  it("the previous period has the same length, just before", () => {
    const prev = previousPeriod(parseTrendPeriod("2026-10", now)!);
    expect([prev.start.toISOString().slice(0, 10), prev.end.toISOString().slice(0, 10)]).toEqual([
      "2026-09-01",
      "2026-10-01",
    ]);
  });
});
