// A row clicked (a task's Done, a person's type) is replaced where it is: in the DM or
// channel message (chat.update through the port), in an ephemeral message (its
// response_url), in the card's modal (views.update), or on App Home (published again).
import type { ModalView } from "@slack/types";
import type { AppContext } from "../../../app-context.js";
import type { Block } from "../../block-kit.js";
import { publishHome } from "../../home.js";
import type { PulseRequest } from "../../middleware/pulse-request.js";
import type { ButtonArgs } from "../define.js";

/**
 * Replaces the clicked row where it was; false when it could not be found there (the caller
 * then answers beside the surface). `replace` returns the blocks with the row replaced, or
 * undefined when the row is not among them. App Home is published again unless `home` is
 * false (a row App Home never shows); `text` is the message's fallback when it had none.
 */
export async function replaceClickedRow(
  ctx: AppContext,
  args: ButtonArgs,
  pulse: PulseRequest,
  workspaceId: number,
  replace: (blocks: Block[] | undefined) => Block[] | undefined,
  options: { home?: boolean; text: string },
): Promise<boolean> {
  const { body } = args;
  if (body.view?.type === "home") {
    if (options.home === false) return false;
    await publishHome(ctx, pulse.slack, workspaceId, body.user.id);
    return true;
  }
  if (body.view?.type === "modal") {
    const view = body.view as unknown as ModalView & { id: string };
    const blocks = replace(view.blocks as Block[]);
    if (!blocks) return false;
    await pulse.slack.updateView(view.id, {
      type: "modal",
      title: view.title,
      ...(view.close ? { close: view.close } : {}),
      ...(view.submit ? { submit: view.submit } : {}),
      ...(view.callback_id ? { callback_id: view.callback_id } : {}),
      ...(view.private_metadata ? { private_metadata: view.private_metadata } : {}),
      blocks,
    });
    return true;
  }
  const message = body.message as { ts?: string; text?: string; blocks?: Block[] } | undefined;
  const channel = body.channel?.id ?? body.container?.channel_id;
  const blocks = replace(message?.blocks);
  if (!blocks) return false;
  const text = message?.text || options.text;
  const respond = (args as { respond?: ButtonArgs["respond"] }).respond;
  if (body.container?.is_ephemeral) {
    // An ephemeral message has no ts to update: only its response_url can replace it.
    if (!respond) return false;
    await respond({ replace_original: true, text, blocks });
    return true;
  }
  if (!message?.ts || !channel) return false;
  await pulse.slack.updateMessage({ channel, ts: message.ts, text, blocks });
  return true;
}
