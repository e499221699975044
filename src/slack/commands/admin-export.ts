// `/pulse admin export <account>`: everything Pulse holds on an account, as a JSON file in
// the admin's DM. The export (and its audit row) is committed before the upload; if the
// upload fails, the admin gets a link-free summary that says why.
import { exportAccountData } from "../../services/privacy.js";
import { requireRole } from "../../services/workspace-users.js";
import { escapeMrkdwn } from "../block-kit.js";
import { slackErrorCode } from "../../errors.js";
import { exportDeliveredReply, exportUndeliveredReply } from "../views/privacy-admin.js";
import type { Subcommand } from "./types.js";

export function exportFileName(accountName: string, now: Date): string {
  const slug =
    accountName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "account";
  return `pulse-export-${slug}-${now.toISOString().slice(0, 10)}.json`;
}

export const adminExportSubcommand: Subcommand = {
  name: "admin export",
  usage: "/pulse admin export <account>",
  summary: "everything Pulse holds on an account, as a JSON file in your DM (admins)",
  examples: ['/pulse admin export "Acme Corp"'],
  async run({ ctx, slack, user, workspace, args, respond, requestId }) {
    requireRole(user, ["admin"], "export account data");
    const ref = args.join(" ");
    const exported = await exportAccountData(
      ctx.db,
      { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId },
      ref,
    );
    const fileName = exportFileName(exported.account.name, ctx.clock());
    try {
      await slack.dmFile(user.slackUserId, {
        filename: fileName,
        title: `Pulse export: ${exported.account.name}`,
        content: exported.json,
        initialComment: `Everything Pulse holds on ${escapeMrkdwn(exported.account.name)}.`,
      });
      await respond(exportDeliveredReply(exported.account.name, fileName));
    } catch (error) {
      const code = slackErrorCode(error);
      ctx.logger.warn({ requestId, code, accountId: exported.account.id }, "could not upload an account export");
      await respond(exportUndeliveredReply(exported.account.name, exported.counts, `Slack answered ${code}`));
    }
  },
};
