// A CSV an admin uploaded to Pulse in a DM: which import it asks for, and the import run
// on the file streamed from Slack (never read whole into memory).
import { Readable } from "node:stream";
import type { AppContext } from "../app-context.js";
import { IMPORT_KINDS, type ImportKind } from "../domain/ingest/header-mapping.js";
import type { ImportReport } from "../domain/ingest/import-report.js";
import { AppError } from "../errors.js";
import { importCsv } from "./import-csv.js";

export interface UploadRequest {
  kind: ImportKind;
  dryRun: boolean;
  skipInvalid: boolean;
}

/** Reads "accounts dry-run" style words from the message, falling back to the file name. */
export function parseUploadRequest(messageText: string, fileName: string): UploadRequest | { problem: string } {
  const words = messageText.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const fromText = IMPORT_KINDS.find((k) => words.includes(k) || words.includes(k.replace(/s$/, "")));
  const fromName = IMPORT_KINDS.find((k) => fileName.toLowerCase().includes(k.replace(/s$/, "")));
  const kind = fromText ?? fromName;
  if (!kind) return { problem: `I could not tell what \`${fileName}\` holds. Upload it again with one of ${IMPORT_KINDS.map((k) => `\`${k}\``).join(", ")} in the message.` };
  return { kind, dryRun: words.includes("dry-run") || words.includes("dryrun"), skipInvalid: words.includes("skip-invalid") };
}

export async function importSlackFile(
  ctx: Pick<AppContext, "db" | "clock" | "logger" | "databaseUrl">,
  options: { workspaceId: number; request: UploadRequest; downloadUrl: string; botToken: string; fileName: string; actorSlackId: string },
): Promise<ImportReport> {
  const response = await fetch(options.downloadUrl, { headers: { authorization: `Bearer ${options.botToken}` } });
  if (!response.ok || !response.body) {
    throw new AppError("SLACK_API", `file download answered ${response.status}`, `I could not download \`${options.fileName}\` from Slack (HTTP ${response.status}). Nothing was imported.`);
  }
  return importCsv(ctx, {
    workspaceId: options.workspaceId,
    kind: options.request.kind,
    input: Readable.fromWeb(response.body as never),
    dryRun: options.request.dryRun,
    skipInvalid: options.request.skipInvalid,
    actorSlackId: options.actorSlackId,
    fileName: options.fileName,
  });
}
