// Resolves the database Pulse runs on (DATABASE_URL, else its embedded PostgreSQL),
// applies pending migrations, and returns a client. Every entry point goes through here.
import { closeChannelWriters } from "./channel-writes.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { createDb, type Db } from "./client.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.js";
import { migrateDatabase } from "./migrate.js";

export interface OpenDatabase {
  db: Db;
  url: string;
  embedded: EmbeddedPostgres | undefined;
  /** Applied by this call (empty when the schema was up to date). */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean } = {},
): Promise<OpenDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info({ dataDir: config.dataDir }, "DATABASE_URL is not set: using Pulse's embedded PostgreSQL");
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      onLog: (line) => logger.debug({ component: "embedded-postgres" }, line),
      onWarning: (line) => logger.warn({ component: "embedded-postgres" }, line),
    });
    url = embedded.databaseUrl;
  }
  let appliedMigrations: string[] = [];
  try {
    if (options.migrate !== false) {
      const result = await migrateDatabase(url, {
        onApply: (name) => logger.info({ migration: name }, "applied migration"),
      });
      appliedMigrations = result.applied;
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const db = createDb(url);
  return {
    db,
    url,
    embedded,
    appliedMigrations,
    async close() {
      await db.$disconnect();
      await closeChannelWriters();
      await embedded?.stop();
    },
  };
}
