// The digest's Snooze and Assign-to-me buttons. Their confirmations are ephemeral to the
// person who clicked; the digest message itself stays as posted.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { isAppError } from "../../../errors.js";
import { assignAccountToUser, snoozeAccount, SNOOZE_DAYS } from "../../../services/digest-actions.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { ACTION, buttonRowId } from "../../ids.js";

export function registerDigestActionListeners(app: App, ctx: AppContext): void {
  const handle =
    (run: (actor: { workspaceId: number; userId: number; slackUserId: string }, accountId: number) => Promise<string>) =>
    async ({ ack, body, action, respond }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction; respond: (m: Record<string, unknown>) => Promise<unknown> }) => {
      await ack();
      try {
        const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
        const user = await resolveUser(ctx.db, workspace.id, body.user.id);
        const text = await run({ workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId }, buttonRowId(action.value));
        await respond({ response_type: "ephemeral", replace_original: false, text });
      } catch (error) {
        ctx.logger.warn({ err: error }, "digest button failed");
        await respond({ response_type: "ephemeral", replace_original: false, text: `:x: ${isAppError(error) ? error.userMessage : "Something went wrong; nothing was changed."}` });
      }
    };

  app.action<BlockAction<ButtonAction>>(
    ACTION.digestSnooze,
    handle(async (actor, accountId) => {
      const { name } = await snoozeAccount(ctx, actor, accountId);
      return `:zzz: *${escapeMrkdwn(name)}* is hidden from digests for ${SNOOZE_DAYS} days, unless its score drops further.`;
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.digestAssignToMe,
    handle(async (actor, accountId) => {
      const { name } = await assignAccountToUser(ctx, actor, accountId);
      return `:raised_hand: You now own *${escapeMrkdwn(name)}*.`;
    }),
  );
}
