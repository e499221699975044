// A CSV an admin uploaded to Pulse in a DM: which import it asks for, and the import run
// on the file streamed from Slack (never read whole into memory).
import { Readable } from "node:stream";
import type { AppContext } from "../app-context.js";
import { IMPORT_KINDS, type ImportKind } from "../domain/ingest/header-mapping.js";
import type { ImportReport } from "../domain/ingest/import-report.js";
import { USAGE_PERIODS, type UsagePeriod } from "../domain/ingest/usage-periods.js";
import { AppError } from "../errors.js";
import { importCsv } from "./import-csv.js";

export interface UploadRequest {
  kind: ImportKind;
  dryRun: boolean;
  skipInvalid: boolean;
  /** `trait "Payment Method"` in the message, as `--trait` on the command line. */
  traits: string[];
  /** `period month` (or `--period month`) in the message. */
  period?: UsagePeriod;
}

// Slack may turn straight quotes into curly ones as the admin types.
const TRAIT_PATTERN = /(?:^|\s)(?:--)?trait[=\s]+(?:"([^"]+)"|“([^”]+)”|([^\s"“”]+))/gi;
const PERIOD_PATTERN = /(?:^|\s)(?:--)?period[=\s]+(\S+)/i;

/** Reads "accounts dry-run" style words from the message, falling back to the file name. */
export function parseUploadRequest(messageText: string, fileName: string): UploadRequest | { problem: string } {
  const traits = [...messageText.matchAll(TRAIT_PATTERN)].map((m) => (m[1] ?? m[2] ?? m[3]!).trim());
  const periodText = PERIOD_PATTERN.exec(messageText)?.[1]?.toLowerCase();
  if (periodText !== undefined && !(USAGE_PERIODS as readonly string[]).includes(periodText))
    return { problem: `\`period ${periodText}\` is not one of ${USAGE_PERIODS.map((p) => `\`${p}\``).join(", ")}.` };
  // Trait names are not words of the request: "accounts" in a trait's name must not pick the kind.
  const words = messageText
    .replace(TRAIT_PATTERN, " ")
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  const fromText = IMPORT_KINDS.find((k) => words.includes(k) || words.includes(k.replace(/s$/, "")));
  const fromName = IMPORT_KINDS.find((k) => fileName.toLowerCase().includes(k.replace(/s$/, "")));
  const kind = fromText ?? fromName;
  if (!kind)
    return {
      problem: `I could not tell what \`${fileName}\` holds. Upload it again with one of ${IMPORT_KINDS.map((k) => `\`${k}\``).join(", ")} in the message.`,
    };
  return {
    kind,
    dryRun: words.includes("dry-run") || words.includes("dryrun") || words.includes("--dry-run"),
    skipInvalid: words.includes("skip-invalid") || words.includes("--skip-invalid"),
    traits,
    ...(periodText ? { period: periodText as UsagePeriod } : {}),
  };
}

export async function importSlackFile(
  ctx: Pick<AppContext, "db" | "clock" | "logger" | "databaseUrl">,
  options: {
    workspaceId: number;
    request: UploadRequest;
    downloadUrl: string;
    botToken: string;
    fileName: string;
    actorSlackId: string;
  },
): Promise<ImportReport> {
  const response = await fetch(options.downloadUrl, { headers: { authorization: `Bearer ${options.botToken}` } });
  if (!response.ok || !response.body) {
    throw new AppError(
      "SLACK_API",
      `file download answered ${response.status}`,
      `I could not download \`${options.fileName}\` from Slack (HTTP ${response.status}). Nothing was imported.`,
    );
  }
  return importCsv(ctx, {
    workspaceId: options.workspaceId,
    kind: options.request.kind,
    input: Readable.fromWeb(response.body),
    dryRun: options.request.dryRun,
    skipInvalid: options.request.skipInvalid,
    traits: options.request.traits,
    period: options.request.period,
    actorSlackId: options.actorSlackId,
    fileName: options.fileName,
  });
}
