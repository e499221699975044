// The one place an error becomes a reply. A coded AppError shows its user-safe message:
// inline on the modal's fields when a submission is still open (response_action: errors),
// else ephemerally where the person acted. Anything else gets a generic apology with a
// reference, and one log line with the request id.
import type { AnyMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../app-context.js";
import { isAppError, slackErrorCode, ValidationError } from "../../errors.js";
import { escapeMrkdwn } from "../block-kit.js";
import type { PulseRequest } from "./pulse-request.js";

export function apologyText(requestId: string): string {
  return `:x: Sorry, something went wrong and nothing was changed. Please try again. (ref ${requestId.slice(0, 8)})`;
}

/** The text a person sees for an error. */
export function errorReplyText(error: unknown, requestId: string): string {
  // User-safe messages quote what was typed ("“…” is not a channel"): escaped, so a quote can
  // never become a mention or a link.
  return isAppError(error) ? `:warning: ${escapeMrkdwn(error.userMessage)}` : apologyText(requestId);
}

/** Inline errors for a modal: field errors on their blocks, anything else on the fallback block. */
export function modalErrors(
  error: unknown,
  requestId: string,
  modal: NonNullable<PulseRequest["modal"]>,
): Record<string, string> {
  if (error instanceof ValidationError) {
    const out: Record<string, string> = {};
    for (const [field, message] of Object.entries(error.fieldErrors))
      out[modal.fieldBlocks[field] ?? modal.fallbackBlock] ??= message;
    return out;
  }
  const text = isAppError(error)
    ? `${error.userMessage} Nothing was recorded.`
    : `Nothing was recorded: something went wrong (ref ${requestId.slice(0, 8)}). Please submit again.`;
  return { [modal.fallbackBlock]: text };
}

type Body = {
  type?: string;
  user?: { id?: string };
  user_id?: string;
  channel?: { id?: string } | null;
  channel_id?: string;
  container?: { channel_id?: string };
  event?: { channel?: string; user?: string; thread_ts?: string; ts?: string };
};

export async function translateError(
  ctx: AppContext,
  args: AnyMiddlewareArgs,
  pulse: PulseRequest,
  error: unknown,
): Promise<void> {
  const body = args.body as Body;
  const log = ctx.logger.child({
    requestId: pulse.requestId,
    teamId: pulse.teamId,
    type: body.type ?? (body.event ? "event" : "command"),
  });
  if (isAppError(error)) log.info({ code: error.code, err: error }, "Slack request refused");
  else if ((error as { code?: unknown })?.code && String((error as { code?: unknown }).code).startsWith("slack_"))
    log.error({ err: error, slackCode: slackErrorCode(error) }, "Slack request failed on a Web API call");
  else log.error({ err: error }, "Slack request failed");

  const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
  if (body.type === "view_submission" && ack && pulse.modal) {
    // Still open: the errors go on the form, which keeps what was typed.
    const shown = await ack({
      response_action: "errors",
      errors: modalErrors(error, pulse.requestId, pulse.modal),
    }).then(
      () => true,
      () => false, // already acknowledged: tell the person below instead
    );
    if (shown) return;
  } else if (ack) {
    await ack().catch(() => undefined);
  }

  const text = errorReplyText(error, pulse.requestId);
  const respond = (args as { respond?: (message: Record<string, unknown>) => Promise<unknown> }).respond;
  try {
    if (respond) {
      await respond({ response_type: "ephemeral", replace_original: false, text });
      return;
    }
    const userId = pulse.userSlackId;
    if (!userId) return;
    const channel = body.channel?.id ?? body.channel_id ?? body.container?.channel_id ?? body.event?.channel;
    if (channel && !channel.startsWith("D")) {
      await pulse.slack.ephemeral({
        channel,
        userSlackId: userId,
        text,
        ...(body.event?.thread_ts ? { threadTs: body.event.thread_ts } : {}),
      });
    } else {
      await pulse.slack.dm(userId, { text });
    }
  } catch (replyError) {
    log.warn({ err: replyError }, "could not tell the user about an error");
  }
}
