// Getting history in: churn history, account status/plan/term/traits with their attribute
// history, and weekly or monthly usage, imported into the real database.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { featurePages } from "../../src/db/health-scoring.js";
import { DEFAULT_HEALTH_MODEL } from "../../src/domain/health/model-config.js";
import type { ImportKind } from "../../src/domain/ingest/header-mapping.js";
import { renderImportReport } from "../../src/domain/ingest/import-report.js";
import { importCsv, ImportUsageError, type ImportCsvOptions } from "../../src/services/import-csv.js";
import { createWorkspace, testContext } from "../helpers/app-context.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
let ctx: AppContext;
let ws: number;
let now = new Date("2026-03-15T12:00:00Z");

const example = (name: string) => createReadStream(new URL(`../../examples/csv/${name}`, import.meta.url));
const csv = (text: string) => Readable.from([text]);

function run(kind: ImportKind, input: Readable, more: Partial<ImportCsvOptions> = {}) {
  return importCsv(ctx, { workspaceId: ws, kind, input, ...more });
}

async function accountId(externalId: string) {
  return (await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId } })).id;
}

async function churns() {
  const events = await t.db.churnEvent.findMany({
    where: { workspaceId: ws },
    include: { account: true },
    orderBy: [{ accountId: "asc" }, { churnedOn: "asc" }],
  });
  return events.map((e) => ({
    account: e.account.externalId,
    churnedOn: e.churnedOn.toISOString().slice(0, 10),
    kind: e.kind,
    arrLost: e.arrLost.toString(),
    reason: e.primaryReason,
    reasonOther: e.reasonOther,
    wonBackOn: e.reversedAt?.toISOString().slice(0, 10) ?? null,
    source: e.source,
    retroStatus: e.retroStatus,
  }));
}

async function statuses() {
  const accounts = await t.db.account.findMany({ where: { workspaceId: ws }, orderBy: { externalId: "asc" } });
  return Object.fromEntries(
    accounts.map((a) => [a.externalId, [a.status, a.churnedAt?.toISOString().slice(0, 10) ?? null]]),
  );
}

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = testContext(t.db, { url: t.url, clock: () => now });
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  now = new Date("2026-03-15T12:00:00Z");
  ws = await createWorkspace(t.db);
  const report = await run("accounts", example("accounts.csv"));
  expect(report.committed, renderImportReport(report)).toBe(true);
});

