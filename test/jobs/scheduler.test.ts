import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobSlot, slotOf, startScheduler } from "../../src/jobs/scheduler.js";
import { createLogger } from "../../src/log.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
const logger = createLogger("silent");
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

describe("scheduled jobs across processes", () => {
  it("runs a slot once when several instances claim it together", async () => {
    let runs = 0;
    const job = { name: "count-once", run: async () => void runs++ };
    const at = new Date("2026-11-23T02:00:00.000Z");
    const outcomes = await Promise.all(
      ["a", "b", "c"].map((instanceId) => runJobSlot(job, at, { db: t.db, databaseUrl: t.url, logger, instanceId })),
    );
    expect(runs).toBe(1);
    expect(outcomes.sort()).toEqual(["claimed-elsewhere", "claimed-elsewhere", "succeeded"]);
    const rows = await t.db.jobRun.findMany({ where: { job: "count-once" } });
    expect(rows).toMatchObject([{ slot: slotOf(at), status: "succeeded" }]);
  });

  it("records a failed run with its error and lets the next slot run", async () => {
    const job = {
      name: "fails-then-works",
      run: async ({ slot }: { slot: string }) => {
        if (slot.endsWith("00:00.000Z")) throw new Error("database went away");
      },
    };
    const deps = { db: t.db, databaseUrl: t.url, logger, instanceId: "x" };
    expect(await runJobSlot(job, new Date("2026-11-23T03:00:00Z"), deps)).toBe("failed");
    expect(await runJobSlot(job, new Date("2026-11-23T03:01:00Z"), deps)).toBe("succeeded");
    const rows = await t.db.jobRun.findMany({ where: { job: job.name }, orderBy: { slot: "asc" } });
    expect(rows.map((r) => [r.status, r.error])).toEqual([
      ["failed", "database went away"],
      ["succeeded", null],
    ]);
  });

  it("never overlaps: a slot whose previous run is still going is skipped and recorded", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let running!: () => void;
    const firstIsRunning = new Promise<void>((r) => (running = r));
    const slow = { name: "slow", run: () => (running(), gate) };
    const deps = { db: t.db, databaseUrl: t.url, logger };
    const first = runJobSlot(slow, new Date("2026-11-23T04:00:00Z"), { ...deps, instanceId: "p1" });
    // The second slot starts while the first holds its lock, however slow the machine is.
    await firstIsRunning;
    const second = await runJobSlot(slow, new Date("2026-11-23T04:01:00Z"), { ...deps, instanceId: "p2" });
    release();
    expect(await first).toBe("succeeded");
    expect(second).toBe("previous-run-still-going");
  });

  it("three schedulers ticking every second execute each slot exactly once", async () => {
    const executed: string[] = [];
    const job = {
      name: "every-second",
      cron: "* * * * * *",
      timezone: "UTC",
      scope: "global" as const,
      run: async ({ slot }: { slot: string }) => void executed.push(slot),
    };
    const schedulers = ["p1", "p2", "p3"].map((instanceId) =>
      startScheduler([job], { db: t.db, databaseUrl: t.url, logger, instanceId }),
    );
    await new Promise((r) => setTimeout(r, 3_500));
    await Promise.all(schedulers.map((s) => s.stop()));
    await Promise.all(schedulers.map((s) => s.idle()));
    expect(executed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(executed).size).toBe(executed.length);
    const claimed = await t.db.jobRun.count({ where: { job: "every-second" } });
    expect(claimed).toBe(executed.length);
  });
});
