import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { runBacktest } from "../../src/services/backtest.js";
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

// A generated portfolio whose answer is known. As of AS_OF: 16 healthy accounts and 4 whose
// usage collapsed three weeks earlier, whose CSM went quiet and whose NPS turned detractor;
// those 4 churn within the next 90 days. Two decoys: one churned before AS_OF (must not be
// scored) and one healthy account that churns after the horizon (a survivor here).
const AS_OF = new Date("2026-06-01T00:00:00Z");
const ago = (n: number) => addDays(AS_OF, -n);

let t: TestDatabase;
let ws: number;
const churnerIds: number[] = [];

async function churnEvent(accountId: number, churnedOn: Date) {
  await t.db.churnEvent.create({
    data: {
      workspaceId: ws,
      accountId,
      kind: "full",
      churnedOn,
      arrBefore: 1000,
      arrLost: 1000,
      primaryReason: "low_adoption",
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  ws = await createWorkspace(t.db, "T0BACKTEST");
  for (let i = 0; i < 16; i++) {
    const id = await createAccount(t.db, ws, { externalId: `OK-${i}`, createdAt: ago(400) });
    await fillUsage(t.db, ws, id, ago(120), addDays(AS_OF, 90), 70 + (i % 5));
    await addTouchpoint(t.db, ws, id, ago(5 + (i % 7)));
    await addNps(t.db, ws, id, 9, ago(30));
  }
  for (let i = 0; i < 4; i++) {
    const churnedOn = addDays(AS_OF, 20 + i * 15);
    const id = await createAccount(t.db, ws, {
      externalId: `CH-${i}`,
      createdAt: ago(400),
      status: "churned",
      churnedAt: churnedOn,
    });
    await fillUsage(t.db, ws, id, ago(120), ago(21), 70);
    await fillUsage(t.db, ws, id, ago(21), churnedOn, 3);
    await addTouchpoint(t.db, ws, id, ago(70));
    await addNps(t.db, ws, id, 3, ago(25));
    await churnEvent(id, churnedOn);
    churnerIds.push(id);
  }
  const early = await createAccount(t.db, ws, {
    externalId: "GONE",
    createdAt: ago(400),
    status: "churned",
    churnedAt: ago(10),
  });
  await fillUsage(t.db, ws, early, ago(120), ago(10), 2);
  await churnEvent(early, ago(10));
  const late = await createAccount(t.db, ws, {
    externalId: "LATE",
    createdAt: ago(400),
    status: "churned",
    churnedAt: addDays(AS_OF, 120),
  });
  await fillUsage(t.db, ws, late, ago(120), addDays(AS_OF, 120), 72);
  await addTouchpoint(t.db, ws, late, ago(6));
  await addNps(t.db, ws, late, 9, ago(30));
  await churnEvent(late, addDays(AS_OF, 120));
  // Evidence from after AS_OF must not leak into the back-test: a churner "recovers" later.
  await fillUsage(t.db, ws, churnerIds[3]!, addDays(AS_OF, 1), addDays(AS_OF, 30), 90);
});
afterAll(async () => {
  await t.drop();
});

describe("runBacktest", () => {
  it("finds the known churners: perfect ranking, red band precise, lift of the riskiest decile", async () => {
    const report = await runBacktest({ db: t.db, logger: silentLogger, config: testConfig, databaseUrl: t.url }, ws, {
      asOf: AS_OF,
      horizonDays: 90,
    });
    expect(report).toMatchObject({
      asOf: "2026-06-01",
      horizonDays: 90,
      accounts: 21, // 16 healthy + 4 churners + the late churner; the early one is excluded
      churned: 4,
      failures: 0,
      auc: 1,
      red: { flagged: 4, truePositives: 4, precision: 1, recall: 1 },
      riskiestDecile: { size: 3, churned: 3, lift: 3 / 3 / (4 / 21) },
      churnersWarned: 4,
    });
    // Red from AS_OF itself: the warning is the time from AS_OF to each churn (20, 35, 50, 65 days).
    expect(report.medianDaysOfWarning).toBe(42.5);
  });

  it("rejects a horizon that is not a positive whole number of days", async () => {
    await expect(
      runBacktest({ db: t.db, logger: silentLogger, config: testConfig, databaseUrl: t.url }, ws, {
        asOf: AS_OF,
        horizonDays: 0,
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
