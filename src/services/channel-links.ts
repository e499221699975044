// Customer channels linked to accounts (`/pulse channel link|unlink|list`). A link makes a
// channel's events evidence for its account; it never makes the channel a place Pulse posts
// into: the Slack port's shared-channel guard decides that from Slack, not from this table.
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";
import { parseChannelReference } from "./retro.js";
import { forgetChannelSettings, forgetLinkedChannel } from "./channel-signals.js";
import { requireRole } from "./workspace-users.js";

export interface ChannelLinkView {
  channelId: string;
  name: string | null;
  accountId: number;
  accountName: string;
  linkedBySlackId: string;
  linkedAt: Date;
  endedReason: string | null;
}

/** "<#C123|acme-shared>" → its name, when Slack sent one. */
function channelNameOf(text: string): string | null {
  const m = /^<#[CG][A-Z0-9]+\|([^>]+)>$/.exec(text.trim());
  return m?.[1] ? m[1] : null;
}

export function channelIdOrThrow(channelText: string | undefined, usage: string): string {
  const id = channelText ? parseChannelReference(channelText) : undefined;
  if (!id)
    throw new AppError(
      "INVALID_INPUT",
      `not a channel reference: ${channelText ?? ""}`,
      channelText
        ? `“${channelText.slice(0, 80)}” is not a channel. Pick it from the autocomplete as #channel (so Slack sends its id), e.g. \`${usage}\`.`
        : `Name the channel, e.g. \`${usage}\`.`,
    );
  return id;
}

/** Admins, and the owner of the account the link is about. */
function requireLinker(actor: User, account: { ownerId: number | null; name: string }, what: string): void {
  if (actor.role === "admin" || account.ownerId === actor.id) return;
  throw new AppError(
    "FORBIDDEN",
    `user ${actor.id} (${actor.role}) may not ${what} for account owned by ${account.ownerId ?? "nobody"}`,
    `Only admins and the owner of ${account.name} can ${what}.`,
  );
}

export async function linkChannel(
  db: Db,
  input: { workspaceId: number; actor: User; channelText: string; accountId: number; requestId?: string },
): Promise<{ channelId: string; accountName: string; alreadyLinked: boolean }> {
  const channelId = channelIdOrThrow(input.channelText, "/pulse channel link #acme-shared acme");
  const account = await db.account.findFirst({
    where: { workspaceId: input.workspaceId, id: input.accountId },
    select: { id: true, name: true, ownerId: true },
  });
  if (!account) throw new AppError("NOT_FOUND", `account ${input.accountId}`, "That account no longer exists.");
  requireLinker(input.actor, account, "link a channel");
  return db.$transaction(async (tx) => {
    const existing = await tx.channelLink.findUnique({
      where: { workspaceId_channelId: { workspaceId: input.workspaceId, channelId } },
      include: { account: { select: { name: true } } },
    });
    if (existing && existing.accountId !== account.id)
      throw new AppError(
        "CONFLICT",
        `channel ${channelId} is linked to account ${existing.accountId}`,
        `That channel is already linked to ${existing.account.name}. A channel feeds one account: unlink it first with \`/pulse channel unlink #channel\`.`,
      );
    if (existing) return { channelId, accountName: account.name, alreadyLinked: true };
    await tx.channelLink.create({
      data: {
        workspaceId: input.workspaceId,
        channelId,
        accountId: account.id,
        name: channelNameOf(input.channelText),
        linkedBySlackId: input.actor.slackUserId,
      },
    });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "channel.link",
      entityType: "channel",
      entityId: channelId,
      accountId: account.id,
      requestId: input.requestId ?? null,
    });
    forgetLinkedChannel(input.workspaceId, channelId);
    return { channelId, accountName: account.name, alreadyLinked: false };
  });
}

export async function unlinkChannel(
  db: Db,
  input: { workspaceId: number; actor: User; channelText: string; requestId?: string },
): Promise<{ channelId: string; accountName: string }> {
  const channelId = channelIdOrThrow(input.channelText, "/pulse channel unlink #acme-shared");
  const link = await db.channelLink.findUnique({
    where: { workspaceId_channelId: { workspaceId: input.workspaceId, channelId } },
    include: { account: { select: { name: true, ownerId: true } } },
  });
  if (!link)
    throw new AppError(
      "NOT_FOUND",
      `channel ${channelId} is not linked`,
      `That channel is not linked to any account. \`/pulse channel list\` shows the linked channels.`,
    );
  requireLinker(input.actor, link.account, "unlink a channel");
  await db.$transaction(async (tx) => {
    await tx.channelLink.delete({ where: { workspaceId_channelId: { workspaceId: input.workspaceId, channelId } } });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "channel.unlink",
      entityType: "channel",
      entityId: channelId,
      accountId: link.accountId,
      requestId: input.requestId ?? null,
    });
  });
  forgetLinkedChannel(input.workspaceId, channelId);
  return { channelId, accountName: link.account.name };
}

export async function listChannelLinks(db: Db, workspaceId: number, accountId?: number): Promise<ChannelLinkView[]> {
  const rows = await db.channelLink.findMany({
    where: { workspaceId, ...(accountId ? { accountId } : {}) },
    include: { account: { select: { name: true } } },
    orderBy: [{ account: { name: "asc" } }, { linkedAt: "asc" }],
  });
  return rows.map((r) => ({
    channelId: r.channelId,
    name: r.name,
    accountId: r.accountId,
    accountName: r.account.name,
    linkedBySlackId: r.linkedBySlackId,
    linkedAt: r.linkedAt,
    endedReason: r.endedReason,
  }));
}

/** The admin switch: channel signals on or off for the whole workspace. */
export async function setChannelSignals(
  db: Db,
  input: { workspaceId: number; actor: User; enabled: boolean; requestId?: string },
): Promise<void> {
  requireRole(input.actor, ["admin"], "turn channel signals on or off");
  await db.$transaction(async (tx) => {
    await tx.workspace.update({ where: { id: input.workspaceId }, data: { channelSignals: input.enabled } });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "workspace.channel_signals",
      entityType: "workspace",
      entityId: input.workspaceId,
      details: { enabled: input.enabled },
      requestId: input.requestId ?? null,
    });
  });
  forgetChannelSettings();
}
