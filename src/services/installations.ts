// OAuth installations of the Slack app, one workspace row per Slack team. The bot token is
// sealed with the token cipher before it is written; the rest of Bolt's Installation object
// is kept, minus every token and webhook URL, so `fetchInstallation` can rebuild it.
import type { Installation } from "@slack/bolt";
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import { botTokenAad, type TokenCipher } from "../crypto/token-cipher.js";
import { recordAudit } from "./audit.js";

export type SlackInstallationRecord = Installation<"v1" | "v2", boolean>;

/** The Installation without anything that grants access. */
function withoutSecrets(installation: SlackInstallationRecord): Prisma.InputJsonValue {
  const { bot, user, incomingWebhook, ...rest } = installation;
  return JSON.parse(
    JSON.stringify({
      ...rest,
      bot: bot ? { scopes: bot.scopes, id: bot.id, userId: bot.userId, expiresAt: bot.expiresAt } : undefined,
      user: { id: user.id, scopes: user.scopes },
      incomingWebhook: incomingWebhook
        ? { channel: incomingWebhook.channel, channelId: incomingWebhook.channelId }
        : undefined,
    }),
  ) as Prisma.InputJsonValue;
}

function teamIdOf(installation: SlackInstallationRecord): string {
  if (installation.isEnterpriseInstall || !installation.team?.id) {
    throw new AppError(
      "INVALID_INPUT",
      "org-wide (Enterprise Grid) installs are not supported",
      "Pulse installs per workspace. Install it into each workspace of your organisation rather than org-wide.",
    );
  }
  return installation.team.id;
}

export interface SaveInstallationOptions {
  db: Db;
  cipher: TokenCipher;
  installation: SlackInstallationRecord;
  now: Date;
}

/**
 * Stores a new installation. A reinstall into a workspace that was uninstalled reactivates
 * it (and cancels its pending erasure); earlier installations are marked revoked.
 */
export async function saveInstallation({
  db,
  cipher,
  installation,
  now,
}: SaveInstallationOptions): Promise<{ workspaceId: number }> {
  const teamId = teamIdOf(installation);
  const botToken = installation.bot?.token;
  if (!botToken) {
    throw new AppError(
      "INVALID_INPUT",
      `installation for ${teamId} has no bot token`,
      "Slack did not grant Pulse a bot token; reinstall with the bot scopes.",
    );
  }
  const sealed = cipher.encrypt(botToken, botTokenAad(teamId));
  return db.$transaction(async (tx) => {
    const previous = await tx.workspace.findUnique({ where: { slackTeamId: teamId } });
    const workspace = await tx.workspace.upsert({
      where: { slackTeamId: teamId },
      create: {
        slackTeamId: teamId,
        name: installation.team?.name ?? teamId,
        enterpriseId: installation.enterprise?.id ?? null,
      },
      update: {
        name: installation.team?.name ?? undefined,
        enterpriseId: installation.enterprise?.id ?? null,
        active: true,
        deactivatedAt: null,
        eraseAfter: null,
      },
    });
    await tx.slackInstallation.updateMany({
      where: { workspaceId: workspace.id, revokedAt: null },
      data: { revokedAt: now },
    });
    await tx.slackInstallation.create({
      data: {
        workspaceId: workspace.id,
        enterpriseId: installation.enterprise?.id ?? null,
        botUserId: installation.bot?.userId ?? null,
        botId: installation.bot?.id ?? null,
        botScopes: installation.bot?.scopes ?? [],
        installerSlackId: installation.user.id,
        botTokenCiphertext: sealed,
        metadata: withoutSecrets(installation),
        installedAt: now,
      },
    });
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actorSlackId: installation.user.id,
      action: previous && !previous.active ? "workspace.reinstall" : "workspace.install",
      entityType: "workspace",
      entityId: workspace.id,
      details: { scopes: installation.bot?.scopes ?? [], keyId: cipher.currentKeyId },
    });
    return { workspaceId: workspace.id };
  });
}

/** The live installation of an active workspace, with its bot token decrypted. */
export async function loadInstallation(db: Db, cipher: TokenCipher, teamId: string): Promise<SlackInstallationRecord> {
  const workspace = await db.workspace.findUnique({ where: { slackTeamId: teamId } });
  if (!workspace)
    throw new AppError("NOT_INSTALLED", `no workspace for team ${teamId}`, "Pulse is not installed in this workspace.");
  if (!workspace.active) {
    throw new AppError(
      "WORKSPACE_INACTIVE",
      `workspace ${teamId} is inactive`,
      "Pulse is not active in this workspace any more. Reinstall the app to use it again.",
    );
  }
  const row = await db.slackInstallation.findFirst({
    where: { workspaceId: workspace.id, revokedAt: null },
    orderBy: { installedAt: "desc" },
  });
  if (!row)
    throw new AppError(
      "NOT_INSTALLED",
      `workspace ${teamId} has no live installation`,
      "Pulse is not installed in this workspace.",
    );
  const metadata = row.metadata as unknown as Partial<SlackInstallationRecord>;
  const token = cipher.decrypt(row.botTokenCiphertext, botTokenAad(teamId));
  return {
    ...metadata,
    team: { id: teamId, name: workspace.name },
    enterprise: metadata.enterprise ?? undefined,
    user: {
      id: row.installerSlackId ?? metadata.user?.id ?? "",
      token: undefined,
      scopes: metadata.user?.scopes ?? undefined,
    },
    bot: { token, scopes: row.botScopes, id: row.botId ?? "", userId: row.botUserId ?? "" },
    tokenType: "bot",
    isEnterpriseInstall: false,
  } as SlackInstallationRecord;
}

/** Marks a workspace's installations revoked (Bolt's deleteInstallation). */
export async function revokeInstallations(db: Db, teamId: string, now: Date): Promise<number> {
  const { count } = await db.slackInstallation.updateMany({
    where: { workspace: { slackTeamId: teamId }, revokedAt: null },
    data: { revokedAt: now },
  });
  return count;
}

/**
 * Re-encrypts every stored bot token with the current key, in one transaction. Rows that
 * the current key already sealed are left alone, so the command can be run again safely.
 */
export async function reencryptInstallations(
  db: Db,
  cipher: TokenCipher,
): Promise<{ reencrypted: number; alreadyCurrent: number }> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.slackInstallation.findMany({
        select: { id: true, botTokenCiphertext: true, workspace: { select: { id: true, slackTeamId: true } } },
        orderBy: { id: "asc" },
      });
      let reencrypted = 0;
      const byWorkspace = new Map<number, number>();
      for (const row of rows) {
        if (cipher.keyIdOf(row.botTokenCiphertext) === cipher.currentKeyId) continue;
        const aad = botTokenAad(row.workspace.slackTeamId);
        const token = cipher.decrypt(row.botTokenCiphertext, aad);
        await tx.slackInstallation.update({
          where: { id: row.id },
          data: { botTokenCiphertext: cipher.encrypt(token, aad) },
        });
        byWorkspace.set(row.workspace.id, (byWorkspace.get(row.workspace.id) ?? 0) + 1);
        reencrypted++;
      }
      for (const [workspaceId, count] of byWorkspace) {
        await recordAudit(tx, {
          workspaceId,
          action: "installation.rekey",
          entityType: "slack_installation",
          details: { count, keyId: cipher.currentKeyId },
        });
      }
      return { reencrypted, alreadyCurrent: rows.length - reencrypted };
    },
    { timeout: 120_000 },
  );
}
