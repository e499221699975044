// The account card: health at a glance, why, and what to do next.
import type { AccountCardData } from "../../services/account-card.js";
import {
  actions,
  button,
  context,
  divider,
  fields,
  fitBlocks,
  header,
  LIMITS,
  section,
  sections,
  sparkline,
  escapeMrkdwn,
  excerpt,
  type Block,
} from "../block-kit.js";
import { ACTION } from "../ids.js";
import type { AccountMatch } from "../../services/find-accounts.js";
import { explainDrop, splitReasons } from "../../domain/health/reason-direction.js";
import { BAND_EMOJI, formatDay, formatMoney, humanise, signed, stageName } from "./format.js";
import { taskRowBlocks } from "./tasks.js";
import { unclassifiedBlocks } from "./contact-types.js";

const reasonLine = (text: string, points: number) => `• ${escapeMrkdwn(text)} (${signed(Math.round(points))})`;

/**
 * The card's "Why": what lowered the score first, marked as such, what held it up apart,
 * and for a drop, what changed since the day it is compared with (issue 15, blocker 3).
 */
export function whyLines(l: NonNullable<AccountCardData["latest"]>): string[] {
  const { lowered, heldUp } = splitReasons(l.reasons);
  const lines: string[] = [];
  if (lowered.length)
    lines.push("*Why — what lowered it*", ...lowered.slice(0, 4).map((r) => reasonLine(r.text, r.impact)));
  if (heldUp.length) lines.push("*What held it up*", ...heldUp.slice(0, 3).map((r) => reasonLine(r.text, r.impact)));
  const c = l.comparison;
  if (c && l.score < c.score) {
    const worse = explainDrop(l.reasons, c.reasons);
    if (worse.length)
      lines.push(
        `*Since ${formatDay(c.scoredOn)} (${signed(l.score - c.score)}), what changed*`,
        ...worse.slice(0, 3).map((s) => reasonLine(s.text, s.delta)),
      );
  }
  return lines;
}

/** A touchpoint's note on the card: one line, cut with "…". */
const NOTE_CHARS = 120;

/** Task rows on the card (two blocks each, of a message's 50). */
const CARD_TASK_ROWS = 5;

/** "42 min", "3.5 h", "2 days": a response time as a CSM reads it. */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${Math.max(minutes, 1)} min`;
  const hours = seconds / 3600;
  if (hours < 48) return `${Number(hours.toFixed(hours < 10 ? 1 : 0))} h`;
  return `${Math.round(hours / 24)} days`;
}

/** "#acme-shared: 14 customer messages in 7 days · median first response 42 min · 2 unanswered > 24 h". */
export function channelLine(c: AccountCardData["channels"][number]): string {
  const parts = [
    `<#${c.channelId}>: ${c.customerMessages7d} customer message${c.customerMessages7d === 1 ? "" : "s"} in 7 days`,
    c.medianFirstResponseSeconds === null
      ? "no answered question"
      : `median first response ${formatDuration(c.medianFirstResponseSeconds)}`,
    `${c.unanswered} unanswered > ${c.responseTargetHours} h`,
  ];
  return `${parts.join(" · ")}${c.endedReason ? ` — ${c.endedReason} by the customer` : ""}`;
}

function channelLines(card: AccountCardData): string[] {
  const champions = card.champions
    .map((c) => (c.slackUserId ? `<@${c.slackUserId}>` : c.name ? escapeMrkdwn(c.name) : undefined))
    .filter((c): c is string => c !== undefined);
  return [
    "*Customer channels*",
    ...card.channels.map((c) => `• ${channelLine(c)}`),
    ...(champions.length ? [`Likely champions: ${champions.join(", ")}`] : []),
  ];
}

