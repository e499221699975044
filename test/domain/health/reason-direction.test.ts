import { describe, expect, it } from "vitest";
import {
  explainDrop,
  reasonShifts,
  splitReasons,
  topLoweringReason,
} from "../../../src/domain/health/reason-direction.js";
import type { HealthReason } from "../../../src/domain/health/snapshot.js";

const r = (code: string, impact: number, text = code): HealthReason => ({ component: "usage", code, impact, text });

describe("splitReasons", () => {
  it("puts what lowered the score first and what held it up apart, each strongest first", () => {
    // Stored strongest first by |impact|: the positive one came first on a red card.
    const stored = [
      r("usage.logins", 14, "Logins on 30 of the last 30 days"),
      r("perception.nps", -11),
      r("usage.wau", -6),
      r("eng.steady", 0.2),
    ];
    const { lowered, heldUp } = splitReasons(stored);
    expect(lowered.map((x) => x.code)).toEqual(["perception.nps", "usage.wau"]);
    expect(heldUp.map((x) => x.code)).toEqual(["usage.logins"]);
    expect(topLoweringReason(stored)?.code).toBe("perception.nps");
  });

  it("has no top lowering reason when nothing lowered the score (not a 'held steady')", () => {
    expect(topLoweringReason([r("usage.steady", 3, "Active users held steady")])).toBeNull();
  });
});

describe("reasonShifts", () => {
  it("explains a drop by what changed since the comparison day", () => {
    const before = [
      r("usage.steady", 4, "Active users held steady"),
      r("perception.nps", -2),
      r("eng.touch", 3, "Touchpoint 5 days ago"),
    ];
    const now = [r("usage.steady", 4, "Active users held steady"), r("perception.nps", -9, "Two detractors this week")];
    const { worse, better } = reasonShifts(now, before);
    expect(worse).toEqual([
      { code: "perception.nps", component: "usage", text: "Two detractors this week", delta: -7, impact: -9 },
      { code: "eng.touch", component: "usage", text: "No longer: touchpoint 5 days ago", delta: -3, impact: 0 },
    ]);
    expect(better).toEqual([]);
  });
});

describe("explainDrop", () => {
  it("never explains a drop by a reason that still holds the score up, nor by a fraction of a point", () => {
    const before = [
      r("usage.steady", 2, "Active users held steady"),
      r("eng.touch", -3, "Last touchpoint 20 days ago"),
    ];
    const now = [
      r("usage.steady", 1, "Active users held steady"),
      r("eng.touch", -3.6, "Last touchpoint 26 days ago"),
      r("perception.nps", -4, "A detractor answer"),
    ];
    expect(explainDrop(now, before).map((s) => s.code)).toEqual(["perception.nps"]);
  });
});
