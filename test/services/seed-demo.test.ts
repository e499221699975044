import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEAM_ID } from "../../src/domain/demo-portfolio.js";
import { seedDemoPortfolio } from "../../src/services/seed-demo.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

const now = new Date("2026-11-23T07:00:00Z");

describe("seedDemoPortfolio", () => {
  it("writes the whole portfolio into its own workspace", async () => {
    const result = await seedDemoPortfolio(t.db, { now });
    const ws = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: DEMO_TEAM_ID } });
    expect(result.workspaceId).toBe(ws.id);
    expect(await t.db.account.count({ where: { workspaceId: ws.id } })).toBe(200);
    expect(await t.db.account.count({ where: { workspaceId: ws.id, status: "churned" } })).toBe(result.churned);
    expect(await t.db.usageDaily.count({ where: { workspaceId: ws.id } })).toBe(result.usageDays);
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws.id } })).toBe(result.churned);
    expect(await t.db.user.count({ where: { workspaceId: ws.id, role: "admin" } })).toBe(1);
    const arr = await t.db.arrChange.findMany({ where: { workspaceId: ws.id, kind: "churn" } });
    expect(arr).toHaveLength(result.churned);
    expect(arr.every((c) => c.churnEventId !== null)).toBe(true);
  });

  it("refuses to seed over an existing workspace unless asked to reset, and then replaces it whole", async () => {
    await expect(seedDemoPortfolio(t.db, { now })).rejects.toThrow(/already exists; pass --reset/);
    const before = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: DEMO_TEAM_ID } });
    await seedDemoPortfolio(t.db, { now, reset: true });
    const after = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: DEMO_TEAM_ID } });
    expect(after.id).not.toBe(before.id);
    expect(await t.db.account.count()).toBe(200);
  });

  it("seeds another team's workspace without touching the first", async () => {
    await seedDemoPortfolio(t.db, { now, teamId: "T0OTHER" });
    expect(await t.db.account.count()).toBe(400);
  });
});
