// "Log touchpoint" (global) opens the modal; "Save as touchpoint" (on a message) opens it
// prefilled with the message's text, date and permalink.
import type { App, MessageShortcut } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { startOfUtcDay } from "../../../domain/dates.js";
import { CALLBACK } from "../../ids.js";
import { touchpointModal } from "../../views/modals.js";

export function registerShortcutListeners(app: App, ctx: AppContext): void {
  app.shortcut(CALLBACK.globalLogTouchpoint, async ({ ack, shortcut, client }) => {
    await ack();
    await client.views.open({ trigger_id: shortcut.trigger_id, view: touchpointModal({ today: ctx.clock(), metadata: {} }) as never });
  });

  app.shortcut<MessageShortcut>(CALLBACK.messageSaveTouchpoint, async ({ ack, shortcut, client }) => {
    await ack();
    const messageTs = shortcut.message.ts;
    const permalink = await client.chat
      .getPermalink({ channel: shortcut.channel.id, message_ts: messageTs })
      .then((r) => r.permalink)
      .catch(() => undefined);
    const occurredOn = startOfUtcDay(new Date(Number(messageTs) * 1000));
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: touchpointModal({
        today: ctx.clock(),
        occurredOn,
        notes: shortcut.message.text ?? "",
        metadata: { channelId: shortcut.channel.id, ...(permalink ? { permalink } : {}) },
        callbackId: CALLBACK.messageSaveTouchpoint,
      }) as never,
    });
  });
}
