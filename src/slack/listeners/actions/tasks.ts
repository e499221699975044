// Done and Snooze buttons on playbook tasks. The row clicked is replaced where it is: in
// the DM or channel message (chat.update through the port), in an ephemeral card (its
// response_url), in the card's modal (views.update), or on App Home (published again). A
// second Done on a task already done writes nothing and says who did it.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { completeTask, snoozeTask } from "../../../services/task-actions.js";
import type { Block } from "../../block-kit.js";
import { escapeMrkdwn } from "../../block-kit.js";
import type { Reply } from "../../commands/types.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { formatDay } from "../../views/format.js";
import { replaceTaskRow, TASK_SNOOZE_DAYS, taskOutcomeBlocks } from "../../views/tasks.js";
import { afterAck, answerClick, queueKey } from "../define.js";
import { replaceClickedRow } from "./replace-row.js";

interface Outcome {
  /** The row as it reads now. */
  row: Block[];
  /** What happened, said beside the surface when the row cannot be replaced there. */
  said: string;
  /** Said beside the surface even when the row was replaced (the row alone would not explain it). */
  notice?: string;
}

function onTaskButton(
  app: App,
  ctx: AppContext,
  actionId: string,
  run: (actor: { workspaceId: number; userId: number; slackUserId: string }, taskId: number) => Promise<Outcome>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(queueKey(pulse), async () => {
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      if (!(await pulse.claimOnce())) return;
      const taskId = buttonRowId(args.action.value);
      const outcome = await run({ workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId }, taskId);
      const replaced = await replaceClickedRow(
        ctx,
        args,
        pulse,
        workspace.id,
        (blocks) => replaceTaskRow(blocks, taskId, outcome.row),
        { text: "Playbook tasks" },
      );
      const reply: Reply | undefined = outcome.notice
        ? { text: outcome.notice }
        : replaced
          ? undefined
          : { text: outcome.said };
      if (reply) await answerClick(args, pulse, reply, { title: "Pulse" });
    });
  });
}

export function registerTaskActionListeners(app: App, ctx: AppContext): void {
  onTaskButton(app, ctx, ACTION.taskDone, async (actor, taskId) => {
    const done = await completeTask(ctx, actor, taskId);
    if (done.outcome === "cancelled") {
      const said = `*${escapeMrkdwn(done.title)}* was closed when its account churned; nothing to do.`;
      return {
        row: taskOutcomeBlocks(taskId, done.title, { cancelled: true }, done.accountName),
        said,
        notice: said,
      };
    }
    if (done.outcome === "already-done") {
      const by = done.completedBySlackId ? ` by <@${done.completedBySlackId}>` : "";
      const on = done.completedAt ? ` on ${formatDay(done.completedAt)}` : "";
      const said = `*${escapeMrkdwn(done.title)}* was already done${by}${on}; nothing was changed.`;
      return {
        row: taskOutcomeBlocks(
          taskId,
          done.title,
          { done: { bySlackId: done.completedBySlackId, at: done.completedAt } },
          done.accountName,
        ),
        said,
        notice: said,
      };
    }
    return {
      row: taskOutcomeBlocks(
        taskId,
        done.title,
        { done: { bySlackId: actor.slackUserId, at: ctx.clock() } },
        done.accountName,
      ),
      said: `:white_check_mark: Done: *${escapeMrkdwn(done.title)}*`,
    };
  });
  onTaskButton(app, ctx, ACTION.taskSnooze, async (actor, taskId) => {
    const { title, accountName, until } = await snoozeTask(ctx, actor, taskId, TASK_SNOOZE_DAYS);
    return {
      row: taskOutcomeBlocks(taskId, title, { snoozedUntil: until }, accountName),
      said: `:zzz: *${escapeMrkdwn(title)}* snoozed until ${formatDay(until)}.`,
    };
  });
}
