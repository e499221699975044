import { parseArgs } from "node:util";
import { systemClock } from "../../app-context.js";
import { openDatabase } from "../../db/open.js";
import { nightlyRunFor } from "../../jobs/score-accounts.js";
import { seedDemoWithHistory } from "../../services/seed-demo.js";
import { UsageError, type CliCommand } from "../command.js";
import { progressLine } from "../options.js";
import { cliSlackPorts } from "../slack-ports.js";

export const seedDemoCommand: CliCommand = {
  name: "seed-demo",
  summary: "Create the demo portfolio (about 200 accounts with 180 days of history).",
  usage: "pulse seed-demo [--team T0DEMO] [--seed 20261123] [--reset] [--json]",
  async run(args, { config, logger, io }) {
    const { values } = parseArgs({
      args,
      options: {
        team: { type: "string" },
        seed: { type: "string" },
        reset: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError("--seed must be a whole number");
    if (values.team !== undefined && !/^[TE][A-Z0-9]+$/.test(values.team))
      throw new UsageError("--team must be a Slack team id such as T0123ABCD");
    const database = await openDatabase(config, logger);
    // Scoring 180 days of history is the long part: show it on a terminal.
    const progress = progressLine("scoring the demo's history");
    try {
      const ctx = {
        db: database.db,
        logger,
        config,
        databaseUrl: database.url,
        clock: systemClock,
        // The first night's task DMs, printed on stderr in local mode so stdout stays the
        // summary (and parses with --json).
        slack: cliSlackPorts(config, database.db, io.err),
      };
      const result = await seedDemoWithHistory(ctx, {
        now: new Date(),
        nightly: nightlyRunFor(ctx, "seed-demo"),
        seed,
        teamId: values.team,
        reset: values.reset,
        onDay: progress.update,
      });
      progress.done();
      if (values.json) {
        io.out(`${JSON.stringify({ workspace: values.team ?? "T0DEMO", ...result }, null, 2)}\n`);
        return 0;
      }
      io.out(
        `Seeded the demo portfolio in workspace ${values.team ?? "T0DEMO"}: ${result.accounts} accounts (${result.churned} churned), ` +
          `${result.usageDays} usage days, ${result.touchpoints} touchpoints, ${result.surveys} survey answers.\n` +
          `Health history: ${result.history.snapshots} snapshots over ${result.history.days} days in ${(result.history.durationMs / 1000).toFixed(1)} s; ` +
          `today: ${result.today.bands.green} green, ${result.today.bands.yellow} yellow, ${result.today.bands.red} red; ` +
          `the first nightly run left ${result.openTasks} open task(s).\n`,
      );
      return 0;
    } finally {
      progress.done();
      await database.close();
    }
  },
};
