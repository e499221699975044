import { describe, expect, it } from "vitest";
import {
  computeChurnMetrics,
  parseReportPeriod,
  PeriodParseError,
  type ArrChangeRecord,
  type ChurnEventRecord,
} from "../../src/domain/churn-metrics.js";
import { isoDay } from "../../src/domain/dates.js";
import { median } from "../../src/domain/statistics.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe("parseReportPeriod", () => {
  const now = new Date("2026-11-23T15:00:00Z");
  it.each([
    [undefined, "2026-Q3", "2026-07-01", "2026-09-30"],
    ["2026-Q3", "2026-Q3", "2026-07-01", "2026-09-30"],
    ["2026-q1", "2026-Q1", "2026-01-01", "2026-03-31"],
    ["last-quarter", "2026-Q3", "2026-07-01", "2026-09-30"],
    ["this-quarter", "2026-Q4", "2026-10-01", "2026-12-31"],
    ["2026-10", "2026-10", "2026-10-01", "2026-10-31"],
    ["2024-02", "2024-02", "2024-02-01", "2024-02-29"],
    ["last-90d", "last 90 days", "2026-08-26", "2026-11-23"],
  ])("%s → %s (%s to %s)", (input, label, start, end) => {
    const p = parseReportPeriod(input, now);
    expect([p.label, isoDay(p.start), isoDay(p.end)]).toEqual([label, start, end]);
  });

  it("last-quarter in the first quarter is the previous year's Q4", () => {
    const p = parseReportPeriod("last-quarter", new Date("2026-02-10T00:00:00Z"));
    expect([p.label, isoDay(p.start), isoDay(p.end)]).toEqual(["2025-Q4", "2025-10-01", "2025-12-31"]);
  });

  it.each(["2026-13", "Q3", "last-0d", "yesterday", "2026-Q5"])("refuses %j with the accepted forms", (input) => {
    expect(() => parseReportPeriod(input, now)).toThrow(PeriodParseError);
    expect(() => parseReportPeriod(input, now)).toThrow(/2026-Q3, last-quarter/);
  });
});

