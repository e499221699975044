import { createReadStream } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import type { ImportKind } from "../../src/domain/ingest/header-mapping.js";
import { renderImportReport } from "../../src/domain/ingest/import-report.js";
import { importCsv } from "../../src/services/import-csv.js";
import { createWorkspace, testContext } from "../helpers/app-context.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually } from "../helpers/slack.js";

let t: TestDatabase;
let ctx: AppContext;
let ws: number;

const example = (name: string) => createReadStream(new URL(`../../examples/csv/${name}`, import.meta.url));
const csv = (text: string) => Readable.from([text]);

function run(
  kind: ImportKind,
  input: Readable,
  more: { dryRun?: boolean; skipInvalid?: boolean; mapping?: Record<string, string>; workspaceId?: number } = {},
) {
  return importCsv(ctx, { workspaceId: more.workspaceId ?? ws, kind, input, ...more });
}

async function seedUsers(workspaceId: number) {
  await t.db.user.createMany({
    data: [
      { workspaceId, slackUserId: "U0CSM0001", name: "Fox Mulder" },
      { workspaceId, slackUserId: "U0CSM0002", name: "Dana Scully" },
    ],
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = testContext(t.db, { url: t.url });
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  ws = await createWorkspace(t.db);
  await seedUsers(ws);
});

async function importExamples(...names: [ImportKind, string][]) {
  for (const [kind, name] of names) {
    const report = await run(kind, example(name));
    expect(report.invalidRows, renderImportReport(report)).toBe(0);
    expect(report.committed).toBe(true);
  }
}

describe("importCsv: accounts", () => {
  it("creates accounts from the example file, in a workspace without users, with plan, term, ARR history and stage history", async () => {
    ws = await createWorkspace(t.db);
    const report = await run("accounts", example("accounts.csv"));
    expect(report).toMatchObject({ committed: true, rows: 3, created: 3, updated: 0, unchanged: 0, invalidRows: 0 });
    expect(report.ignoredColumns).toEqual(["payment_method"]);
    const accounts = await t.db.account.findMany({ where: { workspaceId: ws }, orderBy: { externalId: "asc" } });
    expect(
      accounts.map((a) => [
        a.externalId,
        a.name,
        a.domain,
        a.arr.toString(),
        a.currency,
        a.seats,
        a.stage,
        a.plan,
        a.billingTerm,
        a.autoRenew,
      ]),
    ).toEqual([
      ["ACME-001", "Acme Corp", "acme.example", "120000", "USD", 250, "adoption", "Enterprise", "annual", true],
      ["GLOBEX-002", "Globex", "globex.example", "48000.5", "USD", 80, "onboarding", "Growth", "monthly", false],
      ["INITECH-003", "Initech", "initech.example", "9000", "EUR", 15, "orientation", "Starter", "multi_year", true],
    ]);
    expect(accounts[0]!.renewalDate?.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    const arr = await t.db.arrChange.findMany({ where: { workspaceId: ws }, orderBy: { accountId: "asc" } });
    expect(arr.map((c) => [c.kind, c.arrBefore.toString(), c.arrAfter.toString()])).toEqual([
      ["new_business", "0", "120000"],
      ["new_business", "0", "48000.5"],
      ["new_business", "0", "9000"],
    ]);
    expect(await t.db.stageChange.count({ where: { workspaceId: ws, fromStage: null, source: "import" } })).toBe(3);
    const audit = await t.db.auditLog.findMany({ where: { workspaceId: ws } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "import.accounts",
      details: expect.objectContaining({ rows: 3, created: 3 }),
    });
  });

  it("re-importing the same file changes nothing; a changed file updates and records ARR and stage changes", async () => {
    await run("accounts", example("accounts.csv"));
    const again = await run("accounts", example("accounts.csv"));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, committed: true });
    expect(await t.db.arrChange.count({ where: { workspaceId: ws } })).toBe(3);

    const changed = await run(
      "accounts",
      csv(
        "external_id,name,arr,stage\nACME-001,Acme Corp,150000,maturity\nGLOBEX-002,Globex,30000,onboarding\nINITECH-003,Initech,9000,orientation\n",
      ),
    );
    expect(changed).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    const history = await t.db.arrChange.findMany({
      where: { workspaceId: ws, kind: { not: "new_business" } },
      orderBy: { kind: "asc" },
    });
    expect(history.map((h) => [h.kind, h.arrBefore.toString(), h.arrAfter.toString()])).toEqual([
      ["expansion", "120000", "150000"],
      ["contraction", "48000.5", "30000"],
    ]);
    const stage = await t.db.stageChange.findMany({ where: { workspaceId: ws, fromStage: { not: null } } });
    expect(stage.map((s) => [s.fromStage, s.toStage])).toEqual([["adoption", "maturity"]]);
    // Columns the second file lacks (domain, seats, plan) are left alone.
    const acme = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "ACME-001" } });
    expect([acme.domain, acme.seats, acme.plan]).toEqual(["acme.example", 250, "Enterprise"]);
  });

  it("reads a Salesforce account export", async () => {
    const report = await run("accounts", example("accounts-salesforce.csv"));
    expect(report).toMatchObject({ created: 2, invalidRows: 0 });
    expect(report.mapping).toMatchObject({
      externalId: "Account ID",
      name: "Account Name",
      domain: "Website",
      owner: "Account Owner",
      arr: "ARR",
      currency: "Account Currency",
      seats: "Number of Licenses",
      segment: "Customer Segment",
    });
    expect(report.ignoredColumns).toEqual(["Industry"]);
    const umbrella = await t.db.account.findFirstOrThrow({
      where: { workspaceId: ws, externalId: "0015g00000AbCdEAAV" },
      include: { owner: true },
    });
    expect([umbrella.name, umbrella.domain, umbrella.arr.toString(), umbrella.owner?.name]).toEqual([
      "Umbrella Corporation",
      "umbrella.example",
      "250000",
      "Dana Scully",
    ]);
  });

  it("reads a HubSpot company export, leaving HubSpot's marketing lifecycle stage alone", async () => {
    const report = await run("accounts", example("accounts-hubspot.csv"));
    expect(report).toMatchObject({ created: 2, invalidRows: 0 });
    expect(report.mapping).toMatchObject({
      externalId: "Record ID",
      name: "Company name",
      domain: "Company Domain Name",
      owner: "Company owner",
      arr: "Annual recurring revenue",
    });
    // HubSpot's Create Date is read as the start date: the day the company became a record.
    expect(report.ignoredColumns).toEqual(["Lifecycle Stage", "Number of Employees"]);
    expect(report.mapping).toMatchObject({ contractStart: "Create Date" });
    const wayne = await t.db.account.findFirstOrThrow({
      where: { workspaceId: ws, externalId: "9876543210" },
      include: { owner: true },
    });
    expect([wayne.arr.toString(), wayne.stage, wayne.owner?.slackUserId]).toEqual([
      "180000",
      "orientation",
      "U0CSM0002",
    ]);
  });

  it("forgives case and spacing in headers and takes --map overrides", async () => {
    const report = await run("accounts", csv("  ACCOUNT_name , Acct Num,arr\nFoo Inc,F-1,10\n"), {
      mapping: { "acct num": "externalId" },
    });
    expect(report).toMatchObject({ created: 1, invalidRows: 0 });
    expect(report.mapping).toMatchObject({ externalId: "Acct Num", name: "ACCOUNT_name" });
  });

  it("refuses a file without the required columns, before reading any row", async () => {
    await expect(run("accounts", csv("name,arr\nFoo,10\n"))).rejects.toThrow(/no column for externalId .*--map/);
    await expect(run("accounts", csv("id,name\n1,a\n"), { mapping: { nope: "externalId" } })).rejects.toThrow(
      /the file has no column "nope"/,
    );
    await expect(run("accounts", csv(""))).rejects.toThrow(/The file is empty/);
  });

  it("reports every bad row with line, column and reason, and imports nothing", async () => {
    const report = await run(
      "accounts",
      csv(
        [
          "external_id,name,owner,arr,renewal_date,stage",
          "A-1,Good One,U0CSM0001,100,2026-05-01,adoption",
          "A-2,Bad Date,,100,2026-02-30,adoption",
          "A-3,Unknown Owner,Walter Skinner,100,,",
          "A-4,Negative,,-500,,",
          "A-5,Bad Stage,,100,,churning",
          ",No Id,,100,,",
          "A-1,Dup,,1,,",
        ].join("\n"),
      ),
    );
    expect(report.committed).toBe(false);
    expect(report.invalidRows).toBe(5);
    // An owner not in Pulse yet does not stop the row: it comes in unassigned, with a note.
    expect(report.notes).toEqual([
      { line: 4, column: "owner", reason: expect.stringMatching(/^no Pulse user is named "Walter Skinner" yet/) },
    ]);
    expect(report.errors).toEqual([
      { line: 3, column: "renewal_date", reason: 'bad date "2026-02-30": expected YYYY-MM-DD' },
      { line: 5, column: "arr", reason: "negative ARR -500: it must be 0 or more" },
      {
        line: 6,
        column: "stage",
        reason: expect.stringMatching(/^unknown stage "churning": expected one of orientation/),
      },
      { line: 7, column: "external_id", reason: "is empty" },
      { line: 8, column: "external_id", reason: "the same external id appears on an earlier line" },
    ]);
    expect(await t.db.account.count({ where: { workspaceId: ws } })).toBe(0);
    expect(await t.db.auditLog.count({ where: { workspaceId: ws } })).toBe(0);
    const text = renderImportReport(report);
    expect(text).toContain("Nothing was imported: 5 rows of 7 have errors.");
    expect(text).toContain("line 5, arr: negative ARR -500: it must be 0 or more");
  });

  it("with skipInvalid imports the valid rows and reports the rest", async () => {
    const report = await run("accounts", csv("id,name,arr\nA-1,Good,10\nA-2,Bad,ten\nA-3,Also Good,0\n"), {
      skipInvalid: true,
    });
    expect(report).toMatchObject({
      committed: true,
      created: 2,
      invalidRows: 1,
      errors: [{ line: 3, column: "arr", reason: 'ARR "ten" is not an amount such as 12000 or 12,000.50' }],
    });
    expect(await t.db.account.count({ where: { workspaceId: ws } })).toBe(2);
  });

  it("a dry run reports exact counts and changes nothing", async () => {
    await run("accounts", example("accounts.csv"));
    const before = await t.db.account.findMany({ where: { workspaceId: ws }, orderBy: { id: "asc" } });
    const report = await run(
      "accounts",
      csv("id,name,arr\nACME-001,Acme Corp,999\nGLOBEX-002,Globex,48000.50\nNEW-1,Newco,5\n"),
      { dryRun: true },
    );
    expect(report).toMatchObject({ dryRun: true, committed: false, created: 1, updated: 1, unchanged: 1 });
    expect(await t.db.account.findMany({ where: { workspaceId: ws }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await t.db.arrChange.count({ where: { workspaceId: ws } })).toBe(3);
    expect(await t.db.auditLog.count({ where: { workspaceId: ws, action: "import.accounts" } })).toBe(1);
    expect(renderImportReport(report)).toContain("it would make 1 created, 1 updated, 1 unchanged");
  });

  it("reports a malformed CSV plainly and imports nothing", async () => {
    await expect(run("accounts", csv('id,name\nA-1,"unclosed\n'))).rejects.toThrow(/not valid CSV/);
    expect(await t.db.account.count({ where: { workspaceId: ws } })).toBe(0);
  });

  it("names the file's own line for an error after blank lines and quoted line breaks (LF, CRLF or CR)", async () => {
    const lf = '\nid,name,arr\nA-1,"Two\nlines",10\n\n\nA-2,Bad,ten\n';
    expect((await run("accounts", csv(lf), { dryRun: true })).errors).toEqual([
      { line: 7, column: "arr", reason: 'ARR "ten" is not an amount such as 12000 or 12,000.50' },
    ]);
    const crlf = 'id,name,arr\r\nA-1,"Two\r\nlines",10\r\n\r\nA-2,Bad,ten\r\n';
    expect((await run("accounts", csv(crlf), { dryRun: true })).errors).toMatchObject([{ line: 5, column: "arr" }]);
    const cr = 'id,name,arr\rA-1,"Two\rlines",10\rA-2,Bad,ten\r';
    expect((await run("accounts", csv(cr), { dryRun: true })).errors).toMatchObject([{ line: 4, column: "arr" }]);
  });

  it("a row with the wrong number of fields is a row error", async () => {
    const report = await run("accounts", csv("id,name\nA-1,One,extra\n"));
    expect(report.errors).toEqual([{ line: 2, column: "(row)", reason: "has 3 fields but the header has 2" }]);
  });
});

