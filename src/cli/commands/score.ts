import { parseArgs } from "node:util";
import { systemClock } from "../../app-context.js";
import { openDatabase } from "../../db/open.js";
import { isoDay } from "../../domain/dates.js";
import { scoreAccount, scoreWorkspace, type ScoredAccount, type ScoringRunSummary } from "../../services/score-accounts.js";
import { UsageError, type CliCommand } from "../command.js";
import { resolveOneWorkspace, resolveWorkspaces } from "../workspaces.js";

const signed = (n: number | null) => (n === null ? "n/a" : n > 0 ? `+${n}` : String(n));

function formatSummary(name: string, s: ScoringRunSummary): string {
  const lines = [
    `${name}: scored ${s.accountsScored} account(s) for ${isoDay(s.scoredOn)} with model ${s.modelVersion}` +
      `${s.modelFellBack ? " (the workspace's own model was invalid: default used, see the run details)" : ""}`,
    `  green ${s.bands.green}   yellow ${s.bands.yellow}   red ${s.bands.red}   failures ${s.failures}   score drops ${s.scoreDrops}   ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const note of s.notes) lines.push(`  ${note}.`);
  if (s.riskiest.length) {
    lines.push("  Riskiest accounts:");
    const width = Math.max(...s.riskiest.map((r) => r.name.length));
    for (const r of s.riskiest) lines.push(`    ${String(r.score).padStart(3)} ${r.band.padEnd(6)} ${r.name.padEnd(width)}  ${r.topReason ?? ""}`);
  }
  return lines.join("\n") + "\n";
}

function formatAccount(a: ScoredAccount): string {
  const c = a.components;
  return [
    `${a.name}${a.externalId ? ` (${a.externalId})` : ""}: ${a.score} ${a.band} on ${isoDay(a.scoredOn)}, 7 days ${signed(a.trend.change7d)}, 30 days ${signed(a.trend.change30d)}`,
    `  usage ${c.usage.score ?? "n/a"}   engagement ${c.engagement.score ?? "n/a"}   perception ${c.perception.score ?? "n/a"}   (model ${a.modelVersion})`,
    "  Reasons, strongest first:",
    ...a.reasons.map((r) => `    ${signed(r.impact).padStart(6)}  ${r.text}`),
  ].join("\n") + "\n";
}

export const scoreCommand: CliCommand = {
  name: "score",
  summary: "Compute today's health scores now (every active workspace, or one account).",
  usage: "pulse score [--workspace T0123ABCD …] [--account <externalId|name>]",
  async run(args, { config, logger, io }) {
    const { values } = parseArgs({ args, options: { workspace: { type: "string", multiple: true }, account: { type: "string" } } });
    const database = await openDatabase(config, logger);
    const ctx = { db: database.db, logger, config, databaseUrl: database.url };
    try {
      const now = systemClock();
      if (values.account !== undefined) {
        const key = values.account.trim();
        if (!key) throw new UsageError("--account needs an external id or a name");
        const workspace = await resolveOneWorkspace(database.db, values.workspace);
        const matches = await database.db.account.findMany({
          where: { workspaceId: workspace.id, OR: [{ externalId: key }, { name: { equals: key, mode: "insensitive" } }] },
          select: { id: true, name: true, externalId: true },
        });
        if (!matches.length) throw new UsageError(`no account "${key}" in workspace ${workspace.slackTeamId}`);
        if (matches.length > 1) throw new UsageError(`"${key}" matches ${matches.length} accounts; use the external id (${matches.map((m) => m.externalId ?? m.id).join(", ")})`);
        io.out(formatAccount(await scoreAccount(ctx, workspace.id, matches[0]!.id, now)));
        return 0;
      }
      const workspaces = await resolveWorkspaces(database.db, values.workspace);
      if (!workspaces.length) {
        io.out("No active workspace to score (run `pulse seed-demo` for a demo).\n");
        return 0;
      }
      let failed = false;
      for (const w of workspaces) {
        const summary = await scoreWorkspace(ctx, w.id, now, { trigger: "cli" });
        failed ||= summary.failures > 0;
        io.out(formatSummary(`${w.name} (${w.slackTeamId})`, summary));
      }
      return failed ? 1 : 0;
    } finally {
      await database.close();
    }
  },
};


