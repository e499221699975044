// Replies in a retrospective thread become retro notes. Only human messages count: bot
// messages, edits, deletions and other subtypes are ignored, as are messages outside a
// retro thread (the service finds none for their channel and thread).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { recordRetroNote } from "../../../services/retro.js";

const humanReplySchema = z.object({
  type: z.literal("message"),
  subtype: z.enum(["thread_broadcast"]).optional(),
  bot_id: z.undefined().optional(),
  user: z.string().min(1),
  text: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().min(1),
  channel: z.string().min(1),
});

export function retroReplyEventCallback(ctx: AppContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs): Promise<void> => {
    const parsed = humanReplySchema.safeParse(event);
    if (!parsed.success) return;
    const reply = parsed.data;
    if (reply.thread_ts === reply.ts) return; // the parent message itself
    // Pulse never posts a retro into a channel shared with another organisation, so a
    // customer channel's thread is none: no lookup for each of their replies.
    if ((body as { is_ext_shared_channel?: unknown }).is_ext_shared_channel === true) return;
    const teamId = (body as { team_id?: string }).team_id;
    if (!teamId) return;
    try {
      await recordRetroNote(ctx.db, {
        teamId,
        channelId: reply.channel,
        threadTs: reply.thread_ts,
        messageTs: reply.ts,
        authorSlackId: reply.user,
        text: reply.text,
      });
    } catch (error) {
      ctx.logger.error({ err: error, channel: reply.channel, ts: reply.ts }, "retro note could not be saved");
    }
  };
}