describe("importCsv: text PostgreSQL cannot store", () => {
  it("a NUL character in a cell is that row's error; with skipInvalid the other rows import", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const file =
      "account_id,date,active_users,modules\nACME-001,2026-03-01,5,reports:1\nACME-001,2026-03-02,5,rep\u0000orts:1\n";
    const strict = await run("usage", csv(file));
    expect(strict.errors).toEqual([
      { line: 3, column: "modules", reason: "contains a NUL character (\\u0000), which cannot be stored" },
    ]);
    expect(strict.committed).toBe(false);
    const lenient = await run("usage", csv(file), { skipInvalid: true });
    expect(lenient).toMatchObject({ committed: true, created: 1, invalidRows: 1 });
  });
});

describe("importCsv: contacts", () => {
  it("imports the example files (Salesforce-style and HubSpot-style headers)", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const sf = await run("contacts", example("contacts.csv"));
    expect(sf).toMatchObject({ created: 3, invalidRows: 0 });
    const hs = await run("contacts", example("contacts-hubspot.csv"));
    expect(hs).toMatchObject({ created: 2, invalidRows: 0 });
    expect(hs.mapping).toMatchObject({
      externalId: "Record ID",
      accountExternalId: "Associated Company IDs",
      title: "Job Title",
    });
    const ada = await t.db.contact.findFirstOrThrow({ where: { workspaceId: ws, externalId: "C-1001" } });
    expect([ada.name, ada.email, ada.title, ada.stakeholderType]).toEqual([
      "Ada Lovelace",
      "ada@acme.example",
      "VP Operations",
      "sponsor",
    ]);
    expect((await run("contacts", example("contacts.csv"))).unchanged).toBe(3);
  });

  it("reports unknown accounts, bad emails and unknown stakeholder types", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const report = await run(
      "contacts",
      csv(
        "contact id,account id,email,role\nC-1,NOPE-9,a@b.example,sponsor\nC-2,ACME-001,not-an-email,sponsor\nC-3,ACME-001,c@d.example,janitor\n",
      ),
    );
    expect(report.errors.map((e) => [e.line, e.column, e.reason.split(":")[0]])).toEqual([
      [2, "account id", 'unknown account id "NOPE-9"'],
      [3, "email", '"not-an-email" is not an email address'],
      [4, "role", 'unknown stakeholder type "janitor"'],
    ]);
    expect(await t.db.contact.count({ where: { workspaceId: ws } })).toBe(0);
  });
});

