// The customer's people in a linked channel: matched to contacts (by email from users.info,
// else added as contacts of type unknown for the CSM to classify), and what their leaving
// means. A sponsor or likely champion leaving the channel, or being deactivated in Slack, is
// the "sponsor left" risk at once
// (the contact's leftAt, which the score and the sponsor_left playbook read, and a
// risk_signal saying who and when); the channel being unshared or archived is a risk of its
// own. Both reach the account's owner by DM, never the channel itself.
import type { AppContext } from "../app-context.js";
import { lockKey } from "../db/locks.js";
import { isoDay, startOfUtcDay } from "../domain/dates.js";
import { escapeMrkdwn } from "../domain/mrkdwn.js";
import { type ChannelEnd, channelSettingsFor } from "./channel-signals.js";
import type { SlackPort } from "./slack-port.js";

type Ctx = Pick<AppContext, "db" | "logger" | "clock">;

export const SPONSOR_LEFT = "sponsor_left";
export const CHANNEL_ENDED = "channel_ended";

export interface ChannelPersonRef {
  workspaceId: number;
  accountId: number;
  channelId: string;
  userSlackId: string;
}

/** Links a customer person to a contact of the account, creating one of type unknown if none matches. */
export async function matchChannelPerson(ctx: Ctx, slack: SlackPort, p: ChannelPersonRef): Promise<number> {
  const profile = await slack.userProfile(p.userSlackId).catch((error: unknown) => {
    ctx.logger.warn({ err: error, workspaceId: p.workspaceId }, "could not read a channel member's profile");
    return undefined;
  });
  const email = profile?.email?.trim().toLowerCase();
  // One person in two channels of the account is one contact. Channels are recorded in
  // parallel (one queue per channel), so both may look before either has created: the
  // look-then-create holds a lock per account and person until it commits.
  const contactId = await ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${contactLockKey(p)}::bigint)`;
    const existing = await tx.contact.findFirst({
      where: {
        workspaceId: p.workspaceId,
        accountId: p.accountId,
        erasedAt: null,
        OR: [
          { slackUserId: p.userSlackId },
          ...(email ? [{ email: { equals: email, mode: "insensitive" as const } }] : []),
        ],
      },
      orderBy: { id: "asc" },
      select: { id: true, slackUserId: true },
    });
    if (existing) {
      if (!existing.slackUserId)
        await tx.contact.update({ where: { id: existing.id }, data: { slackUserId: p.userSlackId } });
      return existing.id;
    }
    const created = await tx.contact.create({
      data: {
        workspaceId: p.workspaceId,
        accountId: p.accountId,
        slackUserId: p.userSlackId,
        stakeholderType: "unknown",
        name: profile?.name ?? null,
        email: email ?? null,
      },
      select: { id: true },
    });
    return created.id;
  });
  await ctx.db.channelPerson.updateMany({
    where: { workspaceId: p.workspaceId, channelId: p.channelId, slackUserId: p.userSlackId },
    data: { contactId },
  });
  return contactId;
}

/** The advisory lock of one person's contact in one account (another account's contact is another lock). */
function contactLockKey(p: ChannelPersonRef): string {
  return lockKey(`channel-contact:${p.workspaceId}:${p.accountId}:${p.userSlackId}`).toString();
}

async function ownerOf(ctx: Ctx, workspaceId: number, accountId: number) {
  return ctx.db.account.findFirstOrThrow({
    where: { workspaceId, id: accountId },
    select: { name: true, owner: { select: { slackUserId: true } } },
  });
}

async function tellOwner(ctx: Ctx, slack: SlackPort, owner: string | undefined, text: string, workspaceId: number) {
  if (!owner) return;
  await slack.dm(owner, { text }).catch((error: unknown) => {
    // The signal is recorded; the card, the digest and the playbook still show it.
    ctx.logger.warn({ err: error, workspaceId }, "could not DM the owner about a customer channel");
  });
}

/** How a contact was seen to go: they left a linked channel, or Slack deactivated their account. */
export type DepartureVia = { channelId: string } | { deactivated: true };

/**
 * A customer person joined (matched to a contact) or left. Leaving as a known sponsor or
 * likely champion raises the sponsor-left signal once: the contact's leftAt is claimed first.
 */
export async function onChannelDeparture(
  ctx: Ctx,
  slack: SlackPort,
  e: ChannelPersonRef & { contactId: number | null; joined: boolean; at: Date },
): Promise<{ signalled: boolean }> {
  if (e.joined) {
    await matchChannelPerson(ctx, slack, e);
    return { signalled: false };
  }
  return raiseDeparture(ctx, slack, {
    workspaceId: e.workspaceId,
    accountId: e.accountId,
    contact: e.contactId ? { id: e.contactId } : { slackUserId: e.userSlackId },
    userSlackId: e.userSlackId,
    at: e.at,
    via: { channelId: e.channelId },
  });
}

/**
 * A sponsor or likely champion of the account is gone (left its channel, or was deactivated):
 * the one sponsor-left signal with who and when, and the owner told, once per contact.
 */
async function raiseDeparture(
  ctx: Ctx,
  slack: SlackPort,
  e: {
    workspaceId: number;
    accountId: number;
    contact: { id: number } | { slackUserId: string };
    userSlackId: string;
    at: Date;
    via: DepartureVia;
  },
): Promise<{ signalled: boolean }> {
  const contact = await ctx.db.contact.findFirst({
    where: { workspaceId: e.workspaceId, accountId: e.accountId, erasedAt: null, ...e.contact },
    select: { id: true, name: true, stakeholderType: true, likelyChampion: true },
  });
  if (!contact || !(contact.stakeholderType === "sponsor" || contact.likelyChampion)) return { signalled: false };
  const day = startOfUtcDay(e.at);
  const role = contact.stakeholderType === "sponsor" ? "sponsor" : "likely champion";
  const raised = await ctx.db.$transaction(async (tx) => {
    const claimed = await tx.contact.updateMany({ where: { id: contact.id, leftAt: null }, data: { leftAt: day } });
    if (claimed.count !== 1) return false;
    const details = {
      source: "channelId" in e.via ? "channel" : "deactivated",
      contactId: contact.id,
      slackUserId: e.userSlackId,
      ...("channelId" in e.via ? { channelId: e.via.channelId } : {}),
      role,
      leftAt: e.at.toISOString(),
    };
    // One signal a day per account: a second departure the same day is added to it, not lost.
    await tx.$executeRaw`
      INSERT INTO "risk_signal" ("workspaceId", "accountId", "kind", "detectedOn", "details")
      VALUES (${e.workspaceId}, ${e.accountId}, ${SPONSOR_LEFT}, ${day}::date, ${JSON.stringify(details)}::jsonb)
      ON CONFLICT ("workspaceId", "accountId", "kind", "detectedOn") DO UPDATE
        SET "details" = "risk_signal"."details" || jsonb_build_object('alsoLeft',
              coalesce("risk_signal"."details" -> 'alsoLeft', '[]'::jsonb) || jsonb_build_array(EXCLUDED."details"))`;
    return true;
  });
  if (!raised) return { signalled: false };
  const account = await ownerOf(ctx, e.workspaceId, e.accountId);
  const who = contact.name ? `*${escapeMrkdwn(contact.name)}* (<@${e.userSlackId}>)` : `<@${e.userSlackId}>`;
  const what =
    "channelId" in e.via
      ? `left <#${e.via.channelId}> on ${isoDay(day)}. Find out whether they left the company and who takes over`
      : `was deactivated in Slack on ${isoDay(day)}: they have most likely left the company. Find out who takes over`;
  await tellOwner(
    ctx,
    slack,
    account.owner?.slackUserId,
    `:warning: ${who}, the ${role} at *${escapeMrkdwn(account.name)}*, ${what}; ` +
      `\`/pulse account ${escapeMrkdwn(account.name)}\` shows the whole picture.`,
    e.workspaceId,
  );
  return { signalled: true };
}

