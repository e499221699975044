// The card's "Why" has a direction (issue 15, blocker 3): what lowered the score first,
// what held it up apart, and a drop explained by what changed since the comparison day.
import { describe, expect, it } from "vitest";
import type { HealthReason } from "../../../src/domain/health/snapshot.js";
import { whyLines } from "../../../src/slack/views/account-card.js";
import { formatDay } from "../../../src/slack/views/format.js";

const r = (code: string, impact: number, text: string): HealthReason => ({ component: "usage", code, impact, text });

describe("the card's Why", () => {
  const latest = {
    score: 38,
    band: "red" as const,
    scoredOn: new Date("2026-11-23T00:00:00Z"),
    components: null,
    modelVersion: "rules-1",
    // Stored strongest first by |impact|: the lift first.
    reasons: [
      r("usage.active_days", 14, "Logins on 30 of the last 30 days"),
      r("perception.nps", -12, "Two detractor answers this month"),
      r("engagement.no_touch", -6, "No CSM touchpoint in 41 days"),
    ],
    comparison: {
      scoredOn: new Date("2026-11-16T00:00:00Z"),
      score: 47,
      reasons: [
        r("usage.active_days", 14, "Logins on 30 of the last 30 days"),
        r("perception.nps", -3, "One detractor"),
      ],
    },
  };

  it("leads with what lowered the score, marked, and keeps what held it up apart", () => {
    const lines = whyLines(latest);
    expect(lines[0]).toBe("*Why — what lowered it*");
    expect(lines[1]).toBe("• Two detractor answers this month (-12)");
    expect(lines[2]).toBe("• No CSM touchpoint in 41 days (-6)");
    expect(lines[3]).toBe("*What held it up*");
    expect(lines[4]).toBe("• Logins on 30 of the last 30 days (+14)");
  });

  it("explains a drop by what changed since the comparison day, never by what held steady", () => {
    const lines = whyLines(latest);
    const since = lines.indexOf(`*Since ${formatDay(latest.comparison.scoredOn)} (-9), what changed*`);
    expect(since).toBeGreaterThan(0);
    expect(lines.slice(since + 1)).toEqual([
      "• Two detractor answers this month (-9)",
      "• No CSM touchpoint in 41 days (-6)",
    ]);
    expect(lines.slice(since).join("\n")).not.toContain("Logins");
  });
});