describe("importCsv: usage", () => {
  it("imports the example and upserts by (account, day)", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const report = await run("usage", example("usage.csv"));
    expect(report).toMatchObject({ created: 3, invalidRows: 0 });
    const rows = await t.db.usageDaily.findMany({
      where: { workspaceId: ws },
      orderBy: [{ accountId: "asc" }, { day: "asc" }],
    });
    expect(
      rows.map((r) => [r.day.toISOString().slice(0, 10), r.activeUsers, r.logins, r.seats, r.modules, r.source]),
    ).toEqual([
      ["2026-03-01", 142, 310, 250, { reports: 95, dashboards: 40 }, "import"],
      ["2026-03-02", 150, 332, 250, { reports: 101, dashboards: 44, exports: 3 }, "import"],
      ["2026-03-01", 12, 20, 80, { reports: 4 }, "import"],
    ]);
    expect(await run("usage", example("usage.csv"))).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await run("usage", csv("account_id,date,active_users\nACME-001,2026-03-01,143\n"))).toMatchObject({
      updated: 1,
    });
    const updated = await t.db.usageDaily.findFirstOrThrow({
      where: { workspaceId: ws, day: new Date("2026-03-01"), account: { externalId: "ACME-001" } },
    });
    expect([updated.activeUsers, updated.logins, updated.modules]).toEqual([143, 310, { reports: 95, dashboards: 40 }]);
  });

  it("copies days outside an account's stored span and upserts those inside it, gaps included", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    await run("usage", csv("account_id,date,active_users\nACME-001,2026-03-01,1\nACME-001,2026-03-03,3\n"));
    // 03-02 is a gap inside ACME's span (upserted, created); 03-03 is stored (updated);
    // 03-04 and GLOBEX's day are outside any span (copied, created).
    const report = await run(
      "usage",
      csv(
        'account_id,date,active_users,modules\nACME-001,2026-03-02,2,\nACME-001,2026-03-03,30,\nACME-001,2026-03-04,4,"{""a\\\\b"": 1, ""tab\\tname"": 2}"\nGLOBEX-002,2026-03-01,7,reports:1\n',
      ),
    );
    expect(report).toMatchObject({ committed: true, created: 3, updated: 1, unchanged: 0 });
    const rows = await t.db.usageDaily.findMany({
      where: { workspaceId: ws },
      orderBy: [{ accountId: "asc" }, { day: "asc" }],
      include: { account: true },
    });
    expect(
      rows.map((r) => [
        r.account.externalId,
        r.day.toISOString().slice(0, 10),
        r.activeUsers,
        r.logins,
        r.seats,
        r.modules,
      ]),
    ).toEqual([
      ["ACME-001", "2026-03-01", 1, 0, null, {}],
      ["ACME-001", "2026-03-02", 2, 0, null, {}],
      ["ACME-001", "2026-03-03", 30, 0, null, {}],
      ["ACME-001", "2026-03-04", 4, 0, null, { "a\\b": 1, "tab\tname": 2 }],
      ["GLOBEX-002", "2026-03-01", 7, 0, null, { reports: 1 }],
    ]);
    expect(
      await run("usage", csv("account_id,date,active_users\nACME-001,2026-03-04,4\nGLOBEX-002,2026-03-01,7\n")),
    ).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it("rolls back whole, saying why, when live ingestion writes one of the file's new days meanwhile", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const acme = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "ACME-001" } });
    const input = new PassThrough();
    input.write("account_id,date,active_users\nGLOBEX-002,2026-04-01,5\n");
    const importing = run("usage", input);
    // Once the import has read the stored spans and waits for the file, ingestion writes a day.
    await eventually(async () => {
      const rows = await t.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%min(u.day)%'`;
      return rows[0]!.n > 0;
    });
    await t.db.usageDaily.create({
      data: { workspaceId: ws, accountId: acme.id, day: new Date("2026-04-02"), activeUsers: 9, source: "api" },
    });
    input.end("ACME-001,2026-04-02,5\n");
    await expect(importing).rejects.toThrow(/written while the import ran, so nothing was imported/);
    expect(
      await t.db.usageDaily.findMany({ where: { workspaceId: ws }, select: { activeUsers: true, source: true } }),
    ).toEqual([{ activeUsers: 9, source: "api" }]);
  });

  it("a dry run counts exactly and writes nothing, nor an audit row", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const report = await run("usage", example("usage.csv"), { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, committed: false, created: 3 });
    expect(await t.db.usageDaily.count({ where: { workspaceId: ws } })).toBe(0);
    expect(await t.db.auditLog.count({ where: { workspaceId: ws, action: "import.usage" } })).toBe(0);
    await run("usage", example("usage.csv"));
    expect(await t.db.auditLog.count({ where: { workspaceId: ws, action: "import.usage" } })).toBe(1);
  });

  it("reports bad dates, negative counts, unknown accounts and repeated days", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const report = await run(
      "usage",
      csv(
        "account_id,date,active_users,modules\nACME-001,03/01/2026,5,\nACME-001,2026-03-01,-1,\nGHOST,2026-03-01,5,\nACME-001,2026-03-02,5,reports:x\nACME-001,2026-03-03,5,\nACME-001,2026-03-03,6,\n",
      ),
    );
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([
      [2, "date"],
      [3, "active_users"],
      [4, "account_id"],
      [5, "modules"],
      [7, "date"],
    ]);
    expect(report.errors[1]!.reason).toBe("active users -1 is out of range (0 to 10000000)");
    expect(await t.db.usageDaily.count({ where: { workspaceId: ws } })).toBe(0);
  });
});

