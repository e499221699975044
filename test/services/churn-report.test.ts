// The churn report from the database, on a small fixed portfolio whose figures are
// computed by hand (the same portfolio as test/domain/churn-metrics.test.ts), through the
// service and through `pulse report churn`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChurnReport } from "../../src/cli/commands/report.js";
import { UsageError } from "../../src/cli/command.js";
import { parseReportPeriod } from "../../src/domain/churn-metrics.js";
import { buildChurnReport } from "../../src/services/churn-report.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
let t: TestDatabase;
let workspaceId: number;

function capture() {
  const out: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => out.push(s), isTty: false },
    text: () => out.join(""),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "TREPORT1", name: "Report Co" } });
  workspaceId = ws.id;
  // An unrelated workspace with churn of its own: it must not leak into the figures.
  const other = await t.db.workspace.create({ data: { slackTeamId: "TOTHER1", name: "Other" } });
  const otherAccount = await t.db.account.create({
    data: { workspaceId: other.id, name: "Elsewhere", arr: 0, status: "churned" },
  });
  await t.db.arrChange.createMany({
    data: [
      {
        workspaceId: other.id,
        accountId: otherAccount.id,
        effectiveOn: d("2026-01-01"),
        kind: "new_business",
        arrBefore: 0,
        arrAfter: 999_000,
      },
      {
        workspaceId: other.id,
        accountId: otherAccount.id,
        effectiveOn: d("2026-08-01"),
        kind: "churn",
        arrBefore: 999_000,
        arrAfter: 0,
      },
    ],
  });

  const names = ["A1", "A2", "A3", "A4", "A5", "A6"];
  const ids: Record<string, number> = {};
  for (const name of names) ids[name] = (await t.db.account.create({ data: { workspaceId, name, arr: 0 } })).id;
  const change = (
    name: string,
    on: string,
    kind: "new_business" | "churn" | "contraction" | "expansion" | "winback",
    before: number,
    after: number,
  ) => ({
    workspaceId,
    accountId: ids[name]!,
    effectiveOn: d(on),
    kind,
    arrBefore: before,
    arrAfter: after,
  });
  await t.db.arrChange.createMany({
    data: [
      change("A1", "2026-01-10", "new_business", 0, 100_000),
      change("A1", "2026-08-15", "churn", 100_000, 0),
      change("A2", "2026-02-01", "new_business", 0, 50_000),
      change("A2", "2026-07-20", "contraction", 50_000, 30_000),
      change("A3", "2026-03-01", "new_business", 0, 40_000),
      change("A3", "2026-09-01", "expansion", 40_000, 60_000),
      change("A4", "2026-01-05", "new_business", 0, 10_000),
      change("A4", "2026-06-30", "churn", 10_000, 0),
      change("A5", "2026-07-05", "new_business", 0, 20_000),
      change("A5", "2026-09-10", "churn", 20_000, 0),
      change("A6", "2025-12-01", "new_business", 0, 10_000),
      change("A6", "2026-07-10", "churn", 10_000, 0),
      change("A6", "2026-08-01", "winback", 0, 10_000),
    ],
  });
  const event = (
    name: string,
    on: string,
    kind: "full" | "downgrade",
    arrLost: number,
    reason: "competitor" | "budget_or_price" | "low_adoption" | "failed_onboarding",
    days: number | null,
    preventable: boolean | null,
  ) => ({
    workspaceId,
    accountId: ids[name]!,
    kind,
    churnedOn: d(on),
    arrBefore: arrLost,
    arrLost,
    primaryReason: reason,
    daysOfWarning: days,
    preventable,
  });
  await t.db.churnEvent.createMany({
    data: [
      event("A1", "2026-08-15", "full", 100_000, "competitor", 45, true),
      event("A2", "2026-07-20", "downgrade", 20_000, "budget_or_price", null, false),
      event("A4", "2026-06-30", "full", 10_000, "low_adoption", 90, true),
      event("A5", "2026-09-10", "full", 20_000, "failed_onboarding", 30, null),
      event("A6", "2026-07-10", "full", 10_000, "competitor", 12, true),
    ],
  });
});

afterAll(async () => {
  await t.drop();
});

