// Success plans: the customer's objectives (measured where possible) and the milestones
// towards them. Pure rules on plain data: progress, what is overdue, the plan in two lines,
// and the goals a QBR proposes for the next quarter.
import { ADKAR_STAGES, GROUP_LABEL, nextStage, STAGE_ACTIONS, STAGE_LABEL, type AdkarStage } from "./adkar.js";
import type { StakeholderType } from "./vocabulary.js";
import { daysBetween, displayDay } from "./dates.js";

export const OBJECTIVE_STATUSES = ["active", "achieved", "missed", "dropped"] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];

export interface ObjectiveFacts {
  id: number;
  title: string;
  metric: string | null;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  current: number | null;
  measuredOn: Date | null;
  targetDate: Date | null;
  status: ObjectiveStatus;
}

export interface MilestoneFacts {
  id: number;
  title: string;
  owner: string | null;
  dueOn: Date;
  completedOn: Date | null;
  objectiveId: number | null;
}

export type MilestoneState = "done" | "overdue" | "open";

export function milestoneState(m: Pick<MilestoneFacts, "dueOn" | "completedOn">, today: Date): MilestoneState {
  if (m.completedOn) return "done";
  return daysBetween(m.dueOn, today) > 0 ? "overdue" : "open";
}

/**
 * Share of the way from baseline to target the latest measurement has come, 0..1 (capped),
 * or null when the objective is not measured at both ends. Works whichever way the target
 * lies ("3 days down to 1" as well as "40% up to 70%").
 */
export function objectiveProgress(o: Pick<ObjectiveFacts, "baseline" | "target" | "current">): number | null {
  if (o.baseline === null || o.target === null || o.current === null || o.target === o.baseline) return null;
  const share = (o.current - o.baseline) / (o.target - o.baseline);
  return Math.max(0, Math.min(1, share));
}

export interface PlanSummary {
  objectives: number;
  achieved: number;
  milestones: number;
  milestonesDone: number;
  overdue: number;
  nextDue: { title: string; dueOn: Date } | null;
}

export function summarisePlan(
  objectives: Pick<ObjectiveFacts, "status">[],
  milestones: Pick<MilestoneFacts, "title" | "dueOn" | "completedOn">[],
  today: Date,
): PlanSummary {
  const states = milestones.map((m) => ({ m, state: milestoneState(m, today) }));
  const open = states.filter((s) => s.state !== "done").sort((a, b) => a.m.dueOn.getTime() - b.m.dueOn.getTime());
  return {
    objectives: objectives.filter((o) => o.status !== "dropped").length,
    achieved: objectives.filter((o) => o.status === "achieved").length,
    milestones: milestones.length,
    milestonesDone: states.filter((s) => s.state === "done").length,
    overdue: states.filter((s) => s.state === "overdue").length,
    nextDue: open[0] ? { title: open[0].m.title, dueOn: open[0].m.dueOn } : null,
  };
}

export interface OverdueMilestone {
  id: number;
  title: string;
  daysOverdue: number;
}

export function overdueMilestones(milestones: MilestoneFacts[], today: Date): OverdueMilestone[] {
  return milestones
    .filter((m) => milestoneState(m, today) === "overdue")
    .map((m) => ({ id: m.id, title: m.title, daysOverdue: daysBetween(m.dueOn, today) }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue);
}

export function formatMeasure(value: number | null, unit: string | null): string {
  if (value === null) return "—";
  const n = Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, "");
  return unit ? `${n} ${unit}` : n;
}

/** Inputs of the proposed next-quarter goals, all already in the pack. */
export interface GoalInputs {
  objectives: ObjectiveFacts[];
  milestones: MilestoneFacts[];
  adkar: { group: StakeholderType; stage: AdkarStage | null }[];
  /** Mean active share of seats over the quarter (null: no usage). */
  activeShare: number | null;
  nextQuarterStart: Date;
  nextQuarterEnd: Date;
  today: Date;
}

export interface ProposedGoal {
  text: string;
  /** What the goal was derived from, for the pack's citation. */
  basis: string;
}

/** Goals for the next quarter, from what the plan has not reached yet. Never more than eight. */
export function proposeNextQuarterGoals(i: GoalInputs): ProposedGoal[] {
  const goals: ProposedGoal[] = [];
  for (const o of i.objectives) {
    if (o.status !== "active") continue;
    const progress = objectiveProgress(o);
    if (o.target !== null && (progress === null || progress < 1)) {
      const by = o.targetDate ? ` by ${displayDay(o.targetDate)}` : "";
      goals.push({
        text: `${o.title}: reach ${formatMeasure(o.target, o.unit)}${o.metric ? ` (${o.metric})` : ""}${by}, from ${formatMeasure(o.current ?? o.baseline, o.unit)} now`,
        basis: `objective #${o.id}, last measured ${o.measuredOn ? displayDay(o.measuredOn) : "never"}`,
      });
    } else if (o.target === null) {
      goals.push({
        text: `${o.title}: agree a measurable target and a date`,
        basis: `objective #${o.id} has no target`,
      });
    }
  }
  for (const m of i.milestones) {
    const state = milestoneState(m, i.today);
    if (state === "overdue")
      goals.push({ text: `Complete “${m.title}” (due ${displayDay(m.dueOn)}, overdue)`, basis: `milestone #${m.id}` });
    else if (state === "open" && m.dueOn < i.nextQuarterEnd)
      goals.push({ text: `Complete “${m.title}” by ${displayDay(m.dueOn)}`, basis: `milestone #${m.id}` });
  }
  for (const a of i.adkar) {
    if (!a.stage) {
      goals.push({
        text: `${GROUP_LABEL[a.group]}: agree where they stand in the change (no ADKAR stage set)`,
        basis: "ADKAR status",
      });
      continue;
    }
    const to = nextStage(a.stage);
    if (!to) continue;
    goals.push({
      text: `${GROUP_LABEL[a.group]}: move from ${STAGE_LABEL[a.stage]} to ${STAGE_LABEL[to]} — ${STAGE_ACTIONS[a.stage][a.group][0]!.title}`,
      basis: `ADKAR status of ${a.group}`,
    });
  }
  return goals.slice(0, 8);
}

/** "2026-Q4" for the quarter holding `day`. */
export function quarterOf(day: Date): string {
  return `${day.getUTCFullYear()}-Q${Math.floor(day.getUTCMonth() / 3) + 1}`;
}

export function adkarStageIndex(stage: AdkarStage): number {
  return ADKAR_STAGES.indexOf(stage);
}
