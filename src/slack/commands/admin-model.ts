// `/pulse admin model`: the workspace's churn model, its held-out comparison with the rules,
// the weekly check, and an admin's buttons to adopt the newest model or go back to the rules.
import { readModelStatus } from "../../services/health-models.js";
import { requireRole } from "../../services/workspace-users.js";
import { modelAdminReply } from "../views/model-admin.js";
import type { Subcommand } from "./types.js";

export const adminModelSubcommand: Subcommand = {
  name: "admin model",
  usage: "/pulse admin model",
  summary: "which churn model scores the workspace, how it compares with the rules, and adopt a newer one (admins)",
  examples: ["/pulse admin model"],
  async run({ ctx, user, workspace, respond }) {
    requireRole(user, ["admin"], "manage the churn model");
    await respond({ ...modelAdminReply(await readModelStatus(ctx.db, workspace.id)), response_type: "ephemeral" });
  },
};
