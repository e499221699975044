// Done and Snooze buttons on playbook tasks.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { completeTask, snoozeTask } from "../../../services/task-actions.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { formatDay } from "../../views/format.js";
import { onWriteButton } from "../define.js";

export function registerTaskActionListeners(app: App, ctx: AppContext): void {
  onWriteButton(app, ACTION.taskDone, async ({ workspace, user, value }) => ({
    text: `:white_check_mark: Done: *${escapeMrkdwn(await completeTask(ctx, { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId }, buttonRowId(value)))}*`,
  }));
  onWriteButton(app, ACTION.taskSnooze, async ({ workspace, user, value }) => {
    const { title, until } = await snoozeTask(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      buttonRowId(value),
    );
    return { text: `:zzz: *${escapeMrkdwn(title)}* snoozed until ${formatDay(until)}.` };
  });
}
