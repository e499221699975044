import { describe, expect, it } from "vitest";
import {
  assignGroup,
  DEFAULT_PLAYBOOKS,
  differenceOfProportions,
  playbookConfigSchema,
  thresholdsFor,
  type PlaybookInputs,
} from "../../../src/domain/playbooks/rules.js";

const calm: PlaybookInputs = {
  accountId: 1,
  segment: "smb",
  stage: "maturity",
  ageDays: 400,
  band: "green",
  score: 80,
  activeSeatShare14d: 0.6,
  bestActiveSeatShare: 0.8,
  daysSinceLastLogin: 1,
  hasUsageData: true,
  latestDetractorNps: null,
  latestLowCsat: null,
  scoreDropSignal: false,
  renewalInDays: 200,
  sponsorLeftDaysAgo: null,
  oldestUnansweredQuestionHours: null,
  customerQuietDays: null,
};
const defaults = playbookConfigSchema.parse({}).thresholds;
const fire = (key: string, over: Partial<PlaybookInputs>) =>
  DEFAULT_PLAYBOOKS.find((p) => p.key === key)!.evaluate({ ...calm, ...over }, defaults);

describe("playbook triggers", () => {
  it("a calm account fires nothing", () => {
    expect(DEFAULT_PLAYBOOKS.map((p) => p.evaluate(calm, defaults)).filter(Boolean)).toEqual([]);
  });

  it.each([
    ["low_usage", { activeSeatShare14d: 0.12 }, "only 12% of seats active over 14 days"],
    ["no_logins", { daysSinceLastLogin: 20 }, "no login in 20 days"],
    ["detractor_nps", { latestDetractorNps: 4 }, "NPS 4 in the last 7 days"],
    ["low_csat", { latestLowCsat: 2 }, "CSAT 2 in the last 7 days"],
    ["score_drop", { scoreDropSignal: true }, "health fell sharply in the last 7 days"],
    ["renewal_risk", { band: "yellow", renewalInDays: 45 }, "yellow and renewing in 45 days"],
    [
      "stalled_onboarding",
      { stage: "onboarding", ageDays: 60, bestActiveSeatShare: 0.1 },
      "onboarding for 60 days and never 25% of seats active",
    ],
    ["sponsor_left", { sponsorLeftDaysAgo: 12 }, "the sponsor left 12 days ago"],
    [
      "unanswered_customer_question",
      { oldestUnansweredQuestionHours: 30.5 },
      "a customer question has waited 30 h for an answer",
    ],
    ["customer_went_quiet", { customerQuietDays: 25 }, "no customer message in 25 days after weekly activity"],
  ] as const)("%s fires with its reason", (key, over, why) => {
    expect(fire(key, over)).toBe(why);
  });

  it("customer-channel triggers have thresholds per segment", () => {
    const config = playbookConfigSchema.parse({
      segments: { enterprise: { unansweredQuestionHours: 4, customerQuietDays: 10 } },
    });
    const def = (key: string) => DEFAULT_PLAYBOOKS.find((p) => p.key === key)!;
    const waiting = { ...calm, oldestUnansweredQuestionHours: 6, customerQuietDays: 12 };
    expect(def("unanswered_customer_question").evaluate(waiting, thresholdsFor(config, "enterprise"))).toBe(
      "a customer question has waited 6 h for an answer",
    );
    expect(def("unanswered_customer_question").evaluate(waiting, thresholdsFor(config, "smb"))).toBeUndefined();
    expect(def("customer_went_quiet").evaluate(waiting, thresholdsFor(config, "enterprise"))).toBe(
      "no customer message in 12 days after weekly activity",
    );
    expect(def("customer_went_quiet").evaluate(waiting, thresholdsFor(config, "smb"))).toBeUndefined();
  });

  it.each([
    ["low_usage", { activeSeatShare14d: 0.12, stage: "orientation" }],
    ["no_logins", { daysSinceLastLogin: 20, hasUsageData: false }],
    ["renewal_risk", { band: "green", renewalInDays: 45 }],
    ["renewal_risk", { band: "red", renewalInDays: 120 }],
    ["stalled_onboarding", { stage: "onboarding", ageDays: 30, bestActiveSeatShare: 0.1 }],
    ["stalled_onboarding", { stage: "onboarding", ageDays: 60, bestActiveSeatShare: 0.4 }],
    ["sponsor_left", { sponsorLeftDaysAgo: 90 }],
  ] as const)("%s does not fire on %j", (key, over) => {
    expect(fire(key, over)).toBeUndefined();
  });

  it("thresholds can differ per segment", () => {
    const config = playbookConfigSchema.parse({ segments: { enterprise: { lowUsageShare: 0.4 } } });
    expect(thresholdsFor(config, "enterprise").lowUsageShare).toBe(0.4);
    expect(thresholdsFor(config, "smb").lowUsageShare).toBe(0.2);
    expect(() => playbookConfigSchema.parse({ thresholds: { lowUsageShare: 3 } })).toThrow();
  });
});

describe("control groups", () => {
  it("assignment is stable, reproducible, and close to the configured share", () => {
    expect(assignGroup("low_usage", 42, "2026-11-23", 0.3)).toBe(assignGroup("low_usage", 42, "2026-11-23", 0.3));
    expect(assignGroup("low_usage", 42, "2026-11-23", 0)).toBe("treated");
    expect(assignGroup("low_usage", 42, "2026-11-23", 1)).toBe("control");
    const controls = Array.from({ length: 2000 }, (_, i) => assignGroup("low_usage", i, "2026-11-23", 0.25)).filter(
      (g) => g === "control",
    ).length;
    expect(controls / 2000).toBeGreaterThan(0.21);
    expect(controls / 2000).toBeLessThan(0.29);
  });

  it("the difference of recovery rates comes with its 95% interval, or says why not", () => {
    const r = differenceOfProportions({ successes: 30, n: 50 }, { successes: 20, n: 50 });
    expect("difference" in r && Math.round(r.difference * 100)).toBe(20);
    // Newcombe's interval from Wilson intervals (the Wald interval was 0.008 to 0.392).
    expect("low" in r && Math.round(r.low * 10000)).toBe(46);
    expect("high" in r && Math.round(r.high * 10000)).toBe(3752);
    // All recovered against none: a wide interval below 1, not the Wald interval's [1, 1].
    const extreme = differenceOfProportions({ successes: 10, n: 10 }, { successes: 0, n: 10 });
    expect(extreme).toMatchObject({ difference: 1, high: 1 });
    expect("low" in extreme && Math.round(extreme.low * 10000)).toBe(6075);
    expect(differenceOfProportions({ successes: 3, n: 5 }, { successes: 1, n: 40 })).toEqual({
      notEnoughData: "need at least 10 in each group (treated 5, control 40)",
    });
  });
});
