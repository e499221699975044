// Events from customer channels linked to accounts (services/channel-signals.ts). Bolt has
// acknowledged each delivery, and the receipt was claimed before that (trust/dedupe-events),
// so a redelivery never counts twice. A message's text is handed over for the one thing read
// from it (does it end with "?") and is never logged or stored.
import type { App, Context } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import {
  type ChannelEnd,
  recordChannelEnded,
  recordChannelMembership,
  recordChannelMessage,
  recordChannelReaction,
  recordChannelShared,
  slackTsToDate,
} from "../../../services/channel-signals.js";
import {
  matchChannelPerson,
  onChannelDeparture,
  onChannelEnded,
  onPersonDeactivated,
} from "../../../services/channel-people.js";
import { suggestChannelLink } from "../../../services/channel-link-suggestions.js";
import { CHANNEL_WRITE_CONNECTIONS, channelWriter } from "../../../db/channel-writes.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { createWorkQueue } from "../../work-queue.js";

/** Messages people wrote; edits, deletions, joins and bot posts are not activity. */
const COUNTED_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share"]);

const messageSchema = z.object({
  channel: z.string().min(1),
  channel_type: z.enum(["channel", "group"]),
  user: z.string().min(1),
  ts: z.string().regex(/^\d+(\.\d+)?$/),
  thread_ts: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  parent_user_id: z.string().optional(),
  user_team: z.string().optional(),
  team: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
});

const reactionSchema = z.object({
  user: z.string().min(1),
  item: z.object({ type: z.literal("message"), channel: z.string().min(1) }),
  event_ts: z.string().regex(/^\d+(\.\d+)?$/),
});

const membershipSchema = z.object({
  user: z.string().min(1),
  channel: z.string().min(1),
  team: z.string().optional(),
  user_team: z.string().optional(),
  inviter: z.string().optional(),
  event_ts: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
});

/** user_change: the person's whole profile; only whether Slack deactivated them is read. */
const userChangeSchema = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().optional(), deleted: z.boolean().optional() }),
  event_ts: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
});

const channelSchema = z.object({ channel: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]) });
const sharedSchema = z.object({ channel: z.string().min(1), connected_team_id: z.string().optional() });
const unsharedSchema = z.object({ channel: z.string().min(1), is_ext_shared: z.boolean().optional() });

/** When Slack says the event happened (event_ts, else the envelope's event_time), else now. */
function eventTime(eventTs: string | undefined, body: unknown, now: Date): Date {
  if (eventTs) return slackTsToDate(eventTs);
  const t = (body as { event_time?: unknown }).event_time;
  return typeof t === "number" ? new Date(t * 1000) : now;
}

type EventArgs = { event: unknown; body: unknown; context: Context };

/**
 * Channel events are recorded a few at a time, one at a time per channel: a flood of them
 * (1,000 busy customer channels) must not take the database connections the next
 * deliveries' receipts need before they can be acknowledged, and one channel's question and
 * its answer are recorded in the order they came.
 */
const channelWork = createWorkQueue({ concurrency: CHANNEL_WRITE_CONNECTIONS, perKey: 1, name: "channel_events" });

