// Confirm or dismiss a suggested lifecycle stage change.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { answerStageSuggestion } from "../../../services/stage-suggestions.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { onWriteButton } from "../define.js";

export function registerStageActionListeners(app: App, ctx: AppContext): void {
  for (const [actionId, confirm] of [
    [ACTION.stageConfirm, true],
    [ACTION.stageDismiss, false],
  ] as const) {
    onWriteButton(app, actionId, async ({ workspace, user, value }) => ({
      text: await answerStageSuggestion(
        ctx,
        { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
        buttonRowId(value),
        confirm,
      ),
    }));
  }
}
