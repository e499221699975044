// Digest subscriptions: subscribe a channel (never one shared with another organisation),
// list them, find the one a command means, unsubscribe. Every query is scoped to the workspace.
import { AppError } from "../errors.js";
import type { Db } from "../db/client.js";
import type { DigestSubscription, User } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";
import { resolveUser } from "./workspace-users.js";

export interface SubscriptionSettings {
  ownerSlackId: string | null;
  segment: string | null;
  stage: DigestSubscription["stage"];
  minArr: number | null;
  bands: DigestSubscription["bands"];
  postAtMinutes: number;
  timezone: string;
  quietDay: "all_clear" | "nothing";
  noTouchDays: number;
}

export async function subscribeDigest(
  db: Db,
  input: {
    workspaceId: number;
    actor: User;
    channelId: string;
    settings: SubscriptionSettings;
    assertInternal: (channelId: string) => Promise<void>;
  },
): Promise<{ subscription: DigestSubscription; owner: User | null }> {
  // Digests carry health scores, reasons and ARR: never into a Slack Connect channel.
  await input.assertInternal(input.channelId);
  const o = input.settings;
  const owner = o.ownerSlackId ? await resolveUser(db, input.workspaceId, o.ownerSlackId) : null;
  const subscription = await db.$transaction(async (tx) => {
    const created = await tx.digestSubscription.create({
      data: {
        workspaceId: input.workspaceId,
        channelId: input.channelId,
        createdById: input.actor.id,
        ownerFilterId: owner?.id ?? null,
        segment: o.segment,
        stage: o.stage,
        minArr: o.minArr,
        bands: o.bands,
        postAtMinutes: o.postAtMinutes,
        timezone: o.timezone,
        quietDay: o.quietDay,
        noTouchDays: o.noTouchDays,
      },
    });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "digest.subscribe",
      entityType: "digest_subscription",
      entityId: created.id,
      details: { channelId: input.channelId },
    });
    return created;
  });
  return { subscription, owner };
}

export async function listDigestSubscriptions(db: Db, workspaceId: number) {
  return db.digestSubscription.findMany({
    where: { workspaceId },
    include: { ownerFilter: { select: { slackUserId: true } }, createdBy: { select: { slackUserId: true } } },
    orderBy: { id: "asc" },
  });
}

/** The subscription `#id` names, or this channel's only active one. */
export async function findDigestSubscription(
  db: Db,
  input: { workspaceId: number; channelId: string; id?: number | "invalid"; idText?: string },
): Promise<DigestSubscription> {
  if (input.id !== undefined) {
    const sub =
      input.id === "invalid"
        ? null
        : await db.digestSubscription.findFirst({ where: { id: input.id, workspaceId: input.workspaceId } });
    if (!sub)
      throw new AppError(
        "NOT_FOUND",
        `no subscription ${input.idText}`,
        `There is no digest #${(input.idText ?? "").replace(/^#/, "")} in this workspace (see \`/pulse digest list\`).`,
      );
    return sub;
  }
  const inChannel = await db.digestSubscription.findMany({
    where: { workspaceId: input.workspaceId, channelId: input.channelId, active: true },
    orderBy: { id: "asc" },
  });
  if (inChannel.length === 1) return inChannel[0]!;
  throw new AppError(
    "INVALID_INPUT",
    "ambiguous subscription",
    inChannel.length
      ? `This channel has ${inChannel.length} digests: say which, e.g. \`#${inChannel[0]!.id}\` (see \`/pulse digest list\`).`
      : "This channel has no digest. Subscribe it with `/pulse digest subscribe`.",
  );
}

export async function unsubscribeDigest(
  db: Db,
  input: { workspaceId: number; actor: User; subscription: DigestSubscription; now: Date },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.digestSubscription.update({
      where: { id: input.subscription.id },
      data: { active: false, disabledAt: input.now, disabledReason: `unsubscribed by ${input.actor.slackUserId}` },
    });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "digest.unsubscribe",
      entityType: "digest_subscription",
      entityId: input.subscription.id,
    });
  });
}

/** Remembers a person's time zone (from Slack) on their user row. */
export async function rememberTimeZone(db: Db, userId: number, timezone: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { timezone } });
}
