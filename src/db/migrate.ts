// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` would, so a
// database migrated by Pulse and one migrated by Prisma's CLI are interchangeable:
// - the same `_prisma_migrations` table and columns, checksums as SHA-256 of the script;
// - the same advisory lock key Prisma uses, so Pulse and the CLI exclude each other too;
// - each migration in its own transaction: a failure leaves no trace but the error;
// - except a migration whose first line is `-- pulse: no-transaction` (CREATE INDEX
//   CONCURRENTLY on a large table cannot run in one): its statements run one by one, and
//   a failure is recorded as Prisma records one (finished_at empty, the error in logs).
// An applied migration whose file changed since is refused: silently diverging schemas are
// worse than a stopped deploy.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { dedicatedClient } from "./dedicated-client.js";
import { AppError } from "../errors.js";

/** Prisma Migrate's advisory lock key (schema-engine, postgres connector). */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
  /** First line `-- pulse: no-transaction`: run statement by statement, outside a transaction. */
  noTransaction: boolean;
}

const NO_TRANSACTION = /^\uFEFF?--\s*pulse:\s*no-transaction\s*$/;

export function isNoTransaction(sql: string): boolean {
  return NO_TRANSACTION.test(sql.split(/\r?\n/, 1)[0] ?? "");
}

/**
 * A no-transaction migration's statements. PostgreSQL runs a multi-statement query in an
 * implicit transaction, which CREATE INDEX CONCURRENTLY refuses, so each is sent alone.
 * The split is at a `;` that ends a line: such a migration keeps to plain statements (no
 * function bodies), which is what it is for.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:--[^\n]*)?\r?\n|;[ \t]*$/)
    .map((chunk) => chunk.replace(/^\s*--[^\n]*$/gm, "").trim())
    .filter(Boolean);
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATIONS_TABLE_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/** Prisma accepts a script whose line endings git changed (CRLF <-> LF). */
function matchesChecksum(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, "\n");
  const crlf = lf.replace(/\n/g, "\r\n");
  return [sql, lf, crlf].some((variant) => checksumOf(variant) === checksum);
}

export const DEFAULT_MIGRATIONS_DIR = new URL("../../prisma/migrations/", import.meta.url).pathname;

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[A-Za-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql), noTransaction: isNoTransaction(sql) };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrateOptions {
  migrationsDir?: string;
  onApply?: (name: string) => void;
}

export async function migrateDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.migrationsDir);
  const client = dedicatedClient({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new AppError(
      "DATABASE_UNAVAILABLE",
      `Cannot connect to the database: ${(error as Error).message}`,
      "The database is unreachable.",
      { cause: error },
    );
  }
  try {
    // Session-level lock: held across the per-migration transactions below, released
    // when this connection ends even if the process dies.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(MIGRATIONS_TABLE_DDL);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const applied = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at) continue;
      if (!row.finished_at) {
        throw new AppError(
          "MIGRATION_FAILED",
          `Migration ${row.migration_name} was started but never finished (a failed \`prisma migrate deploy\`?). ` +
            `Resolve it with \`prisma migrate resolve\` before starting Pulse.`,
        );
      }
      applied.set(row.migration_name, row);
    }

    for (const m of migrations) {
      const row = applied.get(m.name);
      if (row && !matchesChecksum(m.sql, row.checksum)) {
        throw new AppError(
          "MIGRATION_TAMPERED",
          `Migration ${m.name} was edited after it was applied to this database ` +
            `(checksum ${row.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). ` +
            `Restore the original file and put the change in a new migration.`,
        );
      }
    }

    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      if (applied.has(m.name)) {
        result.alreadyApplied.push(m.name);
        continue;
      }
      if (m.noTransaction) {
        await applyOutsideTransaction(client, m);
        result.applied.push(m.name);
        options.onApply?.(m.name);
        continue;
      }
      try {
        await client.query("BEGIN");
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new AppError(
          "MIGRATION_FAILED",
          `Migration ${m.name} failed and was rolled back: ${(error as Error).message}`,
          undefined,
          {
            cause: error,
          },
        );
      }
      result.applied.push(m.name);
      options.onApply?.(m.name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

type MigrationClient = ReturnType<typeof dedicatedClient>;

/**
 * Recorded first, then run: if the process dies half way the unfinished row stops the next
 * start with a clear message, as it does after a failed `prisma migrate deploy`.
 */
async function applyOutsideTransaction(client: MigrationClient, m: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, m.checksum, m.name],
  );
  const statements = splitStatements(m.sql);
  let done = 0;
  try {
    for (const statement of statements) {
      await client.query(statement);
      done++;
    }
  } catch (error) {
    const message = (error as Error).message;
    await client
      .query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [
        id,
        `statement ${done + 1} of ${statements.length} failed: ${message}`,
      ])
      .catch(() => undefined);
    throw new AppError(
      "MIGRATION_FAILED",
      `Migration ${m.name} (outside a transaction) failed at statement ${done + 1} of ${statements.length}: ${message}. ` +
        `The ${done} statement(s) before it stay applied, and its row in _prisma_migrations is left unfinished. ` +
        `Undo what it left (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: DROP INDEX CONCURRENTLY it), ` +
        `then run \`prisma migrate resolve --rolled-back ${m.name}\` and start again.`,
      undefined,
      { cause: error },
    );
  }
  await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [
    id,
  ]);
}
