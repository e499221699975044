// Link it / Not now on the DM'd suggestion to link a shared channel to an account.
import type { App } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { AppError } from "../../../errors.js";
import { answerChannelLinkSuggestion } from "../../../services/channel-link-suggestions.js";
import { ACTION } from "../../ids.js";
import { onWriteButton } from "../define.js";

const channelIdSchema = z.string().regex(/^[CG][A-Z0-9]{2,}$/);

export function registerChannelLinkActionListeners(app: App, ctx: AppContext): void {
  for (const [actionId, link] of [
    [ACTION.channelLinkAccept, true],
    [ACTION.channelLinkDismiss, false],
  ] as const) {
    onWriteButton(app, actionId, async ({ workspace, user, value, pulse }) => {
      const channelId = channelIdSchema.safeParse(value);
      if (!channelId.success)
        throw new AppError(
          "INVALID_INPUT",
          "channel link suggestion value refused",
          "That suggestion is no longer valid; nothing was linked. Use `/pulse channel link #channel <account>`.",
        );
      const r = await answerChannelLinkSuggestion(ctx, {
        workspaceId: workspace.id,
        actor: user,
        channelId: channelId.data,
        link,
        requestId: pulse.requestId,
      });
      return { replace_original: true, text: r.text };
    });
  }
}