describe("importCsv: touchpoints", () => {
  it("imports the example with kinds, sentiments and stakeholder types", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    expect(await run("touchpoints", example("touchpoints.csv"))).toMatchObject({ created: 3, invalidRows: 0 });
    const tps = await t.db.touchpoint.findMany({ where: { workspaceId: ws }, orderBy: { externalId: "asc" } });
    expect(
      tps.map((tp) => [
        tp.externalId,
        tp.kind,
        tp.occurredAt.toISOString(),
        tp.sentiment,
        tp.stakeholderTypes,
        tp.source,
      ]),
    ).toEqual([
      ["T-1", "qbr", "2026-02-20T15:00:00.000Z", "positive", ["sponsor", "end_user"], "import"],
      ["T-2", "call", "2026-03-03T10:30:00.000Z", "neutral", ["implementer"], "import"],
      ["T-3", "email", "2026-03-05T00:00:00.000Z", null, [], "import"],
    ]);
    expect(await run("touchpoints", example("touchpoints.csv"))).toMatchObject({ unchanged: 3 });
  });

  it("reports unknown kinds and bad timestamps", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const report = await run(
      "touchpoints",
      csv("id,account id,type,date\nT-1,ACME-001,carrier pigeon,2026-03-01\nT-2,ACME-001,call,yesterday\n"),
    );
    expect(report.errors.map((e) => [e.line, e.column, e.reason.slice(0, 25)])).toEqual([
      [2, "type", 'unknown touchpoint kind "'],
      [3, "date", 'bad date "yesterday": exp'],
    ]);
  });
});

