// "Log touchpoint" (global) opens the modal; "Save as touchpoint" (on a message) opens it
// prefilled with the message's text as a person reads it (names, #channels and link labels,
// not Slack's markup) and its date, then adds the permalink and the names once it has them
// (the modal opens first: the trigger_id lives three seconds).
import type { App, MessageShortcut } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { startOfUtcDay } from "../../../domain/dates.js";
import { mentionedUserIds, slackMarkupToText } from "../../../domain/mrkdwn.js";
import { namesOfSlackUsers } from "../../../services/workspace-users.js";
import { CALLBACK } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { touchpointModal } from "../../views/modals.js";

/** Slack is asked for at most this many names: a message mentioning a crowd waits for no one. */
const MAX_NAMES_ASKED = 10;

export function registerShortcutListeners(app: App, ctx: AppContext): void {
  app.shortcut(CALLBACK.globalLogTouchpoint, async ({ ack, shortcut, context }) => {
    await ack();
    await pulseOf(context).slack.openView(shortcut.trigger_id, touchpointModal({ today: ctx.clock(), metadata: {} }));
  });

  app.shortcut<MessageShortcut>(CALLBACK.messageSaveTouchpoint, async ({ ack, shortcut, context }) => {
    await ack();
    const pulse = pulseOf(context);
    const slack = pulse.slack;
    const messageTs = shortcut.message.ts;
    const text = shortcut.message.text ?? "";
    const modal = (names: Map<string, string>, permalink?: string) =>
      touchpointModal({
        today: ctx.clock(),
        occurredOn: startOfUtcDay(new Date(Number(messageTs) * 1000)),
        notes: slackMarkupToText(text, (id) => names.get(id)),
        metadata: { channelId: shortcut.channel.id, ...(permalink ? { permalink } : {}) },
        callbackId: CALLBACK.messageSaveTouchpoint,
      });
    const { viewId } = await slack.openView(shortcut.trigger_id, modal(new Map()));
    const mentioned = mentionedUserIds(text);
    // Names Pulse knows first; Slack is asked for the rest (a customer, a colleague not in
    // Pulse), so the notes say who, not "@someone".
    const namesOf = async (ids: string[]) => {
      const known = await namesOfSlackUsers(ctx.db, (await pulse.workspace()).id, ids);
      const asked = ids.filter((id) => !known.has(id)).slice(0, MAX_NAMES_ASKED);
      const answers = await Promise.all(
        asked.map((id) =>
          slack
            .userProfile(id)
            .then((p) => p?.name)
            .catch(() => undefined),
        ),
      );
      for (const [i, id] of asked.entries()) {
        const name = answers[i];
        if (name) known.set(id, name);
      }
      return known;
    };
    const [permalink, names] = await Promise.all([
      slack.permalink(shortcut.channel.id, messageTs).catch(() => undefined),
      mentioned.length ? namesOf(mentioned) : Promise.resolve(new Map<string, string>()),
    ]);
    if (permalink || names.size) await slack.updateView(viewId, modal(names, permalink));
  });
}
