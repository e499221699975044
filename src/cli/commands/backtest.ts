import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import { runBacktest, type BacktestReport } from "../../services/backtest.js";
import { UsageError, type CliCommand } from "../command.js";
import { parseDayOption, parseEvery, parseHorizon } from "../options.js";
import { resolveOneWorkspace } from "../workspaces.js";

const ratio = (n: number | null, digits = 2) => (n === null ? "n/a" : n.toFixed(digits));
const share = (n: number | null) => (n === null ? "n/a" : `${(n * 100).toFixed(1)}%`);

export function formatBacktest(r: BacktestReport): string {
  const range = r.asOfDays > 1 ? `${r.asOf} to ${r.to} (${r.asOfDays} as-of days, pooled)` : r.asOf;
  return (
    [
      `Back-test as of ${range}, horizon ${r.horizonDays} days, model ${r.modelVersion}`,
      `  ${r.asOfDays > 1 ? "account-days scored " : "accounts scored     "} ${r.accounts}${r.failures ? ` (${r.failures} could not be scored)` : ""}`,
      `  churned in horizon   ${r.churned}`,
      `  ROC AUC              ${ratio(r.auc, 3)}${r.aucInterval ? ` (95% interval ${r.aucInterval[0].toFixed(3)}–${r.aucInterval[1].toFixed(3)})` : ""}`,
      `  red band             ${r.red.flagged} flagged, precision ${share(r.red.precision)}, recall ${share(r.red.recall)}`,
      `  riskiest decile      ${r.riskiestDecile.churned} of ${r.riskiestDecile.size} churned, lift ${ratio(r.riskiestDecile.lift)}`,
      `  days of warning      median ${r.medianDaysOfWarning ?? "n/a"} (${r.churnersWarned} of ${r.churned} churners went red first)`,
      `  false alarms         ${r.survivorsFlagged} of ${r.survivors} survivors went red within the horizon`,
    ].join("\n") + "\n"
  );
}

const csvCell = (v: string | number | boolean) => {
  const text = String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function perAccountCsv(r: BacktestReport): string {
  const lines = ["account,as_of,score,band,churned_in_horizon"];
  for (const row of r.rows)
    lines.push([row.account, row.asOf, row.score, row.band, row.churnedInHorizon ? 1 : 0].map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

export const backtestCommand: CliCommand = {
  name: "backtest",
  summary: "Score accounts as of past days and measure how well the score foretold churn.",
  usage:
    "pulse backtest --as-of 2026-06-01 | --from 2025-01-01 --to 2026-06-01 --every 1mo  [--horizon 90d] [--model rules|current|<version>] [--per-account FILE.csv] [--workspace T0123ABCD] [--json]",
  async run(args, { config, logger, io }) {
    const { values } = parseArgs({
      args,
      options: {
        "as-of": { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        every: { type: "string" },
        horizon: { type: "string", default: "90d" },
        model: { type: "string", default: "current" },
        "per-account": { type: "string" },
        workspace: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
      },
    });
    const asOf = parseDayOption("as-of", values["as-of"]);
    const from = parseDayOption("from", values.from);
    const to = parseDayOption("to", values.to);
    if (asOf && (from || to || values.every))
      throw new UsageError("give either --as-of, or --from with --to and --every, not both");
    if (!asOf && !from)
      throw new UsageError("--as-of (a day such as 2026-06-01) or --from … --to … --every 1mo is required");
    if (from && !values.every) throw new UsageError("--from needs --every (1mo, 7d, 1d)");
    if (to && !from) throw new UsageError("--to needs --from");
    const every = values.every ? parseEvery(values.every) : undefined;
    const horizonDays = parseHorizon(values.horizon);
    const database = await openDatabase(config, logger);
    try {
      const workspace = await resolveOneWorkspace(database.db, values.workspace);
      const report = await runBacktest({ db: database.db, logger, config, databaseUrl: database.url }, workspace.id, {
        asOf: (asOf ?? from)!,
        to: from ? (to ?? new Date()) : undefined,
        every,
        horizonDays,
        model: values.model,
      });
      if (values["per-account"]) await writeFile(values["per-account"], perAccountCsv(report));
      const { rows, ...summary } = report;
      io.out(values.json ? `${JSON.stringify({ ...summary, perAccountRows: rows.length })}\n` : formatBacktest(report));
      return 0;
    } finally {
      await database.close();
    }
  },
};
