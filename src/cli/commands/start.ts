import type { CliCommand } from "../command.js";

export const startCommand: CliCommand = {
  name: "start",
  summary: "Migrate the database, then run Pulse (Slack app, HTTP server, scheduled jobs).",
  usage: "pulse start",
  async run(_args, { config, logger }) {
    // Loaded here, not at the top: the Slack app, the HTTP server and the jobs weigh tens of
    // megabytes that one-shot commands such as `pulse import` have no use for.
    const { startPulse } = await import("../../main.js");
    const pulse = await startPulse(config, logger);
    await pulse.stopped;
    return 0;
  },
};
