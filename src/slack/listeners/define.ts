// The shape every interactive listener shares: ack, parse, call one service, render. These
// helpers hold the parts that would otherwise be repeated: the follow-up queue (fair per
// person), the idempotency claim of a write, and the ephemeral reply. Errors are not caught
// here; the middleware's translator answers them (middleware/translate-error.ts).
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { View } from "@slack/types";
import { isAppError } from "../../errors.js";
import type { User, Workspace } from "../../generated/prisma/client.js";
import type { Reply } from "../commands/types.js";
import { pulseOf, type PulseRequest } from "../middleware/pulse-request.js";
import { errorReplyText } from "../middleware/translate-error.js";
import { loadingModal, noticeModal, replyModal } from "../views/modals.js";
import { AFTER_ACK, createWorkQueue } from "../work-queue.js";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Follow-up work of every listener: one queue per process, fair per person. */
export const afterAck = createWorkQueue(AFTER_ACK);

export function queueKey(pulse: PulseRequest): string {
  return `${pulse.teamId}:${pulse.userSlackId}`;
}

export interface ButtonInput {
  pulse: PulseRequest;
  workspace: Workspace;
  user: User;
  /** The button's value as sent (parse it with a schema). */
  value: string | undefined;
  body: BlockAction;
}

/**
 * A button that writes: claimed once (a double click or a replay writes nothing twice),
 * then the reply is shown ephemerally, beside the message, unless it says replace_original;
 * from App Home or a modal it is answered there (answerClick).
 */
export function onWriteButton(app: App, actionId: string, run: (input: ButtonInput) => Promise<Reply>): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (args: ButtonArgs) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(queueKey(pulse), async () => {
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      if (!(await pulse.claimOnce())) return;
      const reply = await run({ pulse, workspace, user, value: args.action.value, body: args.body });
      await answerClick(args, pulse, reply, { title: "Pulse" });
    });
  });
}

/** Where a reply to an interaction goes when there is no response_url: ephemeral in its channel, else a DM. */
export async function tellUser(
  pulse: PulseRequest,
  channelId: string | undefined,
  reply: string | Pick<Reply, "text" | "blocks">,
): Promise<void> {
  if (!pulse.userSlackId) return;
  const message = typeof reply === "string" ? { text: reply } : { text: reply.text, blocks: reply.blocks };
  if (channelId && !channelId.startsWith("D"))
    await pulse.slack.ephemeral({ channel: channelId, userSlackId: pulse.userSlackId, ...message });
  else await pulse.slack.dm(pulse.userSlackId, message);
}

/** The click's channel, when it was in a message (App Home and modals have none). */
export function channelOf(body: BlockAction): string | undefined {
  return body.channel?.id ?? body.container?.channel_id;
}

/** Opens a modal from a click: on top of the modal the click was in (views.push), else a new one. */
export function openModalFrom(pulse: PulseRequest, body: BlockAction, view: View): Promise<{ viewId: string }> {
  return body.view?.type === "modal"
    ? pulse.slack.pushView(body.trigger_id, view)
    : pulse.slack.openView(body.trigger_id, view);
}

type Respond = ButtonArgs["respond"] | undefined;

/**
 * Where a click is answered. A message has a response_url: the reply goes beside it, or in
 * its place. App Home and modals have none (issue 15: App Home's Open did nothing): the
 * reply fills `opened` (a modal opened inside the trigger's three seconds), or replaces the
 * modal clicked in when it says replace_original, or opens a modal now; failing those, an
 * ephemeral message in the click's channel, else a DM.
 */
export async function answerClick(
  click: { body: BlockAction; respond?: Respond },
  pulse: PulseRequest,
  reply: Reply,
  options: { title: string; opened?: { viewId: string } },
): Promise<void> {
  const { body, respond } = click;
  if (respond) {
    await respond({
      response_type: "ephemeral",
      replace_original: reply.replace_original ?? false,
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
    });
    return;
  }
  const modal = replyModal(options.title, reply);
  if (options.opened) return pulse.slack.updateView(options.opened.viewId, modal);
  if (body.view?.type === "modal" && reply.replace_original) return pulse.slack.updateView(body.view.id, modal);
  if (body.view && body.trigger_id) {
    const opened = await openModalFrom(pulse, body, modal).then(
      () => true,
      () => false, // the trigger has expired (it lives three seconds): say it in a message instead
    );
    if (opened) return;
  }
  await tellUser(pulse, channelOf(body), reply);
}

/**
 * A button that only shows something (a card). Without a response_url the answer is a
 * modal: opened with a loading line at once, while the trigger is valid, then filled.
 */
export function onShowButton(
  app: App,
  actionId: string,
  title: string,
  run: (input: ButtonInput) => Promise<Reply>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (args: ButtonArgs) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    // Bolt's types promise respond(); it is undefined when the payload has no response_url.
    const hasResponseUrl = Boolean((args as { respond?: unknown }).respond);
    const opened = hasResponseUrl ? undefined : await openModalFrom(pulse, args.body, loadingModal(title));
    await afterAck(queueKey(pulse), async () => {
      try {
        const [workspace, user] = [await pulse.workspace(), await pulse.user()];
        const reply = await run({ pulse, workspace, user, value: args.action.value, body: args.body });
        await answerClick(args, pulse, reply, { title, opened });
      } catch (error) {
        if (!opened) throw error;
        await pulse.slack
          .updateView(opened.viewId, noticeModal(title, errorReplyText(error, pulse.requestId)))
          .catch(() => undefined);
        // A refusal is said in the modal; anything else is also logged by the translator.
        if (!isAppError(error)) throw error;
      }
    });
  });
}
