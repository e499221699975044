// Reading the objective and milestone modals back into service inputs. Numbers people type
// ("1,5", "40 %") are refused on their own field rather than guessed.
import { z } from "zod";
import type { MilestoneInput, ObjectiveInput } from "../../../services/success-plans.js";
import { parseRowId, PLAN_BLOCK } from "../../ids.js";
import { readDate, readMulti, readSelected, readText, type ViewState } from "../parse-view.js";
import type { PlanButtonValue, PlanFormMetadata } from "../../views/success-plan.js";

/** Service field -> the block that shows its error. */
export const OBJECTIVE_FIELD_BLOCKS: Record<string, string> = {
  title: PLAN_BLOCK.title,
  metric: PLAN_BLOCK.metric,
  unit: PLAN_BLOCK.unit,
  baseline: PLAN_BLOCK.baseline,
  target: PLAN_BLOCK.target,
  current: PLAN_BLOCK.current,
  measuredOn: PLAN_BLOCK.measuredOn,
  targetDate: PLAN_BLOCK.targetDate,
  status: PLAN_BLOCK.status,
  stakeholderTypes: PLAN_BLOCK.stakeholderTypes,
  notes: PLAN_BLOCK.notes,
  _fallback: PLAN_BLOCK.title,
};

export const MILESTONE_FIELD_BLOCKS: Record<string, string> = {
  title: PLAN_BLOCK.title,
  owner: PLAN_BLOCK.owner,
  dueOn: PLAN_BLOCK.dueOn,
  completedOn: PLAN_BLOCK.completedOn,
  objectiveId: PLAN_BLOCK.objectiveId,
  stakeholderTypes: PLAN_BLOCK.stakeholderTypes,
  _fallback: PLAN_BLOCK.title,
};

function readNumber(state: ViewState, block: string, field: string, errors: Record<string, string>): number | null {
  const text = readText(state, block)?.trim();
  if (!text) return null;
  if (!/^-?\d+(\.\d+)?$/.test(text)) {
    errors[field] = `“${text.slice(0, 20)}” is not a number: write it like 3 or 1.5.`;
    return null;
  }
  return Number(text);
}

export function parseObjectiveForm(state: ViewState): { input: ObjectiveInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const input: ObjectiveInput = {
    title: readText(state, PLAN_BLOCK.title) ?? "",
    metric: readText(state, PLAN_BLOCK.metric) ?? null,
    unit: readText(state, PLAN_BLOCK.unit) ?? null,
    baseline: readNumber(state, PLAN_BLOCK.baseline, "baseline", errors),
    target: readNumber(state, PLAN_BLOCK.target, "target", errors),
    current: readNumber(state, PLAN_BLOCK.current, "current", errors),
    measuredOn: readDate(state, PLAN_BLOCK.measuredOn) ?? null,
    targetDate: readDate(state, PLAN_BLOCK.targetDate) ?? null,
    status: (readSelected(state, PLAN_BLOCK.status) ?? "active") as ObjectiveInput["status"],
    stakeholderTypes: readMulti(state, PLAN_BLOCK.stakeholderTypes) as ObjectiveInput["stakeholderTypes"],
    notes: readText(state, PLAN_BLOCK.notes) ?? null,
  };
  return { input, errors };
}

export function parseMilestoneForm(state: ViewState): { input: MilestoneInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const dueOn = readDate(state, PLAN_BLOCK.dueOn);
  if (!dueOn) errors.dueOn = "Give the due date.";
  const objective = readSelected(state, PLAN_BLOCK.objectiveId);
  const input = {
    title: readText(state, PLAN_BLOCK.title) ?? "",
    owner: readText(state, PLAN_BLOCK.owner) ?? null,
    dueOn: dueOn as Date,
    completedOn: readDate(state, PLAN_BLOCK.completedOn) ?? null,
    objectiveId: objective === undefined ? null : (parseRowId(objective) ?? -1),
    stakeholderTypes: readMulti(state, PLAN_BLOCK.stakeholderTypes) as MilestoneInput["stakeholderTypes"],
  };
  return { input, errors };
}

const rowId = z.number().int().positive().max(2_147_483_647);
export const planFormMetadataSchema: z.ZodType<PlanFormMetadata> = z.object({
  accountId: rowId,
  objectiveId: rowId.optional(),
  milestoneId: rowId.optional(),
  parentViewId: z.string().max(100).optional(),
});

export const planButtonValueSchema: z.ZodType<PlanButtonValue> = z.object({
  a: rowId,
  o: rowId.optional(),
  m: rowId.optional(),
  g: z.string().max(30).optional(),
  s: z.string().max(30).optional(),
});

/** A value Pulse wrote (JSON), read with its schema; undefined for anything else. */
export function readJson<T>(raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