export function accountCardBlocks(card: AccountCardData, extra: Block[] = []): Block[] {
  const a = card.account;
  const churned = a.status === "churned";
  const blocks: Block[] = [header(`${a.name}${churned ? " (churned)" : ""}`)];
  if (card.latest) {
    const l = card.latest;
    blocks.push(
      section(
        `${BAND_EMOJI[l.band]} *Health ${l.score}/100* (${l.band}) — 7d ${signed(card.change7d)}, 30d ${signed(card.change30d)}\n` +
          // Plain text: inside inline code Slack draws it pink-red whatever the band.
          `${sparkline(card.history.map((h) => h.score))} last 90 days`,
      ),
    );
    if (l.components) {
      const c = l.components;
      const part = (name: string, comp: { score: number | null; weight: number }) =>
        `*${name}* ${comp.score === null ? "no data" : `${Math.round(comp.score)}`} _(weight ${Math.round(comp.weight * 100)}%)_`;
      blocks.push(fields([part("Usage", c.usage), part("Engagement", c.engagement), part("Perception", c.perception)]));
    }
    const why = whyLines(l);
    if (why.length) blocks.push(section(why.join("\n")));
    blocks.push(
      context([
        `${churned ? "Last scored" : "Scored"} ${formatDay(l.scoredOn)}${churned ? ", before the churn," : ""} with model ${l.modelVersion}`,
      ]),
    );
  } else {
    blocks.push(
      section(
        churned
          ? ":grey_question: *Not scored.* Pulse scores active accounts only."
          : ":grey_question: *Not scored yet.* Pulse scores every account nightly; press *Recompute score* to score it now.",
      ),
    );
  }
  if (card.override) {
    const o = card.override;
    blocks.push(
      section(
        `${BAND_EMOJI[o.band]} *CSM read: ${o.band}* — “${escapeMrkdwn(o.reason)}” (<@${o.setBySlackId}>, until ${formatDay(o.expiresAt)}). The computed score is unchanged.`,
      ),
    );
  }
  blocks.push(
    fields([
      `*Stage*\n${stageName(a.stage)}`,
      `*ARR*\n${formatMoney(a.arr, a.currency)}`,
      // A churned account renews nothing: the card says when it left, and how to reverse it.
      churned
        ? `*Churned*\n${a.churnedAt ? formatDay(a.churnedAt) : "yes"} · \`/pulse churn winback "${escapeMrkdwn(a.name).replace(/"/g, "")}"\``
        : `*Renewal*\n${formatDay(a.renewalDate)}`,
      `*Owner*\n${a.ownerSlackId ? `<@${a.ownerSlackId}>` : "unassigned"}`,
      `*Segment*\n${a.segment ? escapeMrkdwn(a.segment) : "—"}`,
      `*Latest NPS / CSAT*\n${card.latestNps ? `${card.latestNps.score} (${formatDay(card.latestNps.respondedAt)})` : "none"} / ${card.latestCsat ? `${card.latestCsat.score} (${formatDay(card.latestCsat.respondedAt)})` : "none"}`,
    ]),
  );
  if (card.channels.length) blocks.push(section(channelLines(card).join("\n")));
  // Added from a linked channel, not classified yet: one click each (issue 16).
  blocks.push(...unclassifiedBlocks(card.unclassified, card.unclassifiedCount));
  if (card.touchpoints.length) {
    blocks.push(
      section(
        `*Last touchpoints*\n${card.touchpoints
          .map(
            (t) =>
              `• ${formatDay(t.occurredAt)} — ${humanise(t.kind)}${t.sentiment ? ` (${t.sentiment})` : ""}${t.notes ? `: ${escapeMrkdwn(excerpt(t.notes, NOTE_CHARS))}` : ""}`,
          )
          .join("\n")}`,
      ),
    );
  } else {
    blocks.push(section("*Last touchpoints*\nNone logged yet."));
  }
  if (card.controlGroup)
    blocks.push(
      context([
        `:test_tube: Held back as the control group of the *${escapeMrkdwn(card.controlGroup.playbookName)}* playbook since ${formatDay(card.controlGroup.firedOn)}: it gets no tasks from it, so the playbook's effect can be measured.`,
      ]),
    );
  if (card.openTasks.length) {
    // Each task with its own Done and Snooze buttons (issue 15, item 8).
    const shown = card.openTasks.slice(0, CARD_TASK_ROWS);
    blocks.push(section(`*Open tasks* (${card.openTaskCount})`));
    for (const t of shown)
      blocks.push(
        ...taskRowBlocks(
          {
            id: t.id,
            title: t.title,
            accountName: a.name,
            dueOn: t.dueOn,
            snoozedUntil: t.status === "snoozed" ? t.snoozedUntil : null,
          },
          card.readAt,
        ),
      );
    // The rest as lines: the card still names every task, within its 50 blocks.
    const rest = card.openTasks
      .slice(CARD_TASK_ROWS)
      .map(
        (t) =>
          `• ${escapeMrkdwn(t.title)} — due ${formatDay(t.dueOn)}${t.status === "snoozed" && t.snoozedUntil ? `, snoozed until ${formatDay(t.snoozedUntil)}` : ""}`,
      );
    const unread = card.openTaskCount - card.openTasks.length;
    if (unread > 0) rest.push(`…and ${unread} more, due later.`);
    if (rest.length) blocks.push(...sections(rest));
  }
  blocks.push(...extra);
  blocks.push(divider());
  const id = String(a.id);
  blocks.push(
    actions([
      button("Log touchpoint", ACTION.openLogTouchpoint, id, "primary"),
      button("Record survey", ACTION.openRecordSurvey, id),
      // A churned account is not scored: the button would only be refused.
      ...(churned ? [] : [button("Recompute score", ACTION.recomputeScore, id)]),
      button("Success plan", ACTION.openSuccessPlan, id),
      ...(a.status === "active" ? [button("File churn", ACTION.openChurnPostMortem, id, "danger")] : []),
    ]),
  );
  return fitBlocks(blocks, LIMITS.messageBlocks, (n) => `${n} more blocks not shown.`);
}

export function accountPickListBlocks(query: string, matches: AccountMatch[]): Block[] {
  const shown = matches.slice(0, 10);
  const blocks: Block[] = [section(`Several accounts match *${escapeMrkdwn(query)}*. Which one?`)];
  for (const m of shown) {
    blocks.push(
      section(
        `*${escapeMrkdwn(m.name)}*${m.domain ? ` · ${escapeMrkdwn(m.domain)}` : ""}${m.status === "churned" ? " · churned" : ""}`,
        button("Show", ACTION.pickAccount, String(m.id)),
      ),
    );
  }
  if (matches.length > shown.length)
    blocks.push(context([`${matches.length - shown.length} more matches: type more of the name.`]));
  return blocks;
}
