// The shape of a `pulse` subcommand. Each lives in its own file under src/cli/commands/.
import type { Config } from "../config.js";
import type { Logger } from "../log.js";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is a terminal (progress bars, colours). */
  isTty: boolean;
}

export interface CliContext {
  config: Config;
  logger: Logger;
  io: CliIo;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A mistake in how the command was called: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
