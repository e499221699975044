import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys.js";
import { findWorkspace } from "../../services/find-workspace.js";
import { UsageError, type CliCommand } from "../command.js";

function when(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "never";
}

export const apiKeyCommand: CliCommand = {
  name: "api-key",
  summary: "Create, list or revoke ingestion API keys of a workspace.",
  usage:
    "pulse api-key create --workspace T0123ABCD [--name segment-prod] [--create-workspace] | list --workspace T0123ABCD | revoke <id or prefix> --workspace T0123ABCD   [--json]",
  async run(args, { config, logger, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        workspace: { type: "string" },
        name: { type: "string" },
        "create-workspace": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
    const [action, target, ...extra] = positionals;
    if (action !== "create" && action !== "list" && action !== "revoke")
      throw new UsageError("say create, list or revoke");
    if (extra.length || (action !== "revoke" && target))
      throw new UsageError(`unexpected arguments: ${[target, ...extra].filter(Boolean).join(" ")}`);
    if (values["create-workspace"] && !values.workspace)
      throw new UsageError("--create-workspace needs --workspace T0123ABCD: the id of the workspace to create");
    if (action === "revoke" && !target)
      throw new UsageError("give the id or prefix of the key to revoke (see `pulse api-key list`)");
    const database = await openDatabase(config, logger);
    try {
      const workspace = await findWorkspace(database.db, {
        teamId: values.workspace,
        create: values["create-workspace"],
      });
      const now = new Date();
      if (action === "create") {
        const key = await createApiKey(database.db, { workspaceId: workspace.id, name: values.name ?? "default", now });
        if (values.json) {
          io.out(`${JSON.stringify({ id: key.id, name: key.name, workspace: workspace.slackTeamId, key: key.key })}\n`);
          return 0;
        }
        io.out(
          `Created API key ${key.id} "${key.name}" for workspace ${workspace.slackTeamId}:\n\n  ${key.key}\n\n` +
            `Copy it now: Pulse stores only a hash and cannot show it again.\n` +
            `Send it as "Authorization: Bearer <key>" (or as the Basic auth username) to POST /api/v1/events.\n`,
        );
        return 0;
      }
      if (action === "list") {
        const keys = await listApiKeys(database.db, { workspaceId: workspace.id });
        if (values.json) {
          const rows = keys.map((k) => ({
            id: k.id,
            prefix: k.prefix,
            name: k.name,
            createdAt: k.createdAt,
            lastUsedAt: k.lastUsedAt,
            revokedAt: k.revokedAt,
          }));
          io.out(`${JSON.stringify(rows, null, 2)}\n`);
          return 0;
        }
        if (!keys.length) {
          io.out(`Workspace ${workspace.slackTeamId} has no API keys. Create one with \`pulse api-key create\`.\n`);
          return 0;
        }
        io.out(
          keys
            .map(
              (k) =>
                `${String(k.id).padStart(4)}  ${k.prefix}…  ${k.name}  created ${when(k.createdAt)}  last used ${when(k.lastUsedAt)}${k.revokedAt ? `  REVOKED ${when(k.revokedAt)}` : ""}`,
            )
            .join("\n") + "\n",
        );
        return 0;
      }
      const key = await revokeApiKey(database.db, {
        workspaceId: workspace.id,
        key: /^\d+$/.test(target!) ? Number(target) : target!.replace(/…$/, ""),
        now,
      });
      if (values.json) io.out(`${JSON.stringify({ id: key.id, name: key.name, prefix: key.prefix, revoked: true })}\n`);
      else io.out(`API key ${key.id} "${key.name}" (${key.prefix}…) is revoked: requests with it now get 403.\n`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
