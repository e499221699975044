// What a one-shot command sends to Slack: the workspace's own client when Slack is
// configured, as `pulse start` would; otherwise (local mode) printed where the command says.
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { SlackPorts } from "../services/slack-port.js";
import { createTerminalSlackPorts } from "../slack/local-slack-port.js";
import { createWebSlackPorts } from "../slack/slack-ports.js";

export function cliSlackPorts(config: Config, db: Db, write: (text: string) => void): SlackPorts {
  const connected = Boolean(config.slack.botToken || config.slack.oauth);
  return connected ? createWebSlackPorts({ config, db }) : createTerminalSlackPorts(write);
}
