// The daily digest message: counts and what changed, then one row per account that needs
// attention, each with why, what to do and buttons to do it. Within 50 blocks, always.
import type { DigestContent, DigestRow } from "../../domain/digest/compose.js";
import type { HealthBand } from "../../domain/vocabulary.js";
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  fitRows,
  header,
  LIMITS,
  section,
  type Block,
} from "../block-kit.js";
import { ACTION } from "../ids.js";
import { BAND_EMOJI, formatDay, formatMoney, signed } from "./format.js";

function countsText(c: DigestContent): string {
  const delta = (band: HealthBand) =>
    c.countChanges && c.countChanges[band] !== 0 ? ` (${signed(c.countChanges[band])})` : "";
  return `${BAND_EMOJI.red} *${c.counts.red}* red${delta("red")}   ${BAND_EMOJI.yellow} *${c.counts.yellow}* yellow${delta("yellow")}   ${BAND_EMOJI.green} *${c.counts.green}* green${delta("green")}`;
}

function rowBlocks(row: DigestRow): Block[] {
  const a = row.account;
  const health = a.band
    ? `${BAND_EMOJI[a.band]} ${a.score}${row.change !== null && row.change !== 0 ? ` (${signed(row.change)})` : ""}`
    : "not scored";
  const lines = [
    `*${escapeMrkdwn(a.name)}* · ${a.ownerSlackId ? `<@${a.ownerSlackId}>` : "no owner"} · ${health} · ${formatMoney(a.arr, a.currency)}${a.renewalDate ? ` · renews ${formatDay(a.renewalDate)}` : ""}`,
  ];
  if (a.detractors.length)
    lines.push(
      `:speech_balloon: NPS ${a.detractors[0]!.score}${a.detractors[0]!.comment ? `: “${escapeMrkdwn(a.detractors[0]!.comment.slice(0, 200))}”` : ""}`,
    );
  if (a.topReason) lines.push(`_${escapeMrkdwn(a.topReason.text)}_`);
  lines.push(`:point_right: ${row.action}`);
  const id = String(a.id);
  return [
    section(lines.join("\n")),
    actions([
      button("Log touchpoint", ACTION.openLogTouchpoint, id),
      button("Snooze 7 days", ACTION.digestSnooze, id),
      button("Assign to me", ACTION.digestAssignToMe, id),
    ]),
  ];
}

export function digestBlocks(
  content: DigestContent,
  opts: { title: string; now: Date },
): { text: string; blocks: Block[] } {
  const total = content.sections.reduce((n, s) => n + s.total, 0);
  const head: Block[] = [header(opts.title), section(countsText(content))];
  if (content.quiet) {
    return {
      text: `${opts.title}: all clear`,
      blocks: [...head, section(":white_check_mark: All clear: no account needs attention today.")],
    };
  }
  // Flatten sections into rows with their section title before the first row of each.
  type Item = { kind: "title"; text: string } | { kind: "row"; row: DigestRow };
  const items: Item[] = [];
  for (const s of content.sections) {
    items.push({ kind: "title", text: `*${s.title}* (${s.total})` });
    for (const row of s.rows) items.push({ kind: "row", row });
  }
  const budget = LIMITS.messageBlocks - head.length;
  const body = fitRows(
    items,
    (item) => (item.kind === "title" ? [divider(), section(item.text)] : rowBlocks(item.row)),
    budget,
    (rest) => {
      const notListed = content.sections.reduce((n, s) => n + s.total - s.rows.length, 0);
      const rows = rest.filter((i) => i.kind === "row").length + notListed;
      return context([
        `…and ${rows} more account${rows === 1 ? "" : "s"} needing attention. See them all with \`/pulse portfolio\`.`,
      ]);
    },
  );
  return {
    text: `${opts.title}: ${total} account${total === 1 ? "" : "s"} need attention`,
    blocks: [...head, ...body],
  };
}
