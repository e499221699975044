// `pulse <command>`: parses configuration once, then hands over to the subcommand.
// Configuration problems and coded errors print plainly and exit non-zero, without a
// stack trace; anything unexpected prints its message and is logged in full.
import { ConfigError, loadConfig } from "../config.js";
import { isAppError } from "../errors.js";
import { commandLogLevel, createLogger, logDestination } from "../log.js";
import { UsageError, type CliCommand, type CliIo } from "./command.js";
import { commands } from "./commands/index.js";

function helpText(all: CliCommand[]): string {
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    "Usage: pulse <command> [options]",
    "",
    "Commands:",
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `pulse <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(helpText(commands) + "\n");
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`pulse: unknown command "${name}"\n\n${helpText(commands)}\n`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${error.message}\nSee the configuration table in README.md.\n`);
      return 1;
    }
    throw error;
  }
  // A long-running server logs to stdout, readable on a terminal and JSON for a log shipper.
  // One-shot commands keep stdout for their output and log warnings and errors only, to
  // stderr, so a person sees a readable line and a script never parses a JSON log line.
  const server = command.name === "start";
  const logger = server
    ? createLogger(config.logLevel, logDestination({ fd: 1, pretty: Boolean(process.stdout.isTTY) }))
    : createLogger(commandLogLevel(config.logLevel), logDestination({ fd: 2, pretty: Boolean(process.stderr.isTTY) }));
  try {
    return await command.run(args, { config, logger, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`pulse ${command.name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (isAppError(error)) {
      io.err(`pulse ${command.name}: ${error.message}\n`);
      logger.debug({ err: error }, "command failed");
      return 1;
    }
    logger.error({ err: error }, "command failed unexpectedly");
    io.err(`pulse ${command.name}: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

function defaultIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY),
  };
}
