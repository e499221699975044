// `/pulse admin api-key create <name> | list | revoke <id or prefix>`: keys for the
// usage-events API. Admins only; a new key is shown once, ephemerally, to its creator.
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys.js";
import { requireRole } from "../../services/workspace-users.js";
import { escapeMrkdwn } from "../block-kit.js";
import { parseRowId } from "../ids.js";
import { formatDate, formatDateTime } from "../views/format.js";
import type { Subcommand } from "./types.js";

const USAGE = "/pulse admin api-key create <name> | list | revoke <id or prefix>";

export const adminApiKeySubcommand: Subcommand = {
  name: "admin api-key",
  usage: USAGE,
  summary: "create, list or revoke keys for the usage-events API (admins)",
  examples: ["/pulse admin api-key create segment-prod"],
  writes: true,
  async run({ ctx, workspace, user, args, respond }) {
    requireRole(user, ["admin"], "manage API keys");
    const [action, ...rest] = args;
    const now = ctx.clock();
    switch (action?.toLowerCase()) {
      case "create": {
        const created = await createApiKey(ctx.db, {
          workspaceId: workspace.id,
          name: rest.join(" "),
          createdById: user.id,
          actorSlackId: user.slackUserId,
          now,
        });
        await respond({
          text:
            `:key: API key *${escapeMrkdwn(created.name)}* created. Copy it now: it is shown only this once.\n` +
            "```" +
            created.key +
            "```\n" +
            "Send usage events with `Authorization: Bearer <key>` to `POST /api/v1/events` (see docs/ingestion.md).",
        });
        return;
      }
      case "list": {
        const keys = await listApiKeys(ctx.db, { workspaceId: workspace.id });
        const lines = keys.map(
          (k) =>
            `• #${k.id} *${escapeMrkdwn(k.name)}* \`${k.prefix}…\` — created ${formatDate(k.createdAt, null)}` +
            (k.revokedAt
              ? `, revoked ${formatDate(k.revokedAt, null)}`
              : k.lastUsedAt
                ? `, last used ${formatDateTime(k.lastUsedAt, null)}`
                : ", never used"),
        );
        await respond({
          text: keys.length
            ? `API keys in this workspace:\n${lines.join("\n")}`
            : "No API keys yet. Create one with `/pulse admin api-key create <name>`.",
        });
        return;
      }
      case "revoke": {
        const target = rest[0];
        if (!target) {
          await respond({ text: `Say which key to revoke: \`${USAGE}\`` });
          return;
        }
        // All digits is a key id, unless too large to be one: then it can only be a prefix.
        const key = parseRowId(target) ?? target.replace(/…$/, "");
        const revoked = await revokeApiKey(ctx.db, {
          workspaceId: workspace.id,
          key,
          actorSlackId: user.slackUserId,
          now,
        });
        await respond({
          text: `:no_entry: API key #${revoked.id} *${escapeMrkdwn(revoked.name)}* is revoked; requests with it now get 403.`,
        });
        return;
      }
      default:
        await respond({ text: `Usage: \`${USAGE}\`` });
    }
  },
};
