import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { healthComponentsSchema, healthReasonsSchema } from "../../src/domain/health/snapshot.js";
import { DEFAULT_HEALTH_MODEL } from "../../src/domain/health/model-config.js";
import {
  backfillScores,
  scoreAccount,
  scoreAllWorkspaces,
  scorePagesAsOf,
  scoreWorkspace,
  type ScoredPageItem,
} from "../../src/services/score-accounts.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  addNps,
  addTouchpoint,
  createAccount,
  createWorkspace,
  fillUsage,
  silentLogger,
  testConfig,
} from "../helpers/portfolio.js";

const NOW = new Date("2026-11-23T02:00:00Z");
const TODAY = new Date("2026-11-23T00:00:00Z");
const ago = (n: number) => addDays(TODAY, -n);

let t: TestDatabase;
const ctx = () => ({ db: t.db, logger: silentLogger, config: testConfig, databaseUrl: t.url });

/** A healthy account, a declining one, one with malformed usage rows, and a churned one. */
async function seedWorkspace(teamId: string, settings: object = {}) {
  const ws = await createWorkspace(t.db, teamId, settings);
  const healthy = await createAccount(t.db, ws, { externalId: `${teamId}-H`, createdAt: ago(400) });
  const declining = await createAccount(t.db, ws, { externalId: `${teamId}-D`, createdAt: ago(400) });
  const broken = await createAccount(t.db, ws, { externalId: `${teamId}-B`, createdAt: ago(400) });
  const churned = await createAccount(t.db, ws, {
    externalId: `${teamId}-C`,
    createdAt: ago(400),
    status: "churned",
    churnedAt: ago(20),
  });
  for (const id of [healthy, declining, broken, churned]) await fillUsage(t.db, ws, id, ago(90), TODAY, 75);
  await fillUsage(t.db, ws, declining, ago(10), TODAY, 4);
  // An import bug wrote a list where a module -> uses object belongs.
  await t.db
    .$executeRaw`UPDATE "usage_daily" SET "modules" = '["dashboards"]'::jsonb WHERE "workspaceId" = ${ws} AND "accountId" = ${broken} AND "day" = ${ago(3)}::date`;
  for (const id of [healthy, broken]) {
    await addTouchpoint(t.db, ws, id, ago(4));
    await addNps(t.db, ws, id, 9, ago(30));
  }
  await addTouchpoint(t.db, ws, declining, ago(50));
  await addNps(t.db, ws, declining, 4, ago(20));
  return { ws, healthy, declining, broken, churned };
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("scoreWorkspace", () => {
  it("scores active accounts, skips and counts a bad one, and records the run", async () => {
    const { ws, healthy, declining, broken } = await seedWorkspace("T0RUN");
    const summary = await scoreWorkspace(ctx(), ws, NOW, { trigger: "test" });
    expect(summary).toMatchObject({
      accountsScored: 2,
      failures: 1,
      trigger: "test",
      modelVersion: DEFAULT_HEALTH_MODEL.version,
      modelFellBack: false,
    });
    expect(summary.scoredOn).toEqual(TODAY);

    const snapshots = await t.db.healthSnapshot.findMany({ where: { workspaceId: ws }, orderBy: { accountId: "asc" } });
    expect(snapshots.map((s) => s.accountId)).toEqual([healthy, declining]);
    for (const s of snapshots) {
      expect(healthComponentsSchema.parse(s.components).usage.score).toBe(s.usageScore);
      const reasons = healthReasonsSchema.parse(s.reasons);
      expect(reasons.length).toBeGreaterThan(2);
      expect(reasons.map((r) => Math.abs(r.impact))).toEqual(
        reasons.map((r) => Math.abs(r.impact)).sort((a, b) => b - a),
      );
      expect(s.modelVersion).toBe(DEFAULT_HEALTH_MODEL.version);
      expect(s.scoredOn).toEqual(TODAY);
    }
    const [good, bad] = snapshots;
    expect(good!.band).toBe("green");
    expect(bad!.band).toBe("red");
    const badTexts = healthReasonsSchema.parse(bad!.reasons).map((r) => r.text);
    expect(badTexts).toContain("No CSM touchpoint in 50 days");
    expect(badTexts.some((x) => x.startsWith("Detractor NPS (4) on"))).toBe(true);
    expect(summary.riskiest[0]).toMatchObject({ accountId: declining, band: "red" });

    const run = await t.db.scoringRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run).toMatchObject({
      workspaceId: ws,
      status: "succeeded",
      accountsScored: 2,
      failures: 1,
      trigger: "test",
      modelVersion: DEFAULT_HEALTH_MODEL.version,
    });
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect(run.details).toMatchObject({
      bands: { green: 1, yellow: 0, red: 1 },
      failedAccounts: [{ accountId: broken, error: expect.stringContaining("not a JSON object") }],
    });
  });

  it("re-running the same day replaces that day's snapshots", async () => {
    const { ws, healthy } = await seedWorkspace("T0RERUN");
    await scoreWorkspace(ctx(), ws, NOW);
    const first = await t.db.healthSnapshot.findFirstOrThrow({ where: { workspaceId: ws, accountId: healthy } });
    await addTouchpoint(t.db, ws, healthy, ago(1));
    await t.db.surveyResponse.deleteMany({ where: { workspaceId: ws, accountId: healthy } });
    await scoreWorkspace(ctx(), ws, new Date(NOW.getTime() + 3_600_000));
    const rows = await t.db.healthSnapshot.findMany({ where: { workspaceId: ws } });
    expect(rows).toHaveLength(2);
    const second = rows.find((r) => r.accountId === healthy)!;
    expect(second.id).toBe(first.id);
    expect(second.perceptionScore).not.toBe(first.perceptionScore);
    expect(await t.db.scoringRun.count({ where: { workspaceId: ws } })).toBe(2);
  });

  it("raises one score_drop signal with from/to scores, not again the same day or the next", async () => {
    const { ws, declining, healthy } = await seedWorkspace("T0DROP");
    // A week ago both were healthy.
    await t.db.healthSnapshot.createMany({
      data: [declining, healthy].map((accountId) => ({
        workspaceId: ws,
        accountId,
        scoredOn: ago(7),
        score: 92,
        band: "green" as const,
        components: {},
        reasons: [],
        modelVersion: "old",
      })),
    });
    const summary = await scoreWorkspace(ctx(), ws, NOW);
    expect(summary.scoreDrops).toBe(1);
    await scoreWorkspace(ctx(), ws, NOW);
    await scoreWorkspace(ctx(), ws, addDays(NOW, 1));
    const signals = await t.db.riskSignal.findMany({ where: { workspaceId: ws } });
    expect(signals).toHaveLength(1);
    const snapshot = await t.db.healthSnapshot.findFirstOrThrow({
      where: { workspaceId: ws, accountId: declining, scoredOn: TODAY },
    });
    expect(signals[0]).toMatchObject({ accountId: declining, kind: "score_drop", detectedOn: TODAY });
    expect(signals[0]!.details).toMatchObject({
      from: 92,
      to: snapshot.score,
      change: snapshot.score - 92,
      thresholdPoints: 15,
    });
  });

  it("falls back to the default model on invalid settings and says so in the run", async () => {
    const { ws } = await seedWorkspace("T0BADMODEL", {
      scoreModel: { version: "mine", bands: { greenAtLeast: "high" } },
    });
    const summary = await scoreWorkspace(ctx(), ws, NOW);
    expect(summary.modelFellBack).toBe(true);
    expect(summary.modelVersion).toBe(DEFAULT_HEALTH_MODEL.version);
    const run = await t.db.scoringRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run.details).toMatchObject({
      modelFellBack: true,
      modelProblems: [expect.stringContaining("scoreModel.bands.greenAtLeast")],
    });
  });

  it("uses a workspace's valid model and records its version", async () => {
    const { ws } = await seedWorkspace("T0OWNMODEL", {
      scoreModel: { version: "acme-7", bands: { greenAtLeast: 99 } },
    });
    const summary = await scoreWorkspace(ctx(), ws, NOW);
    expect(summary.modelVersion).toBe("acme-7");
    expect(summary.bands.green).toBe(0);
    const versions = await t.db.healthSnapshot.findMany({ where: { workspaceId: ws }, select: { modelVersion: true } });
    expect(new Set(versions.map((v) => v.modelVersion))).toEqual(new Set(["acme-7"]));
  });

  it("dates the snapshot in PULSE_TIMEZONE", async () => {
    const { ws } = await seedWorkspace("T0TZ");
    const tokyo = { ...testConfig, timezone: "Asia/Tokyo" };
    const summary = await scoreWorkspace(
      { db: t.db, logger: silentLogger, config: tokyo, databaseUrl: t.url },
      ws,
      new Date("2026-11-22T20:00:00Z"),
    );
    expect(summary.scoredOn).toEqual(TODAY);
  });
});

