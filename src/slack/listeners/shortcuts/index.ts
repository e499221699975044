// "Log touchpoint" (global) opens the modal; "Save as touchpoint" (on a message) opens it
// prefilled with the message's text and date, then adds the permalink once Slack gives it
// (the modal opens first: the trigger_id lives three seconds).
import type { App, MessageShortcut } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { startOfUtcDay } from "../../../domain/dates.js";
import { CALLBACK } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { touchpointModal } from "../../views/modals.js";

export function registerShortcutListeners(app: App, ctx: AppContext): void {
  app.shortcut(CALLBACK.globalLogTouchpoint, async ({ ack, shortcut, context }) => {
    await ack();
    await pulseOf(context).slack.openView(shortcut.trigger_id, touchpointModal({ today: ctx.clock(), metadata: {} }));
  });

  app.shortcut<MessageShortcut>(CALLBACK.messageSaveTouchpoint, async ({ ack, shortcut, client, context }) => {
    await ack();
    const slack = pulseOf(context).slack;
    const messageTs = shortcut.message.ts;
    const modal = (permalink?: string) =>
      touchpointModal({
        today: ctx.clock(),
        occurredOn: startOfUtcDay(new Date(Number(messageTs) * 1000)),
        notes: shortcut.message.text ?? "",
        metadata: { channelId: shortcut.channel.id, ...(permalink ? { permalink } : {}) },
        callbackId: CALLBACK.messageSaveTouchpoint,
      });
    const { viewId } = await slack.openView(shortcut.trigger_id, modal());
    const permalink = await client.chat
      .getPermalink({ channel: shortcut.channel.id, message_ts: messageTs })
      .then((r) => r.permalink)
      .catch(() => undefined);
    if (permalink) await slack.updateView(viewId, modal(permalink));
  });
}
