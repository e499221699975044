// `pulse admin grant <slack user id> admin|manager|csm`: sets a role from the server, the way
// back in when nobody in Slack can (no admin left, or a workspace set up before the rule that
// the first real user becomes admin).
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import { findWorkspace } from "../../services/find-workspace.js";
import { grantRole, ROLES } from "../../services/workspace-users.js";
import { UsageError, type CliCommand } from "../command.js";

type Role = (typeof ROLES)[number];

export const adminCommand: CliCommand = {
  name: "admin",
  summary: "Grant a Slack user a role in a workspace (admin, manager or csm).",
  usage: "pulse admin grant <slack user id> admin|manager|csm [--workspace T0123ABCD] [--json]",
  async run(args, { config, logger, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { workspace: { type: "string" }, json: { type: "boolean", default: false } },
    });
    const [action, slackUserId, roleText, ...extra] = positionals;
    if (action !== "grant") throw new UsageError(action ? `unknown action "${action}": say grant` : "say grant");
    if (!slackUserId) throw new UsageError("give the Slack user id to grant a role to, such as U0123ABCD");
    // A mention pasted from Slack (<@U0123|name>) is read as the id it holds.
    const id = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(slackUserId)?.[1] ?? slackUserId;
    if (!/^[UW][A-Z0-9]{2,30}$/.test(id))
      throw new UsageError(
        `"${slackUserId}" is not a Slack user id: it looks like U0123ABCD (see their Slack profile, ⋮ > Copy member ID)`,
      );
    if (!roleText) throw new UsageError(`say which role: ${ROLES.join(", ")}`);
    const role = ROLES.find((r) => r === roleText.toLowerCase()) as Role | undefined;
    if (!role) throw new UsageError(`unknown role "${roleText}": say ${ROLES.join(", ")}`);
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
    if (values.workspace !== undefined && !/^[TE][A-Z0-9]+$/.test(values.workspace))
      throw new UsageError(`--workspace must be a Slack team id such as T0123ABCD (got "${values.workspace}")`);
    const database = await openDatabase(config, logger);
    try {
      const workspace = await findWorkspace(database.db, { teamId: values.workspace });
      const { from } = await grantRole(database.db, { workspaceId: workspace.id, slackUserId: id, role });
      if (values.json) {
        io.out(`${JSON.stringify({ workspace: workspace.slackTeamId, slackUserId: id, from, role })}\n`);
        return 0;
      }
      const article = role === "admin" ? "an" : "a";
      io.out(
        from === role
          ? `${id} already was ${article} ${role} in workspace ${workspace.slackTeamId}; nothing changed.\n`
          : `${id} is now ${article} ${role} in workspace ${workspace.slackTeamId}${from ? ` (was ${from})` : " (new to Pulse)"}. Recorded in the audit log.\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