describe("importCsv: churns", () => {
  it("imports the example (account_id, churned_on, kind, arr_lost, reason, won_back_on) with a closed retro and source import", async () => {
    const report = await run("churns", example("churns.csv"));
    expect(report, renderImportReport(report)).toMatchObject({ committed: true, rows: 2, created: 2, invalidRows: 0 });
    expect(report.mapping).toEqual({
      accountExternalId: "account_id",
      churnedOn: "churned_on",
      kind: "kind",
      arrLost: "arr_lost",
      reason: "reason",
      wonBackOn: "won_back_on",
    });
    expect(await churns()).toEqual([
      {
        account: "GLOBEX-002",
        churnedOn: "2025-11-30",
        kind: "downgrade",
        arrLost: "12000",
        reason: "budget_or_price",
        reasonOther: null,
        wonBackOn: null,
        source: "import",
        retroStatus: "closed",
      },
      {
        account: "INITECH-003",
        churnedOn: "2025-10-31",
        kind: "full",
        arrLost: "9000",
        reason: "competitor",
        reasonOther: null,
        wonBackOn: "2026-01-15",
        source: "import",
        retroStatus: "closed",
      },
    ]);
    // A downgrade does not churn the account; a won-back churn leaves it active.
    expect(await statuses()).toEqual({
      "ACME-001": ["active", null],
      "GLOBEX-002": ["active", null],
      "INITECH-003": ["active", null],
    });
    const arr = await t.db.arrChange.findMany({
      where: { workspaceId: ws, churnEventId: { not: null } },
      orderBy: [{ effectiveOn: "asc" }],
    });
    expect(
      arr.map((c) => [c.effectiveOn.toISOString().slice(0, 10), c.kind, c.arrBefore.toString(), c.arrAfter.toString()]),
    ).toEqual([
      ["2025-10-31", "churn", "9000", "0"],
      ["2025-11-30", "contraction", "60000.5", "48000.5"],
      ["2026-01-15", "winback", "0", "9000"],
    ]);
    // The account's ARR is the CRM's, left alone: zeroing it would make ARR the outcome.
    expect(
      (await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "INITECH-003" } })).arr.toString(),
    ).toBe("9000");
    expect(await t.db.auditLog.count({ where: { workspaceId: ws, action: "import.churns" } })).toBe(1);
  });

  it("reads a Salesforce-style export: Account ID, Close Date, Churn Type, Churned ARR, Closed Lost Reason, Reactivated On", async () => {
    const report = await run(
      "churns",
      csv(
        "Account ID,Close Date,Churn Type,Churned ARR,Closed Lost Reason,Reactivated On,Opportunity Name\n" +
          'ACME-001,2026-02-28,Full,"$120,000.00",Went out of business,,Acme renewal\n' +
          "GLOBEX-002,2025-12-01,Contraction,8000,Our new pricing was too steep for them,,Globex renewal\n",
      ),
    );
    expect(report, renderImportReport(report)).toMatchObject({ committed: true, created: 2 });
    expect(report.mapping).toEqual({
      accountExternalId: "Account ID",
      churnedOn: "Close Date",
      kind: "Churn Type",
      arrLost: "Churned ARR",
      reason: "Closed Lost Reason",
      wonBackOn: "Reactivated On",
    });
    expect(report.ignoredColumns).toEqual(["Opportunity Name"]);
    const rows = await churns();
    expect(rows.map((r) => [r.account, r.kind, r.arrLost, r.reason, r.reasonOther])).toEqual([
      ["ACME-001", "full", "120000", "acquired_or_closed", null],
      ["GLOBEX-002", "downgrade", "8000", "other", "Our new pricing was too steep for them"],
    ]);
    expect((await statuses())["ACME-001"]).toEqual(["churned", "2026-02-28"]);
  });

  it("kind defaults to full and ARR lost to the account's ARR; HubSpot-style Record ID and Churn Date are read", async () => {
    const report = await run("churns", csv("Record ID,Churn Date\nACME-001,2026-01-10\n"));
    expect(report, renderImportReport(report)).toMatchObject({ committed: true, created: 1 });
    expect(await churns()).toMatchObject([
      { account: "ACME-001", kind: "full", arrLost: "120000", reason: "other", reasonOther: null },
    ]);
    expect((await statuses())["ACME-001"]).toEqual(["churned", "2026-01-10"]);
  });

  it("a dry run counts and writes nothing", async () => {
    const report = await run("churns", example("churns.csv"), { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, committed: false, created: 2 });
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws } })).toBe(0);
    expect(await t.db.arrChange.count({ where: { workspaceId: ws, churnEventId: { not: null } } })).toBe(0);
    expect(await statuses()).toMatchObject({ "INITECH-003": ["active", null] });
  });

  it("reports unknown accounts, bad dates, bad kinds, future days and repeats; with skipInvalid imports the rest", async () => {
    const file =
      "account_id,churn_date,kind,arr_lost,reason,won_back_on\n" +
      "NOPE-9,2025-10-01,full,,,\n" +
      "ACME-001,2025-13-01,full,,,\n" +
      "ACME-001,2025-10-01,sideways,,,\n" +
      "GLOBEX-002,2026-04-01,full,,,\n" +
      "GLOBEX-002,2025-10-01,partial,,,\n" +
      "INITECH-003,2025-10-01,full,,,2025-09-01\n" +
      "INITECH-003,2025-11-01,full,,price,\n" +
      "INITECH-003,2025-11-01,full,,price,\n";
    const strict = await run("churns", csv(file));
    expect(strict).toMatchObject({ committed: false, invalidRows: 7, created: 0 });
    expect(strict.errors.map((e) => [e.line, e.column, e.reason])).toEqual([
      [2, "account_id", 'unknown account id "NOPE-9": import it with the accounts file first'],
      [3, "churn_date", 'bad date "2025-13-01": expected YYYY-MM-DD'],
      [4, "kind", 'unknown churn kind (full or partial) "sideways": expected one of full, downgrade'],
      [5, "churn_date", "2026-04-01 is in the future"],
      [6, "arr_lost", "a partial churn (downgrade) needs the ARR it lost"],
      [7, "won_back_on", "is before the churn date"],
      [9, "churn_date", "the same account and churn date appear on an earlier line"],
    ]);
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws } })).toBe(0);

    const lenient = await run("churns", csv(file), { skipInvalid: true });
    expect(lenient).toMatchObject({ committed: true, invalidRows: 7, created: 1 });
    expect(await churns()).toMatchObject([
      { account: "INITECH-003", churnedOn: "2025-11-01", reason: "budget_or_price" },
    ]);
  });

  it("re-importing is idempotent; a changed row updates its churn (same account and date), and a win-back reactivates", async () => {
    await run("churns", example("churns.csv"));
    const again = await run("churns", example("churns.csv"));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws } })).toBe(2);
    expect(await t.db.arrChange.count({ where: { workspaceId: ws, churnEventId: { not: null } } })).toBe(3);

    // The win-back is withdrawn (empty cell): the account is churned again since its churn day.
    const unwon = await run("churns", csv("account_id,churned_on,won_back_on\nINITECH-003,2025-10-31,\n"));
    expect(unwon).toMatchObject({ created: 0, updated: 1 });
    expect((await statuses())["INITECH-003"]).toEqual(["churned", "2025-10-31"]);
    expect(await t.db.arrChange.count({ where: { workspaceId: ws, churnEventId: { not: null } } })).toBe(2);

    // A later churn, won back: the latest churn decides, and the account is active again.
    await run(
      "churns",
      csv("account_id,churned_on,won_back_on\nINITECH-003,2025-10-31,2025-12-01\nINITECH-003,2026-02-01,2026-03-01\n"),
    );
    expect((await statuses())["INITECH-003"]).toEqual(["active", null]);
    await run("churns", csv("account_id,churned_on,won_back_on\nINITECH-003,2026-02-01,\n"));
    expect((await statuses())["INITECH-003"]).toEqual(["churned", "2026-02-01"]);
    expect((await churns()).filter((c) => c.account === "INITECH-003").map((c) => [c.churnedOn, c.wonBackOn])).toEqual([
      ["2025-10-31", "2025-12-01"],
      ["2026-02-01", null],
    ]);
  });

  it("refuses a file without an account or a churn date column, naming the columns", async () => {
    await expect(run("churns", csv("account_id,reason\nACME-001,price\n"))).rejects.toThrow(
      /no column for churnedOn .*Columns found: account_id, reason/,
    );
  });
});

