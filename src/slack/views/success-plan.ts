// The success plan in Slack: the plan modal (objectives, milestones, and where each
// stakeholder group stands, with one-click ADKAR stages), the objective and milestone
// forms, the account card's two lines and the App Home list.
import type { ModalView } from "@slack/types";
import { ADKAR_STAGES, GROUP_LABEL, STAGE_LABEL, type AdkarStage } from "../../domain/adkar.js";
import { STAKEHOLDER_TYPES } from "../../domain/vocabulary.js";
import { isoDay } from "../../domain/dates.js";
import { formatMeasure, OBJECTIVE_STATUSES, type PlanSummary } from "../../domain/success-plan.js";
import type {
  HomePlanRow,
  PlanCardSummary,
  PlanObjective,
  PlanMilestone,
  SuccessPlanView,
} from "../../services/success-plans.js";
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  fitBlocks,
  LIMITS,
  option,
  plainText,
  section,
  truncate,
  type Block,
} from "../block-kit.js";
import { ACTION, CALLBACK, INPUT_ACTION, PLAN_BLOCK } from "../ids.js";
import { formatDay } from "./format.js";

/** What the plan's buttons carry: the account, and the objective, milestone, group or stage. */
export interface PlanButtonValue {
  a: number;
  o?: number;
  m?: number;
  g?: string;
  s?: string;
}

export interface PlanFormMetadata {
  accountId: number;
  objectiveId?: number;
  milestoneId?: number;
  /** The plan modal to refresh once the form is saved. */
  parentViewId?: string;
}

const value = (v: PlanButtonValue) => JSON.stringify(v);

export function summaryLine(s: PlanSummary): string {
  const parts = [
    `${s.objectives} objective${s.objectives === 1 ? "" : "s"}${s.achieved ? ` (${s.achieved} achieved)` : ""}`,
    // "no milestones", not "milestones 0/0 done".
    s.milestones ? `milestones ${s.milestonesDone}/${s.milestones} done` : "no milestones",
    ...(s.overdue ? [`:warning: ${s.overdue} overdue`] : []),
    ...(s.nextDue ? [`next: ${escapeMrkdwn(truncate(s.nextDue.title, 60))} (due ${formatDay(s.nextDue.dueOn)})`] : []),
  ];
  return parts.join(" · ");
}

function objectiveLine(o: PlanObjective): string {
  const measured =
    o.target !== null
      ? ` — ${escapeMrkdwn(o.metric ?? "")}: ${formatMeasure(o.baseline, o.unit)} → *${formatMeasure(o.current, o.unit)}* (target ${formatMeasure(o.target, o.unit)}${o.targetDate ? ` by ${formatDay(o.targetDate)}` : ""})`
      : "";
  const status = o.status === "active" ? "" : ` · _${o.status}_`;
  return `*${escapeMrkdwn(o.title)}*${measured}${status}`;
}

const MILESTONE_EMOJI = { done: ":white_check_mark:", overdue: ":warning:", open: ":hourglass_flowing_sand:" } as const;

function milestoneLine(m: PlanMilestone): string {
  const owner = m.owner ? ` — ${escapeMrkdwn(m.owner)}` : "";
  const when =
    m.state === "done"
      ? `done ${formatDay(m.completedOn)}`
      : `due ${formatDay(m.dueOn)}${m.state === "overdue" ? " (overdue)" : ""}`;
  return `${MILESTONE_EMOJI[m.state]} ${escapeMrkdwn(m.title)}${owner} · ${when}`;
}