describe("writing snapshots", () => {
  /** Makes PostgreSQL refuse snapshot rows of one account with the given SQLSTATE. */
  async function refuseSnapshotsOf(accountId: number, sqlstate: string) {
    await t.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."accountId" = ${Number(accountId)} THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '${sqlstate}'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.$executeRawUnsafe(
      `CREATE OR REPLACE TRIGGER refuse_snapshot BEFORE INSERT ON "health_snapshot" FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()`,
    );
  }
  const allowSnapshots = () => t.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_snapshot ON "health_snapshot"`);

  it("skips and counts an account whose row the database refuses, and writes the rest", async () => {
    const { ws, healthy, declining } = await seedWorkspace("T0REFUSE");
    await refuseSnapshotsOf(declining, "23514");
    try {
      const summary = await scoreWorkspace(ctx(), ws, NOW);
      expect(summary).toMatchObject({ accountsScored: 1, failures: 2 });
      const run = await t.db.scoringRun.findUniqueOrThrow({ where: { id: summary.runId } });
      expect(JSON.stringify(run.details)).toContain("could not save the snapshot: refused for the test");
      expect((await t.db.healthSnapshot.findMany({ where: { workspaceId: ws } })).map((s) => s.accountId)).toEqual([
        healthy,
      ]);
    } finally {
      await allowSnapshots();
    }
  });

  it("ends the run, recorded as failed, when the database fails for another reason than a row", async () => {
    const { ws, declining } = await seedWorkspace("T0CONNLOST");
    await refuseSnapshotsOf(declining, "57P01");
    try {
      await expect(scoreWorkspace(ctx(), ws, NOW)).rejects.toThrow("refused for the test");
      const run = await t.db.scoringRun.findFirstOrThrow({ where: { workspaceId: ws } });
      expect(run.status).toBe("failed");
      expect(await t.db.healthSnapshot.count({ where: { workspaceId: ws } })).toBe(0);
    } finally {
      await allowSnapshots();
    }
  });
});

describe("scorePagesAsOf", () => {
  it("hands a workspace out in pages of the size asked, each account once, and only that workspace's", async () => {
    const { ws, healthy, declining, broken } = await seedWorkspace("T0PAGES");
    const other = await seedWorkspace("T0PAGESX");
    const extra = [];
    for (let i = 0; i < 4; i++)
      extra.push(await createAccount(t.db, ws, { externalId: `T0PAGES-E${i}`, createdAt: ago(400) }));
    const sizes: number[] = [];
    const seen: number[] = [];
    for await (const page of scorePagesAsOf(t.db, ws, DEFAULT_HEALTH_MODEL, TODAY, NOW, { pageSize: 2 })) {
      sizes.push(page.scored.length + page.failures.length);
      seen.push(...page.scored.map((i) => i.row.features.accountId), ...page.failures.map((f) => f.accountId));
    }
    expect(sizes).toEqual([2, 2, 2, 1]);
    expect(seen.sort((a, b) => a - b)).toEqual([healthy, declining, broken, ...extra].sort((a, b) => a - b));
    expect(seen).not.toContain(other.healthy);

    // Small pages and one big page agree account by account.
    const big: ScoredPageItem[] = [];
    for await (const page of scorePagesAsOf(t.db, ws, DEFAULT_HEALTH_MODEL, TODAY, NOW, { pageSize: 1000 }))
      big.push(...page.scored);
    const paged: ScoredPageItem[] = [];
    for await (const page of scorePagesAsOf(t.db, ws, DEFAULT_HEALTH_MODEL, TODAY, NOW, { pageSize: 3 }))
      paged.push(...page.scored);
    const byAccount = (items: ScoredPageItem[]) =>
      Object.fromEntries(items.map((i) => [i.row.features.accountId, i.result.score]));
    expect(byAccount(paged)).toEqual(byAccount(big));
  });

  it("ends its reading transaction when the caller stops after the first page", async () => {
    const { ws } = await seedWorkspace("T0STOP");
    for await (const page of scorePagesAsOf(t.db, ws, DEFAULT_HEALTH_MODEL, TODAY, NOW, { pageSize: 1 })) {
      expect(page.scored.length + page.failures.length).toBe(1);
      break;
    }
    const open = await t.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`;
    expect(open[0]!.n).toBe(0);
    // The connection went back to the pool in a usable state: the next run works.
    const summary = await scoreWorkspace(ctx(), ws, NOW);
    expect(summary.accountsScored).toBe(2);
  });
});

