// `/pulse admin role @user manager|csm|admin`: admins only.
import { setUserRole } from "../../services/workspace-users.js";
import { mentionedUserId } from "./portfolio.js";
import type { Subcommand } from "./types.js";

const ROLES = ["csm", "manager", "admin"] as const;

export const adminRoleSubcommand: Subcommand = {
  name: "admin role",
  usage: "/pulse admin role @user manager|csm|admin",
  summary: "set someone's role (admins)",
  details: ["No admin left? On the server: `pulse admin grant <slack user id> admin` (audited)."],
  writes: true,
  async run({ ctx, workspace, user, args, rest, respond, requestId }) {
    const target = mentionedUserId(rest);
    const role = ROLES.find((r) => args.map((a) => a.toLowerCase()).includes(r));
    if (!target || !role) {
      await respond({ text: "Usage: `/pulse admin role @user manager|csm|admin`" });
      return;
    }
    await setUserRole(ctx.db, { workspaceId: workspace.id, actor: user, targetSlackId: target, role, requestId });
    await respond({ text: `<@${target}> is now ${role === "admin" ? "an admin" : `a ${role}`}.` });
  },
};
