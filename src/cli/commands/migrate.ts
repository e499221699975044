import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import type { CliCommand } from "../command.js";

export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "Apply pending database migrations (Pulse also does this at start).",
  usage: "pulse migrate [--json]",
  async run(args, { config, logger, io }) {
    // Read before the database is touched: a mistyped option must not migrate anything.
    const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } } });
    const database = await openDatabase(config, logger);
    try {
      const applied = database.appliedMigrations;
      if (values.json) io.out(`${JSON.stringify({ applied })}\n`);
      else
        io.out(
          applied.length
            ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join("\n")}\n`
            : "The database is up to date.\n",
        );
      return 0;
    } finally {
      await database.close();
    }
  },
};
