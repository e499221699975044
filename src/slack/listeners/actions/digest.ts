// The digest's Snooze and Assign-to-me buttons. Their confirmations are ephemeral to the
// person who clicked; the digest message itself stays as posted.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { assignAccountToUser, snoozeAccount, SNOOZE_DAYS } from "../../../services/digest-actions.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { onWriteButton } from "../define.js";

export function registerDigestActionListeners(app: App, ctx: AppContext): void {
  onWriteButton(app, ACTION.digestSnooze, async ({ workspace, user, value }) => {
    const { name } = await snoozeAccount(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      buttonRowId(value),
    );
    return {
      text: `:zzz: *${escapeMrkdwn(name)}* is hidden from digests for ${SNOOZE_DAYS} days, unless its score drops further.`,
    };
  });
  onWriteButton(app, ACTION.digestAssignToMe, async ({ workspace, user, value }) => {
    const { name } = await assignAccountToUser(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      buttonRowId(value),
    );
    return { text: `:raised_hand: You now own *${escapeMrkdwn(name)}*.` };
  });
}
