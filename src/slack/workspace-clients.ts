// The Web API client a job uses to act in one workspace. With a single workspace's token
// (SLACK_BOT_TOKEN) every workspace gets that token; with OAuth installs, the workspace's
// own bot token is decrypted from its installation. An inactive workspace gets a coded
// error instead of a client, so no job ever posts into a workspace that uninstalled Pulse.
import type { WebClient } from "@slack/web-api";
import type { AppContext } from "../app-context.js";
import { createTokenCipher, type TokenCipher } from "../crypto/token-cipher.js";
import { AppError } from "../errors.js";
import { loadInstallation } from "../services/installations.js";
import { createWebClient } from "./client.js";

export { activeWorkspaceIds } from "../services/workspace-lifecycle.js";

type ClientContext = Pick<AppContext, "config" | "db">;

const singleTokenClients = new WeakMap<object, WebClient>();

export function tokenCipherFor(config: AppContext["config"]): TokenCipher {
  return createTokenCipher({ current: config.encryptionKey, previous: config.encryptionKeyPrevious });
}

export async function slackClientFor(ctx: ClientContext, workspaceId: number): Promise<WebClient> {
  const workspace = await ctx.db.workspace.findUnique({
    where: { id: workspaceId },
    select: { slackTeamId: true, active: true },
  });
  if (!workspace)
    throw new AppError("NOT_FOUND", `workspace ${workspaceId} does not exist`, "That workspace is not known to Pulse.");
  if (!workspace.active) {
    throw new AppError(
      "WORKSPACE_INACTIVE",
      `workspace ${workspaceId} (${workspace.slackTeamId}) is inactive`,
      "Pulse is not active in this workspace any more.",
    );
  }
  const { slack } = ctx.config;
  if (slack.oauth) {
    const installation = await loadInstallation(ctx.db, tokenCipherFor(ctx.config), workspace.slackTeamId);
    return createWebClient(installation.bot!.token, {
      apiUrl: slack.apiUrl,
      policy: { timeoutMs: slack.callTimeoutMs },
    });
  }
  if (!slack.botToken) {
    throw new AppError("NOT_INSTALLED", "no Slack token configured (local mode)", "Pulse is not connected to Slack.");
  }
  // One client per configuration in single-token mode: it is the same token for everyone.
  let client = singleTokenClients.get(ctx.config);
  if (!client) {
    client = createWebClient(slack.botToken, { apiUrl: slack.apiUrl, policy: { timeoutMs: slack.callTimeoutMs } });
    singleTokenClients.set(ctx.config, client);
  }
  return client;
}
