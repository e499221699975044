// The daily digest (issue 15, defect 6: it was 49 blocks, every owner mentioned every day).
// The message is short: a headline of what changed since yesterday, the band counts, at
// most ten accounts in priority order with one line each (owners mentioned only for what
// changed), the suggested next steps grouped, and "See all N", which opens the full list
// page by page, with each account's reason, next step and buttons: the detail lives there.
import type { ModalView } from "@slack/types";
import {
  CHANGE_KINDS,
  rowsInPriorityOrder,
  type DigestContent,
  type RankedDigestRow,
  type SectionKind,
} from "../../domain/digest/compose.js";
import type { HealthBand } from "../../domain/vocabulary.js";
import type { DigestPage } from "../../services/digests.js";
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  header,
  LIMITS,
  plainText,
  section,
  sections,
  truncate,
  type Block,
  withConfirm,
} from "../block-kit.js";
import { ACTION } from "../ids.js";
import { BAND_EMOJI, formatDay, formatMoney, signed } from "./format.js";

/** Accounts the message itself lists; the rest are one click away. */
export const DIGEST_TOP_ROWS = 10;

/** What the "See all" and page buttons carry. */
export interface DigestPageValue {
  s: number;
  p: number;
}

const pageValue = (v: DigestPageValue) => JSON.stringify(v);

function countsText(c: DigestContent): string {
  const delta = (band: HealthBand) =>
    c.countChanges && c.countChanges[band] !== 0 ? ` (${signed(c.countChanges[band])})` : "";
  return `${BAND_EMOJI.red} *${c.counts.red}* red${delta("red")}   ${BAND_EMOJI.yellow} *${c.counts.yellow}* yellow${delta("yellow")}   ${BAND_EMOJI.green} *${c.counts.green}* green${delta("green")}`;
}

const HEADLINE: Partial<Record<SectionKind, (n: number) => string>> = {
  turned_red: (n) => `*Turned red*: ${n}`,
  biggest_drops: (n) => `*Dropped 5+ points*: ${n}`,
  detractors: (n) => `*New detractor answers*: ${n}`,
  unanswered_question: (n) => `*Customers waiting for an answer*: ${n}`,
};

const KIND_LABEL: Record<SectionKind, string> = {
  turned_red: "turned red",
  biggest_drops: "dropped",
  renewing: "renewing soon",
  detractors: "detractor",
  unanswered_question: "unanswered customer question",
  went_quiet: "customer went quiet",
  no_touch: "no touchpoint lately",
};

/** What changed since yesterday, in one line. */
export function digestHeadline(content: DigestContent): string {
  const news = content.sections
    .filter((s) => HEADLINE[s.kind])
    .map((s) => HEADLINE[s.kind]!(s.total))
    .join(" · ");
  return news ? `Since yesterday — ${news}` : "Nothing turned red or dropped since yesterday.";
}

function owner(row: RankedDigestRow): string {
  const a = row.account;
  // A mention notifies: only the owners of what changed are called.
  if (CHANGE_KINDS.has(row.kind) && a.ownerSlackId) return `<@${a.ownerSlackId}>`;
  if (a.ownerName) return escapeMrkdwn(a.ownerName);
  return a.ownerSlackId ? "owner not in Pulse" : "no owner";
}

/** Why the account is here, in a few words: for a drop, what changed. */
function why(row: RankedDigestRow, max: number): string {
  const a = row.account;
  if (row.kind === "detractors" && a.detractors[0]) {
    const d = a.detractors[0];
    return `NPS ${d.score}${d.comment ? `: “${escapeMrkdwn(truncate(d.comment, max))}”` : ""}`;
  }
  const changed = CHANGE_KINDS.has(row.kind) && a.changeReason ? a.changeReason : null;
  if (changed)
    return `:small_red_triangle_down: ${escapeMrkdwn(truncate(changed.text, max))} (${signed(Math.round(changed.delta))})`;
  if (a.topReason) return `:small_red_triangle_down: ${escapeMrkdwn(truncate(a.topReason.text, max))}`;
  return KIND_LABEL[row.kind];
}

function health(row: RankedDigestRow): string {
  const a = row.account;
  if (!a.band) return "not scored";
  return `${BAND_EMOJI[a.band]} ${a.score}${row.change !== null && row.change !== 0 ? ` (${signed(row.change)})` : ""}`;
}

/** One line: the account, its health, size, renewal, owner and why. */
export function digestRowLine(row: RankedDigestRow): string {
  const a = row.account;
  return `${health(row)} *${escapeMrkdwn(a.name)}* · ${formatMoney(a.arr, a.currency)}${a.renewalDate ? ` · renews ${formatDay(a.renewalDate)}` : ""} · ${owner(row)} — ${why(row, 90)}`;
}

/** The suggested next steps of the rows shown, one line per step with its accounts. */
function groupedActions(rows: RankedDigestRow[]): string[] {
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const names = groups.get(r.action) ?? [];
    names.push(`*${escapeMrkdwn(r.account.name)}*`);
    groups.set(r.action, names);
  }
  return [...groups].map(([step, names]) => `:point_right: ${step} — ${names.join(", ")}`);
}

