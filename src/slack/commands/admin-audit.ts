// `/pulse admin audit [account]`: the newest 50 audit entries, ephemeral.
import { auditNames } from "../../services/audit.js";
import { listAudit } from "../../services/privacy.js";
import { requireRole } from "../../services/workspace-users.js";
import { auditReply } from "../views/privacy-admin.js";
import type { Subcommand } from "./types.js";

export const adminAuditSubcommand: Subcommand = {
  name: "admin audit",
  usage: "/pulse admin audit [account]",
  summary: "who viewed or changed what, the newest 50 entries, all or one account's (admins)",
  examples: ["/pulse admin audit", '/pulse admin audit "Acme Corp"'],
  async run({ ctx, user, workspace, args, respond }) {
    requireRole(user, ["admin"], "read the audit log");
    const ref = args.join(" ").trim();
    const { account, rows } = await listAudit(ctx.db, workspace.id, ref || undefined);
    const names = await auditNames(ctx.db, workspace.id, rows);
    await respond({
      ...auditReply(rows, account ? account.name : "this workspace", names, user.timezone ?? ctx.config.timezone),
      response_type: "ephemeral",
    });
  },
};
