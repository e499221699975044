// Every `/pulse` subcommand, in the order `/pulse help` lists them. Each area of Pulse
// adds its own file under src/slack/commands/ and one line here.
import type { Subcommand } from "./types.js";
import { accountSubcommand } from "./account.js";
import { adminApiKeySubcommand } from "./admin-api-key.js";
import { adminAuditSubcommand } from "./admin-audit.js";
import { adminChannelSignalsSubcommand } from "./admin-channel-signals.js";
import { adminModelSubcommand } from "./admin-model.js";
import { adminEraseContactSubcommand } from "./admin-erase-contact.js";
import { adminExportSubcommand } from "./admin-export.js";
import { adminImportSubcommand } from "./admin-import.js";
import { adminRetroChannelSubcommand } from "./admin-retro-channel.js";
import { adminRoleSubcommand } from "./admin-role.js";
import { channelSubcommands } from "./channel.js";
import { churnReportSubcommand, churnSubcommand, churnWinbackSubcommand } from "./churn.js";
import { digestSubcommand } from "./digest.js";
import { helpSubcommand } from "./help.js";
import { logSubcommand } from "./log.js";
import { overrideSubcommand } from "./override.js";
import { planSubcommand } from "./plan.js";
import { playbooksSubcommand } from "./playbooks.js";
import { portfolioSubcommand } from "./portfolio.js";
import { qbrSubcommand } from "./qbr.js";
import { stageSubcommand } from "./stage.js";
import { surveySubcommands } from "./survey.js";
import { vocSubcommand } from "./voc.js";

export const subcommands: Subcommand[] = [
  helpSubcommand,
  accountSubcommand,
  logSubcommand,
  ...surveySubcommands,
  portfolioSubcommand,
  digestSubcommand,
  vocSubcommand,
  playbooksSubcommand,
  stageSubcommand,
  planSubcommand,
  ...channelSubcommands,
  qbrSubcommand,
  overrideSubcommand,
  churnSubcommand,
  churnWinbackSubcommand,
  churnReportSubcommand,
  adminRoleSubcommand,
  adminRetroChannelSubcommand,
  adminApiKeySubcommand,
  adminImportSubcommand,
  adminExportSubcommand,
  adminEraseContactSubcommand,
  adminAuditSubcommand,
  adminChannelSignalsSubcommand,
  adminModelSubcommand,
];

/** Longest name first, so "admin role" wins over "admin". */
export function findSubcommand(
  words: string[],
  registry: Subcommand[] = subcommands,
): { command: Subcommand; consumed: number } | undefined {
  const lowered = words.map((w) => w.toLowerCase());
  let best: { command: Subcommand; consumed: number } | undefined;
  for (const command of registry) {
    const parts = command.name.split(" ");
    if (parts.length > lowered.length) continue;
    if (parts.every((p, i) => p === lowered[i]) && (!best || parts.length > best.consumed))
      best = { command, consumed: parts.length };
  }
  return best;
}
