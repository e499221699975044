// Known values: Newcombe, "Two-sided confidence intervals for the single proportion" and
// "Interval estimation for the difference between independent proportions", Statistics in
// Medicine 17 (1998): the Wilson score interval (his method 3) and the hybrid score
// interval for a difference (method 10), at 95%, to four decimals.
import { describe, expect, it } from "vitest";
import { newcombeDifference, wilsonInterval, zFor } from "../../src/domain/proportion-intervals.js";

const four = (x: number) => Number(x.toFixed(4));

describe("wilsonInterval", () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i/%i gives %f to %f", (successes, n, low, high) => {
    const interval = wilsonInterval({ successes, n });
    expect([four(interval.low), four(interval.high)]).toEqual([low, high]);
  });

  it("reaches exactly 1 at n of n and widens with confidence", () => {
    expect(wilsonInterval({ successes: 10, n: 10 }).high).toBe(1);
    const at95 = wilsonInterval({ successes: 5, n: 10 });
    const at99 = wilsonInterval({ successes: 5, n: 10 }, 0.99);
    expect(at99.low).toBeLessThan(at95.low);
    expect(at99.high).toBeGreaterThan(at95.high);
  });

  it.each([
    [{ successes: 1, n: 0 }, "at least one trial"],
    [{ successes: 11, n: 10 }, "from 0 to n"],
    [{ successes: 1.5, n: 10 }, "from 0 to n"],
  ])("refuses %o", (proportion, message) => {
    expect(() => wilsonInterval(proportion)).toThrow(message);
  });
});

describe("newcombeDifference", () => {
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ])("%i/%i minus %i/%i gives %f to %f", (a, n1, b, n2, low, high) => {
    const r = newcombeDifference({ successes: a, n: n1 }, { successes: b, n: n2 });
    expect(r.difference).toBeCloseTo(a / n1 - b / n2, 12);
    expect([four(r.low), four(r.high)]).toEqual([low, high]);
  });

  it("is the mirror image when the groups swap", () => {
    const ab = newcombeDifference({ successes: 56, n: 70 }, { successes: 48, n: 80 });
    const ba = newcombeDifference({ successes: 48, n: 80 }, { successes: 56, n: 70 });
    expect(ba.low).toBeCloseTo(-ab.high, 12);
    expect(ba.high).toBeCloseTo(-ab.low, 12);
  });
});

describe("zFor", () => {
  it("is the normal quantile to double precision", () => {
    expect(zFor(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(zFor(0.99)).toBeCloseTo(2.5758293035489, 12);
    expect(() => zFor(1)).toThrow("between 0 and 1");
  });
});
