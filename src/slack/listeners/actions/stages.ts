// Confirm or dismiss a suggested lifecycle stage change.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { isAppError } from "../../../errors.js";
import { answerStageSuggestion } from "../../../services/stage-suggestions.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { ACTION, buttonRowId } from "../../ids.js";

export function registerStageActionListeners(app: App, ctx: AppContext): void {
  for (const [actionId, confirm] of [[ACTION.stageConfirm, true], [ACTION.stageDismiss, false]] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      try {
        const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
        const user = await resolveUser(ctx.db, workspace.id, body.user.id);
        const text = await answerStageSuggestion(ctx, { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId }, buttonRowId(action.value), confirm);
        await respond({ replace_original: false, text });
      } catch (error) {
        await respond({ replace_original: false, text: `:x: ${isAppError(error) ? error.userMessage : "Something went wrong; nothing was changed."}` });
      }
    });
  }
}
