import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildJobs } from "../../src/jobs/index.js";
import { runPruneUsageEvents } from "../../src/jobs/prune-usage-events.js";
import { createWorkspace, testContext } from "../helpers/app-context.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("runPruneUsageEvents", () => {
  it("deletes raw events of whole days past retention, keeps roll-ups and each user's latest group call", async () => {
    const ctx = testContext(t.db, { env: { PULSE_EVENT_RETENTION_DAYS: "30" } });
    const ws = await createWorkspace(t.db);
    const account = await t.db.account.create({ data: { workspaceId: ws, externalId: "acme", name: "Acme" } });
    const event = (messageId: string, type: string, userKey: string, occurredAt: string) => ({
      workspaceId: ws,
      accountId: account.id,
      messageId,
      type,
      event: type === "track" ? "Clicked" : null,
      userKey,
      occurredAt: new Date(occurredAt),
    });
    await t.db.usageEvent.createMany({
      data: [
        event("old-track", "track", "u1", "2026-02-12T23:59:59Z"),
        event("edge-track", "track", "u1", "2026-02-13T00:00:00Z"),
        event("old-group-superseded", "group", "u1", "2026-01-01T00:00:00Z"),
        event("old-group-latest", "group", "u1", "2026-01-02T00:00:00Z"),
        event("old-group-u2", "group", "u2", "2026-01-01T00:00:00Z"),
        event("new-track", "track", "u2", "2026-03-10T00:00:00Z"),
      ],
    });
    await t.db.usageDaily.create({
      data: { workspaceId: ws, accountId: account.id, day: new Date("2026-02-12"), activeUsers: 1, source: "api" },
    });

    // now 2026-03-15T12:00Z, 30 days: events before 2026-02-13T00:00Z go.
    const deleted = await runPruneUsageEvents(ctx, new Date("2026-03-15T12:00:00Z"));
    expect(deleted).toBe(2);
    const left = await t.db.usageEvent.findMany({ where: { workspaceId: ws }, orderBy: { messageId: "asc" } });
    expect(left.map((e) => e.messageId)).toEqual(["edge-track", "new-track", "old-group-latest", "old-group-u2"]);
    expect(await t.db.usageDaily.count({ where: { workspaceId: ws } })).toBe(1);
    expect(await runPruneUsageEvents(ctx, new Date("2026-03-15T12:00:00Z"))).toBe(0);
  });

  it("is registered as a daily job", () => {
    const jobs = buildJobs(testContext(t.db));
    expect(jobs.find((j) => j.name === "prune-usage-events")).toMatchObject({ cron: "41 3 * * *" });
  });
});
