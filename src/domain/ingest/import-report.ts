// What an import did (or, in a dry run, would do), and its plain-text rendering. The CLI
// prints it; a Slack upload listener can post the same text in a code block.
import type { ImportKind } from "./header-mapping.js";

export interface ImportRowError {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  column: string;
  reason: string;
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  skipInvalid: boolean;
  /** True when the changes were saved (false for dry runs and rejected files). */
  committed: boolean;
  /** Data rows read (header and blank lines excluded). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Invalid rows left out (with skipInvalid) or that stopped the import. */
  invalidRows: number;
  /** The first errors, in file order (a row may have several). */
  errors: ImportRowError[];
  /** All errors, listed or not. */
  errorCount: number;
  /** The first notes: what valid rows were imported without (an owner not yet in Pulse). */
  notes?: ImportRowError[];
  /** All notes, listed or not. */
  noteCount?: number;
  /** Field -> the column header that fed it. */
  mapping: Record<string, string>;
  ignoredColumns: string[];
  /** Accounts: the columns stored as traits. */
  traits?: string[];
  /** Usage: what one row covers. */
  period?: "day" | "week" | "month";
  /** Accounts: accounts newly marked churned without a churn date (dated the import's day). */
  churnedWithoutDate: number;
  /** Accounts: churn events written or updated from churned rows with a churn date. */
  churnsRecorded: number;
  durationMs: number;
}

export const MAX_REPORTED_ERRORS = 1_000;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

export interface RenderOptions {
  maxErrors?: number;
  /**
   * Where the report is read. The command line names its flags; Slack offers buttons for
   * the same choices (issue 15: a Slack user was told to "pass --skip-invalid").
   */
  surface?: "cli" | "slack";
}

export function renderImportReport(report: ImportReport, options: RenderOptions = {}): string {
  const maxErrors = options.maxErrors ?? 50;
  const slack = options.surface === "slack";
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString("en-US");
  const counts = `${n(report.created)} created, ${n(report.updated)} updated, ${n(report.unchanged)} unchanged`;
  const stoppedByErrors = report.invalidRows > 0 && !report.skipInvalid;
  if (report.dryRun) {
    lines.push(`Dry run of the ${report.kind} import: nothing was saved.`);
    lines.push(
      stoppedByErrors
        ? `${plural(report.rows, "row")} read; the valid rows would make ${counts}.`
        : `${plural(report.rows, "row")} read; it would make ${counts}.`,
    );
  } else if (report.committed) {
    lines.push(`Imported ${report.kind}: ${plural(report.rows, "row")} read; ${counts}.`);
  } else {
    lines.push(
      `Nothing was imported: ${plural(report.invalidRows, "row")} of ${report.rows.toLocaleString("en-US")} ${report.invalidRows === 1 ? "has" : "have"} errors.`,
    );
    lines.push(
      slack
        ? "Fix them and upload the file again, or import the valid rows only with the button below."
        : "Fix them and import the file again, or pass --skip-invalid to import the valid rows only.",
    );
  }
  if (report.invalidRows && (report.committed || report.dryRun)) {
    const leaveOut = slack ? "Import the valid rows leaves them out" : "pass --skip-invalid to leave them out";
    lines.push(
      `${plural(report.invalidRows, "invalid row")} ${report.dryRun && stoppedByErrors ? `would stop the import (${leaveOut})` : "left out"}.`,
    );
  }
  if (report.period && report.period !== "day" && (report.committed || report.dryRun)) {
    lines.push(
      `Each row is a ${report.period}'s usage, spread over its days (counts above are days); days after today are not written.`,
    );
  }
  if (report.churnsRecorded && (report.committed || report.dryRun)) {
    lines.push(`${plural(report.churnsRecorded, "churn")} recorded from the churn dates of churned accounts.`);
  }
  if (report.churnedWithoutDate && (report.committed || report.dryRun)) {
    lines.push(
      `${plural(report.churnedWithoutDate, "account")} ${report.churnedWithoutDate === 1 ? "is" : "are"} marked churned without a churn date, so dated the import's day. ` +
        (slack
          ? 'Upload your churn history (a CSV with the message "churns") to give them their real churn dates.'
          : "Import your churn history (pulse import churns <file.csv>) to give them their real churn dates."),
    );
  }
  const mapped = Object.entries(report.mapping).map(([field, column]) => `${column} -> ${field}`);
  const traits = report.traits?.length ? `; traits: ${report.traits.join(", ")}` : "";
  lines.push(
    `Columns: ${mapped.join(", ")}${traits}${report.ignoredColumns.length ? `; ignored: ${report.ignoredColumns.join(", ")}` : ""}.`,
  );
  if (report.errors.length) {
    lines.push("Errors:");
    for (const e of report.errors.slice(0, maxErrors)) lines.push(`  line ${e.line}, ${e.column}: ${e.reason}`);
    const more = report.errorCount - Math.min(report.errors.length, maxErrors);
    if (more > 0) lines.push(`  … and ${plural(more, "more error")}.`);
  }
  if (report.notes?.length) {
    lines.push("Notes:");
    for (const e of report.notes.slice(0, maxErrors)) lines.push(`  line ${e.line}, ${e.column}: ${e.reason}`);
    const more = (report.noteCount ?? report.notes.length) - Math.min(report.notes.length, maxErrors);
    if (more > 0) lines.push(`  … and ${plural(more, "more note")}.`);
  }
  return lines.join("\n") + "\n";
}
