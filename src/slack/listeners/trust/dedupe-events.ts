// Event de-duplication, before the delivery is acknowledged. Bolt acknowledges an Events
// API delivery before any middleware runs, so a receipt written in middleware that failed
// (PostgreSQL down) still answered Slack 200, and Slack, told the event was taken, never
// delivered it again: the event was lost. The receipt is therefore claimed in front of
// Bolt's processEvent, which both receivers call with the delivery still unanswered:
// - first delivery: the receipt is written, then Bolt acks and runs the listeners;
// - a redelivery (receipt already there): acknowledged and dropped, so Slack stops;
// - the receipt cannot be written: processEvent throws before any ack, so the HTTP
//   receiver answers 500 and Socket Mode leaves the envelope unacked; Slack redelivers.
import type { App } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { claimEventReceipt } from "../../../services/event-receipts.js";
import { isSlackTeamId } from "../../../services/workspace-users.js";

const eventEnvelopeSchema = z.object({
  type: z.literal("event_callback"),
  event_id: z.string().min(1),
  team_id: z.string().nullish(),
  enterprise_id: z.string().nullish(),
  authorizations: z.array(z.object({ team_id: z.string().nullish() })).optional(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** A delivery whose receipt could not be recorded: Slack must be told to send it again. */
export class EventReceiptUnavailableError extends Error {
  constructor(eventId: string, options: { cause: unknown }) {
    super(`could not record the receipt of Slack event ${eventId}; answering so that Slack redelivers it`, options);
    this.name = "EventReceiptUnavailableError";
  }
}

type ReceiverEvent = Parameters<App["processEvent"]>[0];

export function claimEventsBeforeAck(app: App, ctx: AppContext): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent): Promise<void> => {
    const parsed = eventEnvelopeSchema.safeParse(event.body);
    const envelope = parsed.success ? parsed.data : undefined;
    const teamId = envelope && (envelope.team_id ?? envelope.authorizations?.[0]?.team_id ?? envelope.enterprise_id);
    // A team id Slack could not have sent ("T111\u0000", which PostgreSQL cannot even hold)
    // has no receipt to claim: claiming it failed, which answered 500, and Slack would
    // redeliver it for ever. It goes on like a payload without a team, which the edge
    // middleware refuses (resolveWorkspace) without writing anything.
    if (!envelope || !teamId || !isSlackTeamId(teamId)) return processEvent(event);
    let first: boolean;
    try {
      first = await claimEventReceipt(ctx.db, teamId, envelope.event_id, ctx.clock());
    } catch (error) {
      ctx.logger.warn(
        { err: error, eventId: envelope.event_id, teamId, retryNum: event.retryNum },
        "could not record a Slack event's receipt; Slack will redeliver it",
      );
      throw new EventReceiptUnavailableError(envelope.event_id, { cause: error });
    }
    if (!first) {
      ctx.logger.info(
        { eventId: envelope.event_id, teamId, retryNum: event.retryNum },
        "dropped a redelivered Slack event",
      );
      await event.ack();
      return;
    }
    return processEvent(event);
  };
}