describe("importCsv: account status, contract terms and traits", () => {
  it("a churned row with a churn date is recorded like a churns-file row; without one it is dated today and the report says so", async () => {
    const file =
      "external_id,name,arr,status,churn_date\n" +
      "ACME-001,Acme Corp,120000,churned,2026-01-31\n" +
      "GLOBEX-002,Globex,48000.50,cancelled,\n" +
      "INITECH-003,Initech,9000,current,\n";
    const report = await run("accounts", csv(file));
    expect(report, renderImportReport(report)).toMatchObject({
      committed: true,
      churnedWithoutDate: 1,
      churnsRecorded: 1,
    });
    expect(renderImportReport(report)).toContain(
      "1 account is marked churned without a churn date, so dated the import's day. Import your churn history (pulse import churns <file.csv>)",
    );
    expect(await statuses()).toEqual({
      "ACME-001": ["churned", "2026-01-31"],
      "GLOBEX-002": ["churned", "2026-03-15"],
      "INITECH-003": ["active", null],
    });
    expect(await churns()).toEqual([
      {
        account: "ACME-001",
        churnedOn: "2026-01-31",
        kind: "full",
        arrLost: "120000",
        reason: "other",
        reasonOther: null,
        wonBackOn: null,
        source: "import",
        retroStatus: "closed",
      },
    ]);

    // Again, a day later: nothing new, and the undated churn keeps its first day.
    now = new Date("2026-03-16T09:00:00Z");
    const again = await run("accounts", csv(file));
    expect(again).toMatchObject({ updated: 0, unchanged: 3, churnedWithoutDate: 0 });
    expect(await statuses()).toMatchObject({ "GLOBEX-002": ["churned", "2026-03-15"] });
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws } })).toBe(1);

    // The churn history brings Globex's real date; marking Acme active reactivates it.
    await run("churns", csv("account_id,churned_on\nGLOBEX-002,2025-12-31\n"));
    expect((await statuses())["GLOBEX-002"]).toEqual(["churned", "2025-12-31"]);
    await run("accounts", csv("external_id,name,is churned\nACME-001,Acme Corp,no\n"));
    expect((await statuses())["ACME-001"]).toEqual(["active", null]);
  });

  it("reads signup dates, plans, billing terms and auto-renew under their CRM names and synonyms", async () => {
    const file =
      "Account ID,Account Name,Signup Date,Subscription Plan,Billing Cycle,Auto-Renew\n" +
      "T-1,One,2024-02-01,Pro,Month-to-month,Yes\n" +
      "T-2,Two,2024-03-01,Pro,yearly,0\n" +
      "T-3,Three,2024-04-01,Team,36 months,true\n" +
      "T-4,Four,2024-05-01,Team,quarterly,\n" +
      "T-5,Five,2024-06-01,Team,12 months,N\n" +
      "T-6,Six,2024-07-01,Team,fortnightly,maybe\n";
    const report = await run("accounts", csv(file), { skipInvalid: true });
    expect(report.mapping).toMatchObject({
      contractStart: "Signup Date",
      plan: "Subscription Plan",
      billingTerm: "Billing Cycle",
      autoRenew: "Auto-Renew",
    });
    expect(report.errors.map((e) => [e.line, e.column, e.reason])).toEqual([
      [
        7,
        "Billing Cycle",
        'unknown billing term "fortnightly": expected one of monthly, quarterly, annual, multi_year',
      ],
      [7, "Auto-Renew", '"maybe" is not yes or no (also true/false, 1/0)'],
    ]);
    const rows = await t.db.account.findMany({
      where: { workspaceId: ws, externalId: { startsWith: "T-" } },
      orderBy: { externalId: "asc" },
    });
    expect(
      rows.map((a) => [a.externalId, a.contractStart?.toISOString().slice(0, 10), a.plan, a.billingTerm, a.autoRenew]),
    ).toEqual([
      ["T-1", "2024-02-01", "Pro", "monthly", true],
      ["T-2", "2024-03-01", "Pro", "annual", false],
      ["T-3", "2024-04-01", "Team", "multi_year", true],
      ["T-4", "2024-05-01", "Team", "quarterly", null],
      ["T-5", "2024-06-01", "Team", "annual", false],
    ]);
  });

  it("reads a telecom-style snapshot without names: customerID, Contract, Churn Yes/No, and numeric and category traits", async () => {
    const file =
      "customerID,tenure,Contract,PaymentMethod,MonthlyCharges,Churn\n" +
      "7590-VHVEG,1,Month-to-month,Electronic check,29.85,No\n" +
      "5575-GNVDE,34,One year,Mailed check,56.95,No\n" +
      "9237-HQITU,2,Two year,Bank transfer (automatic),70.70,Yes\n";
    const report = await run("accounts", csv(file), { traits: ["tenure", "PaymentMethod", "MonthlyCharges"] });
    expect(report, renderImportReport(report)).toMatchObject({ committed: true, created: 3, churnedWithoutDate: 1 });
    expect(report.mapping).toEqual({ externalId: "customerID", billingTerm: "Contract", status: "Churn" });
    const rows = await t.db.account.findMany({
      where: { workspaceId: ws, externalId: { in: ["7590-VHVEG", "5575-GNVDE", "9237-HQITU"] } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((a) => [a.name, a.billingTerm, a.status, a.traits])).toEqual([
      ["7590-VHVEG", "monthly", "active", { tenure: 1, PaymentMethod: "Electronic check", MonthlyCharges: 29.85 }],
      ["5575-GNVDE", "annual", "active", { tenure: 34, PaymentMethod: "Mailed check", MonthlyCharges: 56.95 }],
      [
        "9237-HQITU",
        "multi_year",
        "churned",
        { tenure: 2, PaymentMethod: "Bank transfer (automatic)", MonthlyCharges: 70.7 },
      ],
    ]);
    // Importing names later renames; a file without the name column leaves names alone.
    await run("accounts", csv("customerID,Contract\n7590-VHVEG,One year\n"));
    expect((await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "7590-VHVEG" } })).name).toBe(
      "7590-VHVEG",
    );
  });

  it("--trait stores numbers as numbers and the rest as categories; an empty cell removes the trait", async () => {
    const file =
      'external_id,name,Payment Method,Employees,MRR,Plan\nACME-001,Acme Corp,Invoice,"1,200",$99.50,Gold\nGLOBEX-002,Globex,Credit card,85,,Silver\n';
    const report = await run("accounts", csv(file), { traits: ["payment method", "Employees", "MRR", "Plan"] });
    expect(report, renderImportReport(report)).toMatchObject({
      committed: true,
      traits: ["Payment Method", "Employees", "MRR", "Plan"],
    });
    expect(report.mapping.plan).toBeUndefined();
    const traits = async () =>
      Object.fromEntries(
        (await t.db.account.findMany({ where: { workspaceId: ws } })).map((a) => [a.externalId, a.traits]),
      );
    expect(await traits()).toMatchObject({
      "ACME-001": { "Payment Method": "Invoice", Employees: 1200, MRR: 99.5, Plan: "Gold" },
      "GLOBEX-002": { "Payment Method": "Credit card", Employees: 85, Plan: "Silver" },
    });
    // The plan column went to the trait, not to the account's plan (from accounts.csv).
    expect((await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "ACME-001" } })).plan).toBe(
      "Enterprise",
    );

    const cleared = await run("accounts", csv("external_id,name,Payment Method\nACME-001,Acme Corp,\n"), {
      traits: ["Payment Method"],
    });
    expect(cleared).toMatchObject({ updated: 1 });
    expect((await traits())["ACME-001"]).toEqual({ Employees: 1200, MRR: 99.5, Plan: "Gold" });

    const long = await run("accounts", csv(`external_id,name,Notes\nACME-001,Acme Corp,${"x".repeat(101)}\n`), {
      traits: ["Notes"],
    });
    expect(long.errors).toEqual([
      { line: 2, column: "Notes", reason: "is longer than 100 characters (a trait is a number or a short category)" },
    ]);
  });

  it("a --trait naming a column the file lacks is a usage error naming the columns", async () => {
    const attempt = run("accounts", csv("external_id,name\nACME-001,Acme Corp\n"), { traits: ["Payment Method"] });
    await expect(attempt).rejects.toBeInstanceOf(ImportUsageError);
    await expect(
      run("accounts", csv("external_id,name\nACME-001,Acme Corp\n"), { traits: ["Payment Method"] }),
    ).rejects.toThrow('--trait "Payment Method": the file has no such column (columns: external_id, name)');
  });
});