/**
 * Slack deactivated a person (user_change with deleted: true; for a customer person, the
 * event comes because they share a channel with the workspace). Each account with a linked
 * channel whose sponsor or likely champion they are gets the sponsor-left signal, as if they
 * had left its channel; a person of the workspace's own team is not a customer's departure.
 */
export async function onPersonDeactivated(
  ctx: Ctx,
  slack: SlackPort,
  e: { slackTeamId: string; userSlackId: string; userTeamId: string | undefined; at: Date },
): Promise<{ signalled: number }> {
  const settings = await channelSettingsFor(ctx.db, e.slackTeamId);
  if (!settings?.channelSignals || e.userTeamId === settings.slackTeamId) return { signalled: 0 };
  const { workspaceId } = settings;
  const contacts = await ctx.db.contact.findMany({
    where: {
      workspaceId,
      slackUserId: e.userSlackId,
      erasedAt: null,
      leftAt: null,
      OR: [{ stakeholderType: "sponsor" }, { likelyChampion: true }],
      account: { channelLinks: { some: {} } },
    },
    select: { id: true, accountId: true },
    orderBy: { id: "asc" },
  });
  let signalled = 0;
  for (const c of contacts) {
    const raised = await raiseDeparture(ctx, slack, {
      workspaceId,
      accountId: c.accountId,
      contact: { id: c.id },
      userSlackId: e.userSlackId,
      at: e.at,
      via: { deactivated: true },
    });
    if (raised.signalled) signalled++;
  }
  return { signalled };
}

