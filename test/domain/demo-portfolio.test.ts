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

  it("spreads its steep usage drops over different weeks and depths: not one tracking outage", () => {
    // A steep drop: the week's mean share of active seats at most half the week before's.
    const weekly = (a: DemoAccount, weeksAgo: number) => meanActive(a, (weeksAgo + 1) * 7, weeksAgo * 7);
    const drops = portfolio.accounts
      .filter((a) => a.status === "active")
      .flatMap((a) => {
        for (let w = 0; w < 10; w++)
          if (weekly(a, w + 1) > 0.2 && weekly(a, w) < 0.5 * weekly(a, w + 1)) {
            const after = meanActive(a, 7, 0);
            return [{ week: w, depth: 1 - after / weekly(a, w + 1) }];
          }
        return [];
      });
    expect(drops.length).toBeGreaterThanOrEqual(10);
    const perWeek = new Map<number, number>();
    for (const d of drops) perWeek.set(d.week, (perWeek.get(d.week) ?? 0) + 1);
    expect(perWeek.size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...perWeek.values()) / drops.length).toBeLessThanOrEqual(0.5);
    const depths = drops.map((d) => d.depth);
    expect(Math.max(...depths) - Math.min(...depths)).toBeGreaterThan(0.15);
  });

  it("varies its touchpoint notes: no account's card shows the same note, or the same story, twice in a row", () => {
    const notes = portfolio.accounts.flatMap((a) => a.touchpoints.map((t) => t.notes));
    expect(notes.length).toBeGreaterThan(1000);
    expect(new Set(notes).size / notes.length).toBeGreaterThan(0.9);
    // The story part: what follows the opener's colon, before the next step.
    const story = (n: string) => n.slice(n.indexOf(": ") + 2).split(".")[0];
    for (const a of portfolio.accounts)
      for (let i = 1; i < a.touchpoints.length; i++) {
        expect(a.touchpoints[i]!.notes, a.name).not.toBe(a.touchpoints[i - 1]!.notes);
        if (a.archetype !== "new_orientation")
          expect(story(a.touchpoints[i]!.notes), a.name).not.toBe(story(a.touchpoints[i - 1]!.notes));
      }
  });
});
