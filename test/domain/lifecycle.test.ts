import { describe, expect, it } from "vitest";
import { suggestStage, type StageEvidence } from "../../src/domain/lifecycle.js";

const base: StageEvidence = {
  stage: "orientation",
  daysInStage: 10,
  activeDays: 0,
  activeSeatShare14d: null,
  modules30d: 0,
  tenureDays: 10,
  expandedRecently: false,
};

describe("stage suggestions on known histories", () => {
  it.each([
    [{ stage: "orientation", activeDays: 6 }, "onboarding", "first_active_week"],
    [{ stage: "orientation", activeDays: 3 }, undefined, undefined],
    [{ stage: "onboarding", daysInStage: 30, activeSeatShare14d: 0.55 }, "adoption", "sustained_seat_share"],
    [{ stage: "onboarding", daysInStage: 7, activeSeatShare14d: 0.55 }, undefined, undefined],
    [{ stage: "onboarding", daysInStage: 30, activeSeatShare14d: 0.2 }, undefined, undefined],
    [{ stage: "adoption", tenureDays: 200, modules30d: 5, activeSeatShare14d: 0.6 }, "maturity", "steady_breadth"],
    [{ stage: "adoption", tenureDays: 100, modules30d: 5, activeSeatShare14d: 0.6 }, undefined, undefined],
    [{ stage: "maturity", expandedRecently: true }, "development", "expansion"],
    [{ stage: "development", expandedRecently: true }, undefined, undefined],
  ] as const)("%j -> %s", (over, to, rule) => {
    const s = suggestStage({ ...base, ...over });
    expect(s?.to).toBe(to);
    expect(s?.rule).toBe(rule);
  });
});
