// Bolt's InstallationStore, backed by PostgreSQL (workspace + slack_installation) with the
// bot token sealed by the token cipher. Bolt calls fetchInstallation on every request to
// authorize it; an inactive workspace throws, so Bolt refuses its requests.
import type { InstallationStore } from "@slack/bolt";
import type { AppContext } from "../app-context.js";
import type { TokenCipher } from "../crypto/token-cipher.js";
import { loadInstallation, revokeInstallations, saveInstallation } from "../services/installations.js";

export function createInstallationStore(ctx: Pick<AppContext, "db" | "clock" | "logger">, cipher: TokenCipher): InstallationStore {
  return {
    async storeInstallation(installation) {
      const { workspaceId } = await saveInstallation({ db: ctx.db, cipher, installation, now: ctx.clock() });
      ctx.logger.info({ workspaceId, teamId: installation.team?.id, keyId: cipher.currentKeyId }, "stored a Slack installation");
    },
    async fetchInstallation(query) {
      return loadInstallation(ctx.db, cipher, query.teamId ?? "");
    },
    async deleteInstallation(query) {
      const count = await revokeInstallations(ctx.db, query.teamId ?? "", ctx.clock());
      ctx.logger.info({ teamId: query.teamId, count }, "revoked Slack installations");
    },
  };
}

/** Bot scopes requested at install; keep in step with manifest.json. */
export const BOT_SCOPES = [
  "app_mentions:read",
  "channels:history",
  "channels:read",
  "chat:write",
  "commands",
  "files:write",
  "groups:history",
  "groups:read",
  "im:history",
  "im:write",
  "users:read",
];
