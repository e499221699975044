// Every `pulse` subcommand. One file per command; add new ones here.
import type { CliCommand } from "../command.js";
import { migrateCommand } from "./migrate.js";
import { reportCommand } from "./report.js";
import { seedDemoCommand } from "./seed-demo.js";
import { startCommand } from "./start.js";

export const commands: CliCommand[] = [startCommand, migrateCommand, seedDemoCommand, reportCommand];
