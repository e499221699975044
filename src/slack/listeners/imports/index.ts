// CSV uploads to Pulse in a DM become imports: the admin gets the same report the CLI
// prints. Other messages are left to the conversation listeners.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { renderImportReport } from "../../../domain/ingest/import-report.js";
import { isAppError } from "../../../errors.js";
import { importSlackFile, parseUploadRequest } from "../../../services/import-slack-file.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { truncate, LIMITS } from "../../block-kit.js";

interface SharedFile {
  name?: string;
  filetype?: string;
  url_private_download?: string;
}

export function registerImportListeners(app: App, ctx: AppContext): void {
  app.event("message", async ({ event, client, context }) => {
    const message = event as { subtype?: string; channel_type?: string; channel: string; user?: string; text?: string; files?: SharedFile[]; team?: string };
    if (message.subtype !== "file_share" || message.channel_type !== "im" || !message.user) return;
    const csv = message.files?.find((f) => f.filetype === "csv" || f.name?.toLowerCase().endsWith(".csv"));
    if (!csv?.url_private_download) return;
    const say = (text: string) => client.chat.postMessage({ channel: message.channel, text }).then(() => undefined);
    try {
      const workspace = await resolveWorkspace(ctx.db, context.teamId ?? message.team ?? "");
      const user = await resolveUser(ctx.db, workspace.id, message.user);
      if (user.role !== "admin") {
        await say("Only admins can import data. Ask an admin, or an admin can make you one with `/pulse admin role`.");
        return;
      }
      const request = parseUploadRequest(message.text ?? "", csv.name ?? "upload.csv");
      if ("problem" in request) {
        await say(request.problem);
        return;
      }
      const report = await importSlackFile(ctx, {
        workspaceId: workspace.id,
        request,
        downloadUrl: csv.url_private_download,
        botToken: context.botToken ?? "",
        fileName: csv.name ?? "upload.csv",
        actorSlackId: user.slackUserId,
      });
      await say(truncate(`Import of \`${csv.name}\` (${request.kind}${request.dryRun ? ", dry run" : ""}):\n\`\`\`${renderImportReport(report, { maxErrors: 30 })}\`\`\``, LIMITS.sectionText));
    } catch (error) {
      if (isAppError(error)) {
        await say(`:warning: ${error.userMessage}`).catch(() => undefined);
        return;
      }
      ctx.logger.error({ err: error }, "CSV upload import failed");
      await say(":x: Sorry, the import failed and nothing was changed. Please try again.").catch(() => undefined);
    }
  });
}