describe("buildChurnReport", () => {
  it("2026-Q3 matches the hand-computed figures", async () => {
    const { metrics: m, currency } = await buildChurnReport(t.db, {
      workspaceId,
      period: parseReportPeriod("2026-Q3", new Date()),
      grossMargin: 0.8,
    });
    expect(currency).toBe("USD");
    expect([m.startingAccounts, m.startingArr, m.logosChurned]).toEqual([4, 200_000, 2]);
    expect(m.logoChurnRate.value).toBe(0.5);
    expect(m.grossRevenueChurn.value).toBe(0.65);
    expect(m.grossRevenueRetention.value).toBe(0.35);
    expect(m.netRevenueRetention.value).toBe(0.5);
    expect(m.shareWithWarning.value).toBe(0.5);
    expect(m.medianDaysOfWarning.value).toBe(21);
    expect(m.sharePreventable.value).toBeCloseTo(2 / 3, 10);
    expect(m.customerLifetimeValue.value).toBeCloseTo(42_731.8, 0);
    expect(m.reasons.map((r) => [r.reason, r.count, r.arrLost])).toEqual([
      ["competitor", 2, 110_000],
      ["budget_or_price", 1, 20_000],
      ["failed_onboarding", 1, 20_000],
    ]);
  });

  it("a period without churn reports CLV as not defined", async () => {
    const { metrics: m } = await buildChurnReport(t.db, {
      workspaceId,
      period: parseReportPeriod("2026-04", new Date()),
    });
    expect([m.startingAccounts, m.startingArr, m.logosChurned]).toEqual([5, 210_000, 0]);
    expect(m.logoChurnRate.value).toBe(0);
    expect(m.customerLifetimeValue).toMatchObject({ value: null, note: "not defined (no churn in period)" });
  });
});

describe("pulse report churn", () => {
  it("prints each figure with its value, period and definition", async () => {
    const { io, text } = capture();
    expect(
      await runChurnReport(t.db, { period: "2026-Q3", workspace: "TREPORT1", margin: "0.8", now: new Date() }, io),
    ).toBe(0);
    const out = text();
    expect(out).toContain("Churn report for 2026-Q3 (1 Jul 2026 to 30 Sep 2026, 92 days)");
    expect(out).toMatch(/Logo churn rate\s+50\.0% \(2 of 4\)/);
    expect(out).toMatch(/Gross revenue retention\s+35\.0%/);
    expect(out).toMatch(/Net revenue retention\s+50\.0%/);
    expect(out).toMatch(/Median days of warning\s+21 days/);
    expect(out).toMatch(/Customer lifetime value\s+\$42,732/);
    expect(out).toContain("= (ARR at start − churn − contraction) ÷ ARR at start");
    expect(out).toContain("Competitor: 2 ($110,000 ARR)");
    expect(out).toContain("1 account signed during the period also churned in it");
  });

  it("--json prints the same figures for a script", async () => {
    const { io, text } = capture();
    await runChurnReport(
      t.db,
      { period: "2026-Q3", workspace: "TREPORT1", margin: "0.8", now: new Date(), json: true },
      io,
    );
    const report = JSON.parse(text());
    expect(report).toMatchObject({ workspace: "TREPORT1" });
    expect(report.metrics.logoChurnRate.value).toBeCloseTo(0.5, 5);
  });

  it("says CLV is not defined in a period with no churn", async () => {
    const { io, text } = capture();
    await runChurnReport(t.db, { period: "2026-04", workspace: "TREPORT1", now: new Date() }, io);
    expect(text()).toMatch(/Customer lifetime value\s+not defined \(no churn in period\)/);
  });

  it.each([
    [{ period: "2026-Q9" }, /not a period/],
    [{ margin: "80" }, /--margin must be a gross margin/],
    [{ workspace: "acme" }, /--workspace must be a Slack team id/],
    [{}, /several workspaces exist; choose one with --workspace/],
  ])("refuses %j", async (options, message) => {
    const { io } = capture();
    const withWorkspace =
      "workspace" in options || Object.keys(options).length === 0 ? options : { ...options, workspace: "TREPORT1" };
    await expect(runChurnReport(t.db, { ...withWorkspace, now: new Date() }, io)).rejects.toThrow(UsageError);
    await expect(runChurnReport(t.db, { ...withWorkspace, now: new Date() }, io)).rejects.toThrow(message);
  });
});
