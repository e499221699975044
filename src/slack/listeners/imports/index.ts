// CSV uploads to Pulse in a DM become imports: the admin gets the same report the CLI
// prints. Other messages are left to the conversation listeners.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { renderImportReport } from "../../../domain/ingest/import-report.js";
import { importSlackFile, parseUploadRequest } from "../../../services/import-slack-file.js";
import { escapeMrkdwn, truncate, LIMITS } from "../../block-kit.js";
import { pulseOf } from "../../middleware/pulse-request.js";

interface SharedFile {
  name?: string;
  filetype?: string;
  url_private_download?: string;
}

export function registerImportListeners(app: App, ctx: AppContext): void {
  app.event("message", async ({ event, context }) => {
    const message = event as {
      subtype?: string;
      channel_type?: string;
      channel: string;
      user?: string;
      text?: string;
      files?: SharedFile[];
      team?: string;
    };
    if (message.subtype !== "file_share" || message.channel_type !== "im" || !message.user) return;
    const csv = message.files?.find((f) => f.filetype === "csv" || f.name?.toLowerCase().endsWith(".csv"));
    if (!csv?.url_private_download) return;
    const pulse = pulseOf(context);
    const say = (text: string) => pulse.slack.post({ channel: message.channel, text }).then(() => undefined);
    const [workspace, user] = [await pulse.workspace(), await pulse.user()];
    if (user.role !== "admin") {
      await say("Only admins can import data. Ask an admin, or an admin can make you one with `/pulse admin role`.");
      return;
    }
    const request = parseUploadRequest(message.text ?? "", csv.name ?? "upload.csv");
    if ("problem" in request) {
      await say(escapeMrkdwn(request.problem));
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
    await say(
      truncate(
        `Import of \`${escapeMrkdwn(csv.name ?? "upload.csv")}\` (${request.kind}${request.dryRun ? ", dry run" : ""}):\n\`\`\`${renderImportReport(report, { maxErrors: 30 })}\`\`\``,
        LIMITS.sectionText,
      ),
    );
  });
}
