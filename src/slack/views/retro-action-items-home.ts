// The App Home section listing a user's open retro action items. The App Home's owner
// includes these blocks; this builder only renders them.
import { countOf, formatDay } from "./format.js";
import { context, escapeMrkdwn, fitRows, header, section, truncate, type Block } from "../block-kit.js";

export interface RetroActionItemRow {
  id: number;
  title: string;
  dueOn: Date;
  accountName: string;
  retroChannelId: string | null;
}

/** Header plus one line per item, soonest first; at most `budget` blocks (empty list: a short line). */
export function retroActionItemsHomeSection(
  items: RetroActionItemRow[],
  options: { today?: Date; budget?: number } = {},
): Block[] {
  const budget = Math.max(3, options.budget ?? 12);
  const sorted = [...items].sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime() || a.id - b.id);
  if (!sorted.length)
    return [header("Retro action items"), context(["No open action items from churn retrospectives."])];
  const today = options.today?.getTime();
  return [
    header("Retro action items"),
    ...fitRows(
      sorted,
      (item) => {
        const overdue = today !== undefined && item.dueOn.getTime() < today ? " :warning: overdue" : "";
        const where = item.retroChannelId ? ` · retro in <#${item.retroChannelId}>` : "";
        return [
          section(
            `• *${escapeMrkdwn(truncate(item.title, 200))}* — ${escapeMrkdwn(item.accountName)} · due ${formatDay(item.dueOn)}${overdue}${where}`,
          ),
        ];
      },
      budget - 1,
      (omitted) => context([`…and ${countOf(omitted.length, "more open action item")}.`]),
    ),
  ];
}
