// A database blip mid-job must not leave job_run / scoring_run rows "running" forever: the
// outcome is retried until the database is back, and a new process closes the runs a
// process that is gone left running.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.js";
import { withTryAdvisoryLock } from "../../src/db/locks.js";
import { runJobSlot, slotOf, startScheduler } from "../../src/jobs/scheduler.js";
import { closeStaleRuns, jobLockName } from "../../src/jobs/stale-runs.js";
import { createLogger } from "../../src/log.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually } from "../helpers/slack.js";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

let t: TestDatabase;
let proxy: TcpProxy;
let proxiedUrl: string;
const logger = createLogger("silent");
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  const target = new URL(t.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const u = new URL(t.url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  proxiedUrl = u.toString();
});
afterAll(async () => {
  await proxy.close();
  await t.drop();
});

describe("a database blip at the end of a job", () => {
  it("records the failure once PostgreSQL is back, instead of leaving the row running", async () => {
    const db = createDb(proxiedUrl, { max: 2 });
    try {
      const job = {
        name: "blip-mid-job",
        run: async () => {
          proxy.cut();
          // PostgreSQL comes back a little later, while the outcome is being retried.
          setTimeout(() => proxy.restore(), 700);
          throw new Error("connection to the database was lost");
        },
      };
      const at = new Date("2026-11-23T05:00:00Z");
      const outcome = await runJobSlot(job, at, {
        db,
        databaseUrl: proxiedUrl,
        logger,
        instanceId: "blip",
        outcomeRetry: { deadlineMs: 20_000, initialDelayMs: 100, maxDelayMs: 500 },
      });
      expect(outcome).toBe("failed");
      const row = await t.db.jobRun.findUniqueOrThrow({ where: { job_slot: { job: job.name, slot: slotOf(at) } } });
      expect(row).toMatchObject({ status: "failed", error: "connection to the database was lost" });
      expect(row.finishedAt).not.toBeNull();
    } finally {
      proxy.restore();
      await db.$disconnect();
    }
  });
});

describe("closing runs a gone process left running", () => {
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  let workspaceId: number;

  beforeAll(async () => {
    workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "TSTALE", name: "Stale" } })).id;
  });

  async function jobRow(job: string, slot: string, startedAt: Date) {
    return t.db.jobRun.create({ data: { job, slot, claimedBy: "gone-host:4242:dead", status: "running", startedAt } });
  }
  async function scoringRow(trigger: string, startedAt: Date) {
    return t.db.scoringRun.create({
      data: {
        workspaceId,
        trigger,
        scoredOn: new Date("2026-11-23"),
        status: "running",
        startedAt,
        details: { page: 3 },
      },
    });
  }

  it("closes a job's running rows when no process holds its lock; keeps the newest while one does; spares fresh claims", async () => {
    const orphan = await jobRow("orphaned-job", "s1", ago(HOUR));
    const fresh = await jobRow("orphaned-job", "s2", ago(5_000));
    const olderBusy = await jobRow("busy-job", "s1", ago(2 * HOUR));
    const newestBusy = await jobRow("busy-job", "s2", ago(HOUR));
    const finished = await t.db.jobRun.create({
      data: {
        job: "orphaned-job",
        slot: "s0",
        claimedBy: "x",
        status: "succeeded",
        startedAt: ago(3 * HOUR),
        finishedAt: ago(3 * HOUR),
      },
    });

    // Another process is running busy-job right now: it holds the job's lock.
    const result = await withTryAdvisoryLock(t.url, jobLockName("busy-job"), () =>
      closeStaleRuns({ db: t.db, databaseUrl: t.url, logger, instanceId: "new-process", now }),
    );
    expect(result.acquired).toBe(true);

    const status = async (id: number) => (await t.db.jobRun.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(orphan.id)).toBe("failed");
    expect((await t.db.jobRun.findUniqueOrThrow({ where: { id: orphan.id } })).error).toMatch(
      /^closed by new-process at start: no process holds this job's lock/,
    );
    expect(await status(fresh.id)).toBe("running");
    expect(await status(olderBusy.id)).toBe("failed");
    expect(await status(newestBusy.id)).toBe("running");
    expect(await status(finished.id)).toBe("succeeded");
  });

  it("closes a scheduled scoring run nobody is scoring, and any scoring run past the longest a run may take", async () => {
    const scheduled = await scoringRow("schedule", ago(HOUR));
    const cliRecent = await scoringRow("cli", ago(HOUR));
    const cliAncient = await scoringRow("cli", ago(7 * HOUR));
    const result = await closeStaleRuns({ db: t.db, databaseUrl: t.url, logger, instanceId: "new-process", now });
    expect(result.scoringRuns).toBe(2);
    const row = (id: number) => t.db.scoringRun.findUniqueOrThrow({ where: { id } });
    expect(await row(scheduled.id)).toMatchObject({
      status: "failed",
      details: { page: 3, closedAsStale: true, error: expect.stringContaining("score-accounts job's lock") },
    });
    expect((await row(scheduled.id)).finishedAt).toEqual(now);
    expect(await row(cliRecent.id)).toMatchObject({ status: "running" });
    expect(await row(cliAncient.id)).toMatchObject({ status: "failed", details: { closedAsStale: true } });
  });

  it("a scheduled scoring run is left alone while the score-accounts job is running somewhere", async () => {
    const scheduled = await scoringRow("schedule", ago(HOUR));
    await withTryAdvisoryLock(t.url, jobLockName("score-accounts"), () =>
      closeStaleRuns({ db: t.db, databaseUrl: t.url, logger, instanceId: "p", now }),
    );
    expect((await t.db.scoringRun.findUniqueOrThrow({ where: { id: scheduled.id } })).status).toBe("running");
  });

  it("a starting scheduler closes them by itself", async () => {
    const orphan = await jobRow("left-by-a-crash", "s1", ago(HOUR));
    const scheduler = startScheduler([], { db: t.db, databaseUrl: t.url, logger, instanceId: "restarted" });
    try {
      await scheduler.idle();
      await eventually(
        async () => (await t.db.jobRun.findUniqueOrThrow({ where: { id: orphan.id } })).status === "failed",
      );
    } finally {
      await scheduler.stop();
    }
  });
});