/** The customer unshared the channel, or it was archived: a strong risk, told to the owner at once. */
export async function onChannelEnded(
  ctx: Ctx,
  slack: SlackPort,
  e: { workspaceId: number; accountId: number; channelId: string; reason: ChannelEnd; at: Date },
): Promise<void> {
  const day = startOfUtcDay(e.at);
  await ctx.db.riskSignal.createMany({
    data: [
      {
        workspaceId: e.workspaceId,
        accountId: e.accountId,
        kind: CHANNEL_ENDED,
        detectedOn: day,
        details: { channelId: e.channelId, reason: e.reason, at: e.at.toISOString() },
      },
    ],
    skipDuplicates: true,
  });
  const account = await ownerOf(ctx, e.workspaceId, e.accountId);
  await tellOwner(
    ctx,
    slack,
    account.owner?.slackUserId,
    `:rotating_light: <#${e.channelId}>, the shared channel with *${escapeMrkdwn(account.name)}*, was ${e.reason === "unshared" ? "unshared by the customer" : "archived"} on ${isoDay(day)}. ` +
      "Customers rarely leave a channel without a reason: reach your contacts today.",
    e.workspaceId,
  );
}

/** How many of an account's customer people can be its likely champions, and the least activity that counts. */
export const CHAMPIONS_PER_ACCOUNT = 3;
export const CHAMPION_MIN_ACTIVITY = 5;
export const CHAMPION_WINDOW_DAYS = 90;

// Activity over 90 days: a question weighs as a message and a half more, a reaction a third.
// The most active matched customer people of each account with linked channels are marked;
// everyone else of those accounts is unmarked, so the mark follows who is active now. A
// contact who left keeps the mark they had: "a champion left" stays true for the score's
// look-back, and the people still there are ranked for the places.
const CHAMPIONS_SQL = `
WITH activity AS (
  SELECT l."workspaceId", l."accountId", cp."contactId",
         sum(d."messages" + 1.5 * d."questions" + d."reactions" / 3.0) AS score
    FROM "channel_person_daily" d
    JOIN "channel_link" l ON l."workspaceId" = d."workspaceId" AND l."channelId" = d."channelId"
    JOIN "channel_person" cp ON cp."workspaceId" = d."workspaceId" AND cp."channelId" = d."channelId" AND cp."slackUserId" = d."slackUserId"
    JOIN "contact" ct ON ct."workspaceId" = cp."workspaceId" AND ct."id" = cp."contactId" AND ct."leftAt" IS NULL
   WHERE d."isCustomer" AND cp."contactId" IS NOT NULL AND d."day" > $2::date - $3::int
     AND ($1::int IS NULL OR d."workspaceId" = $1::int)
   GROUP BY 1, 2, 3
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY "workspaceId", "accountId" ORDER BY score DESC, "contactId") AS n FROM activity
), champions AS (
  SELECT "workspaceId", "contactId" FROM ranked WHERE n <= $4::int AND score >= $5::numeric
)
UPDATE "contact" c
   SET "likelyChampion" = EXISTS (SELECT 1 FROM champions ch WHERE ch."workspaceId" = c."workspaceId" AND ch."contactId" = c."id")
 WHERE ($1::int IS NULL OR c."workspaceId" = $1::int) AND c."leftAt" IS NULL
   AND EXISTS (SELECT 1 FROM "channel_link" l WHERE l."workspaceId" = c."workspaceId" AND l."accountId" = c."accountId")
   AND c."likelyChampion" IS DISTINCT FROM EXISTS (SELECT 1 FROM champions ch WHERE ch."workspaceId" = c."workspaceId" AND ch."contactId" = c."id")`;

export async function markLikelyChampions(db: Ctx["db"], now: Date, workspaceId?: number): Promise<number> {
  return db.$executeRawUnsafe(
    CHAMPIONS_SQL,
    workspaceId ?? null,
    isoDay(startOfUtcDay(now)),
    CHAMPION_WINDOW_DAYS,
    CHAMPIONS_PER_ACCOUNT,
    CHAMPION_MIN_ACTIVITY,
  );
}
