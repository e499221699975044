// A playbook task as a row with Done and Snooze buttons, reused by the owner's DM, the
// account card, App Home and digests. Each row's blocks carry the task's id, so a click
// can replace its own row in whatever message or view it was in (issue 15, item 8).
import type { MessageView, TaskRow } from "../../services/message-views.js";
import { actions, button, escapeMrkdwn, replaceBlocksById, section, withConfirm, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";
import { formatDay } from "./format.js";

export type { TaskRow };

export const TASK_SNOOZE_DAYS = 7;

const rowBlockId = (taskId: number) => `task_${taskId}`;
const buttonsBlockId = (taskId: number) => `task_${taskId}_buttons`;

export function taskRowBlocks(task: TaskRow, now?: Date): Block[] {
  const overdue = now && task.dueOn < now && !task.snoozedUntil ? " :warning: overdue" : "";
  const snoozed = task.snoozedUntil ? ` :zzz: snoozed until ${formatDay(task.snoozedUntil)}` : "";
  return [
    {
      ...section(
        `*${escapeMrkdwn(task.title)}* — ${escapeMrkdwn(task.accountName)}, due ${formatDay(task.dueOn)}${overdue}${snoozed}${task.detail ? `\n_${escapeMrkdwn(task.detail)}_` : ""}`,
      ),
      block_id: rowBlockId(task.id),
    },
    actions(
      [
        button("Done", ACTION.taskDone, String(task.id), "primary"),
        withConfirm(button(`Snooze ${TASK_SNOOZE_DAYS} days`, ACTION.taskSnooze, String(task.id)), {
          title: "Snooze this task?",
          text: `“${task.title}” leaves your open tasks for ${TASK_SNOOZE_DAYS} days and comes back on its own.`,
          confirm: "Snooze",
        }),
      ],
      buttonsBlockId(task.id),
    ),
  ];
}

/** A row once it was acted on: what happened, without its buttons. */
export function taskOutcomeBlocks(
  taskId: number,
  title: string,
  outcome: { done: { bySlackId: string | null; at: Date | null } } | { snoozedUntil: Date } | { cancelled: true },
  /** Kept on the row: a DM lists the same task title for many accounts. */
  accountName?: string,
): Block[] {
  const what =
    "done" in outcome
      ? `:white_check_mark: done${outcome.done.bySlackId ? ` by <@${outcome.done.bySlackId}>` : ""}${outcome.done.at ? ` on ${formatDay(outcome.done.at)}` : ""}`
      : "snoozedUntil" in outcome
        ? `:zzz: snoozed until ${formatDay(outcome.snoozedUntil)}`
        : ":no_entry_sign: closed: its account churned";
  const account = accountName ? ` — ${escapeMrkdwn(accountName)}` : "";
  return [{ ...section(`~${escapeMrkdwn(title)}~${account} — ${what}`), block_id: rowBlockId(taskId) }];
}

/**
 * The blocks with a task's row replaced (its text and its buttons), or undefined when the
 * task is not among them (then the caller answers beside the message instead).
 */
export function replaceTaskRow(
  blocks: readonly Block[] | undefined,
  taskId: number,
  replacement: Block[],
): Block[] | undefined {
  return replaceBlocksById(blocks, [rowBlockId(taskId), buttonsBlockId(taskId)], replacement);
}

export function accountReassignedMessage(view: Extract<MessageView, { kind: "account-reassigned" }>): {
  text: string;
  blocks: Block[];
} {
  const tasks =
    view.tasksMoved > 0
      ? ` Your ${view.tasksMoved} open task${view.tasksMoved === 1 ? "" : "s"} for it moved to them.`
      : "";
  const text = `:raised_hand: <@${view.newOwnerSlackId}> took over *${escapeMrkdwn(view.accountName)}* from you.${tasks}`;
  return { text, blocks: [section(text)] };
}
