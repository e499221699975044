// The commands end to end, as a person runs them: parse arguments, open the database,
// call the service, print the result.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
const saved = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };
const example = (name: string) => fileURLToPath(new URL(`../../examples/csv/${name}`, import.meta.url));

async function pulse(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), isTty: false });
  return { code, out, err };
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.LOG_LEVEL = "silent";
  await t.db.workspace.create({ data: { slackTeamId: "TCLI0001", name: "CLI" } });
});
afterAll(async () => {
  process.env.DATABASE_URL = saved.DATABASE_URL;
  process.env.LOG_LEVEL = saved.LOG_LEVEL;
  if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
  if (saved.LOG_LEVEL === undefined) delete process.env.LOG_LEVEL;
  await t.drop();
});

describe("pulse import", () => {
  it("dry-runs, imports, and re-imports a file without changing anything", async () => {
    // Owners are matched by name: the HubSpot file names "dana scully".
    await t.db.user.create({
      data: {
        workspaceId: (await t.db.workspace.findFirstOrThrow()).id,
        slackUserId: "U0CSM0002",
        name: "Dana Scully",
      },
    });
    const dry = await pulse("import", "accounts", example("accounts-hubspot.csv"), "--dry-run");
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.out).toContain("it would make 2 created, 0 updated, 0 unchanged");
    expect(await t.db.account.count()).toBe(0);

    const first = await pulse("import", "accounts", example("accounts-hubspot.csv"), "--workspace", "TCLI0001");
    expect(first.out).toContain("Imported accounts: 2 rows read; 2 created, 0 updated, 0 unchanged.");
    const again = await pulse("import", "accounts", example("accounts-hubspot.csv"));
    expect(again.out).toContain("0 created, 0 updated, 2 unchanged");
  });

  it("exits 1 and prints the errors when rows are bad", async () => {
    const res = await pulse("import", "usage", example("usage.csv"));
    expect(res.code).toBe(1);
    expect(res.err).toContain("Nothing was imported: 3 rows of 3 have errors.");
    expect(res.err).toContain('line 2, account_id: unknown account id "ACME-001"');
  });

  it("explains usage mistakes", async () => {
    expect((await pulse("import", "widgets", "x.csv")).code).toBe(2);
    expect((await pulse("import", "accounts", "/nonexistent.csv")).err).toContain("No file /nonexistent.csv.");
    expect((await pulse("import", "accounts", example("accounts.csv"), "--map", "oops")).err).toContain(
      '--map "oops" is not of the form column=field',
    );
    expect((await pulse("import", "accounts", example("accounts.csv"), "--workspace", "TNOPE")).err).toContain(
      "No workspace with team id TNOPE",
    );
  });
});

describe("pulse import churns, --trait and --period", () => {
  it("imports churn history, account traits and monthly usage as a person would", async () => {
    const ws = await t.db.workspace.create({ data: { slackTeamId: "TCLI0002", name: "CLI 2" } });
    const accounts = await pulse(
      "import",
      "accounts",
      example("accounts.csv"),
      "--workspace",
      "TCLI0002",
      "--trait",
      "payment_method",
    );
    expect(accounts, accounts.err).toMatchObject({ code: 0 });
    expect(accounts.out).toContain("traits: payment_method");
    const acme = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: "ACME-001" } });
    expect(acme.traits).toEqual({ payment_method: "Invoice" });

    const dry = await pulse("import", "churns", example("churns.csv"), "--workspace", "TCLI0002", "--dry-run");
    expect(dry.out).toContain("Dry run of the churns import: nothing was saved.");
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws.id } })).toBe(0);
    const churns = await pulse("import", "churns", example("churns.csv"), "--workspace", "TCLI0002");
    expect(churns.out).toContain("Imported churns: 2 rows read; 2 created, 0 updated, 0 unchanged.");

    const usage = await pulse(
      "import",
      "usage",
      example("usage-monthly.csv"),
      "--workspace",
      "TCLI0002",
      "--period",
      "month",
    );
    expect(usage, usage.err).toMatchObject({ code: 0 });
    expect(usage.out).toContain("Each row is a month's usage, spread over its days");
    expect(await t.db.usageDaily.count({ where: { workspaceId: ws.id } })).toBe(118);
  });

  it("a --trait the file lacks, a bad --period or a flag of another kind is a usage error", async () => {
    const missing = await pulse(
      "import",
      "accounts",
      example("accounts.csv"),
      "--workspace",
      "TCLI0002",
      "--trait",
      "Contract Value",
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      '--trait "Contract Value": the file has no such column (columns: external_id, name, domain',
    );
    expect(missing.err).toContain("Usage: pulse import accounts|contacts|usage|touchpoints|surveys|churns");
    expect((await pulse("import", "usage", example("usage.csv"), "--period", "year")).err).toContain(
      "--period must be one of day, week, month",
    );
    expect((await pulse("import", "churns", example("churns.csv"), "--period", "week")).code).toBe(2);
    expect((await pulse("import", "usage", example("usage.csv"), "--trait", "seats")).err).toContain(
      "--trait is for accounts imports only",
    );
  });

  it("pulse help and the import usage name churns", async () => {
    expect((await pulse("help")).out).toMatch(/import\s+Import a CSV of .*churns/);
    expect((await pulse("import", "--help")).out).toContain("--trait");
  });
});

describe("pulse api-key", () => {
  it("creates a key shown once, lists it by prefix only, and revokes it", async () => {
    const created = await pulse("api-key", "create", "--workspace", "TCLI0001", "--name", "segment-prod");
    expect(created.code).toBe(0);
    const key = /(pulse_sk_[A-Za-z0-9_-]+)/.exec(created.out)![1]!;
    const listed = await pulse("api-key", "list", "--workspace", "TCLI0001");
    expect(listed.out).toContain(`${key.slice(0, 13)}…  segment-prod`);
    expect(listed.out).not.toContain(key);
    const id = /^\s*(\d+)/.exec(listed.out)![1]!;
    const revoked = await pulse("api-key", "revoke", id, "--workspace", "TCLI0001");
    expect(revoked.out).toContain("is revoked");
    expect((await pulse("api-key", "list", "--workspace", "TCLI0001")).out).toContain("REVOKED");
    expect((await pulse("api-key", "rotate")).code).toBe(2);
  });
});
