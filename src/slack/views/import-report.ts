// The report of a CSV uploaded to Pulse in a DM, and the buttons that finish the job
// without a second upload (issue 15): *Apply* after a clean dry run, *Import the valid
// rows* when errors stopped the import. Both read the same file from Slack again.
import type { ImportKind } from "../../domain/ingest/header-mapping.js";
import { renderImportReport, type ImportReport } from "../../domain/ingest/import-report.js";
import type { UsagePeriod } from "../../domain/ingest/usage-periods.js";
import { actions, button, escapeMrkdwn, LIMITS, section, truncate, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";

/** What an import button carries: the file and the request, as the upload asked for it. */
export interface ImportApplyValue {
  /** url_private_download of the uploaded file. */
  u: string;
  /** The file's name. */
  n: string;
  k: ImportKind;
  /** Leave invalid rows out. */
  s: boolean;
  t: string[];
  p?: UsagePeriod;
}

export interface UploadedImport {
  fileName: string;
  downloadUrl: string;
  kind: ImportKind;
  traits: string[];
  period?: UsagePeriod;
}

function applyButton(label: string, file: UploadedImport, skipInvalid: boolean) {
  const value: ImportApplyValue = {
    u: file.downloadUrl,
    n: file.fileName,
    k: file.kind,
    s: skipInvalid,
    t: file.traits,
    ...(file.period ? { p: file.period } : {}),
  };
  const json = JSON.stringify(value);
  // A value Slack would cut is no value: no button, the admin uploads again instead.
  return json.length <= LIMITS.actionValue ? button(label, ACTION.importApply, json, "primary") : undefined;
}

/** What can still be done with this file: nothing after a real import, else the one button that fits. */
function nextStep(file: UploadedImport, report: ImportReport) {
  const validRows = report.rows - report.invalidRows;
  if (report.committed || validRows <= 0) return undefined;
  if (report.dryRun)
    return report.invalidRows > 0 && !report.skipInvalid
      ? applyButton("Import the valid rows", file, true)
      : applyButton("Apply", file, report.skipInvalid);
  if (report.invalidRows > 0) return applyButton("Import the valid rows", file, true);
  return undefined;
}

export function importReportMessage(file: UploadedImport, report: ImportReport): { text: string; blocks: Block[] } {
  const title = `Import of \`${escapeMrkdwn(file.fileName)}\` (${file.kind}${report.dryRun ? ", dry run" : ""}):`;
  // A code block shows the report's text as written: nothing in it is read as mrkdwn.
  const body = renderImportReport(report, { maxErrors: 30, surface: "slack" });
  const room = LIMITS.sectionText - title.length - "\n``````".length;
  const text = `${title}\n\`\`\`${truncate(body, room)}\`\`\``;
  const step = nextStep(file, report);
  return { text, blocks: [section(text), ...(step ? [actions([step])] : [])] };
}