describe("importCsv: surveys", () => {
  it("imports the example, linking contacts", async () => {
    await importExamples(["accounts", "accounts.csv"], ["contacts", "contacts.csv"]);
    expect(await run("surveys", example("surveys.csv"))).toMatchObject({ created: 3, invalidRows: 0 });
    const s1 = await t.db.surveyResponse.findFirstOrThrow({
      where: { workspaceId: ws, externalId: "S-1" },
      include: { contact: true },
    });
    expect([s1.kind, s1.score, s1.contact?.externalId, s1.comment, s1.source]).toEqual([
      "nps",
      9,
      "C-1001",
      "Great support team",
      "import",
    ]);
  });

  it("reports NPS and CSAT scores out of range, unknown accounts and contacts of another account", async () => {
    await importExamples(["accounts", "accounts.csv"], ["contacts", "contacts.csv"]);
    const report = await run(
      "surveys",
      csv(
        "id,account id,contact id,kind,score,date\nS-1,ACME-001,,nps,11,2026-03-01\nS-2,ACME-001,,csat,0,2026-03-01\nS-3,NOPE,,nps,5,2026-03-01\nS-4,ACME-001,C-2001,nps,5,2026-03-01\n",
      ),
    );
    expect(report.errors).toEqual([
      { line: 2, column: "score", reason: "NPS score 11 is out of range (0 to 10)" },
      { line: 3, column: "score", reason: "CSAT score 0 is out of range (1 to 5)" },
      { line: 4, column: "account id", reason: expect.stringMatching(/^unknown account id "NOPE"/) },
      { line: 5, column: "contact id", reason: 'contact "C-2001" belongs to another account' },
    ]);
  });
});

describe("importCsv: workspaces", () => {
  it("never resolves references across workspaces", async () => {
    await importExamples(["accounts", "accounts.csv"]);
    const other = await createWorkspace(t.db, "Other");
    const report = await run("usage", example("usage.csv"), { workspaceId: other });
    expect(report.invalidRows).toBe(3);
    expect(report.errors[0]!.reason).toMatch(/^unknown account id "ACME-001"/);
  });
});
