// CSV uploads to Pulse in a DM become imports: the admin gets the report the CLI prints,
// worded for Slack, with a button for what is left to do (apply a clean dry run, or import
// the valid rows) that reads the same file again. Other messages are left to the
// conversation listeners.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { IMPORT_KINDS } from "../../../domain/ingest/header-mapping.js";
import { USAGE_PERIODS } from "../../../domain/ingest/usage-periods.js";
import { AppError } from "../../../errors.js";
import { importSlackFile, parseUploadRequest } from "../../../services/import-slack-file.js";
import { requireRole } from "../../../services/workspace-users.js";
import { escapeMrkdwn, LIMITS } from "../../block-kit.js";
import { ACTION } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { importReportMessage, type ImportApplyValue } from "../../views/import-report.js";
import { afterAck, answerClick, queueKey, type ButtonArgs } from "../define.js";

interface SharedFile {
  name?: string;
  filetype?: string;
  url_private_download?: string;
}

const applyValue: z.ZodType<ImportApplyValue> = z.object({
  u: z.string().url().max(LIMITS.actionValue),
  n: z.string().min(1).max(255),
  k: z.enum(IMPORT_KINDS),
  s: z.boolean(),
  t: z.array(z.string().min(1).max(255)).max(50),
  p: z.enum(USAGE_PERIODS).optional(),
});

/**
 * The button sends the bot token to the file's URL again: only to Slack's own hosts (or the
 * Slack API host Pulse is configured with), whatever the value says.
 */
function isSlackFileUrl(url: string, apiUrl: string | undefined): boolean {
  const host = new URL(url).hostname;
  if (apiUrl && host === new URL(apiUrl).hostname) return true;
  return /(^|\.)slack\.com$|(^|\.)slack-gov\.com$/.test(host) && url.startsWith("https://");
}

function parseApplyValue(raw: string | undefined, apiUrl: string | undefined): ImportApplyValue {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? "");
  } catch {
    json = undefined;
  }
  const parsed = applyValue.safeParse(json);
  if (!parsed.success || !isSlackFileUrl(parsed.data.u, apiUrl))
    throw new AppError("INVALID_INPUT", "bad import button value", "That button is not valid; upload the file again.");
  return parsed.data;
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
    const fileName = csv.name ?? "upload.csv";
    const request = parseUploadRequest(message.text ?? "", fileName);
    if ("problem" in request) {
      await say(escapeMrkdwn(request.problem));
      return;
    }
    const report = await importSlackFile(ctx, {
      workspaceId: workspace.id,
      request,
      downloadUrl: csv.url_private_download,
      botToken: context.botToken ?? "",
      fileName,
      actorSlackId: user.slackUserId,
    });
    const file = {
      fileName,
      downloadUrl: csv.url_private_download,
      kind: request.kind,
      traits: request.traits,
      ...(request.period ? { period: request.period } : {}),
    };
    await pulse.slack.post({ channel: message.channel, ...importReportMessage(file, report) });
  });

  // Apply / Import the valid rows: the same file, read again from Slack, imported for real.
  app.action<BlockAction<ButtonAction>>(ACTION.importApply, async (args: ButtonArgs) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(queueKey(pulse), async () => {
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      requireRole(user, ["admin"], "import data");
      const value = parseApplyValue(args.action.value, ctx.config.slack.apiUrl);
      if (!(await pulse.claimOnce())) return;
      const file = { fileName: value.n, downloadUrl: value.u, kind: value.k, traits: value.t, period: value.p };
      const report = await importSlackFile(ctx, {
        workspaceId: workspace.id,
        request: { kind: value.k, dryRun: false, skipInvalid: value.s, traits: value.t, period: value.p },
        downloadUrl: value.u,
        botToken: args.context.botToken ?? "",
        fileName: value.n,
        actorSlackId: user.slackUserId,
      });
      await answerClick(
        args,
        pulse,
        { ...importReportMessage(file, report), replace_original: true },
        { title: "Import" },
      );
    });
  });
}
