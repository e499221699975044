// Global middleware: an Events API delivery whose event_id was already handled stops here.
// Bolt has acked events before middleware runs, so dropping it answers Slack 200 and
// Slack stops redelivering.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { claimEventReceipt } from "../../../services/event-receipts.js";

const eventEnvelopeSchema = z.object({
  type: z.literal("event_callback"),
  event_id: z.string().min(1),
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  authorizations: z.array(z.object({ team_id: z.string().nullish() })).optional(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export function dedupeEventsMiddleware(ctx: AppContext): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const parsed = eventEnvelopeSchema.safeParse(body);
    if (!parsed.success) {
      await next();
      return;
    }
    const envelope = parsed.data;
    const teamId = envelope.team_id ?? envelope.authorizations?.[0]?.team_id ?? envelope.enterprise_id;
    if (!teamId) {
      await next();
      return;
    }
    const first = await claimEventReceipt(ctx.db, teamId, envelope.event_id, ctx.clock());
    if (!first) {
      ctx.logger.info({ eventId: envelope.event_id, teamId }, "dropped a redelivered Slack event");
      return;
    }
    await next();
  };
}
