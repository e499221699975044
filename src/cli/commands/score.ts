import { parseArgs } from "node:util";
import { systemClock } from "../../app-context.js";
import { openDatabase } from "../../db/open.js";
import { isoDay, startOfUtcDay } from "../../domain/dates.js";
import {
  backfillScores,
  scoreAccount,
  scoreWorkspace,
  type ScoredAccount,
  type ScoringRunSummary,
} from "../../services/score-accounts.js";
import { UsageError, type CliCommand } from "../command.js";
import { parseDayOption, parseEvery, progressLine } from "../options.js";
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
    for (const r of s.riskiest)
      lines.push(
        `    ${String(r.score).padStart(3)} ${r.band.padEnd(6)} ${r.name.padEnd(width)}  ${r.topReason ?? ""}`,
      );
  }
  return lines.join("\n") + "\n";
}

function formatAccount(a: ScoredAccount): string {
  const c = a.components;
  return (
    [
      `${a.name}${a.externalId ? ` (${a.externalId})` : ""}: ${a.score} ${a.band} on ${isoDay(a.scoredOn)}, 7 days ${signed(a.trend.change7d)}, 30 days ${signed(a.trend.change30d)}`,
      `  usage ${c.usage.score ?? "n/a"}   engagement ${c.engagement.score ?? "n/a"}   perception ${c.perception.score ?? "n/a"}   (model ${a.modelVersion})`,
      "  Reasons, strongest first:",
      ...a.reasons.map((r) => `    ${signed(r.impact).padStart(6)}  ${r.text}`),
    ].join("\n") + "\n"
  );
}

export const scoreCommand: CliCommand = {
  name: "score",
  summary: "Compute health scores now, for one past day (--as-of), or for a range of past days (--from … --every 1mo).",
  usage:
    "pulse score [--workspace T0123ABCD …] [--account <externalId|name>] | [--as-of 2024-03-01] | [--from 2023-01-01 [--to 2024-12-01] --every 1mo|7d|1d]",
  async run(args, { config, logger, io }) {
    const { values } = parseArgs({
      args,
      options: {
        workspace: { type: "string", multiple: true },
        account: { type: "string" },
        "as-of": { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        every: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    const asOf = parseDayOption("as-of", values["as-of"]);
    const from = parseDayOption("from", values.from);
    const to = parseDayOption("to", values.to);
    if (asOf && (from || to || values.every))
      throw new UsageError("give either --as-of or --from/--to/--every, not both");
    if ((to || values.every) && !from) throw new UsageError("--to and --every go with --from");
    if (from && !values.every) throw new UsageError("--from needs --every (1mo, 7d or 1d)");
    if ((asOf || from) && values.account !== undefined)
      throw new UsageError("--account scores today only; past days are scored for the whole workspace");
    const every = values.every ? parseEvery(values.every) : undefined;
    const database = await openDatabase(config, logger);
    const ctx = { db: database.db, logger, config, databaseUrl: database.url };
    try {
      const now = systemClock();
      if (asOf || from) {
        // A past day is scored from the evidence known before it (cut off at its midnight).
        const start = (asOf ?? from)!;
        const end = asOf ?? to ?? startOfUtcDay(now);
        if (end > startOfUtcDay(now))
          throw new UsageError(`--${asOf ? "as-of" : "to"} ${isoDay(end)} is in the future`);
        const workspaces = await resolveWorkspaces(database.db, values.workspace);
        for (const w of workspaces) {
          const progress = progressLine(`${w.slackTeamId} scoring`);
          const result = await backfillScores(ctx, w.id, {
            from: start,
            to: end,
            ...(every && "months" in every ? { everyMonths: every.months } : { everyDays: every?.days ?? 1 }),
            onDay: progress.update,
          });
          progress.done();
          io.out(
            values.json
              ? `${JSON.stringify({ workspace: w.slackTeamId, from: isoDay(start), to: isoDay(end), ...result })}\n`
              : `${w.name} (${w.slackTeamId}): stored ${result.snapshots} snapshot(s) for ${result.days} day(s) from ${isoDay(start)} to ${isoDay(end)}` +
                  `${result.failures ? `, ${result.failures} account-day(s) could not be scored` : ""} in ${(result.durationMs / 1000).toFixed(1)} s\n`,
          );
        }
        return 0;
      }
      if (values.account !== undefined) {
        const key = values.account.trim();
        if (!key) throw new UsageError("--account needs an external id or a name");
        const workspace = await resolveOneWorkspace(database.db, values.workspace);
        // Names compare case-folded but exactly: Prisma's insensitive `equals` is an ILIKE,
        // where "%" and "_" in the argument would match other accounts.
        const matches = await database.db.$queryRaw<{ id: number; name: string; externalId: string | null }[]>`
          SELECT id, name, "externalId" FROM "account"
          WHERE "workspaceId" = ${workspace.id} AND ("externalId" = ${key} OR lower(name) = lower(${key}))`;
        if (!matches.length) throw new UsageError(`no account "${key}" in workspace ${workspace.slackTeamId}`);
        if (matches.length > 1)
          throw new UsageError(
            `"${key}" matches ${matches.length} accounts; use the external id (${matches.map((m) => m.externalId ?? m.id).join(", ")})`,
          );
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
