// The retrospective thread: the post-mortem as the parent message, then the evidence a
// manager needs to run the retro without opening another tool. Pure builders.
import { CHURN_REASON_LABELS, type ChurnReasonKey } from "../../domain/churn-post-mortem.js";
import { formatMoney } from "../../domain/churn-post-mortem.js";
import { countOf, formatDate, formatDay, humanise } from "./format.js";
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  fields,
  fitRows,
  header,
  LIMITS,
  section,
  sparkline,
  truncate,
  type Block,
  withConfirm,
} from "../block-kit.js";
import { ACTION } from "../ids.js";
import type {
  ChartOutcome,
  RetroActionItemView,
  RetroEventView,
  RetroEvidence,
  RetroSummaryInput,
} from "../../services/message-views.js";

export type { RetroEventView, RetroEvidence, RetroSummaryInput } from "../../services/message-views.js";

export interface RetroMessage {
  text: string;
  blocks: Block[];
}

export function reasonLabel(reason: ChurnReasonKey, other?: string | null): string {
  return reason === "other" && other ? `Other: ${escapeMrkdwn(other)}` : CHURN_REASON_LABELS[reason];
}

function warningLine(e: Pick<RetroEventView, "firstRedOn" | "daysOfWarning">): string {
  if (!e.firstRedOn || e.daysOfWarning === null)
    // Warning is counted from the last green day (computeWarning): an account red months ago
    // and green since gave none, and the band changes below may well show that red.
    return "Pulse's score did not turn red after it was last green: *no warning* from the health score.";
  return `First turned red on *${formatDay(e.firstRedOn)}*: *${e.daysOfWarning} days of warning* before the churn.`;
}

/** A win-back said once: "<@U> won *Acme* back: active again at $5,700 ARR." (not "won this account back. Acme is won back"). */
export function winBackText(accountName: string, outcome: string, bySlackId?: string): string {
  const name = `*${escapeMrkdwn(accountName)}*`;
  return bySlackId
    ? `:tada: <@${bySlackId}> won ${name} back: ${escapeMrkdwn(outcome)}.`
    : `:tada: ${name} is won back: ${escapeMrkdwn(outcome)}.`;
}

export function retroParentMessage(e: RetroEventView): RetroMessage {
  const what = e.kind === "full" ? "Churn" : "Downgrade";
  const lost = formatMoney(e.arrLost, e.currency);
  const text = `${what} post-mortem: ${escapeMrkdwn(e.accountName)} (${lost} ARR lost, ${reasonLabel(e.primaryReason, e.reasonOther)})`;
  const factors = e.contributingFactors.length
    ? e.contributingFactors.map((f) => CHURN_REASON_LABELS[f]).join(", ")
    : "none given";
  const blocks: Block[] = [
    header(`${what} post-mortem: ${e.accountName}`),
    fields([
      `*Churn date*\n${formatDay(e.churnedOn)}`,
      `*Kind*\n${e.kind === "full" ? "Full churn" : "Downgrade"}`,
      `*ARR lost*\n${lost} of ${formatMoney(e.arrBefore, e.currency)}`,
      `*Primary reason*\n${escapeMrkdwn(reasonLabel(e.primaryReason, e.reasonOther))}`,
      `*Contributing factors*\n${factors}`,
      `*Preventable?*\n${e.preventable === null ? "not judged" : e.preventable ? "Yes" : "No"}`,
    ]),
    section(
      `*Warning signs seen*${e.warningSeenOn ? ` (from ${formatDay(e.warningSeenOn)})` : ""}\n${escapeMrkdwn(e.warningSigns ?? "_none recorded_")}`,
    ),
    section(`*What we could have done differently*\n${escapeMrkdwn(e.couldHaveDone ?? "_none recorded_")}`),
    section(`*Lessons*\n${escapeMrkdwn(e.lessons ?? "_none recorded_")}`),
    context([
      warningLine(e),
      `Filed by ${e.filedBySlackId ? `<@${e.filedBySlackId}>` : "Pulse"} · reply in this thread: replies are kept as retro notes.`,
    ]),
    actions(
      [
        button("Add action item", ACTION.retroAddActionItem, String(e.id), "primary"),
        withConfirm(button("Close retro", ACTION.retroClose, String(e.id)), {
          title: "Close this retro?",
          text: `The thread is summed up with its notes and action items, and ${e.accountName}'s retro is marked closed.`,
          confirm: "Close retro",
        }),
        withConfirm(button("Win back", ACTION.churnWinBack, String(e.id)), {
          title: "Mark as won back?",
          text: `This reverses ${e.accountName}'s churn: its lost ARR is restored and the account counts as active.`,
          confirm: "Win back",
        }),
      ],
      `retro_actions_${e.id}`,
    ),
  ];
  return { text, blocks };
}

