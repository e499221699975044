import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "../../src/http/rate-limiter.js";

describe("TokenBucketLimiter", () => {
  it.each([
    // rate, burst, request times (ms), expected allowed flags
    [1, 2, [0, 0, 0], [true, true, false]],
    [1, 2, [0, 0, 1000], [true, true, true]],
    [2, 1, [0, 100, 500, 600], [true, false, true, false]],
    [10, 3, [0, 0, 0, 0, 5000, 5000, 5000, 5000], [true, true, true, false, true, true, true, false]],
  ])("rate %d/s, burst %d at %j -> %j", (rate, burst, times, expected) => {
    const limiter = new TokenBucketLimiter(rate, burst);
    expect(times.map((t) => limiter.take("k", t).allowed)).toEqual(expected);
  });

  it("says how long to wait, in whole seconds, at least 1", () => {
    const limiter = new TokenBucketLimiter(0.25, 1);
    limiter.take("k", 0);
    expect(limiter.take("k", 0)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    expect(limiter.take("k", 3_500).retryAfterSeconds).toBe(1);
  });

  it("keeps keys apart", () => {
    const limiter = new TokenBucketLimiter(1, 1);
    expect([limiter.take("a", 0).allowed, limiter.take("b", 0).allowed, limiter.take("a", 0).allowed]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
