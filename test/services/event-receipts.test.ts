// Event receipts are claimed in batches; each delivery still learns whether it was the first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimEventReceipt } from "../../src/services/event-receipts.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createWorkspace } from "../helpers/portfolio.js";

let t: TestDatabase;
const NOW = new Date("2026-12-03T10:00:00Z");
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

describe("claimEventReceipt", () => {
  it("answers true once per event among hundreds of concurrent deliveries, duplicates in one batch included", async () => {
    const ws = await createWorkspace(t.db, "T0BATCH");
    const ids = Array.from({ length: 700 }, (_, i) => `EvB${i % 600}`);
    const answers = await Promise.all(ids.map((id) => claimEventReceipt(t.db, "T0BATCH", id, NOW)));
    const firsts = ids.filter((_, i) => answers[i]);
    expect(firsts).toHaveLength(600);
    expect(new Set(firsts).size).toBe(600);
    expect(await t.db.slackEventReceipt.count({ where: { workspaceId: ws } })).toBe(600);
    // Redelivered later: all refused.
    const again = await Promise.all(["EvB1", "EvB599"].map((id) => claimEventReceipt(t.db, "T0BATCH", id, NOW)));
    expect(again).toEqual([false, false]);
  });

  it("keeps each workspace's receipts apart when one batch holds several teams", async () => {
    const a = await createWorkspace(t.db, "T0BATCHA");
    const b = await createWorkspace(t.db, "T0BATCHB");
    const answers = await Promise.all([
      claimEventReceipt(t.db, "T0BATCHA", "EvSame", NOW),
      claimEventReceipt(t.db, "T0BATCHB", "EvSame", NOW),
    ]);
    expect(answers).toEqual([true, true]);
    const rows = await t.db.slackEventReceipt.findMany({
      where: { eventId: "EvSame" },
      orderBy: { workspaceId: "asc" },
    });
    expect(rows.map((r) => r.workspaceId)).toEqual([a, b].sort((x, y) => x - y));
    expect(rows[0]!.receivedAt.toISOString()).toBe(NOW.toISOString());
  });

  it("creates the workspace of a team it has not seen, then claims", async () => {
    expect(await claimEventReceipt(t.db, "T0NEWTEAM", "EvNew", NOW)).toBe(true);
    const ws = await t.db.workspace.findUnique({ where: { slackTeamId: "T0NEWTEAM" } });
    expect(ws).not.toBeNull();
    expect(await claimEventReceipt(t.db, "T0NEWTEAM", "EvNew", NOW)).toBe(false);
  });

  it("rejects every claim of a batch the database refused, so each delivery is answered non-2xx", async () => {
    const broken = t.db;
    await broken.$executeRawUnsafe(`ALTER TABLE "slack_event_receipt" RENAME TO "slack_event_receipt_gone"`);
    try {
      const results = await Promise.allSettled(
        ["EvX1", "EvX2"].map((id) => claimEventReceipt(broken, "T0BATCH", id, NOW)),
      );
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    } finally {
      await broken.$executeRawUnsafe(`ALTER TABLE "slack_event_receipt_gone" RENAME TO "slack_event_receipt"`);
    }
    expect(await claimEventReceipt(t.db, "T0BATCH", "EvX1", NOW)).toBe(true);
  });
});
