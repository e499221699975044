// Buttons of the success plan: open it (account card, App Home), open the objective and
// milestone forms on top of it, set a group's ADKAR stage in one click or accept the
// suggested one, and refresh the plan in place. Errors thrown here are answered by the
// translator (middleware/translate-error.ts) where the click was.
import type { AppContext } from "../../../app-context.js";
import { ADKAR_STAGES } from "../../../domain/adkar.js";
import { AppError } from "../../../errors.js";
import {
  acceptAdkarSuggestion,
  getSuccessPlan,
  setAdkarStage,
  type PlanActor,
} from "../../../services/success-plans.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { pulseOf, type PulseRequest } from "../../middleware/pulse-request.js";
import { milestoneModal, objectiveModal, successPlanModal, type PlanButtonValue } from "../../views/success-plan.js";
import { openModalFrom, type ButtonArgs } from "../define.js";
import { planButtonValueSchema, readJson } from "./forms.js";

function planValue(args: ButtonArgs): PlanButtonValue {
  const v = readJson(args.action.value, planButtonValueSchema);
  if (!v)
    throw new AppError(
      "INVALID_INPUT",
      `bad plan button value ${args.action.value}`,
      "This button is out of date; open the plan again.",
    );
  return v;
}

async function actorOf(pulse: PulseRequest): Promise<PlanActor> {
  const [workspace, user] = [await pulse.workspace(), await pulse.user()];
  return { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId: pulse.requestId };
}

/** Shows the plan: in place when the button is in the plan modal, in a new modal otherwise. */
async function showPlan(ctx: AppContext, args: ButtonArgs, workspaceId: number, accountId: number): Promise<void> {
  const pulse = pulseOf(args.context);
  const view = successPlanModal(await getSuccessPlan(ctx.db, workspaceId, accountId, ctx.clock()));
  if (args.body.view?.id) await pulse.slack.updateView(args.body.view.id, view);
  else await pulse.slack.openView(args.body.trigger_id, view);
}

export function openSuccessPlanCallback(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    const workspace = await pulse.workspace();
    const plan = await getSuccessPlan(ctx.db, workspace.id, buttonRowId(args.action.value), ctx.clock());
    // From the account card in a modal (App Home's Open), the plan goes on top of it.
    await openModalFrom(pulse, args.body, successPlanModal(plan));
  };
}

export function openObjectiveFormCallback(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    const workspace = await pulse.workspace();
    const v = planValue(args);
    const plan = await getSuccessPlan(ctx.db, workspace.id, v.a, ctx.clock());
    const objective = v.o === undefined ? undefined : plan.objectives.find((o) => o.id === v.o);
    if (v.o !== undefined && !objective)
      throw new AppError("NOT_FOUND", `objective ${v.o}`, "That objective does not exist in this workspace.");
    const view = objectiveModal({
      accountName: plan.account.name,
      objective,
      metadata: {
        accountId: v.a,
        ...(objective ? { objectiveId: objective.id } : {}),
        ...(args.body.view?.id ? { parentViewId: args.body.view.id } : {}),
      },
    });
    await openModalFrom(pulse, args.body, view);
  };
}

export function openMilestoneFormCallback(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    const workspace = await pulse.workspace();
    const v = planValue(args);
    const plan = await getSuccessPlan(ctx.db, workspace.id, v.a, ctx.clock());
    const milestone = v.m === undefined ? undefined : plan.milestones.find((m) => m.id === v.m);
    if (v.m !== undefined && !milestone)
      throw new AppError("NOT_FOUND", `milestone ${v.m}`, "That milestone does not exist in this workspace.");
    const view = milestoneModal({
      accountName: plan.account.name,
      objectives: plan.objectives.map((o) => ({ id: o.id, title: o.title })),
      milestone,
      metadata: {
        accountId: v.a,
        ...(milestone ? { milestoneId: milestone.id } : {}),
        ...(args.body.view?.id ? { parentViewId: args.body.view.id } : {}),
      },
    });
    await openModalFrom(pulse, args.body, view);
  };
}

export function setAdkarStageCallback(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const actor = await actorOf(pulseOf(args.context));
    const v = planValue(args);
    // The stage is the button's own (its action id); the value must agree with it.
    const stage = ADKAR_STAGES.find((s) => args.action.action_id === `${ACTION.adkarSet}_${s}`);
    if (!stage || v.s !== stage || !v.g)
      throw new AppError(
        "INVALID_INPUT",
        `bad ADKAR button ${args.action.action_id}`,
        "This button is out of date; open the plan again.",
      );
    await setAdkarStage(ctx, actor, v.a, v.g, stage);
    await showPlan(ctx, args, actor.workspaceId, v.a);
  };
}

export function acceptAdkarSuggestionCallback(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const actor = await actorOf(pulseOf(args.context));
    const v = planValue(args);
    if (!v.g)
      throw new AppError(
        "INVALID_INPUT",
        "ADKAR accept without a group",
        "This button is out of date; open the plan again.",
      );
    await acceptAdkarSuggestion(ctx, actor, v.a, v.g);
    await showPlan(ctx, args, actor.workspaceId, v.a);
  };
}
