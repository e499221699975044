import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEraseInactiveWorkspaces } from "../../src/jobs/erase-inactive-workspaces.js";
import { buildJobs } from "../../src/jobs/index.js";
import { createLogger } from "../../src/log.js";
import { activeWorkspaceIds, deactivateWorkspace } from "../../src/services/workspace-lifecycle.js";
import { parseConfig } from "../../src/config.js";
import { RecordingSlack } from "../helpers/slack.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createSmallWorkspace } from "../helpers/small-workspace.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const logger = createLogger("silent");

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("workspace lifecycle", () => {
  it("deactivates once, keeps the first erasure date, and stops counting the workspace as active", async () => {
    const ws = await t.db.workspace.create({ data: { slackTeamId: "TLIFE1", name: "Life" } });
    expect(await activeWorkspaceIds(t.db)).toContain(ws.id);
    const first = await deactivateWorkspace({
      db: t.db,
      teamId: "TLIFE1",
      reason: "app_uninstalled",
      now: NOW,
      retentionDays: 30,
    });
    expect(first).toEqual({ deactivated: true, workspaceId: ws.id, eraseAfter: new Date(NOW.getTime() + 30 * DAY) });
    const again = await deactivateWorkspace({
      db: t.db,
      teamId: "TLIFE1",
      reason: "tokens_revoked",
      now: new Date(NOW.getTime() + DAY),
      retentionDays: 30,
    });
    expect(again).toEqual({ deactivated: false, why: "already-inactive" });
    const row = await t.db.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    expect(row).toMatchObject({ active: false, deactivatedAt: NOW, eraseAfter: new Date(NOW.getTime() + 30 * DAY) });
    expect(await activeWorkspaceIds(t.db)).not.toContain(ws.id);
    const audit = await t.db.auditLog.findMany({ where: { workspaceId: ws.id, action: "workspace.deactivate" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ reason: "app_uninstalled", retentionDays: 30 });
    expect(
      await deactivateWorkspace({ db: t.db, teamId: "TNONE", reason: "app_uninstalled", now: NOW, retentionDays: 30 }),
    ).toEqual({ deactivated: false, why: "unknown" });
  });

  it("the daily job erases only workspaces past their retention, cascading to all their data", async () => {
    const seeded = await createSmallWorkspace(t.db, "TERASE");
    const keep = await t.db.workspace.create({ data: { slackTeamId: "TKEEP", name: "Keep" } });
    await deactivateWorkspace({ db: t.db, teamId: "TERASE", reason: "app_uninstalled", now: NOW, retentionDays: 30 });
    await deactivateWorkspace({ db: t.db, teamId: "TKEEP", reason: "app_uninstalled", now: NOW, retentionDays: 60 });
    const ctx = { db: t.db, logger };
    expect(await runEraseInactiveWorkspaces(ctx, new Date(NOW.getTime() + 29 * DAY))).toBe(0);
    expect(await t.db.account.count({ where: { workspaceId: seeded.workspaceId } })).toBe(1);
    // TERASE, and TLIFE1 from the test above (also 30 days); TKEEP has 60.
    expect(await runEraseInactiveWorkspaces(ctx, new Date(NOW.getTime() + 31 * DAY))).toBe(2);
    expect(await t.db.workspace.findUnique({ where: { id: seeded.workspaceId } })).toBeNull();
    for (const count of [
      t.db.account.count({ where: { workspaceId: seeded.workspaceId } }),
      t.db.contact.count({ where: { workspaceId: seeded.workspaceId } }),
      t.db.usageDaily.count({ where: { workspaceId: seeded.workspaceId } }),
      t.db.surveyResponse.count({ where: { workspaceId: seeded.workspaceId } }),
      t.db.touchpoint.count({ where: { workspaceId: seeded.workspaceId } }),
      t.db.auditLog.count({ where: { workspaceId: seeded.workspaceId } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await t.db.workspace.findUnique({ where: { id: keep.id } })).not.toBeNull();
  });

  it("is registered as a daily job", () => {
    const config = parseConfig({ PULSE_SEED_DEMO: "never" });
    const jobs = buildJobs({
      config,
      db: t.db,
      databaseUrl: t.url,
      logger,
      slack: new RecordingSlack(),
      clock: () => NOW,
    });
    const job = jobs.find((j) => j.name === "erase-inactive-workspaces");
    expect(job?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
  });
});