function channelOf(event: unknown): string {
  const e = event as { channel?: unknown; item?: { channel?: unknown } };
  const channel = e.item?.channel ?? e.channel;
  if (typeof channel === "string") return channel;
  const id = (channel as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : "";
}

/**
 * The channel is the customer's: a failure is logged, never answered there (the error
 * translator would tell the person who acted, in that channel).
 */
function on(app: App, ctx: AppContext, type: string, run: (args: EventArgs) => Promise<void>): void {
  app.event(type, async (args) => {
    try {
      await channelWork(`${pulseOf(args.context).teamId}:${channelOf(args.event)}`, () => run(args as EventArgs));
    } catch (error) {
      ctx.logger.error(
        { err: error, teamId: pulseOf(args.context).teamId, type },
        "could not record a customer channel event",
      );
    }
  });
}

export function registerChannelListeners(app: App, ctx: AppContext): void {
  on(app, ctx, "message", async ({ event, context }) => {
    const parsed = messageSchema.safeParse(event);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.bot_id || !COUNTED_SUBTYPES.has(m.subtype)) return;
    const pulse = pulseOf(context);
    const outcome = await recordChannelMessage(
      ctx.db,
      pulse.teamId,
      {
        channelId: m.channel,
        userSlackId: m.user,
        userTeamId: m.user_team ?? m.team,
        ts: m.ts,
        threadTs: m.thread_ts,
        parentUserSlackId: m.parent_user_id,
        text: m.text,
      },
      channelWriter(ctx.databaseUrl),
    );
    // A customer person not matched to a contact yet (their first message, or a failed lookup).
    if (outcome.recorded && outcome.customer && outcome.contactId === null)
      await matchChannelPerson(ctx, pulse.slack, { ...outcome, channelId: m.channel, userSlackId: m.user });
  });

  on(app, ctx, "reaction_added", async ({ event, context }) => {
    const parsed = reactionSchema.safeParse(event);
    if (!parsed.success) return;
    await recordChannelReaction(
      ctx.db,
      pulseOf(context).teamId,
      {
        channelId: parsed.data.item.channel,
        userSlackId: parsed.data.user,
        eventTs: parsed.data.event_ts,
      },
      channelWriter(ctx.databaseUrl),
    );
  });

  for (const type of ["member_joined_channel", "member_left_channel"] as const) {
    on(app, ctx, type, async ({ event, body, context }) => {
      const parsed = membershipSchema.safeParse(event);
      if (!parsed.success) return;
      const pulse = pulseOf(context);
      const e = parsed.data;
      const joined = type === "member_joined_channel";
      // Pulse itself was added: not a person of the channel, but maybe a customer's channel to link.
      if (joined && context.botUserId && e.user === context.botUserId) {
        await suggestChannelLink(ctx, pulse.slack, {
          slackTeamId: pulse.teamId,
          channelId: e.channel,
          ...(e.inviter ? { inviterSlackId: e.inviter } : {}),
        });
        return;
      }
      const at = eventTime(e.event_ts, body, ctx.clock());
      const outcome = await recordChannelMembership(
        ctx.db,
        pulse.teamId,
        {
          channelId: e.channel,
          userSlackId: e.user,
          userTeamId: e.user_team ?? e.team,
          joined,
          at,
        },
        channelWriter(ctx.databaseUrl),
      );
      if (outcome.recorded && outcome.customer)
        await onChannelDeparture(ctx, pulse.slack, {
          ...outcome,
          channelId: e.channel,
          userSlackId: e.user,
          joined,
          at,
        });
    });
  }

  // A deactivated customer person has left their company: a sponsor's or champion's departure.
  on(app, ctx, "user_change", async ({ event, body, context }) => {
    const parsed = userChangeSchema.safeParse(event);
    if (!parsed.success || parsed.data.user.deleted !== true) return;
    const pulse = pulseOf(context);
    await onPersonDeactivated(ctx, pulse.slack, {
      slackTeamId: pulse.teamId,
      userSlackId: parsed.data.user.id,
      userTeamId: parsed.data.user.team_id,
      at: eventTime(parsed.data.event_ts, body, ctx.clock()),
    });
  });

  on(app, ctx, "channel_shared", async ({ event, context }) => {
    const parsed = sharedSchema.safeParse(event);
    if (!parsed.success) return;
    const pulse = pulseOf(context);
    const linked = await recordChannelShared(ctx.db, pulse.teamId, {
      channelId: parsed.data.channel,
      connectedTeamId: parsed.data.connected_team_id,
    });
    // A channel Pulse was already in became shared: maybe a customer's channel to link.
    if (!linked)
      await suggestChannelLink(ctx, pulse.slack, { slackTeamId: pulse.teamId, channelId: parsed.data.channel });
  });

  on(app, ctx, "channel_unshared", async ({ event, body, context }) => {
    const parsed = unsharedSchema.safeParse(event);
    // Still shared with another organisation: the customer's side may remain.
    if (!parsed.success || parsed.data.is_ext_shared) return;
    await channelEnded(ctx, context, body, parsed.data.channel, "unshared");
  });

  for (const type of ["channel_archive", "group_archive"] as const) {
    on(app, ctx, type, async ({ event, body, context }) => {
      const parsed = channelSchema.safeParse(event);
      if (!parsed.success) return;
      const channelId = typeof parsed.data.channel === "string" ? parsed.data.channel : parsed.data.channel.id;
      await channelEnded(ctx, context, body, channelId, "archived");
    });
  }
}

async function channelEnded(
  ctx: AppContext,
  context: Context,
  body: unknown,
  channelId: string,
  reason: ChannelEnd,
): Promise<void> {
  const pulse = pulseOf(context);
  const at = eventTime(undefined, body, ctx.clock());
  const ended = await recordChannelEnded(ctx.db, pulse.teamId, { channelId, reason, at });
  if (ended?.firstTime) await onChannelEnded(ctx, pulse.slack, { ...ended, channelId, reason, at });
}
