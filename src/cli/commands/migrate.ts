import { openDatabase } from "../../db/open.js";
import type { CliCommand } from "../command.js";

export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "Apply pending database migrations (Pulse also does this at start).",
  usage: "pulse migrate",
  async run(_args, { config, logger, io }) {
    const database = await openDatabase(config, logger);
    try {
      io.out(
        database.appliedMigrations.length
          ? `Applied ${database.appliedMigrations.length} migration(s):\n${database.appliedMigrations.map((m) => `  ${m}`).join("\n")}\n`
          : "The database is up to date.\n",
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