/** The plan modal: read-only blocks, buttons to edit, and one-click ADKAR stages. */
export function successPlanModal(plan: SuccessPlanView): ModalView {
  const a = plan.account.id;
  const blocks: Block[] = [
    section(`*${escapeMrkdwn(plan.account.name)}*\n${summaryLine(plan.summary)}`),
    divider(),
    section("*Objectives* — what success means for the customer"),
  ];
  if (!plan.objectives.length)
    blocks.push(
      context([
        "No objectives yet. Add the customer's goals, each with a measurable target and a date where possible.",
      ]),
    );
  for (const o of plan.objectives)
    blocks.push(section(objectiveLine(o), button("Edit", ACTION.planEditObjective, value({ a, o: o.id }))));
  blocks.push(actions([button("Add objective", ACTION.planAddObjective, value({ a }), "primary")]));
  blocks.push(section("*Milestones*"));
  if (!plan.milestones.length)
    blocks.push(
      context(["No milestones yet. Add the steps towards the objectives, each with an owner and a due date."]),
    );
  for (const m of plan.milestones)
    blocks.push(section(milestoneLine(m), button("Edit", ACTION.planEditMilestone, value({ a, m: m.id }))));
  blocks.push(actions([button("Add milestone", ACTION.planAddMilestone, value({ a }))]));
  blocks.push(divider(), section("*Where each group stands in the change (ADKAR)*"));
  for (const g of plan.adkar) {
    const at = g.stage
      ? `*${STAGE_LABEL[g.stage]}* since ${formatDay(g.since)} (${g.daysAtStage} day${g.daysAtStage === 1 ? "" : "s"}${g.allowedDays !== null ? `; the stage allows ${g.allowedDays}` : ""})${g.stuck ? " :warning: stuck" : ""}`
      : "_not set_";
    blocks.push(section(`*${GROUP_LABEL[g.group]}*: ${at}\nNext: ${escapeMrkdwn(g.nextAction)}`));
    blocks.push(
      context([
        truncate(
          `Suggested: *${STAGE_LABEL[g.suggestion.stage]}* — ${g.suggestion.evidence.map(escapeMrkdwn).join("; ")}`,
          LIMITS.sectionText,
        ),
      ]),
    );
    blocks.push(
      actions(
        [
          ...ADKAR_STAGES.map((s) => ({
            ...button(
              STAGE_LABEL[s],
              `${ACTION.adkarSet}_${s}`,
              value({ a, g: g.group, s }),
              s === g.stage ? "primary" : undefined,
            ),
          })),
          ...(g.suggestion.stage !== g.stage
            ? [button(`Accept: ${STAGE_LABEL[g.suggestion.stage]}`, ACTION.adkarAccept, value({ a, g: g.group }))]
            : []),
        ],
        `adkar_${g.group}`,
      ),
    );
  }
  return {
    type: "modal",
    callback_id: CALLBACK.successPlan,
    title: plainText("Success plan", LIMITS.modalTitle),
    close: plainText("Done", LIMITS.modalSubmit),
    private_metadata: JSON.stringify({ accountId: a }),
    blocks: fitBlocks(blocks, LIMITS.modalBlocks, (n) => `${n} more blocks not shown.`),
  };
}

function textInput(
  blockId: string,
  label: string,
  opts: { optional?: boolean; initial?: string | null; max?: number; multiline?: boolean; hint?: string } = {},
): Block {
  return {
    type: "input",
    block_id: blockId,
    optional: opts.optional ?? true,
    label: plainText(label),
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
    element: {
      type: "plain_text_input",
      action_id: INPUT_ACTION,
      multiline: opts.multiline ?? false,
      max_length: opts.max ?? 200,
      ...(opts.initial ? { initial_value: truncate(opts.initial, opts.max ?? 200) } : {}),
    },
  };
}

function dateInput(blockId: string, label: string, initial: Date | null, optional = true): Block {
  return {
    type: "input",
    block_id: blockId,
    optional,
    label: plainText(label),
    element: { type: "datepicker", action_id: INPUT_ACTION, ...(initial ? { initial_date: isoDay(initial) } : {}) },
  };
}

function stakeholderInput(selected: string[]): Block {
  const opts = STAKEHOLDER_TYPES.map((g) => option(GROUP_LABEL[g], g));
  const initial = opts.filter((o) => selected.includes(o.value ?? ""));
  return {
    type: "input",
    block_id: PLAN_BLOCK.stakeholderTypes,
    optional: true,
    label: plainText("Stakeholders involved"),
    element: {
      type: "checkboxes",
      action_id: INPUT_ACTION,
      options: opts,
      ...(initial.length ? { initial_options: initial } : {}),
    },
  };
}

const numberText = (n: number | null | undefined) => (n === null || n === undefined ? null : String(n));

