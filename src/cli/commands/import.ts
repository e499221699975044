import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import { IMPORT_KINDS, parseMapOverrides, type ImportKind } from "../../domain/ingest/header-mapping.js";
import { renderImportReport } from "../../domain/ingest/import-report.js";
import { AppError } from "../../errors.js";
import { findWorkspace } from "../../services/find-workspace.js";
import { USAGE_PERIODS, type UsagePeriod } from "../../domain/ingest/usage-periods.js";
import { importCsv, ImportUsageError, type ImportProgress } from "../../services/import-csv.js";
import { UsageError, type CliCommand } from "../command.js";

const PROGRESS_INTERVAL_MS = 250;

/** A one-line progress display on stderr, redrawn in place; only for a terminal. */
function progressPrinter(totalBytes: number): { update: (p: ImportProgress) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      shown = true;
      const percent = totalBytes ? Math.min(100, Math.floor((p.bytes / totalBytes) * 100)) : 0;
      process.stderr.write(`\r  ${percent}%  ${p.rows.toLocaleString("en-US")} rows`);
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}

export const importCommand: CliCommand = {
  name: "import",
  summary:
    "Import a CSV of accounts, contacts, usage, touchpoints, surveys, churns or success plans (upsert by external id).",
  usage:
    'pulse import accounts|contacts|usage|touchpoints|surveys|churns|plans <file.csv> [--workspace T0123ABCD] [--map "CSV column=field" ...] [--dry-run] [--skip-invalid] [--create-workspace] [--json]\n' +
    '       accounts: [--trait "CSV column" ...] store a column as a named account trait (a number or a category)\n' +
    "       usage:    [--period day|week|month] what one row covers (default day); week and month rows are spread over their days",
  async run(args, { config, logger, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        workspace: { type: "string" },
        map: { type: "string", multiple: true, default: [] },
        "dry-run": { type: "boolean", default: false },
        "skip-invalid": { type: "boolean", default: false },
        "create-workspace": { type: "boolean", default: false },
        trait: { type: "string", multiple: true, default: [] },
        period: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    const [kind, file, ...extra] = positionals;
    if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`say what the file holds: ${IMPORT_KINDS.join(", ")}`);
    if (!file) throw new UsageError("give the CSV file to import");
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
    const overrides = parseMapOverrides(values.map);
    if (!overrides.ok) throw new UsageError(overrides.problem);
    if (values["create-workspace"] && !values.workspace)
      throw new UsageError("--create-workspace needs --workspace T0123ABCD: the id of the workspace to create");
    if (values.trait.length && kind !== "accounts") throw new UsageError("--trait is for accounts imports only");
    if (values.period !== undefined && !(USAGE_PERIODS as readonly string[]).includes(values.period))
      throw new UsageError(`--period must be one of ${USAGE_PERIODS.join(", ")}`);
    if (values.period !== undefined && values.period !== "day" && kind !== "usage")
      throw new UsageError("--period is for usage imports only");
    const size = await stat(file).then(
      (s) => s.size,
      (error: NodeJS.ErrnoException) => {
        throw new AppError(
          "INVALID_INPUT",
          error.code === "ENOENT" ? `No file ${file}.` : `Cannot read ${file}: ${error.message}`,
        );
      },
    );

    const database = await openDatabase(config, logger);
    const progress = progressPrinter(size);
    try {
      const workspace = await findWorkspace(database.db, {
        teamId: values.workspace,
        create: values["create-workspace"],
      });
      const report = await importCsv(
        { db: database.db, databaseUrl: database.url, clock: () => new Date(), logger },
        {
          workspaceId: workspace.id,
          kind: kind as ImportKind,
          input: createReadStream(file),
          mapping: overrides.overrides,
          dryRun: values["dry-run"],
          skipInvalid: values["skip-invalid"],
          onProgress: progress.update,
          fileName: basename(file),
          traits: values.trait,
          period: values.period as UsagePeriod | undefined,
        },
      ).catch((error: unknown) => {
        // A --trait the file lacks is a mistake in the call, shown with the usage.
        if (error instanceof ImportUsageError) throw new UsageError(error.message);
        throw error;
      });
      progress.done();
      // --json: the same report for a script, on stdout whatever the outcome (the exit code says it).
      if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.committed || report.dryRun) io.out(renderImportReport(report));
      else io.err(renderImportReport(report));
      return report.committed || (report.dryRun && (report.invalidRows === 0 || report.skipInvalid)) ? 0 : 1;
    } finally {
      progress.done();
      await database.close();
    }
  },
};
