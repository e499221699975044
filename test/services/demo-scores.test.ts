// The demo portfolio must come out as a CSM would read it. Seeds it, backfills two weeks of
// history (so trends and score drops exist), scores today, and checks each archetype.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { generateDemoPortfolio, type Archetype } from "../../src/domain/demo-portfolio.js";
import { healthComponentsSchema, healthReasonsSchema } from "../../src/domain/health/snapshot.js";
import { backfillScores, scoreWorkspace, type ScoringRunSummary } from "../../src/services/score-accounts.js";
import { seedDemoPortfolio } from "../../src/services/seed-demo.js";
import { runBacktest } from "../../src/services/backtest.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { silentLogger, testConfig } from "../helpers/portfolio.js";

const NOW = new Date("2026-11-23T02:00:00Z");
const TODAY = new Date("2026-11-23T00:00:00Z");
const archetypeOf = new Map(generateDemoPortfolio(NOW).accounts.map((a) => [a.externalId, a.archetype]));

let t: TestDatabase;
let ws: number;
let summary: ScoringRunSummary;
type Row = { archetype: Archetype; score: number; band: string; reasons: unknown; components: unknown };
let rows: Row[];

beforeAll(async () => {
  t = await createTestDatabase();
  ws = (await seedDemoPortfolio(t.db, { now: NOW })).workspaceId;
  const ctx = { db: t.db, logger: silentLogger, config: testConfig, databaseUrl: t.url };
  await backfillScores(ctx, ws, { from: addDays(TODAY, -14), to: addDays(TODAY, -1) });
  summary = await scoreWorkspace(ctx, ws, NOW);
  const snapshots = await t.db.healthSnapshot.findMany({
    where: { workspaceId: ws, scoredOn: TODAY },
    include: { account: { select: { externalId: true } } },
  });
  rows = snapshots.map((s) => ({
    archetype: archetypeOf.get(s.account.externalId!)!,
    score: s.score,
    band: s.band,
    reasons: s.reasons,
    components: s.components,
  }));
}, 120_000);
afterAll(async () => {
  await t.drop();
});

const share = (archetype: Archetype, bands: string[]) => {
  const of = rows.filter((r) => r.archetype === archetype);
  return of.filter((r) => bands.includes(r.band)).length / of.length;
};

describe("demo portfolio scores", () => {
  it("scores every active account, none of the churned ones, with valid snapshots", () => {
    expect(summary.failures).toBe(0);
    expect(summary.accountsScored).toBe(176);
    expect(rows.some((r) => r.archetype === "churned")).toBe(false);
    for (const r of rows) {
      healthComponentsSchema.parse(r.components);
      expect(healthReasonsSchema.parse(r.reasons).length).toBeGreaterThan(0);
    }
  });

  it.each([
    ["steady", ["green"], 0.9],
    ["expanding", ["green"], 0.9],
    ["onboarding_ramp", ["green", "yellow"], 0.9],
    ["slow_decline", ["yellow", "red"], 0.9],
    ["sudden_drop", ["yellow", "red"], 0.9],
    ["champion_left", ["yellow", "red"], 0.9],
    ["stalled_onboarding", ["yellow", "red"], 0.9],
    ["unused_seats", ["yellow", "red"], 0.8],
    ["new_orientation", ["green", "yellow"], 1],
  ] as [Archetype, string[], number][])("%s is mostly %j", (archetype, bands, atLeast) => {
    expect(share(archetype, bands)).toBeGreaterThanOrEqual(atLeast);
  });

  it("spreads its scores as a real portfolio does, with accounts in the sixties and seventies", () => {
    const inTen = (from: number) => rows.filter((r) => r.score >= from && r.score < from + 10).length;
    for (const from of [20, 30, 40, 50, 60, 70, 80, 90])
      expect(inTen(from), `scores ${from}–${from + 9}`).toBeGreaterThan(0);
    expect(inTen(60)).toBeGreaterThanOrEqual(5);
    expect(inTen(70)).toBeGreaterThanOrEqual(8);
  });

  it("tells each troubled story with the reason a CSM would name", () => {
    const topCodes = (archetype: Archetype) =>
      rows
        .filter((r) => r.archetype === archetype)
        .map((r) =>
          healthReasonsSchema
            .parse(r.reasons)
            .filter((x) => x.impact < 0)
            .slice(0, 3)
            .map((x) => x.code),
        );
    const mostHave = (archetype: Archetype, code: string) => {
      const lists = topCodes(archetype);
      return lists.filter((l) => l.includes(code)).length / lists.length;
    };
    expect(mostHave("sudden_drop", "usage.active_drop")).toBeGreaterThanOrEqual(0.9);
    expect(mostHave("champion_left", "engagement.sponsor_left")).toBeGreaterThanOrEqual(0.9);
    expect(mostHave("stalled_onboarding", "usage.no_first_value")).toBeGreaterThanOrEqual(0.8);
  });

  it("raises score drops for the accounts that fell, and the back-test finds the churners", async () => {
    const drops = await t.db.riskSignal.findMany({
      where: { workspaceId: ws, kind: "score_drop" },
      include: { account: { select: { externalId: true } } },
    });
    expect(drops.length).toBe(summary.scoreDrops);
    for (const d of drops)
      expect(["sudden_drop", "champion_left", "slow_decline", "stalled_onboarding", "unused_seats"]).toContain(
        archetypeOf.get(d.account.externalId!),
      );
    const report = await runBacktest({ db: t.db, logger: silentLogger, config: testConfig, databaseUrl: t.url }, ws, {
      asOf: addDays(TODAY, -120),
      horizonDays: 90,
    });
    expect(report.churned).toBeGreaterThan(5);
    expect(report.auc!).toBeGreaterThan(0.75);
  });
});
