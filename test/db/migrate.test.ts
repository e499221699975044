import { mkdtempSync, cpSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import {
  DEFAULT_MIGRATIONS_DIR,
  checksumOf,
  isNoTransaction,
  migrateDatabase,
  readMigrations,
  splitStatements,
} from "../../src/db/migrate.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

const NO_TRANSACTION_FIXTURES = new URL("../fixtures/migrations-no-transaction/", import.meta.url).pathname;
const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

async function emptyDb(): Promise<TestDatabase> {
  const d = await createTestDatabase({ empty: true });
  dbs.push(d);
  return d;
}

async function migrationRows(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    return rows as {
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
    }[];
  } finally {
    await c.end();
  }
}

describe("migrateDatabase", () => {
  it("applies every migration once and records it as Prisma Migrate does", async () => {
    const d = await emptyDb();
    const files = await readMigrations();
    const first = await migrateDatabase(d.url);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrateDatabase(d.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(files.map((f) => f.name));
    const rows = await migrationRows(d.url);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(
        checksumOf(readFileSync(join(DEFAULT_MIGRATIONS_DIR, files[i]!.name, "migration.sql"), "utf8")),
      );
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it("applies each migration once when several processes start together", async () => {
    const d = await emptyDb();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrateDatabase(d.url)));
    const appliedCounts = results.map((r) => r.applied.length);
    const total = (await readMigrations()).length;
    expect(appliedCounts.filter((n) => n === total)).toHaveLength(1);
    expect(appliedCounts.filter((n) => n === 0)).toHaveLength(3);
    expect(await migrationRows(d.url)).toHaveLength(total);
  });

  it("refuses an applied migration whose file was edited, naming it", async () => {
    const d = await emptyDb();
    const dir = mkdtempSync(join(tmpdir(), "pulse-migrations-"));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await migrateDatabase(d.url, { migrationsDir: dir });
    const [first] = await readMigrations(dir);
    const file = join(dir, first!.name, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8") + "\n-- sneaky edit\n");
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`Migration ${first!.name} was edited after it was applied`),
    );
  });

  it("accepts a migration whose line endings git changed", async () => {
    const d = await emptyDb();
    const dir = mkdtempSync(join(tmpdir(), "pulse-migrations-"));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await migrateDatabase(d.url, { migrationsDir: dir });
    const [first] = await readMigrations(dir);
    const file = join(dir, first!.name, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    const d = await emptyDb();
    const dir = mkdtempSync(join(tmpdir(), "pulse-migrations-"));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const broken = join(dir, "29991231000000_broken");
    cpSync(join(dir, (await readMigrations(dir))[0]!.name), broken, { recursive: true });
    writeFileSync(
      join(broken, "migration.sql"),
      `CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n`,
    );
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).rejects.toThrow(
      /29991231000000_broken failed and was rolled back/,
    );
    const rows = await migrationRows(d.url);
    expect(rows.map((r) => r.migration_name)).not.toContain("29991231000000_broken");
    const c = new pg.Client({ connectionString: d.url });
    await c.connect();
    const { rowCount } = await c.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    await c.end();
    expect(rowCount).toBe(0);
  });

  it("runs a `-- pulse: no-transaction` migration outside a transaction and records it as Prisma does", async () => {
    const d = await emptyDb();
    const dir = mkdtempSync(join(tmpdir(), "pulse-migrations-"));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    cpSync(NO_TRANSACTION_FIXTURES, dir, { recursive: true });
    const name = "29991231000001_account_name_index_concurrently";
    const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
    const result = await migrateDatabase(d.url, { migrationsDir: dir });
    expect(result.applied.at(-1)).toBe(name);
    const row = (await migrationRows(d.url)).find((r) => r.migration_name === name);
    expect(row).toMatchObject({ checksum: checksumOf(sql), applied_steps_count: 1, rolled_back_at: null });
    expect(row?.finished_at).toBeInstanceOf(Date);
    const c = new pg.Client({ connectionString: d.url });
    await c.connect();
    const { rows } = await c.query<{ relname: string; indisvalid: boolean }>(
      `SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'account_%_concurrent_test_idx' ORDER BY 1`,
    );
    await c.end();
    expect(rows).toEqual([
      { relname: "account_domain_concurrent_test_idx", indisvalid: true },
      { relname: "account_name_concurrent_test_idx", indisvalid: true },
    ]);
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it("reports a failed no-transaction migration, keeps what it did, and leaves its record unfinished", async () => {
    const d = await emptyDb();
    const dir = mkdtempSync(join(tmpdir(), "pulse-migrations-"));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const name = "29991231000002_concurrent_broken";
    cpSync(join(dir, (await readMigrations(dir))[0]!.name), join(dir, name), { recursive: true });
    writeFileSync(
      join(dir, name, "migration.sql"),
      `-- pulse: no-transaction\nCREATE INDEX CONCURRENTLY "account_name_half_idx" ON "account" ("name");\nCREATE INDEX CONCURRENTLY "x_idx" ON "no_such_table" ("id");\n`,
    );
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).rejects.toThrow(
      /29991231000002_concurrent_broken \(outside a transaction\) failed at statement 2 of 2: relation "no_such_table" does not exist.*prisma migrate resolve --rolled-back 29991231000002_concurrent_broken/,
    );
    const c = new pg.Client({ connectionString: d.url });
    await c.connect();
    const record = await c.query<{ finished_at: Date | null; logs: string }>(
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = $1`,
      [name],
    );
    const index = await c.query(`SELECT 1 FROM pg_class WHERE relname = 'account_name_half_idx'`);
    await c.end();
    expect(record.rows).toEqual([
      {
        finished_at: null,
        logs: expect.stringContaining('statement 2 of 2 failed: relation "no_such_table" does not exist'),
      },
    ]);
    expect(index.rowCount).toBe(1);
    // As after a failed `prisma migrate deploy`: the next start stops and says what to do.
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).rejects.toThrow(
      /29991231000002_concurrent_broken was started but never finished/,
    );
  });

  it("says plainly when the database is unreachable", async () => {
    await expect(migrateDatabase("postgresql://nobody@127.0.0.1:1/nothing")).rejects.toThrow(
      /Cannot connect to the database/,
    );
  });
});

describe("no-transaction migrations", () => {
  it.each([
    ["-- pulse: no-transaction\nCREATE INDEX CONCURRENTLY a ON t (x);", true],
    ["--pulse: no-transaction\r\nSELECT 1;", true],
    ["CREATE TABLE t (x int);\n-- pulse: no-transaction\n", false],
    ["-- pulse: no-transactions\nSELECT 1;", false],
  ])("%j declares it: %s", (sql, expected) => expect(isNoTransaction(sql)).toBe(expected));

  it("splits plain statements at a semicolon that ends a line, dropping comment lines", () => {
    expect(
      splitStatements(
        "-- pulse: no-transaction\n-- why\nCREATE INDEX CONCURRENTLY a ON t (x);\nCREATE INDEX CONCURRENTLY b ON t (y); -- note\nSELECT ';' ;",
      ),
    ).toEqual(["CREATE INDEX CONCURRENTLY a ON t (x)", "CREATE INDEX CONCURRENTLY b ON t (y)", "SELECT ';'"]);
  });
});
