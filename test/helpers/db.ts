// Each test file gets a database of its own, cloned from the migrated template, so files
// run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "../../src/db/client.js";

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  /** Drops the database; call from afterAll. */
  drop(): Promise<void>;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database. `empty: true` gives one with no tables at all. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `pulse_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (admin) => {
    const template = options.empty ? "template0" : inject("pgTemplate");
    // CREATE DATABASE ... TEMPLATE fails if another session is connected to the template
    // at that instant; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== "55006") throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  const url = databaseUrl(inject("pgAdminUrl"), name);
  const db = createDb(url, { max: 5 });
  return {
    url,
    name,
    db,
    async drop() {
      await db.$disconnect();
      await withAdmin(async (admin) => {
        // A connection still closing (or one a late task reopened) would otherwise be killed
        // by FORCE and answer with an error event nobody listens to any more: give them time.
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline) {
          const { rows } = await admin.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
            [name],
          );
          if (!rows[0]!.n) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}
