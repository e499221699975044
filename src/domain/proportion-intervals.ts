// Confidence intervals for proportions and their difference. Wilson's score interval for
// one proportion, and Newcombe's hybrid score interval (his "method 10") for a difference
// of two, built from the two Wilson intervals. Unlike the Wald interval (p ± z·se) these
// stay inside [0, 1] and do not collapse to a point at 0 or 100%: 10/10 against 0/10 is a
// large effect measured on few accounts, not a certain difference of exactly 1.
//
// The normal quantile comes from @stdlib (accurate to double precision); the two formulas
// themselves are not in any well-kept JavaScript statistics package, so they are here,
// checked against the examples Newcombe published (Statistics in Medicine, 1998).
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

export interface Proportion {
  successes: number;
  n: number;
}

export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided interval of the given confidence (1.959964… for 0.95). */
export function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be between 0 and 1 (got ${confidence})`);
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

function checkProportion({ successes, n }: Proportion): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a proportion needs at least one trial (got n = ${n})`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`successes must be a whole number from 0 to n (got ${successes} of ${n})`);
}

/** Wilson's score interval for successes/n, without continuity correction. */
export function wilsonInterval(proportion: Proportion, confidence = 0.95): Interval {
  checkProportion(proportion);
  const { successes, n } = proportion;
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 and n the bound is exactly 0 or 1; clamp the rounding error there.
  return {
    low: successes === 0 ? 0 : Math.max(0, center - half),
    high: successes === n ? 1 : Math.min(1, center + half),
  };
}

/** p1 − p2 with Newcombe's hybrid score interval (method 10). */
export function newcombeDifference(
  first: Proportion,
  second: Proportion,
  confidence = 0.95,
): Interval & { difference: number } {
  const p1 = first.successes / first.n;
  const p2 = second.successes / second.n;
  const a = wilsonInterval(first, confidence);
  const b = wilsonInterval(second, confidence);
  const difference = p1 - p2;
  return {
    difference,
    low: difference - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: difference + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}