/**
 * The health evidence. With the chart uploaded it describes it; without (uploads refused
 * for the token) a text sparkline stands in.
 */
export function retroHealthMessage(ev: RetroEvidence, chart: ChartOutcome): RetroMessage {
  const lines: string[] = [];
  const window = `${formatDay(ev.windowStart)} to ${formatDay(ev.windowEnd)}`;
  if (!ev.history.length) {
    lines.push(`*Health history* (${window}): no health scores were recorded for this account.`);
  } else {
    const scores = ev.history.map((p) => p.score);
    const first = ev.history[0]!;
    const last = ev.history[ev.history.length - 1]!;
    lines.push(
      `*Health history* (${window}, ${ev.history.length} scores): ${first.score} (${first.band}) → ${last.score} (${last.band}); low ${Math.min(...scores)}, high ${Math.max(...scores)}.`,
    );
    // Plain text, as on the card: inline code draws every band in one pink-red.
    if (!chart.uploaded) lines.push(`${sparkline(scores, 45)}  _(chart not uploaded: ${chart.reason})_`);
  }
  lines.push(warningLine(ev.event));
  const changes = ev.bandChanges.length
    ? ev.bandChanges
        .slice(-12)
        .map((c) => `• ${formatDay(c.on)}: ${c.from} → *${c.to}* (score ${c.score})`)
        .join("\n")
    : "• no band changes in the window";
  const omitted = ev.bandChanges.length > 12 ? `\n_…and ${countOf(ev.bandChanges.length - 12, "earlier change")}_` : "";
  return {
    text: `Health evidence for ${escapeMrkdwn(ev.event.accountName)}: ${warningLine(ev.event).replace(/\*/g, "")}`,
    blocks: [section(lines.join("\n")), section(`*Band changes*\n${changes}${omitted}`)],
  };
}

/** A person by name where Pulse knows it, else a mention: the thread's rows ping nobody one by one. */
function person(name: string | null | undefined, slackId: string | null, before: string): string {
  if (name) return `${before}${escapeMrkdwn(name)}`;
  return slackId ? `${before}<@${slackId}>` : "";
}

function clip(text: string | null, max = 200): string {
  return text ? escapeMrkdwn(truncate(text.replace(/\s+/g, " "), max)) : "";
}

export function retroTouchpointsMessage(ev: RetroEvidence): RetroMessage {
  const rows = ev.touchpoints.map(
    (t) =>
      `• ${formatDate(t.occurredAt, ev.timeZone)} · ${humanise(t.kind)}${t.sentiment ? ` · ${t.sentiment}` : ""}${person(t.loggedByName, t.loggedBySlackId, " · ")}${t.notes ? `\n   ${clip(t.notes)}` : ""}`,
  );
  const body = rows.length ? rows.join("\n") : "No touchpoints were logged before the churn.";
  return {
    text: `Last touchpoints with ${escapeMrkdwn(ev.event.accountName)}`,
    blocks: [section(`*Last touchpoints*\n${body}`)],
  };
}

export function retroSurveysMessage(ev: RetroEvidence): RetroMessage {
  const rows = ev.surveys.map(
    (s) =>
      `• ${formatDate(s.respondedAt, ev.timeZone)} · ${s.kind.toUpperCase()} ${s.score}${s.comment ? ` · “${clip(s.comment, 150)}”` : ""}`,
  );
  const body = rows.length ? rows.join("\n") : "No survey answers in the year before the churn.";
  return {
    text: `Survey history of ${escapeMrkdwn(ev.event.accountName)}`,
    blocks: [section(`*Survey history*\n${body}`)],
  };
}

