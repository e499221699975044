import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import { parseIsoDay } from "../../domain/dates.js";
import { runBacktest, type BacktestReport } from "../../services/backtest.js";
import { UsageError, type CliCommand } from "../command.js";
import { resolveOneWorkspace } from "../workspaces.js";

const ratio = (n: number | null, digits = 2) => (n === null ? "n/a" : n.toFixed(digits));
const share = (n: number | null) => (n === null ? "n/a" : `${Math.round(n * 100)}%`);

export function parseHorizon(text: string): number {
  const m = /^(\d{1,4})d?$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`--horizon must be a number of days such as 90d (got "${text}")`);
  return Number(m[1]);
}

export function formatBacktest(r: BacktestReport): string {
  return [
    `Back-test as of ${r.asOf}, horizon ${r.horizonDays} days, model ${r.modelVersion}`,
    `  accounts scored      ${r.accounts}${r.failures ? ` (${r.failures} could not be scored)` : ""}`,
    `  churned in horizon   ${r.churned}`,
    `  ROC AUC              ${ratio(r.auc, 3)}`,
    `  red band             ${r.red.flagged} flagged, precision ${share(r.red.precision)}, recall ${share(r.red.recall)}`,
    `  riskiest decile      ${r.riskiestDecile.churned} of ${r.riskiestDecile.size} churned, lift ${ratio(r.riskiestDecile.lift)}`,
    `  days of warning      median ${r.medianDaysOfWarning ?? "n/a"} (${r.churnersWarned} of ${r.churned} churners went red first)`,
  ].join("\n") + "\n";
}

export const backtestCommand: CliCommand = {
  name: "backtest",
  summary: "Score accounts as of a past day and measure how well the score foretold churn.",
  usage: "pulse backtest --as-of 2026-06-01 [--horizon 90d] [--workspace T0123ABCD] [--json]",
  async run(args, { config, logger, io }) {
    const { values } = parseArgs({
      args,
      options: { "as-of": { type: "string" }, horizon: { type: "string", default: "90d" }, workspace: { type: "string", multiple: true }, json: { type: "boolean", default: false } },
    });
    if (!values["as-of"]) throw new UsageError("--as-of is required (a day such as 2026-06-01)");
    const asOf = parseIsoDay(values["as-of"]);
    if (!asOf) throw new UsageError(`--as-of must be a day written YYYY-MM-DD (got "${values["as-of"]}")`);
    const horizonDays = parseHorizon(values.horizon);
    const database = await openDatabase(config, logger);
    try {
      const workspace = await resolveOneWorkspace(database.db, values.workspace);
      const report = await runBacktest({ db: database.db, logger, config, databaseUrl: database.url }, workspace.id, { asOf, horizonDays });
      io.out(values.json ? `${JSON.stringify(report)}\n` : formatBacktest(report));
      return 0;
    } finally {
      await database.close();
    }
  },
};
