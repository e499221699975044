// Every `pulse` subcommand. One file per command; add new ones here.
import type { CliCommand } from "../command.js";
import { adminCommand } from "./admin.js";
import { apiKeyCommand } from "./api-key.js";
import { backtestCommand } from "./backtest.js";
import { importCommand } from "./import.js";
import { migrateCommand } from "./migrate.js";
import { modelCommand } from "./model.js";
import { reportCommand } from "./report.js";
import { rotateKeyCommand } from "./rotate-key.js";
import { runCommand } from "./run.js";
import { scoreCommand } from "./score.js";
import { seedDemoCommand } from "./seed-demo.js";
import { startCommand } from "./start.js";

export const commands: CliCommand[] = [
  startCommand,
  migrateCommand,
  seedDemoCommand,
  scoreCommand,
  runCommand,
  backtestCommand,
  modelCommand,
  importCommand,
  apiKeyCommand,
  adminCommand,
  reportCommand,
  rotateKeyCommand,
];
