// An AppContext over a test database: silent logs, a terminal Slack port that prints nowhere, a
// fixed clock unless one is given.
import type { AppContext, Clock } from "../../src/app-context.js";
import { parseConfig, type Config } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { createTerminalSlackPorts } from "../../src/slack/local-slack-port.js";

export function testContext(
  db: Db,
  options: { url?: string; clock?: Clock; env?: Record<string, string>; config?: (c: Config) => Config } = {},
): AppContext {
  const base = parseConfig(options.env ?? {});
  return {
    config: options.config ? options.config(base) : base,
    db,
    databaseUrl: options.url ?? "",
    logger: createLogger("silent"),
    slack: createTerminalSlackPorts(() => undefined),
    clock: options.clock ?? (() => new Date("2026-03-15T12:00:00Z")),
  };
}

let counter = 0;
export async function createWorkspace(db: Db, name = "Acme CS"): Promise<number> {
  counter++;
  const ws = await db.workspace.create({
    data: { slackTeamId: `T${Date.now().toString(36).toUpperCase()}${counter}`, name },
  });
  return ws.id;
}
