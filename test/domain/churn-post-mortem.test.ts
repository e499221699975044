import { describe, expect, it } from "vitest";
import {
  bandChanges,
  computeWarning,
  parseAmount,
  validatePostMortem,
  type BandPoint,
  type PostMortemDraft,
} from "../../src/domain/churn-post-mortem.js";
import { isoDay } from "../../src/domain/dates.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const today = new Date("2026-11-23T10:00:00Z");
const valid: PostMortemDraft = {
  churnedOn: "2026-11-20",
  kind: "full",
  arrLost: null,
  primaryReason: "competitor",
  reasonOther: null,
  contributingFactors: ["low_adoption", "competitor"],
  warningSigns: "Usage halved in September",
  warningSeenOn: "2026-09-15",
  couldHaveDone: "Exec sponsor call in September",
  lessons: "Watch weekly actives",
  preventable: "yes",
};

describe("validatePostMortem", () => {
  it("accepts a full churn with the ARR left empty (the whole ARR is lost) and drops the primary reason from the factors", () => {
    const result = validatePostMortem(valid, { accountArr: 48_000, today });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      kind: "full",
      arrLost: 48_000,
      primaryReason: "competitor",
      contributingFactors: ["low_adoption"],
      preventable: true,
    });
    expect(isoDay(result.value.churnedOn)).toBe("2026-11-20");
  });

  it("accepts a downgrade with part of the ARR and today's date", () => {
    const result = validatePostMortem(
      { ...valid, kind: "downgrade", arrLost: "12,000", churnedOn: "2026-11-23", preventable: "no" },
      { accountArr: 48_000, today },
    );
    expect(result).toMatchObject({ ok: true, value: { kind: "downgrade", arrLost: 12_000, preventable: false } });
  });

  it.each<[string, Partial<PostMortemDraft>, Record<string, RegExp>]>([
    [
      "required fields missing",
      { churnedOn: null, kind: null, primaryReason: null, preventable: null },
      {
        churnedOn: /Pick the date/,
        kind: /full churn or downgrade/,
        primaryReason: /primary reason/,
        preventable: /preventable/,
      },
    ],
    [
      "a date in the future",
      { churnedOn: "2026-11-24" },
      { churnedOn: /cannot be in the future \(today is 23 Nov 2026\)/ },
    ],
    ["an impossible date", { churnedOn: "2026-02-30" }, { churnedOn: /not a date/ }],
    [
      "ARR lost above the account's ARR",
      { kind: "downgrade", arrLost: "50000" },
      { arrLost: /cannot be more than the account's ARR \(\$48,000\)/ },
    ],
    ["ARR lost that is not an amount", { kind: "downgrade", arrLost: "lots" }, { arrLost: /not an amount/ }],
    ["a downgrade without ARR lost", { kind: "downgrade", arrLost: "" }, { arrLost: /Enter the ARR lost/ }],
    ["a downgrade losing everything", { kind: "downgrade", arrLost: "48000" }, { arrLost: /is a full churn/ }],
    ["a full churn losing part", { kind: "full", arrLost: "10000" }, { arrLost: /whole ARR/ }],
    ["other without text", { primaryReason: "other", reasonOther: "  " }, { reasonOther: /Describe the reason/ }],
    ["an unknown reason", { primaryReason: "aliens" }, { primaryReason: /primary reason/ }],
    ["warning seen after churn", { warningSeenOn: "2026-11-21" }, { warningSeenOn: /before the churn date/ }],
  ])("refuses %s with inline errors", (_name, change, expected) => {
    const result = validatePostMortem({ ...valid, ...change }, { accountArr: 48_000, today });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(Object.keys(expected).sort());
    for (const [field, pattern] of Object.entries(expected))
      expect(result.errors[field as keyof PostMortemDraft]).toMatch(pattern);
  });
});

describe("parseAmount", () => {
  it.each([
    ["12000", 12_000],
    ["12,000", 12_000],
    ["$12,000.50", 12_000.5],
    ["12k", 12_000],
    ["-5", undefined],
    ["twelve", undefined],
  ])("parseAmount(%j) = %s", (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });
});

function series(spec: [string, number, BandPoint["band"]][]): BandPoint[] {
  return spec.map(([day, score, band]) => ({ scoredOn: d(day), score, band }));
}

describe("computeWarning", () => {
  it.each<[string, BandPoint[], string, string | null, number | null]>([
    [
      "red from a known day to churn",
      series([
        ["2026-08-01", 75, "green"],
        ["2026-09-01", 55, "yellow"],
        ["2026-09-20", 35, "red"],
        ["2026-11-01", 20, "red"],
      ]),
      "2026-11-20",
      "2026-09-20",
      61,
    ],
    [
      "a yellow dip does not reset the clock",
      series([
        ["2026-09-01", 72, "green"],
        ["2026-09-10", 38, "red"],
        ["2026-09-20", 45, "yellow"],
        ["2026-10-01", 30, "red"],
      ]),
      "2026-10-10",
      "2026-09-10",
      30,
    ],
    [
      "a recovery to green does",
      series([
        ["2026-06-01", 30, "red"],
        ["2026-07-01", 80, "green"],
        ["2026-10-01", 30, "red"],
      ]),
      "2026-10-31",
      "2026-10-01",
      30,
    ],
    [
      "never red",
      series([
        ["2026-09-01", 72, "green"],
        ["2026-10-01", 50, "yellow"],
      ]),
      "2026-10-10",
      null,
      null,
    ],
    [
      "green at the end",
      series([
        ["2026-09-01", 30, "red"],
        ["2026-10-01", 80, "green"],
      ]),
      "2026-10-10",
      null,
      null,
    ],
    [
      "snapshots after the churn date are ignored",
      series([
        ["2026-10-01", 80, "green"],
        ["2026-10-20", 20, "red"],
      ]),
      "2026-10-10",
      null,
      null,
    ],
    ["no history", [], "2026-10-10", null, null],
  ])("%s", (_name, history, churnedOn, firstRed, days) => {
    const w = computeWarning(history, d(churnedOn));
    expect([w.firstRedOn ? isoDay(w.firstRedOn) : null, w.daysOfWarning]).toEqual([firstRed, days]);
  });
});

describe("bandChanges", () => {
  it("lists each change of band with its day and score", () => {
    const changes = bandChanges(
      series([
        ["2026-09-01", 72, "green"],
        ["2026-09-02", 71, "green"],
        ["2026-09-10", 55, "yellow"],
        ["2026-09-20", 35, "red"],
      ]),
    );
    expect(changes.map((c) => [isoDay(c.on), c.from, c.to, c.score])).toEqual([
      ["2026-09-10", "green", "yellow", 55],
      ["2026-09-20", "yellow", "red", 35],
    ]);
  });
});
