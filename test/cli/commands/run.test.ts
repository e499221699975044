// `pulse run <job>`: a scheduled job, once, now, with the scheduler's own body and bookkeeping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../../src/app-context.js";
import { buildJobs, JOB_NAMES } from "../../../src/jobs/index.js";
import { seedDemoPortfolio } from "../../../src/services/seed-demo.js";
import { pulse, useCliDatabase } from "../../helpers/cli.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";
import { createAccount, createWorkspace, testConfig } from "../../helpers/portfolio.js";

let t: TestDatabase;
let restore: () => void;
let demoId: number;
let otherId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  restore = useCliDatabase(t.url);
  await seedDemoPortfolio(t.db, { now: new Date() });
  demoId = (await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0DEMO" } })).id;
  otherId = await createWorkspace(t.db, "T0OTHER");
  await createAccount(t.db, otherId, { externalId: "other-1", createdAt: new Date("2026-01-01T00:00:00Z") });
});
afterAll(async () => {
  restore();
  await t.drop();
});

describe("pulse run", () => {
  it("knows every job the scheduler runs", () => {
    const ctx = { config: testConfig } as AppContext;
    expect(buildJobs(ctx).map((j) => j.name)).toEqual([...JOB_NAMES]);
  });

  it("score-accounts scores, then runs the playbooks, limited to --workspace, recorded as a job run", async () => {
    expect(await t.db.playbookTask.count({ where: { workspaceId: demoId } })).toBe(0);
    const res = await pulse("run", "score-accounts", "--workspace", "T0DEMO", "--json");
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out) as { job: string; outcome: string; slot: string; workspaces: string[] };
    expect(summary).toMatchObject({ job: "score-accounts", outcome: "succeeded", workspaces: ["T0DEMO"] });
    const run = await t.db.jobRun.findUniqueOrThrow({
      where: { job_slot: { job: "score-accounts", slot: summary.slot } },
    });
    expect(run.status).toBe("succeeded");
    // The scheduler's body: a scheduled scoring run, then the playbooks' tasks.
    expect(await t.db.scoringRun.count({ where: { workspaceId: demoId, trigger: "schedule" } })).toBe(1);
    expect(await t.db.healthSnapshot.count({ where: { workspaceId: demoId } })).toBeGreaterThan(100);
    expect(await t.db.playbookTask.count({ where: { workspaceId: demoId } })).toBeGreaterThan(0);
    // --workspace kept the other workspace out of it.
    expect(await t.db.healthSnapshot.count({ where: { workspaceId: otherId } })).toBe(0);
  });

  it("digests posts the digests that are due, as the minute tick would", async () => {
    const admin = await t.db.user.findFirstOrThrow({ where: { workspaceId: demoId, role: "admin" } });
    await t.db.digestSubscription.create({
      data: {
        workspaceId: demoId,
        channelId: "CDIGESTNOW",
        createdById: admin.id,
        bands: ["red", "yellow"],
        postAtMinutes: 0,
        timezone: "UTC",
      },
    });
    const res = await pulse("run", "digests");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    // Local mode: what would be posted is printed.
    expect(res.out).toContain("would post to CDIGESTNOW");
    expect(res.out).toMatch(/^digests: done in \d+\.\d s/m);
    expect(await t.db.digestRun.count({ where: { status: "posted" } })).toBe(1);
  });

  it("refuses a job it does not know, naming the jobs (exit 2)", async () => {
    const res = await pulse("run", "score");
    expect(res.code).toBe(2);
    expect(res.err).toContain('unknown job "score": the jobs are digests, detractor-alerts,');
    for (const name of JOB_NAMES) expect(res.err).toContain(name);
  });

  it.each([
    [["run"], "say which job to run: digests"],
    [["run", "digests", "now"], "unexpected arguments: now"],
    [["run", "prune-usage-events", "--workspace", "T0DEMO"], "prune-usage-events tidies every workspace at once"],
    [["run", "digests", "--workspace", "acme"], "--workspace must be a Slack team id"],
    [["run", "digests", "--workspace", "T0NOPE"], "no workspace with team id T0NOPE"],
  ])("refuses %j with a usage error (exit 2)", async (argv, message) => {
    const res = await pulse(...argv);
    expect(res.code).toBe(2);
    expect(res.err).toContain(message);
    expect(res.err).toContain("Usage: pulse run <job>");
  });

  it("says when a run of the job is still going, and runs nothing", async () => {
    const { withTryAdvisoryLock } = await import("../../../src/db/locks.js");
    const { jobLockName } = await import("../../../src/jobs/stale-runs.js");
    let res: Awaited<ReturnType<typeof pulse>> | undefined;
    await withTryAdvisoryLock(t.url, jobLockName("prune-event-receipts"), async () => {
      res = await pulse("run", "prune-event-receipts");
    });
    expect(res?.code).toBe(1);
    expect(res?.err).toContain("a run of this job is still going");
  });
});
