// The owner's DM of new playbook tasks from the nightly run.
import type { TaskRow } from "../../services/message-views.js";
import { section, type Block } from "../block-kit.js";
import { taskRowBlocks } from "./tasks.js";

// Slack allows 50 blocks in a message; two per task plus the heading.
const MAX_SHOWN = 20;

export function playbookTasksMessage(tasks: TaskRow[]): { text: string; blocks: Block[] } {
  const text = `:clipboard: ${tasks.length} new playbook task${tasks.length === 1 ? "" : "s"} for your accounts`;
  return { text, blocks: [section(`*${text}*`), ...tasks.slice(0, MAX_SHOWN).flatMap((t) => taskRowBlocks(t))] };
}