describe("median", () => {
  it.each([
    [[], null],
    [[5], 5],
    [[45, 0, 12, 30], 21],
    [[3, 1, 2], 2],
  ])("median(%j) = %s", (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

// A small fixed portfolio, figures computed by hand below.
//   A1 100k since Jan, churns 2026-08-15           (in the Q3 cohort, churned)
//   A2  50k since Feb, contracts to 30k 2026-07-20 (cohort, contraction 20k)
//   A3  40k since Mar, expands to 60k 2026-09-01   (cohort, expansion 20k)
//   A4  10k since Jan, churned 2026-06-30          (not in the Q3 cohort)
//   A5  signed 2026-07-05 at 20k, churns 2026-09-10 (new in Q3: outside the base)
//   A6  10k since Dec, churns 2026-07-10, won back 2026-08-01 (cohort, churn 10k, win-back 10k)
const arrChanges: ArrChangeRecord[] = [
  { accountId: 1, effectiveOn: d("2026-01-10"), kind: "new_business", arrBefore: 0, arrAfter: 100_000 },
  { accountId: 1, effectiveOn: d("2026-08-15"), kind: "churn", arrBefore: 100_000, arrAfter: 0 },
  { accountId: 2, effectiveOn: d("2026-02-01"), kind: "new_business", arrBefore: 0, arrAfter: 50_000 },
  { accountId: 2, effectiveOn: d("2026-07-20"), kind: "contraction", arrBefore: 50_000, arrAfter: 30_000 },
  { accountId: 3, effectiveOn: d("2026-03-01"), kind: "new_business", arrBefore: 0, arrAfter: 40_000 },
  { accountId: 3, effectiveOn: d("2026-09-01"), kind: "expansion", arrBefore: 40_000, arrAfter: 60_000 },
  { accountId: 4, effectiveOn: d("2026-01-05"), kind: "new_business", arrBefore: 0, arrAfter: 10_000 },
  { accountId: 4, effectiveOn: d("2026-06-30"), kind: "churn", arrBefore: 10_000, arrAfter: 0 },
  { accountId: 5, effectiveOn: d("2026-07-05"), kind: "new_business", arrBefore: 0, arrAfter: 20_000 },
  { accountId: 5, effectiveOn: d("2026-09-10"), kind: "churn", arrBefore: 20_000, arrAfter: 0 },
  { accountId: 6, effectiveOn: d("2025-12-01"), kind: "new_business", arrBefore: 0, arrAfter: 10_000 },
  { accountId: 6, effectiveOn: d("2026-07-10"), kind: "churn", arrBefore: 10_000, arrAfter: 0 },
  { accountId: 6, effectiveOn: d("2026-08-01"), kind: "winback", arrBefore: 0, arrAfter: 10_000 },
];
const churnEvents: ChurnEventRecord[] = [
  {
    accountId: 1,
    kind: "full",
    churnedOn: d("2026-08-15"),
    arrLost: 100_000,
    primaryReason: "competitor",
    daysOfWarning: 45,
    preventable: true,
  },
  {
    accountId: 2,
    kind: "downgrade",
    churnedOn: d("2026-07-20"),
    arrLost: 20_000,
    primaryReason: "budget_or_price",
    daysOfWarning: null,
    preventable: false,
  },
  {
    accountId: 4,
    kind: "full",
    churnedOn: d("2026-06-30"),
    arrLost: 10_000,
    primaryReason: "low_adoption",
    daysOfWarning: 90,
    preventable: true,
  },
  {
    accountId: 5,
    kind: "full",
    churnedOn: d("2026-09-10"),
    arrLost: 20_000,
    primaryReason: "failed_onboarding",
    daysOfWarning: 30,
    preventable: null,
  },
  {
    accountId: 6,
    kind: "full",
    churnedOn: d("2026-07-10"),
    arrLost: 10_000,
    primaryReason: "competitor",
    daysOfWarning: 12,
    preventable: true,
  },
];

describe("computeChurnMetrics on the fixed portfolio", () => {
  it("2026-Q3 matches the hand-computed figures", () => {
    const m = computeChurnMetrics({
      period: parseReportPeriod("2026-Q3", new Date()),
      arrChanges,
      churnEvents,
      grossMargin: 0.8,
    });
    // Cohort at 2026-07-01: A1 100k + A2 50k + A3 40k + A6 10k = 4 accounts, 200k.
    expect(m.days).toBe(92);
    expect([m.startingAccounts, m.startingArr]).toEqual([4, 200_000]);
    // Churn: A1 100k + A6 10k; contraction A2 20k; expansion A3 20k; win-back A6 10k. A5 is outside the base.
    expect([m.churnArr, m.contractionArr, m.expansionArr, m.winbackArr]).toEqual([110_000, 20_000, 20_000, 10_000]);
    expect([m.logosChurned, m.newAccountsChurned]).toEqual([2, 1]);
    expect(m.logoChurnRate.value).toBe(0.5); // 2 / 4
    expect(m.grossRevenueChurn.value).toBe(0.65); // 130k / 200k
    expect(m.grossRevenueRetention.value).toBe(0.35); // (200k − 110k − 20k) / 200k
    expect(m.netRevenueRetention.value).toBe(0.5); // (70k + 20k + 10k) / 200k
    // Annualised: 1 − 0.5^(365/92) = 0.936071…; CLV = 50k × 0.8 / 0.936071 = 42,731.8…
    expect(m.annualisedLogoChurnRate.value).toBeCloseTo(0.936071, 5);
    expect(m.averageArrPerAccount.value).toBe(50_000);
    expect(m.customerLifetimeValue.value).toBeCloseTo(42_731.8, 0);
    // Post-mortems in Q3: A1, A2, A5, A6 (A4 was in June).
    expect(m.postMortems).toBe(4);
    expect(m.reasons.map((r) => [r.reason, r.count, r.arrLost])).toEqual([
      ["competitor", 2, 110_000],
      ["budget_or_price", 1, 20_000],
      ["failed_onboarding", 1, 20_000],
    ]);
    // Days of warning 45, 0 (never red), 30, 12: two of four have 30+; median (12 + 30) / 2.
    expect(m.shareWithWarning.value).toBe(0.5);
    expect(m.medianDaysOfWarning.value).toBe(21);
    // Preventable: yes, no, yes answered (A5 unanswered) → 2 / 3.
    expect(m.sharePreventable.value).toBeCloseTo(2 / 3, 10);
    for (const figure of [m.logoChurnRate, m.grossRevenueRetention, m.netRevenueRetention, m.customerLifetimeValue]) {
      expect(figure.definition.length).toBeGreaterThan(10);
    }
  });

  it("a period with no churn reports zero rates and CLV as not defined, never dividing by zero", () => {
    const m = computeChurnMetrics({ period: parseReportPeriod("2026-04", new Date()), arrChanges, churnEvents });
    // Cohort at 2026-04-01: A1, A2, A3, A4, A6 = 210k.
    expect([m.startingAccounts, m.startingArr, m.logosChurned]).toEqual([5, 210_000, 0]);
    expect(m.logoChurnRate.value).toBe(0);
    expect(m.annualisedLogoChurnRate.value).toBe(0);
    expect(m.grossRevenueRetention.value).toBe(1);
    expect(m.netRevenueRetention.value).toBe(1);
    expect(m.customerLifetimeValue).toMatchObject({ value: null, note: "not defined (no churn in period)" });
    expect(m.medianDaysOfWarning).toMatchObject({ value: null, note: "not defined (no post-mortems in period)" });
    expect(m.shareWithWarning.value).toBeNull();
    expect(m.sharePreventable.value).toBeNull();
  });

  it("an empty portfolio gives no figures, with the reason", () => {
    const m = computeChurnMetrics({
      period: parseReportPeriod("2026-Q3", new Date()),
      arrChanges: [],
      churnEvents: [],
    });
    expect(m.logoChurnRate).toMatchObject({ value: null, note: "not defined (no active accounts at period start)" });
    expect(m.grossRevenueRetention.value).toBeNull();
    expect(m.customerLifetimeValue.value).toBeNull();
  });

  it("uses the configured gross margin and refuses a margin outside (0, 1]", () => {
    const period = parseReportPeriod("2026-Q3", new Date());
    const at50 = computeChurnMetrics({ period, arrChanges, churnEvents, grossMargin: 0.5 });
    const at80 = computeChurnMetrics({ period, arrChanges, churnEvents, grossMargin: 0.8 });
    expect(at50.customerLifetimeValue.value! / at80.customerLifetimeValue.value!).toBeCloseTo(0.625, 10);
    expect(() => computeChurnMetrics({ period, arrChanges, churnEvents, grossMargin: 1.5 })).toThrow(/gross margin/);
    expect(() => computeChurnMetrics({ period, arrChanges, churnEvents, grossMargin: 0 })).toThrow(/gross margin/);
  });
});
