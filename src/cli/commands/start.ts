import { startPulse } from "../../main.js";
import type { CliCommand } from "../command.js";

export const startCommand: CliCommand = {
  name: "start",
  summary: "Migrate the database, then run Pulse (Slack app, HTTP server, scheduled jobs).",
  usage: "pulse start",
  async run(_args, { config, logger }) {
    const pulse = await startPulse(config, logger);
    await pulse.stopped;
    return 0;
  },
};
