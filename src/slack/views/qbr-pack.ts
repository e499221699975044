// The QBR pack as canvas markdown (the same text is the fallback file), and the DM that
// delivers it with the approval button. Every section ends with its source and period.
import { GROUP_LABEL, STAGE_LABEL, type AdkarStage } from "../../domain/adkar.js";
import type { StakeholderType } from "../../domain/vocabulary.js";
import { formatMeasure } from "../../domain/success-plan.js";
import type { Cite, QbrPackContent, QbrSurveyFigure } from "../../domain/success-plan-qbr.js";
import { actions, button, context, escapeMrkdwn, section, sparkline, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";
import { formatMoney, humanise } from "./format.js";
import { displayDay, parseIsoDay } from "../../domain/dates.js";

/** Canvas markdown treats these as formatting (or, for < and >, as mentions); user and imported text must not. */
export function escapeCanvasMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

const e = escapeCanvasMarkdown;
const cite = (c: Cite) => `_Source: ${e(c.source)} · Period: ${e(c.period)}_`;
const n1 = (v: number | null, suffix = "") => (v === null ? "no data" : `${v}${suffix}`);
/** The pack stores days as YYYY-MM-DD; people read them as every date Pulse writes: "1 Dec 2026". */
const day = (iso: string | null | undefined): string => {
  const d = iso ? parseIsoDay(iso.slice(0, 10)) : undefined;
  return d ? displayDay(d) : (iso ?? "—");
};

function trend(f: QbrSurveyFigure, suffix = ""): string {
  if (f.value === null)
    return `no answers${f.previous !== null ? ` (previous quarter ${f.previous}${suffix}, ${f.previousResponses} answers)` : ""}`;
  const delta =
    f.previous === null
      ? "no previous quarter to compare"
      : `${f.value - f.previous >= 0 ? "+" : ""}${Math.round((f.value - f.previous) * 10) / 10} on the previous quarter (${f.previous}${suffix}, ${f.previousResponses} answers)`;
  return `${f.value}${suffix} from ${f.responses} answer${f.responses === 1 ? "" : "s"}; ${delta}`;
}

export function qbrMarkdown(pack: QbrPackContent): string {
  const out: string[] = [];
  const who =
    pack.audience === "internal" ? "Internal version — for the CSM, not for the customer" : "Customer version";
  out.push(
    `# ${e(pack.account.name)} — Business review ${e(pack.quarter)}`,
    "",
    `${who}. Figures from ${day(pack.period.start)} to ${day(pack.period.end)}, built ${day(pack.builtAt)} from the evidence Pulse holds.`,
    "",
  );

  out.push("## Objectives and progress", "");
  if (!pack.objectives.items.length) out.push("No objectives in the success plan yet.");
  for (const o of pack.objectives.items) {
    const measured =
      o.target !== null
        ? `: ${e(o.metric ?? "")} from ${e(formatMeasure(o.baseline, o.unit))} to ${e(formatMeasure(o.current, o.unit))} (target ${e(formatMeasure(o.target, o.unit))}${o.targetDate ? ` by ${day(o.targetDate)}` : ""}), ${o.progressPct === null ? "not measured" : `${o.progressPct}% of the way`}${o.measuredOn ? `, measured ${day(o.measuredOn)}` : ""}`
        : ": no measurable target yet";
    out.push(`- **${e(o.title)}** (${o.status})${measured}; milestones ${o.milestonesDone}/${o.milestonesTotal} done`);
    if (o.notes) out.push(`  - Internal note: ${e(o.notes)}`);
  }
  out.push("", cite(pack.objectives.cite), "");
  if (pack.milestones.items.length) {
    out.push("| Milestone | Owner | Due | State |", "| --- | --- | --- | --- |");
    for (const m of pack.milestones.items)
      out.push(
        `| ${e(m.title)} | ${e(m.owner ?? "—")} | ${day(m.dueOn)} | ${m.state === "done" ? `done ${day(m.completedOn)}` : m.state} |`,
      );
    out.push("", cite(pack.milestones.cite), "");
  }

  if (pack.health) {
    const h = pack.health;
    out.push(
      "## Health trend",
      "",
      // Plain text, as on the card: code formatting draws every band in one colour.
      sparkline(
        h.points.map((p) => p.score),
        45,
      ),
      "",
      `Score ${h.first} at the start, ${h.last} at the end (low ${h.min}, high ${h.max}).`,
    );
    out.push(
      h.bandChanges.length
        ? `Band changes: ${h.bandChanges.map((c) => `${day(c.day)} ${c.from} → ${c.to}`).join("; ")}.`
        : "No band change in the quarter.",
    );
    out.push("", cite(h.cite), "");
  }

  const a = pack.adoption;
  out.push(
    "## Adoption",
    "",
    `- Active share of seats: ${n1(a.activeSharePct, "%")} (previous quarter ${n1(a.previousActiveSharePct, "%")})`,
  );
  out.push(
    `- Modules in use: ${a.modules.length ? a.modules.map((m) => `${e(m.name)} (${m.uses} uses)`).join(", ") : "none recorded"}`,
    "",
    cite(a.cite),
    "",
  );
  out.push("| Stakeholder group | ADKAR stage | Since | Changes in the quarter |", "| --- | --- | --- | --- |");
  for (const g of a.groups) {
    const changes = g.changes.length
      ? g.changes
          .map(
            (c) =>
              `${day(c.day)}: ${c.from ? STAGE_LABEL[c.from as AdkarStage] : "—"} → ${STAGE_LABEL[c.to as AdkarStage]}`,
          )
          .join("; ")
      : "none";
    out.push(
      `| ${GROUP_LABEL[g.group as StakeholderType]} | ${g.stage ? STAGE_LABEL[g.stage as AdkarStage] : "not set"} | ${g.since ? day(g.since) : "—"} | ${changes} |`,
    );
  }
  out.push("", cite(a.groupsCite), "");

  const t = pack.touchpoints;
  out.push(
    "## Touchpoints",
    "",
    `${t.total} touchpoint${t.total === 1 ? "" : "s"}${
      t.total
        ? `: ${Object.entries(t.byKind)
            .map(([k, n]) => `${n} ${humanise(k)}`)
            .join(", ")}`
        : ""
    }.`,
  );
  for (const item of t.items.slice(0, 40)) {
    out.push(
      `- ${day(item.day)} ${humanise(item.kind)}${item.stakeholderTypes.length ? ` with ${item.stakeholderTypes.map((s) => GROUP_LABEL[s as StakeholderType].toLowerCase()).join(", ")}` : ""}${item.sentiment ? ` (${item.sentiment})` : ""}${item.notes ? ` — ${e(item.notes.slice(0, 200))}` : ""}`,
    );
  }
  if (t.items.length > 40) out.push(`- … and ${t.items.length - 40} more`);
  out.push("", cite(t.cite), "");

  const s = pack.surveys;
  out.push(
    "## Survey results",
    "",
    `- NPS: ${trend(s.nps)}`,
    `- CSAT: ${trend(s.csat, "%")}`,
    `- CES: ${trend(s.ces)}`,
    "",
    cite(s.cite),
    "",
  );

  out.push("## Value delivered against the plan", "");
  const measured = pack.objectives.items.filter((o) => o.target !== null && o.current !== null);
  if (!measured.length) out.push("No objective has a measured value yet.");
  for (const o of measured)
    out.push(
      `- ${e(o.title)}: ${e(formatMeasure(o.baseline, o.unit))} → ${e(formatMeasure(o.current, o.unit))} against a target of ${e(formatMeasure(o.target, o.unit))} (${o.progressPct}% of the way, measured ${day(o.measuredOn)})`,
    );
  out.push("", cite(pack.objectives.cite), "");

  if (pack.risks) {
    out.push("## Risks and open tasks", "");
    out.push(
      pack.risks.signals.length
        ? `- Open risk signals: ${pack.risks.signals.map((r) => `${humanise(r.kind)} (${day(r.detectedOn)})`).join(", ")}`
        : "- No open risk signal",
    );
    for (const task of pack.risks.openTasks) out.push(`- Task: ${e(task.title)} — due ${day(task.dueOn)}`);
    out.push("", cite(pack.risks.cite), "");
  }

  out.push(
    "## Renewal",
    "",
    `- Renewal date: ${pack.renewal.renewalDate ? day(pack.renewal.renewalDate) : "not recorded"}`,
    `- ARR: ${e(formatMoney(pack.renewal.arr, pack.renewal.currency))}`,
    "",
    cite(pack.renewal.cite),
    "",
  );

  out.push("## Proposed goals for next quarter", "");
  if (!pack.nextQuarterGoals.items.length) out.push("Nothing open in the plan: agree new objectives.");
  for (const g of pack.nextQuarterGoals.items) out.push(`- ${e(g.text)} _(from ${e(g.basis)})_`);
  out.push("", cite(pack.nextQuarterGoals.cite), "");
  return out.join("\n");
}

export function qbrFileName(pack: QbrPackContent): string {
  const slug =
    pack.account.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "account";
  return `qbr-${slug}-${pack.quarter.toLowerCase()}-${pack.audience}.md`;
}

export function qbrTitle(pack: QbrPackContent): string {
  return `QBR ${pack.quarter}: ${pack.account.name}${pack.audience === "internal" ? " (internal)" : ""}`;
}

/** The DM that carries (or points at) a pack; the internal one offers the approval button. */
export function qbrDeliveredBlocks(
  pack: QbrPackContent,
  packId: number,
  delivered: { kind: "canvas" | "markdown"; link?: string },
): { text: string; blocks: Block[] } {
  const name = escapeMrkdwn(pack.account.name);
  const where =
    delivered.kind === "canvas"
      ? delivered.link
        ? `<${delivered.link}|Open the canvas>`
        : "The canvas is in your canvases."
      : "The pack is the markdown file above (canvases were not available).";
  if (pack.audience === "customer") {
    const text = `Customer version of the ${pack.quarter} QBR of ${pack.account.name} is ready.`;
    return {
      text,
      blocks: [
        section(`:handshake: *Customer version* of the ${pack.quarter} QBR of *${name}*. ${where}`),
        context([
          "No health score, no internal notes, no other accounts. Pulse never posts it to a channel: share it yourself when you are ready.",
        ]),
      ],
    };
  }
  const text = `QBR pack ${pack.quarter} for ${pack.account.name} (internal) is ready.`;
  return {
    text,
    blocks: [
      section(`:bar_chart: *QBR pack ${pack.quarter}* for *${name}* — internal version. ${where}`),
      context([
        "Every figure cites its source and period. Review it, then approve the customer version (no score, no internal notes).",
      ]),
      actions([button("Approve customer version", ACTION.qbrApprove, String(packId), "primary")]),
    ],
  };
}
