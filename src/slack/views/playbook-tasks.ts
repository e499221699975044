// The owner's DM of new playbook tasks from the nightly run.
import type { TaskRow } from "../../services/message-views.js";
import { escapeMrkdwn, section, sections, type Block } from "../block-kit.js";
import { taskRowBlocks } from "./tasks.js";

// Slack allows 50 blocks in a message; two per task, the heading and the line about the rest.
const MAX_SHOWN = 20;

export function playbookTasksMessage(tasks: TaskRow[]): { text: string; blocks: Block[] } {
  const text = `:clipboard: ${tasks.length} new playbook task${tasks.length === 1 ? "" : "s"} for your accounts`;
  const shown = tasks.slice(0, MAX_SHOWN);
  // A playbook raises two or three tasks for one account with one reason: it is said once,
  // under the first of them, not on every row.
  const rows = shown.map((t, i) => {
    const before = shown[i - 1];
    return before && before.accountName === t.accountName && before.detail === t.detail
      ? { ...t, detail: undefined }
      : t;
  });
  const blocks: Block[] = [section(`*${text}*`), ...rows.flatMap((t) => taskRowBlocks(t))];
  const rest = tasks.slice(MAX_SHOWN);
  if (rest.length) {
    // The message cannot hold them all: say so, and where each of the others is.
    const byAccount = new Map<string, number>();
    for (const t of rest) byAccount.set(t.accountName, (byAccount.get(t.accountName) ?? 0) + 1);
    const where = [...byAccount].map(([name, n]) => `*${escapeMrkdwn(name)}*${n > 1 ? ` (${n})` : ""}`).join(", ");
    blocks.push(
      ...sections([
        `Showing ${shown.length} of ${tasks.length}. The other ${rest.length} are on App Home and on their accounts' cards (\`/pulse account <name>\`): ${where}.`,
      ]),
    );
  }
  return { text, blocks };
}
