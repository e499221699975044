// What services, listeners and jobs are given: built once in main, injected everywhere.
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import type { Logger } from "./log.js";
import type { SlackPorts } from "./services/slack-port.js";

export type Clock = () => Date;

export interface AppContext {
  config: Config;
  db: Db;
  databaseUrl: string;
  logger: Logger;
  /** Everything Pulse sends to Slack (the terminal in local mode). */
  slack: SlackPorts;
  clock: Clock;
}

export const systemClock: Clock = () => new Date();