export function objectiveModal(opts: {
  accountName: string;
  metadata: PlanFormMetadata;
  objective?: PlanObjective;
}): ModalView {
  const o = opts.objective;
  const statuses = OBJECTIVE_STATUSES.map((s) => option(s[0]!.toUpperCase() + s.slice(1), s));
  return {
    type: "modal",
    callback_id: CALLBACK.planObjective,
    title: plainText(o ? "Edit objective" : "Add objective", LIMITS.modalTitle),
    submit: plainText("Save", LIMITS.modalSubmit),
    close: plainText("Back", LIMITS.modalSubmit),
    private_metadata: JSON.stringify(opts.metadata),
    blocks: [
      context([`Success plan of *${escapeMrkdwn(opts.accountName)}*`]),
      textInput(PLAN_BLOCK.title, "Objective, in the customer's words", {
        optional: false,
        initial: o?.title,
        hint: "e.g. Cut report preparation from 3 days to 1 by Q2",
      }),
      textInput(PLAN_BLOCK.metric, "What is measured", {
        initial: o?.metric,
        max: 120,
        hint: "e.g. days to prepare the monthly report",
      }),
      textInput(PLAN_BLOCK.unit, "Unit", { initial: o?.unit, max: 30, hint: "e.g. days, %, hours a week" }),
      textInput(PLAN_BLOCK.baseline, "Starting value", { initial: numberText(o?.baseline), max: 20 }),
      textInput(PLAN_BLOCK.target, "Target value", { initial: numberText(o?.target), max: 20 }),
      textInput(PLAN_BLOCK.current, "Latest measured value", { initial: numberText(o?.current), max: 20 }),
      dateInput(PLAN_BLOCK.measuredOn, "Measured on (today if left empty)", o?.measuredOn ?? null),
      dateInput(PLAN_BLOCK.targetDate, "Target date", o?.targetDate ?? null),
      {
        type: "input",
        block_id: PLAN_BLOCK.status,
        label: plainText("Status"),
        element: {
          type: "static_select",
          action_id: INPUT_ACTION,
          options: statuses,
          initial_option: statuses.find((s) => s.value === (o?.status ?? "active")),
        },
      },
      stakeholderInput(o?.stakeholderTypes ?? []),
      textInput(PLAN_BLOCK.notes, "Internal notes (never in the customer's pack)", {
        initial: o?.notes,
        max: 2000,
        multiline: true,
      }),
    ],
  };
}

export function milestoneModal(opts: {
  accountName: string;
  metadata: PlanFormMetadata;
  objectives: { id: number; title: string }[];
  milestone?: PlanMilestone;
}): ModalView {
  const m = opts.milestone;
  const objectiveOptions = opts.objectives
    .slice(0, LIMITS.options)
    .map((o) => option(truncate(o.title, LIMITS.optionText), String(o.id)));
  const initialObjective = objectiveOptions.find((o) => m?.objectiveId !== null && o.value === String(m?.objectiveId));
  const objectiveInput: Block[] = objectiveOptions.length
    ? [
        {
          type: "input",
          block_id: PLAN_BLOCK.objectiveId,
          optional: true,
          label: plainText("Towards objective"),
          element: {
            type: "static_select",
            action_id: INPUT_ACTION,
            options: objectiveOptions,
            ...(initialObjective ? { initial_option: initialObjective } : {}),
          },
        },
      ]
    : [];
  return {
    type: "modal",
    callback_id: CALLBACK.planMilestone,
    title: plainText(m ? "Edit milestone" : "Add milestone", LIMITS.modalTitle),
    submit: plainText("Save", LIMITS.modalSubmit),
    close: plainText("Back", LIMITS.modalSubmit),
    private_metadata: JSON.stringify(opts.metadata),
    blocks: [
      context([`Success plan of *${escapeMrkdwn(opts.accountName)}*`]),
      textInput(PLAN_BLOCK.title, "Milestone", {
        optional: false,
        initial: m?.title,
        hint: "e.g. SSO live for all teams",
      }),
      textInput(PLAN_BLOCK.owner, "Owner", {
        initial: m?.owner,
        max: 120,
        hint: "Who delivers it, at the customer or here",
      }),
      dateInput(PLAN_BLOCK.dueOn, "Due date", m?.dueOn ?? null, false),
      dateInput(PLAN_BLOCK.completedOn, "Completed on", m?.completedOn ?? null),
      ...objectiveInput,
      stakeholderInput(m?.stakeholderTypes ?? []),
    ],
  };
}

/** The account card's two lines: the plan, and where each group stands. */
export function planCardBlocks(card: PlanCardSummary | null): Block[] {
  if (!card) return [section("*Success plan*: none yet — press *Success plan* to agree the customer's goals.")];
  const adkar = card.adkar
    .map(
      (g) =>
        `${GROUP_LABEL[g.group]} ${g.stage ? STAGE_LABEL[g.stage as AdkarStage] : "not set"}${g.stuck ? " :warning:" : ""}`,
    )
    .join(" · ");
  return [section(`*Success plan*: ${summaryLine(card.summary)}\n*ADKAR*: ${adkar}`)];
}

export function homePlansSection(rows: HomePlanRow[]): Block[] {
  if (!rows.length) return [];
  return [
    section("*Success plans*"),
    ...rows.map((r) =>
      section(
        `*${escapeMrkdwn(r.accountName)}* — ${summaryLine(r.summary)}`,
        button("Open", ACTION.openSuccessPlan, String(r.accountId)),
      ),
    ),
  ];
}
