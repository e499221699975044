import { describe, expect, it } from "vitest";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { generateDemoPortfolio, type DemoAccount } from "../../src/domain/demo-portfolio.js";

const now = new Date("2026-11-23T07:00:00Z");
const portfolio = generateDemoPortfolio(now);
const today = startOfUtcDay(now);

function meanActive(a: DemoAccount, fromDaysAgo: number, toDaysAgo: number): number {
  const rows = a.usage.filter((u) => u.day > addDays(today, -fromDaysAgo) && u.day <= addDays(today, -toDaysAgo));
  return rows.reduce((s, u) => s + u.activeUsers / u.seats, 0) / Math.max(1, rows.length);
}

const byArchetype = (name: DemoAccount["archetype"]) => portfolio.accounts.filter((a) => a.archetype === name);

describe("demo portfolio", () => {
  it("is deterministic for a seed and differs for another", () => {
    expect(generateDemoPortfolio(now)).toEqual(portfolio);
    expect(generateDemoPortfolio(now, 7).accounts[0]!.name).not.toBe(portfolio.accounts[0]!.name);
  });

  it("has about 200 uniquely named accounts across segments and stages, and an Acme to try", () => {
    expect(portfolio.accounts).toHaveLength(200);
    expect(new Set(portfolio.accounts.map((a) => a.name)).size).toBe(200);
    expect(new Set(portfolio.accounts.map((a) => a.segment))).toEqual(new Set(["enterprise", "mid-market", "smb"]));
    expect(new Set(portfolio.accounts.map((a) => a.stage))).toEqual(
      new Set(["orientation", "onboarding", "adoption", "maturity", "development"]),
    );
    expect(portfolio.accounts.some((a) => a.name.startsWith("Acme"))).toBe(true);
  });

  it("tells each story in the usage data", () => {
    for (const a of byArchetype("slow_decline"))
      expect(meanActive(a, 30, 0)).toBeLessThan(meanActive(a, 150, 120) * 0.75);
    for (const a of byArchetype("sudden_drop")) expect(meanActive(a, 7, 0)).toBeLessThan(meanActive(a, 60, 30) * 0.3);
    for (const a of byArchetype("steady")) expect(meanActive(a, 30, 0)).toBeGreaterThan(0.45);
    for (const a of byArchetype("unused_seats")) expect(meanActive(a, 30, 0)).toBeLessThan(0.25);
    for (const a of byArchetype("onboarding_ramp"))
      expect(meanActive(a, 7, 0)).toBeGreaterThan(meanActive(a, a.usage.length, a.usage.length - 7));
  });

  it("churned accounts declined, then stopped, and carry a post-mortem and ARR history", () => {
    const churned = byArchetype("churned");
    expect(churned.length).toBeGreaterThanOrEqual(20);
    for (const a of churned) {
      expect(a.status).toBe("churned");
      expect(a.churn).toBeDefined();
      expect(a.usage.every((u) => u.day < a.churn!.churnedOn)).toBe(true);
      expect(a.arrChanges.at(-1)).toMatchObject({ kind: "churn", arrBefore: a.arr, arrAfter: 0 });
      expect(a.touchpoints.every((t) => t.occurredAt <= a.churn!.churnedOn)).toBe(true);
    }
  });

  it("a departed champion is recorded on the sponsor contact, and touchpoints stop reaching sponsors", () => {
    for (const a of byArchetype("champion_left")) {
      const sponsor = a.contacts.find((c) => c.stakeholderType === "sponsor")!;
      expect(sponsor.leftAt).toBeInstanceOf(Date);
      const after = a.touchpoints.filter((t) => t.occurredAt > sponsor.leftAt!);
      expect(after.every((t) => !t.stakeholderTypes.includes("sponsor"))).toBe(true);
    }
  });

  it("keeps survey answers on their scales, and silent accounts silent lately", () => {
    for (const a of portfolio.accounts) {
      for (const s of a.surveys) {
        if (s.kind === "nps") expect(s.score).toBeGreaterThanOrEqual(0), expect(s.score).toBeLessThanOrEqual(10);
        if (s.kind === "csat") expect(s.score).toBeGreaterThanOrEqual(1), expect(s.score).toBeLessThanOrEqual(5);
      }
    }
    for (const a of byArchetype("sudden_drop"))
      expect(a.surveys.filter((s) => s.kind === "nps" && s.respondedAt > addDays(today, -90))).toEqual([]);
    const detractorsOfChampionLeft = byArchetype("champion_left").flatMap((a) =>
      a.surveys.filter((s) => s.kind === "nps" && s.score <= 6 && s.respondedAt > addDays(today, -45)),
    );
    expect(detractorsOfChampionLeft.length).toBeGreaterThan(0);
  });
});
