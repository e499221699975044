// Bolt's InstallationStore, backed by PostgreSQL (workspace + slack_installation) with the
// bot token sealed by the token cipher. Bolt calls fetchInstallation on every request to
// authorize it; an inactive workspace throws, so Bolt refuses its requests.
import type { InstallationStore } from "@slack/bolt";
import type { AppContext } from "../app-context.js";
import type { TokenCipher } from "../crypto/token-cipher.js";
import { loadInstallation, revokeInstallations, saveInstallation } from "../services/installations.js";

export function createInstallationStore(
  ctx: Pick<AppContext, "db" | "clock" | "logger">,
  cipher: TokenCipher,
): InstallationStore {
  return {
    async storeInstallation(installation) {
      const { workspaceId } = await saveInstallation({ db: ctx.db, cipher, installation, now: ctx.clock() });
      ctx.logger.info(
        { workspaceId, teamId: installation.team?.id, keyId: cipher.currentKeyId },
        "stored a Slack installation",
      );
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

/**
 * Bot scopes requested at an OAuth install: exactly manifest.json's oauth_config.scopes.bot
 * (test/slack/manifest.test.ts fails when the two differ), so an install never grants other
 * scopes than an app created from the manifest. Add a scope there and here together.
 */
export const BOT_SCOPES: string[] = [
  "app_mentions:read",
  "canvases:write",
  "channels:history",
  "channels:read",
  "chat:write",
  "commands",
  "files:read",
  "files:write",
  "groups:history",
  "groups:read",
  "im:history",
  "im:write",
  "reactions:read",
  "team:read",
  "users:read",
  "users:read.email",
];
