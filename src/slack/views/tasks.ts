// A playbook task as a row with Done and Snooze buttons, reused by the owner's DM, the
// account card, App Home and digests.
import { actions, button, escapeMrkdwn, section, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";
import { formatDay } from "./format.js";
import type { TaskRow } from "../../services/message-views.js";

export type { TaskRow };

export function taskRowBlocks(task: TaskRow, now?: Date): Block[] {
  const overdue = now && task.dueOn < now ? " :warning: overdue" : "";
  return [
    section(
      `*${escapeMrkdwn(task.title)}* — ${escapeMrkdwn(task.accountName)}, due ${formatDay(task.dueOn)}${overdue}${task.detail ? `\n_${escapeMrkdwn(task.detail)}_` : ""}`,
    ),
    actions([
      button("Done", ACTION.taskDone, String(task.id), "primary"),
      button("Snooze 7 days", ACTION.taskSnooze, String(task.id)),
    ]),
  ];
}
