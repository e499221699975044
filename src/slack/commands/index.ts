// Every `/pulse` subcommand, in the order `/pulse help` lists them. Each area of Pulse
// adds its own file under src/slack/commands/ and one line here.
import type { Subcommand } from "./types.js";
import { helpSubcommand } from "./help.js";
import { churnReportSubcommand, churnSubcommand, churnWinbackSubcommand } from "./churn.js";
import { adminRetroChannelSubcommand } from "./admin-retro-channel.js";

export const subcommands: Subcommand[] = [
  helpSubcommand,
  churnSubcommand,
  churnWinbackSubcommand,
  churnReportSubcommand,
  adminRetroChannelSubcommand,
];

/** Longest name first, so "admin role" wins over "admin". */
export function findSubcommand(words: string[], registry: Subcommand[] = subcommands): { command: Subcommand; consumed: number } | undefined {
  const lowered = words.map((w) => w.toLowerCase());
  let best: { command: Subcommand; consumed: number } | undefined;
  for (const command of registry) {
    const parts = command.name.split(" ");
    if (parts.length > lowered.length) continue;
    if (parts.every((p, i) => p === lowered[i]) && (!best || parts.length > best.consumed)) best = { command, consumed: parts.length };
  }
  return best;
}
