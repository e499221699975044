// Done and Snooze buttons on playbook tasks. The row clicked is replaced where it is: in
// the DM or channel message (chat.update through the port), in an ephemeral card (its
// response_url), in the card's modal (views.update), or on App Home (published again). A
// second Done on a task already done writes nothing and says who did it.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { AppContext } from "../../../app-context.js";
import { completeTask, snoozeTask } from "../../../services/task-actions.js";
import type { Block } from "../../block-kit.js";
import { escapeMrkdwn } from "../../block-kit.js";
import type { Reply } from "../../commands/types.js";
import { publishHome } from "../../home.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { pulseOf, type PulseRequest } from "../../middleware/pulse-request.js";
import { formatDay } from "../../views/format.js";
import { replaceTaskRow, TASK_SNOOZE_DAYS, taskOutcomeBlocks } from "../../views/tasks.js";
import { afterAck, answerClick, queueKey, type ButtonArgs } from "../define.js";

interface Outcome {
  /** The row as it reads now. */
  row: Block[];
  /** What happened, said beside the surface when the row cannot be replaced there. */
  said: string;
  /** Said beside the surface even when the row was replaced (the row alone would not explain it). */
  notice?: string;
}

/** Replaces the clicked row where it was; false when it could not be found there. */
async function replaceRow(
  ctx: AppContext,
  args: ButtonArgs,
  pulse: PulseRequest,
  workspaceId: number,
  taskId: number,
  row: Block[],
): Promise<boolean> {
  const { body } = args;
  if (body.view?.type === "home") {
    await publishHome(ctx, pulse.slack, workspaceId, body.user.id);
    return true;
  }
  if (body.view?.type === "modal") {
    const view = body.view as unknown as ModalView & { id: string };
    const blocks = replaceTaskRow(view.blocks as Block[], taskId, row);
    if (!blocks) return false;
    await pulse.slack.updateView(view.id, {
      type: "modal",
      title: view.title,
      ...(view.close ? { close: view.close } : {}),
      ...(view.submit ? { submit: view.submit } : {}),
      ...(view.callback_id ? { callback_id: view.callback_id } : {}),
      ...(view.private_metadata ? { private_metadata: view.private_metadata } : {}),
      blocks,
    });
    return true;
  }
  const message = body.message as { ts?: string; text?: string; blocks?: Block[] } | undefined;
  const channel = body.channel?.id ?? body.container?.channel_id;
  const blocks = replaceTaskRow(message?.blocks, taskId, row);
  if (!blocks) return false;
  const text = message?.text || "Playbook tasks";
  const respond = (args as { respond?: ButtonArgs["respond"] }).respond;
  if (body.container?.is_ephemeral) {
    // An ephemeral message has no ts to update: only its response_url can replace it.
    if (!respond) return false;
    await respond({ replace_original: true, text, blocks });
    return true;
  }
  if (!message?.ts || !channel) return false;
  await pulse.slack.updateMessage({ channel, ts: message.ts, text, blocks });
  return true;
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
      const replaced = await replaceRow(ctx, args, pulse, workspace.id, taskId, outcome.row);
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