describe("scoreAllWorkspaces", () => {
  it("skips inactive workspaces", async () => {
    const { ws } = await seedWorkspace("T0INACTIVE");
    await t.db.workspace.update({ where: { id: ws }, data: { active: false } });
    const summaries = await scoreAllWorkspaces(ctx(), addDays(NOW, 30));
    expect(summaries.map((s) => s.workspaceId)).not.toContain(ws);
    expect(summaries.length).toBeGreaterThan(0);
  });
});

describe("scoreAccount", () => {
  it("recomputes one account and writes today's snapshot", async () => {
    const { ws, healthy, churned } = await seedWorkspace("T0ONE");
    const scored = await scoreAccount(ctx(), ws, healthy, NOW);
    expect(scored).toMatchObject({
      accountId: healthy,
      band: "green",
      scoredOn: TODAY,
      trend: { change7d: null, change30d: null },
    });
    expect(await t.db.healthSnapshot.count({ where: { workspaceId: ws } })).toBe(1);
    await expect(scoreAccount(ctx(), ws, churned, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await createWorkspace(t.db, "T0OTHER");
    await expect(scoreAccount(ctx(), other, healthy, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("backfillScores", () => {
  it("scores each past day with only what was known that day", async () => {
    const ws = await createWorkspace(t.db, "T0BACKFILL");
    const account = await createAccount(t.db, ws, { externalId: "BF-1", createdAt: ago(200) });
    await fillUsage(t.db, ws, account, ago(20), TODAY, 80);
    await addTouchpoint(t.db, ws, account, ago(15));
    const result = await backfillScores(ctx(), ws, { from: ago(30), to: ago(1), everyDays: 1 });
    expect(result).toMatchObject({ days: 30, snapshots: 30, failures: 0 });
    const rows = await t.db.healthSnapshot.findMany({ where: { workspaceId: ws }, orderBy: { scoredOn: "asc" } });
    expect(rows).toHaveLength(30);
    // Before the usage feed started the workspace collected no usage (nor touchpoints): both
    // were left out, with no per-account reason; afterwards both were judged.
    const before = rows.find((r) => r.scoredOn.getTime() === ago(25).getTime())!;
    const after = rows.find((r) => r.scoredOn.getTime() === ago(5).getTime())!;
    expect(before.usageScore).toBeNull();
    expect(before.engagementScore).toBeNull();
    expect(healthReasonsSchema.parse(before.reasons)).toEqual([]);
    expect(after.usageScore).not.toBeNull();
    expect(after.engagementScore).not.toBeNull();
    expect(healthReasonsSchema.parse(after.reasons).map((r) => r.text)).toContain("Last CSM touchpoint 10 days ago");
    expect(await t.db.riskSignal.count({ where: { workspaceId: ws } })).toBe(0);
    await expect(backfillScores(ctx(), ws, { from: ago(1), to: ago(5) })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});
