import { describe, expect, it } from "vitest";
import {
  bandPrecisionRecall,
  riskiestDecileLift,
  rocAuc,
  type BacktestRow,
} from "../../../src/domain/health/backtest-metrics.js";
import { median } from "../../../src/domain/statistics.js";

const row = (
  accountId: number,
  score: number,
  churned: boolean,
  band: BacktestRow["band"] = score < 50 ? "red" : score < 70 ? "yellow" : "green",
): BacktestRow => ({ accountId, score, churned, band });

describe("rocAuc", () => {
  it.each([
    ["perfect ranking", [row(1, 10, true), row(2, 20, true), row(3, 80, false), row(4, 90, false)], 1],
    ["inverted ranking", [row(1, 90, true), row(2, 10, false)], 0],
    ["all tied", [row(1, 50, true), row(2, 50, false), row(3, 50, false)], 0.5],
    ["one of two pairs right, one tie", [row(1, 30, true), row(2, 40, false), row(3, 30, false)], 0.75],
    ["nobody churned", [row(1, 30, false), row(2, 40, false)], null],
    ["everybody churned", [row(1, 30, true)], null],
  ] as const)("%s", (_name, rows, expected) => {
    expect(rocAuc([...rows])).toBe(expected);
  });
});

describe("bandPrecisionRecall", () => {
  it.each([
    [
      [row(1, 10, true), row(2, 20, false), row(3, 80, true), row(4, 90, false)],
      { flagged: 2, truePositives: 1, precision: 0.5, recall: 0.5 },
    ],
    [[row(1, 80, true), row(2, 90, false)], { flagged: 0, truePositives: 0, precision: null, recall: 0 }],
    [[row(1, 10, false)], { flagged: 1, truePositives: 0, precision: 0, recall: null }],
  ])("%#", (rows, expected) => {
    expect(bandPrecisionRecall(rows)).toEqual(expected);
  });
});

describe("riskiestDecileLift", () => {
  it("compares the churn rate of the lowest-scored tenth to the overall rate", () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, i * 5, i < 2 || i === 10));
    // Riskiest 2 both churned (100%) against 3 of 20 overall (15%).
    expect(riskiestDecileLift(rows)).toEqual({ size: 2, churned: 2, lift: 1 / 0.15 });
  });
  it("has no lift without churn and no decile without accounts", () => {
    expect(riskiestDecileLift([row(1, 10, false)])).toEqual({ size: 1, churned: 0, lift: null });
    expect(riskiestDecileLift([])).toEqual({ size: 0, churned: 0, lift: null });
  });
});

describe("median", () => {
  it.each([
    [[], null],
    [[7], 7],
    [[9, 1, 5], 5],
    [[4, 1, 3, 10], 3.5],
  ])("%j -> %s", (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