export function retroTasksMessage(ev: RetroEvidence): RetroMessage {
  const done = ev.tasks.filter((t) => t.status === "done").length;
  const rows = ev.tasks.map((t) => {
    const state =
      t.status === "done"
        ? `:white_check_mark: done${t.completedAt ? ` ${formatDate(t.completedAt, ev.timeZone)}` : ""}`
        : `:x: ${t.status}`;
    return `• ${clip(t.title, 120)} (raised ${formatDate(t.createdAt, ev.timeZone)}, due ${formatDay(t.dueOn)}${person(t.ownerName, t.ownerSlackId, ", ")}) — ${state}`;
  });
  const body = rows.length
    ? `${done} of ${rows.length} done\n${rows.join("\n")}`
    : "No playbook tasks were raised for this account.";
  return {
    text: `Playbook tasks raised for ${escapeMrkdwn(ev.event.accountName)}`,
    blocks: [section(truncate(`*Playbook tasks raised*\n${body}`, LIMITS.sectionText))],
  };
}

export function retroSummaryMessage(s: RetroSummaryInput): RetroMessage {
  const e = s.event;
  const reasons = [
    reasonLabel(e.primaryReason, e.reasonOther),
    ...e.contributingFactors.map((f) => CHURN_REASON_LABELS[f]),
  ];
  const blocks: Block[] = [
    header(`Retro closed: ${e.accountName}`),
    section(
      `*Reasons*: ${escapeMrkdwn(reasons[0]!)} (primary)${reasons.length > 1 ? `; ${reasons.slice(1).join(", ")}` : ""}\n` +
        `*Preventable*: ${e.preventable === null ? "not judged" : e.preventable ? "yes" : "no"} · ${warningLine(e)}`,
    ),
    divider(),
    ...fitRows(
      s.notes.length ? s.notes : [],
      (n) => [section(`<@${n.authorSlackId}>: ${clip(n.text, 600)}`)],
      20,
      (omitted) => context([`…and ${countOf(omitted.length, "more note")}, kept on the churn event.`]),
    ),
    ...(s.notes.length ? [] : [context(["No retro notes were posted in the thread."])]),
    divider(),
    section(
      `*Action items*\n${
        s.actionItems.length
          ? s.actionItems
              .map(
                (a) =>
                  `• ${clip(a.title, 150)} — <@${a.ownerSlackId}>, due ${formatDay(a.dueOn)}${a.status !== "open" ? ` (${a.status})` : ""}`,
              )
              .join("\n")
          : "none"
      }`,
    ),
    context([
      `Closed by <@${s.closedBySlackId}>. ${countOf(s.notes.length, "note")}, ${countOf(s.actionItems.length, "action item")}.`,
    ]),
  ];
  return {
    text: `Retro closed for ${escapeMrkdwn(e.accountName)}: ${countOf(s.notes.length, "note")}, ${countOf(s.actionItems.length, "action item")}.`,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

export function retroActionItemPostedMessage(item: RetroActionItemView): RetroMessage {
  const text = `Action item: ${clip(item.title, 300)} — <@${item.ownerSlackId}>, due ${formatDay(item.dueOn)} (added by <@${item.createdBySlackId}>)`;
  return {
    text,
    blocks: [
      section(
        `:pushpin: *Action item*: ${clip(item.title, 300)}\nOwner <@${item.ownerSlackId}> · due ${formatDay(item.dueOn)} · added by <@${item.createdBySlackId}>`,
      ),
    ],
  };
}

export function retroActionItemDm(
  item: Omit<RetroActionItemView, "ownerSlackId"> & { accountName: string; permalinkHint: string },
): RetroMessage {
  const text = `<@${item.createdBySlackId}> gave you a retro action item for ${escapeMrkdwn(item.accountName)}: ${clip(item.title, 300)} (due ${formatDay(item.dueOn)}).`;
  return {
    text,
    blocks: [
      section(`:pushpin: ${text}`),
      context([item.permalinkHint, "It is listed in your Pulse App Home until done."]),
    ],
  };
}
