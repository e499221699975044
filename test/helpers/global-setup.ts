// Finds a real PostgreSQL for the suite (TEST_DATABASE_URL, else a local server on
// 127.0.0.1:5432, else Pulse's embedded server), migrates one template database, and
// hands its URL to every test file, which clones it into a database of its own.
import type { TestProject } from "vitest/node";
import pg from "pg";
import { migrateDatabase } from "../../src/db/migrate.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/db/embedded.js";
import { createHash } from "node:crypto";
import { readMigrations } from "../../src/db/migrate.js";

let embedded: EmbeddedPostgres | undefined;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const local = "postgresql://postgres@127.0.0.1:5432/postgres";
    if (await reachable(local)) adminUrl = local;
    else {
      embedded = await startEmbeddedPostgres({ dataDir: ".pulse-test", database: "postgres" });
      adminUrl = embedded.databaseUrl;
    }
  }
  // The template is named after the migrations (names and checksums): unchanged ones reuse it.
  const digest = createHash("sha256")
    .update((await readMigrations()).map((m) => `${m.name}:${m.checksum}`).join())
    .digest("hex")
    .slice(0, 12);
  const template = `pulse_test_tpl_${digest}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Serialise template creation between concurrent suite runs on one server.
    await admin.query("SELECT pg_advisory_lock(hashtext('pulse-test-template'))");
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${template}_wip"`).catch(async () => {
        await admin.query(`DROP DATABASE IF EXISTS "${template}_wip"`);
        await admin.query(`CREATE DATABASE "${template}_wip"`);
      });
      await migrateDatabase(withDatabase(adminUrl, `${template}_wip`));
      await admin.query(`ALTER DATABASE "${template}_wip" RENAME TO "${template}"`);
    }
    await admin.query("SELECT pg_advisory_unlock(hashtext('pulse-test-template'))");
  } finally {
    await admin.end();
  }
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);
  return async () => {
    await embedded?.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}
