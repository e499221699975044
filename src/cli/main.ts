// `pulse <command>`: parses configuration once, then hands over to the subcommand.
// Configuration problems and coded errors print plainly and exit non-zero, without a
// stack trace; anything unexpected prints its message and is logged in full.
import { readFileSync } from "node:fs";
import { ConfigError, loadConfig } from "../config.js";
import { isAppError } from "../errors.js";
import { commandLogLevel, createLogger, logDestination } from "../log.js";
import { UsageError, type CliCommand, type CliIo } from "./command.js";
import { commands } from "./commands/index.js";

// node:util parseArgs throws a TypeError with one of these codes for a call it cannot read:
// a mistake in how the command was called, not a failure of the command.
const PARSE_ARGS_CODES = new Set([
  "ERR_PARSE_ARGS_UNKNOWN_OPTION",
  "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
  "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
]);

/** parseArgs' own words, shortened to what the person typed wrong. */
function parseArgsProblem(error: Error & { code: string }): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const positional = /^Unexpected argument '([^']+)'/.exec(error.message);
  if (positional) return `unexpected argument "${positional[1]}"`;
  // "Option '--workspace <value>' argument missing", "Option '--json' does not take an argument"
  return error.message.replace(/^Option '([^']+)'/, "option $1").replace(/\.$/, "");
}

function isParseArgsError(error: unknown): error is Error & { code: string } {
  return error instanceof TypeError && PARSE_ARGS_CODES.has((error as { code?: unknown }).code as string);
}

function readVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string })
    .version;
}

function helpText(all: CliCommand[]): string {
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    "Usage: pulse <command> [options]",
    "",
    "Commands:",
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `pulse <command> --help` for a command's options, `pulse --version` for the version.",
  ].join("\n");
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(helpText(commands) + "\n");
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    io.out(`${readVersion()}\n`);
    return 0;
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
  let config: ReturnType<typeof loadConfig>;
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
    if (error instanceof UsageError || isParseArgsError(error)) {
      const problem = error instanceof UsageError ? error.message : parseArgsProblem(error);
      io.err(`pulse ${command.name}: ${problem}\nUsage: ${command.usage}\n`);
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
