// `pulse report churn [--period …] [--workspace T…] [--margin 0.8]`: the churn report on
// the command line, with each figure's period and definition.
import { parseArgs } from "node:util";
import { DEFAULT_GROSS_MARGIN, parseReportPeriod, PeriodParseError } from "../../domain/churn-metrics.js";
import type { Db } from "../../db/client.js";
import { openDatabase } from "../../db/open.js";
import { AppError } from "../../errors.js";
import { buildChurnReport } from "../../services/churn-report.js";
import { churnReportText } from "../../slack/views/churn-report.js";
import { UsageError, type CliCommand, type CliIo } from "../command.js";

export interface ChurnReportOptions {
  period?: string;
  workspace?: string;
  margin?: string;
  json?: boolean;
  now: Date;
}

/** Picks the workspace: the one named, or the only one there is. */
async function pickWorkspace(
  db: Db,
  teamId: string | undefined,
): Promise<{ id: number; slackTeamId: string; name: string }> {
  if (teamId) {
    const found = await db.workspace.findUnique({
      where: { slackTeamId: teamId },
      select: { id: true, slackTeamId: true, name: true },
    });
    if (!found) throw new AppError("NOT_FOUND", `No workspace ${teamId} in this database.`);
    return found;
  }
  const all = await db.workspace.findMany({
    where: { active: true },
    select: { id: true, slackTeamId: true, name: true },
    orderBy: { id: "asc" },
    take: 20,
  });
  if (all.length === 1) return all[0]!;
  if (!all.length)
    throw new AppError("NOT_FOUND", "There is no workspace yet (run `pulse seed-demo` for the demo portfolio).");
  throw new UsageError(
    `several workspaces exist; choose one with --workspace (${all.map((w) => w.slackTeamId).join(", ")})`,
  );
}

export async function runChurnReport(db: Db, options: ChurnReportOptions, io: CliIo): Promise<number> {
  const margin = options.margin === undefined ? DEFAULT_GROSS_MARGIN : Number(options.margin);
  if (!Number.isFinite(margin) || margin <= 0 || margin > 1)
    throw new UsageError("--margin must be a gross margin above 0 and at most 1, e.g. 0.8");
  let period: ReturnType<typeof parseReportPeriod>;
  try {
    period = parseReportPeriod(options.period, options.now);
  } catch (error) {
    if (error instanceof PeriodParseError) throw new UsageError(error.message);
    throw error;
  }
  if (options.workspace !== undefined && !/^[TE][A-Z0-9]+$/.test(options.workspace))
    throw new UsageError("--workspace must be a Slack team id such as T0123ABCD");
  const workspace = await pickWorkspace(db, options.workspace);
  const report = await buildChurnReport(db, { workspaceId: workspace.id, period, grossMargin: margin });
  if (options.json) {
    io.out(
      `${JSON.stringify({ workspace: workspace.slackTeamId, currency: report.currency, mixedCurrencies: report.mixedCurrencies, metrics: report.metrics })}\n`,
    );
    return 0;
  }
  io.out(`Workspace ${workspace.name} (${workspace.slackTeamId})\n`);
  io.out(churnReportText(report.metrics, report.currency));
  if (report.mixedCurrencies)
    io.out(`Note: accounts use several currencies; ARR is summed as recorded and shown in ${report.currency}.\n`);
  return 0;
}

const REPORTS = ["churn"] as const;

export const reportCommand: CliCommand = {
  name: "report",
  summary: "Print a report: churn (logo and revenue churn, GRR, NRR, reasons, warning, CLV).",
  usage: "pulse report churn [--period last-quarter|2026-Q3|2026-10|last-90d] [--workspace T…] [--margin 0.8] [--json]",
  async run(args, { config, logger, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        period: { type: "string" },
        workspace: { type: "string" },
        margin: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    const which = positionals[0];
    if (!which || !(REPORTS as readonly string[]).includes(which))
      throw new UsageError(`choose a report: ${REPORTS.join(", ")}`);
    const database = await openDatabase(config, logger);
    try {
      return await runChurnReport(database.db, { ...values, now: new Date() }, io);
    } finally {
      await database.close();
    }
  },
};
