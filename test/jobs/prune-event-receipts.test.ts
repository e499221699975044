// The hourly prune forgets event receipts and request keys older than a day, and keeps the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPruneEventReceipts } from "../../src/jobs/prune-event-receipts.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createWorkspace, silentLogger } from "../helpers/portfolio.js";

let t: TestDatabase;
const NOW = new Date("2026-11-23T10:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

describe("runPruneEventReceipts", () => {
  it("deletes receipts and request keys older than 24 hours only", async () => {
    const ws = await createWorkspace(t.db, "T0PRUNE");
    await t.db.slackEventReceipt.createMany({
      data: [
        { workspaceId: ws, eventId: "Ev1", receivedAt: hoursAgo(30) },
        { workspaceId: ws, eventId: "Ev2", receivedAt: hoursAgo(2) },
      ],
    });
    await t.db.slackRequestKey.createMany({
      data: [
        { workspaceId: ws, key: "old", receivedAt: hoursAgo(25) },
        { workspaceId: ws, key: "new", receivedAt: hoursAgo(1) },
      ],
    });
    expect(await runPruneEventReceipts({ db: t.db, logger: silentLogger }, NOW)).toBe(2);
    expect((await t.db.slackEventReceipt.findMany()).map((r) => r.eventId)).toEqual(["Ev2"]);
    expect((await t.db.slackRequestKey.findMany()).map((r) => r.key)).toEqual(["new"]);
  });
});