describe("attribute history", () => {
  it("records plan, seats, term, auto-renew, ARR and traits when they change (first import included), one row per day, read as of a day", async () => {
    const acme = await accountId("ACME-001");
    const history = async () =>
      (
        await t.db.accountAttributeChange.findMany({
          where: { workspaceId: ws, accountId: acme },
          orderBy: [{ attribute: "asc" }, { effectiveOn: "asc" }],
        })
      ).map((c) => [c.attribute, c.effectiveOn.toISOString().slice(0, 10), c.value, c.source]);
    // The first import (beforeEach, 2026-03-15) wrote every value it set.
    expect(await history()).toEqual([
      ["arr", "2026-03-15", 120000, "import"],
      ["autoRenew", "2026-03-15", true, "import"],
      ["billingTerm", "2026-03-15", "annual", "import"],
      ["plan", "2026-03-15", "Enterprise", "import"],
      ["seats", "2026-03-15", 250, "import"],
    ]);
    // Unchanged values write nothing.
    await run("accounts", example("accounts.csv"));
    expect(await history()).toHaveLength(5);

    now = new Date("2026-04-01T08:00:00Z");
    await run("accounts", csv("external_id,name,plan,seats,Tier\nACME-001,Acme Corp,Growth,200,A\n"), {
      traits: ["Tier"],
    });
    // Twice the same day: the day's row is replaced, not doubled.
    await run("accounts", csv("external_id,name,plan,seats,Tier\nACME-001,Acme Corp,Scale,200,B\n"), {
      traits: ["Tier"],
    });
    expect((await history()).filter(([, day]) => day === "2026-04-01")).toEqual([
      ["plan", "2026-04-01", "Scale", "import"],
      ["seats", "2026-04-01", 200, "import"],
      ["trait:Tier", "2026-04-01", "B", "import"],
    ]);

    // The score reads them as of the day it scores (the feature pass), from this history.
    const asOf = async (day: string) => {
      const d = new Date(`${day}T00:00:00Z`);
      for await (const page of featurePages(t.db, DEFAULT_HEALTH_MODEL, {
        workspaceId: ws,
        scoredOn: d,
        cutoff: d,
        pageSize: 100,
        accountIds: [acme],
      })) {
        const f = page[0]?.features;
        if (f)
          return {
            plan: f.contract.plan,
            seats: f.seats,
            term: f.contract.billingTerm,
            autoRenew: f.contract.autoRenew,
            traits: f.contract.traits,
          };
      }
      return undefined;
    };
    expect(await asOf("2026-03-20")).toEqual({
      plan: "Enterprise",
      seats: 250,
      term: "annual",
      autoRenew: true,
      traits: { Tier: "B" },
    });
    expect(await asOf("2026-04-02")).toEqual({
      plan: "Scale",
      seats: 200,
      term: "annual",
      autoRenew: true,
      traits: { Tier: "B" },
    });
  });
});

