import { describe, expect, it } from "vitest";
import {
  actionDedupeKey,
  isTrainingNote,
  STAGE_ACTIONS,
  stuckAtStage,
  suggestAdkarStage,
  type GroupEvidence,
  type UsageEvidence,
} from "../../src/domain/adkar.js";
import { addDays } from "../../src/domain/dates.js";

const now = new Date("2026-12-15T10:00:00Z");
const d = (days: number) => addDays(new Date("2026-12-15T00:00:00Z"), -days);

const group = (over: Partial<GroupEvidence> = {}): GroupEvidence => ({
  group: "end_user",
  touchpointsReached: 3,
  lastReachedOn: d(10),
  lastSentiment: "neutral",
  lastTrainingOn: null,
  qbrWithGroup180d: false,
  latestNps90d: null,
  ...over,
});
const usage = (over: Partial<UsageEvidence> = {}): UsageEvidence => ({
  activeShare14d: 0.1,
  weeklyShares: [],
  modules30d: 1,
  ...over,
});
const broad: Partial<UsageEvidence> = { activeShare14d: 0.7, weeklyShares: Array(8).fill(0.65), modules30d: 4 };

describe("suggestAdkarStage", () => {
  const cases: {
    name: string;
    g: Partial<GroupEvidence>;
    u?: Partial<UsageEvidence>;
    stage: string;
    rule: string;
    evidence: RegExp;
  }[] = [
    {
      name: "no kickoff touchpoint → Awareness",
      g: { touchpointsReached: 0, lastReachedOn: null },
      u: broad,
      stage: "awareness",
      rule: "no_kickoff",
      evidence: /no kickoff/,
    },
    {
      name: "a detractor → Desire",
      g: { latestNps90d: 4 },
      u: broad,
      stage: "desire",
      rule: "detractor",
      evidence: /NPS .* is 4/,
    },
    {
      name: "a negative last touchpoint → Desire",
      g: { lastSentiment: "negative" },
      stage: "desire",
      rule: "negative_touchpoint",
      evidence: /was negative/,
    },
    {
      name: "trained but low active share → Knowledge",
      g: { lastTrainingOn: d(20) },
      u: { activeShare14d: 0.15 },
      stage: "knowledge",
      rule: "trained_low_use",
      evidence: /15% of seats active/,
    },
    {
      name: "reached, untrained, low use → Desire",
      g: {},
      u: { activeShare14d: 0.15 },
      stage: "desire",
      rule: "reached_not_trained",
      evidence: /no training recorded/,
    },
    {
      name: "active share at 40% → Ability",
      g: { lastTrainingOn: d(20) },
      u: { activeShare14d: 0.45, weeklyShares: [0.5, 0.5], modules30d: 2 },
      stage: "ability",
      rule: "active_use",
      evidence: /45% of seats/,
    },
    {
      name: "broad sustained use → Reinforcement",
      g: {},
      u: broad,
      stage: "reinforcement",
      rule: "broad_sustained_use",
      evidence: /last 8 weeks had 60%\+/,
    },
    {
      name: "one weak week is not sustained",
      g: {},
      u: { ...broad, weeklyShares: [0.7, 0.7, 0.7, 0.5, 0.7, 0.7, 0.7, 0.7] },
      stage: "ability",
      rule: "active_use",
      evidence: /70% of seats/,
    },
    {
      name: "sponsor quiet for 90+ days → Desire",
      g: { group: "sponsor", lastReachedOn: d(120) },
      stage: "desire",
      rule: "sponsor_quiet",
      evidence: /120 days/,
    },
    {
      name: "sponsor met, no review → Knowledge",
      g: { group: "sponsor" },
      stage: "knowledge",
      rule: "sponsor_no_review",
      evidence: /no business review/,
    },
    {
      name: "sponsor reviews → Ability",
      g: { group: "sponsor", qbrWithGroup180d: true },
      stage: "ability",
      rule: "sponsor_reviews",
      evidence: /business review/,
    },
    {
      name: "sponsor reviews and broad use → Reinforcement",
      g: { group: "sponsor", qbrWithGroup180d: true },
      u: broad,
      stage: "reinforcement",
      rule: "sponsor_reviews_broad_use",
      evidence: /last 8 weeks/,
    },
    {
      name: "implementer untrained → Desire",
      g: { group: "implementer" },
      u: { modules30d: 1 },
      stage: "desire",
      rule: "implementer_not_trained",
      evidence: /1 module in use/,
    },
    {
      name: "implementer trained, not set up → Knowledge",
      g: { group: "implementer", lastTrainingOn: d(5) },
      u: { modules30d: 1 },
      stage: "knowledge",
      rule: "implementer_trained_not_set_up",
      evidence: /trained on 10 Dec 2026/,
    },
    {
      name: "implementer with two modules live → Ability",
      g: { group: "implementer" },
      u: { modules30d: 2 },
      stage: "ability",
      rule: "implementer_setup",
      evidence: /2 modules in use/,
    },
    {
      name: "implementer sustained → Reinforcement",
      g: { group: "implementer" },
      u: broad,
      stage: "reinforcement",
      rule: "implementer_sustained",
      evidence: /4 modules/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = suggestAdkarStage(group(c.g), usage(c.u), now);
      expect(s.stage).toBe(c.stage);
      expect(s.rule).toBe(c.rule);
      expect(s.evidence.join("; ")).toMatch(c.evidence);
      expect(s.group).toBe(c.g.group ?? "end_user");
    });
  }
});

describe("stuckAtStage", () => {
  const cases = [
    { stage: "awareness", days: 30, stuck: false },
    { stage: "awareness", days: 31, stuck: true },
    { stage: "knowledge", days: 46, stuck: true },
    { stage: "ability", days: 60, stuck: false },
    { stage: "reinforcement", days: 900, stuck: false },
  ] as const;
  for (const c of cases) {
    it(`${c.stage} for ${c.days} days: ${c.stuck ? "stuck" : "not stuck"}`, () => {
      const r = stuckAtStage("end_user", c.stage, d(c.days), now);
      expect(Boolean(r)).toBe(c.stuck);
      if (r) expect(r.daysAtStage).toBe(c.days);
    });
  }
});

describe("stage actions", () => {
  it("every stage has a concrete action for every group, with distinct dedupe keys", () => {
    const keys = new Set<string>();
    for (const [stage, byGroup] of Object.entries(STAGE_ACTIONS)) {
      for (const [g, items] of Object.entries(byGroup)) {
        expect(items.length, `${stage}/${g}`).toBeGreaterThan(0);
        items.forEach((_, i) => keys.add(actionDedupeKey(g as never, stage as never, i)));
      }
    }
    expect(keys.size).toBe(15);
  });

  it("recognises training notes", () => {
    expect(isTrainingNote("Admin training on SSO")).toBe(true);
    expect(isTrainingNote("Ran a workshop for finance")).toBe(true);
    expect(isTrainingNote("Renewal call")).toBe(false);
    expect(isTrainingNote(null)).toBe(false);
  });
});
