import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { addDays } from "../../src/domain/dates.js";
import { buildJobs } from "../../src/jobs/index.js";
import { runJobSlot } from "../../src/jobs/scheduler.js";
import { runScoreAccounts } from "../../src/jobs/score-accounts.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  addTouchpoint,
  createAccount,
  createWorkspace,
  fillUsage,
  silentLogger,
  testConfig,
} from "../helpers/portfolio.js";

const NOW = new Date("2026-11-23T02:00:00Z");
const TODAY = new Date("2026-11-23T00:00:00Z");

let t: TestDatabase;
let ctx: AppContext;

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = {
    db: t.db,
    databaseUrl: t.url,
    logger: silentLogger,
    config: { ...testConfig, scoreCron: "0 2 * * *", timezone: "Europe/Paris" },
    slack: { forWorkspace: () => ({}) } as unknown as AppContext["slack"],
    clock: () => NOW,
  };
  for (const team of ["T0JOBA", "T0JOBB"]) {
    const ws = await createWorkspace(t.db, team);
    for (let i = 0; i < 3; i++) {
      const id = await createAccount(t.db, ws, { externalId: `${team}-${i}`, createdAt: addDays(TODAY, -300) });
      await fillUsage(t.db, ws, id, addDays(TODAY, -60), TODAY, 50 + i * 10);
      await addTouchpoint(t.db, ws, id, addDays(TODAY, -3));
    }
  }
});
afterAll(async () => {
  await t.drop();
});

describe("score-accounts job", () => {
  it("is registered nightly with the configured cron and time zone", () => {
    const job = buildJobs(ctx).find((j) => j.name === "score-accounts");
    expect(job).toMatchObject({ cron: "0 2 * * *", timezone: "Europe/Paris" });
  });

  it("scores every active workspace with trigger 'schedule'", async () => {
    const summaries = await runScoreAccounts(ctx, NOW);
    expect(summaries.map((s) => s.accountsScored)).toEqual([3, 3]);
    expect(new Set(summaries.map((s) => s.trigger))).toEqual(new Set(["schedule"]));
  });

  it("runs once when two processes claim the same slot", async () => {
    const job = buildJobs(ctx).find((j) => j.name === "score-accounts")!;
    const slotAt = new Date("2026-11-24T01:00:00Z");
    const before = await t.db.scoringRun.count();
    const outcomes = await Promise.all([
      runJobSlot(job, slotAt, { db: t.db, databaseUrl: t.url, logger: silentLogger, instanceId: "proc-a" }),
      runJobSlot(job, slotAt, { db: t.db, databaseUrl: t.url, logger: silentLogger, instanceId: "proc-b" }),
    ]);
    expect(outcomes.sort()).toEqual(["claimed-elsewhere", "succeeded"]);
    // One run per workspace, from one process.
    expect((await t.db.scoringRun.count()) - before).toBe(2);
    const jobRuns = await t.db.jobRun.findMany({ where: { job: "score-accounts" } });
    expect(jobRuns).toHaveLength(1);
    expect(jobRuns[0]!.status).toBe("succeeded");
    const snapshots = await t.db.healthSnapshot.count({ where: { scoredOn: new Date("2026-11-24T00:00:00Z") } });
    expect(snapshots).toBe(6);
  });
});
