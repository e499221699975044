// `/pulse admin role @user manager|csm|admin`: admins only.
import { recordAudit } from "../../services/audit.js";
import { requireRole, resolveUser } from "../../services/workspace-users.js";
import { mentionedUserId } from "./portfolio.js";
import type { Subcommand } from "./types.js";

const ROLES = ["csm", "manager", "admin"] as const;

export const adminRoleSubcommand: Subcommand = {
  name: "admin role",
  usage: "/pulse admin role @user manager|csm|admin",
  summary: "set someone's role (admins)",
  async run({ ctx, workspace, user, args, rest, respond }) {
    requireRole(user, ["admin"], "change roles");
    const target = mentionedUserId(rest);
    const role = ROLES.find((r) => args.map((a) => a.toLowerCase()).includes(r));
    if (!target || !role) {
      await respond({ text: "Usage: `/pulse admin role @user manager|csm|admin`" });
      return;
    }
    if (target === user.slackUserId && role !== "admin") {
      const admins = await ctx.db.user.count({ where: { workspaceId: workspace.id, role: "admin" } });
      if (admins <= 1) {
        await respond({ text: "You are the only admin: make someone else admin first, so the workspace is never left without one." });
        return;
      }
    }
    const member = await resolveUser(ctx.db, workspace.id, target);
    await ctx.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: member.id }, data: { role } });
      await recordAudit(tx, { workspaceId: workspace.id, actorSlackId: user.slackUserId, action: "user.role", entityType: "user", entityId: member.id, details: { from: member.role, to: role } });
    });
    await respond({ text: `<@${target}> is now ${role === "admin" ? "an admin" : `a ${role}`}.` });
  },
};