describe("importCsv: weekly and monthly usage", () => {
  async function usage(externalId: string) {
    const rows = await t.db.usageDaily.findMany({
      where: { workspaceId: ws, account: { externalId } },
      orderBy: { day: "asc" },
    });
    return rows.map((r) => ({
      day: r.day.toISOString().slice(0, 10),
      activeUsers: r.activeUsers,
      logins: r.logins,
      seats: r.seats,
      modules: r.modules as Record<string, number>,
    }));
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it("spreads a month's counts over its days, totals exact, keeping active users and seats as daily levels", async () => {
    const report = await run("usage", example("usage-monthly.csv"), { period: "month" });
    expect(report, renderImportReport(report)).toMatchObject({
      committed: true,
      rows: 4,
      created: 31 + 28 + 31 + 28,
      period: "month",
    });
    expect(report.mapping).toMatchObject({ day: "month" });
    const acme = await usage("ACME-001");
    const january = acme.filter((r) => r.day.startsWith("2026-01"));
    expect(january).toHaveLength(31);
    expect(sum(january.map((r) => r.logins))).toBe(9300);
    expect(sum(january.map((r) => r.modules.reports!))).toBe(2900);
    expect(sum(january.map((r) => r.modules.dashboards!))).toBe(1240);
    expect(new Set(january.map((r) => r.activeUsers))).toEqual(new Set([140]));
    expect(new Set(january.map((r) => r.seats))).toEqual(new Set([250]));
    // 9300 = 31 x 300: even; 8820 over 28 days = 315 each; 620 over 31 = 20 each.
    const globexFeb = (await usage("GLOBEX-002")).filter((r) => r.day.startsWith("2026-02"));
    // 430 over 28 days: 15 each, the 10 left over on the first ten days.
    expect(globexFeb.map((r) => r.logins)).toEqual([...Array(10).fill(16), ...Array(18).fill(15)]);
    expect(sum(globexFeb.map((r) => r.modules.reports!))).toBe(98);
  });

  it("normalises a week's row to its ISO Monday, and writes no day after today (the month in progress keeps its total)", async () => {
    // 2026-03-04 is a Wednesday: its week starts Monday 2026-03-02. Today is 2026-03-15.
    const report = await run(
      "usage",
      csv("account_id,week,active_users,logins\nACME-001,2026-03-04,50,101\nACME-001,2026-03-09,40,9\n"),
      { period: "week" },
    );
    expect(report, renderImportReport(report)).toMatchObject({ committed: true, created: 14 });
    const rows = await usage("ACME-001");
    expect(rows[0]!.day).toBe("2026-03-02");
    expect(rows.slice(0, 7).map((r) => r.logins)).toEqual([15, 15, 15, 14, 14, 14, 14]);
    expect(sum(rows.slice(7).map((r) => r.logins))).toBe(9);

    const month = await run(
      "usage",
      csv("account_id,month,active_users,logins\nGLOBEX-002,2026-03-20,10,31\nGLOBEX-002,2026-04-01,10,31\n"),
      { period: "month", skipInvalid: true },
    );
    expect(month.errors).toEqual([{ line: 3, column: "month", reason: "the month starts after today (15 Mar 2026)" }]);
    const march = await usage("GLOBEX-002");
    expect(march.map((r) => r.day)).toEqual(
      Array.from({ length: 15 }, (_, i) => `2026-03-${String(i + 1).padStart(2, "0")}`),
    );
    expect(sum(march.map((r) => r.logins))).toBe(31);
  });

  it("two rows of the same week are a row error; re-importing upserts the same days", async () => {
    const file = "account_id,date,active_users,logins\nACME-001,2026-02-02,5,70\nACME-001,2026-02-08,5,70\n";
    const strict = await run("usage", csv(file), { period: "week" });
    expect(strict.errors).toEqual([
      { line: 3, column: "date", reason: "the same account and week appear on an earlier line" },
    ]);
    const once = await run("usage", csv("account_id,date,active_users,logins\nACME-001,2026-02-02,5,70\n"), {
      period: "week",
    });
    expect(once).toMatchObject({ created: 7 });
    const again = await run("usage", csv("account_id,date,active_users,logins\nACME-001,2026-02-05,6,70\n"), {
      period: "week",
    });
    expect(again).toMatchObject({ created: 0, updated: 7 });
    expect((await usage("ACME-001")).map((r) => r.activeUsers)).toEqual(Array(7).fill(6));
  });

  it("--period and --trait belong to their kinds", async () => {
    await expect(run("accounts", example("accounts.csv"), { period: "week" })).rejects.toThrow(
      "--period is for usage imports only",
    );
    await expect(run("usage", example("usage.csv"), { traits: ["seats"] })).rejects.toThrow(
      "--trait is for accounts imports only",
    );
  });
});
