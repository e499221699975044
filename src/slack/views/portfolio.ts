// The portfolio reply and the App Home: a CSM's accounts, riskiest first.
import type { HomeView } from "@slack/types";
import type { HomeTask } from "../../services/home.js";
import type { Portfolio, PortfolioRow } from "../../services/portfolio.js";
import { renewingWithin } from "../../services/portfolio.js";
import { actions, button, context, divider, escapeMrkdwn, header, LIMITS, section, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";
import { BAND_EMOJI, formatDateTime, formatDay, formatMoney } from "./format.js";
import { taskRowBlocks } from "./tasks.js";

function countsLine(p: Portfolio): string {
  const c = p.counts;
  return `${BAND_EMOJI.red} ${c.red} red   ${BAND_EMOJI.yellow} ${c.yellow} yellow   ${BAND_EMOJI.green} ${c.green} green${c.unscored ? `   :grey_question: ${c.unscored} not scored` : ""}`;
}

function rowText(r: PortfolioRow): string {
  const health = r.band ? `${BAND_EMOJI[r.band]} *${r.score}*` : ":grey_question: not scored";
  return `${health}  *${escapeMrkdwn(r.name)}* · ${formatMoney(r.arr, r.currency)}${r.renewalDate ? ` · renews ${formatDay(r.renewalDate)}` : ""}${r.topReason ? `\n      :small_red_triangle_down: _${escapeMrkdwn(r.topReason)}_` : ""}`;
}

/** Rows a portfolio message shows: Slack's 50 blocks less the heading, counts and the paging line. */
export const PORTFOLIO_PAGE_SIZE = LIMITS.messageBlocks - 3;

/**
 * A portfolio, a page at a time. A list that does not fit says how much it shows of how
 * much and the command for the next page (issue 15: "who is at risk?" said 80 and showed 40).
 */
export function portfolioBlocks(
  title: string,
  p: Portfolio,
  paging: { page?: number; command?: (page: number) => string } = {},
): Block[] {
  const head: Block[] = [header(title), section(countsLine(p))];
  if (!p.rows.length) return [...head, section("No active accounts.")];
  const pages = Math.max(1, Math.ceil(p.rows.length / PORTFOLIO_PAGE_SIZE));
  const page = Math.min(Math.max(1, paging.page ?? 1), pages);
  const from = (page - 1) * PORTFOLIO_PAGE_SIZE;
  const shown = p.rows.slice(from, from + PORTFOLIO_PAGE_SIZE);
  const rows = shown.map((r) => section(rowText(r), button("Open", ACTION.pickAccount, String(r.id))));
  if (pages === 1) return [...head, ...rows];
  const command = paging.command ?? ((n: number) => `/pulse portfolio page ${n}`);
  const next = page < pages ? ` Next: \`${command(page + 1)}\`.` : "";
  const previous = page > 1 ? ` Previous: \`${command(page - 1)}\`.` : "";
  return [
    ...head,
    ...rows,
    context([
      `Showing ${from + 1}–${from + shown.length} of ${p.rows.length}, riskiest first (page ${page} of ${pages}).${next}${previous}`,
    ]),
  ];
}

export type { HomeTask };

/** App Home. Other areas of Pulse pass extra sections (retro action items, …). */
export function homeView(opts: {
  userSlackId: string;
  portfolio: Portfolio;
  tasks: HomeTask[];
  /** All open tasks, when more than `tasks` shows. */
  taskCount?: number;
  now: Date;
  /** The reader's time zone, for the "Updated" time. */
  timeZone?: string | null;
  extraSections?: Block[];
}): HomeView {
  const { portfolio: p, now } = opts;
  const riskiest = p.rows.slice(0, 10);
  const blocks: Block[] = [
    header("Your portfolio"),
    section(countsLine(p)),
    divider(),
    section(
      `*Riskiest accounts*${p.rows.length > riskiest.length ? ` (${riskiest.length} of ${p.rows.length}; \`/pulse portfolio\` lists them all)` : ""}`,
    ),
  ];
  if (riskiest.length)
    for (const r of riskiest) blocks.push(section(rowText(r), button("Open", ACTION.pickAccount, String(r.id))));
  else blocks.push(section("You own no active accounts yet."));
  const renewals = renewingWithin(p.rows, now, 90);
  blocks.push(divider(), section(`*Renewals in the next 90 days* (${renewals.length})`));
  blocks.push(
    section(
      renewals.length
        ? renewals
            .slice(0, 15)
            .map(
              (r) =>
                `• ${formatDay(r.renewalDate)} — *${escapeMrkdwn(r.name)}* ${r.band ? BAND_EMOJI[r.band] : ""} ${formatMoney(r.arr, r.currency)}`,
            )
            .join("\n") +
            (renewals.length > 15
              ? `\n…and ${renewals.length - 15} more: \`/pulse portfolio\` lists every account`
              : "")
        : "None.",
    ),
  );
  // Each task with its Done and Snooze buttons (issue 15, item 8); a cut list says where the rest are.
  const taskCount = opts.taskCount ?? opts.tasks.length;
  blocks.push(divider(), section(`*Open tasks* (${taskCount})`));
  if (opts.tasks.length) blocks.push(...opts.tasks.flatMap((t) => taskRowBlocks(t, now)));
  else blocks.push(section("Nothing open."));
  if (taskCount > opts.tasks.length)
    blocks.push(
      context([
        `Showing the ${opts.tasks.length} due soonest of ${taskCount}. Each account's card lists its own: \`/pulse account <name>\`.`,
      ]),
    );
  if (opts.extraSections?.length) blocks.push(divider(), ...opts.extraSections);
  blocks.push(
    context([`Updated ${formatDateTime(now, opts.timeZone)} · \`/pulse help\` for commands`]),
    actions([button("Log touchpoint", ACTION.openLogTouchpoint, "")]),
  );
  const max = LIMITS.homeBlocks;
  return {
    type: "home",
    blocks: blocks.length > max ? [...blocks.slice(0, max - 1), context(["Some sections were shortened."])] : blocks,
  };
}