export function digestBlocks(
  content: DigestContent,
  opts: { title: string; now: Date; subscriptionId?: number },
): { text: string; blocks: Block[] } {
  const total = content.sections.reduce((n, s) => n + s.total, 0);
  const head: Block[] = [header(opts.title), section(countsText(content))];
  if (content.quiet) {
    return {
      text: `${opts.title}: all clear`,
      blocks: [...head, section(":white_check_mark: All clear: no account needs attention today.")],
    };
  }
  const top = rowsInPriorityOrder(content).slice(0, DIGEST_TOP_ROWS);
  const blocks: Block[] = [
    header(opts.title),
    section(digestHeadline(content)),
    context([countsText(content)]),
    divider(),
    ...top.map((row) => section(digestRowLine(row), button("Open", ACTION.pickAccount, String(row.account.id)))),
    divider(),
    ...sections(["*Next steps*", ...groupedActions(top)]),
  ];
  const shownAll = top.length >= total;
  const seeAll =
    opts.subscriptionId === undefined
      ? []
      : [
          actions([
            button(
              shownAll ? "Details and actions" : `See all ${total}`,
              ACTION.digestSeeAll,
              pageValue({ s: opts.subscriptionId, p: 0 }),
              "primary",
            ),
          ]),
        ];
  blocks.push(
    context([
      shownAll
        ? `${total} account${total === 1 ? "" : "s"} need attention, riskiest news first.`
        : `Showing ${top.length} of ${total} accounts needing attention, in priority order.${opts.subscriptionId === undefined ? "" : ` *See all ${total}* lists every one, with why, the next step and buttons.`}`,
    ]),
    ...seeAll,
  );
  return {
    text: `${opts.title}: ${total} account${total === 1 ? "" : "s"} need attention. ${digestHeadline(content).replace(/\*/g, "")}`,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

/** One account in the full list: every detail, and its buttons. */
function detailBlocks(row: RankedDigestRow): Block[] {
  const a = row.account;
  const lines = [
    `${health(row)} *${escapeMrkdwn(a.name)}* · ${KIND_LABEL[row.kind]} · ${formatMoney(a.arr, a.currency)}${a.renewalDate ? ` · renews ${formatDay(a.renewalDate)}` : ""} · ${a.ownerName ? escapeMrkdwn(a.ownerName) : a.ownerSlackId ? `<@${a.ownerSlackId}>` : "no owner"}`,
    why(row, 300),
  ];
  // Only beside a change (why() then shows what changed): otherwise why() already is the top reason.
  if (
    row.kind !== "detractors" &&
    CHANGE_KINDS.has(row.kind) &&
    a.changeReason &&
    a.topReason &&
    a.changeReason.text !== a.topReason.text
  )
    lines.push(`Lowers it most: ${escapeMrkdwn(a.topReason.text)}`);
  lines.push(`:point_right: ${row.action}`);
  const id = String(a.id);
  return [
    section(lines.join("\n"), button("Open", ACTION.pickAccount, id)),
    actions([
      button("Log touchpoint", ACTION.openLogTouchpoint, id),
      withConfirm(button("Snooze 7 days", ACTION.digestSnooze, id), {
        title: "Snooze this account?",
        text: `${a.name} is hidden from digests for 7 days, unless its score drops further.`,
        confirm: "Snooze",
      }),
      withConfirm(button("Assign to me", ACTION.digestAssignToMe, id), {
        title: "Take over this account?",
        text: `You become the owner of ${a.name}.${a.ownerSlackId || a.ownerName ? " Its current owner is told by DM, and their open tasks for it move to you." : ""}`,
        confirm: "Assign to me",
      }),
    ]),
  ];
}

/** The full list behind a digest, a page at a time (Previous / Next update it in place). */
export function digestListModal(page: DigestPage): ModalView {
  const blocks: Block[] = [
    context([
      `${page.total} account${page.total === 1 ? "" : "s"} need attention in <#${page.channelId}>'s digest, in priority order · page ${page.page + 1} of ${page.pages}`,
    ]),
  ];
  if (!page.rows.length) blocks.push(section(":white_check_mark: Nothing needs attention now."));
  for (const row of page.rows) blocks.push(...detailBlocks(row), divider());
  const nav = [
    ...(page.page > 0
      ? [button("Previous", ACTION.digestPagePrevious, pageValue({ s: page.subscriptionId, p: page.page - 1 }))]
      : []),
    ...(page.page < page.pages - 1
      ? [button("Next", ACTION.digestPageNext, pageValue({ s: page.subscriptionId, p: page.page + 1 }))]
      : []),
  ];
  if (nav.length) blocks.push(actions(nav));
  return {
    type: "modal",
    title: plainText("Needing attention", LIMITS.modalTitle),
    close: plainText("Close"),
    blocks: blocks.slice(0, LIMITS.modalBlocks),
  };
}
