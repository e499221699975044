// Buttons of the success plan: open it (account card, App Home), open the objective and
// milestone forms on top of it, set a group's ADKAR stage in one click or accept the
// suggested one, and refresh the plan in place.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { ADKAR_STAGES } from "../../../domain/adkar.js";
import { AppError } from "../../../errors.js";
import { acceptAdkarSuggestion, getSuccessPlan, setAdkarStage } from "../../../services/success-plans.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { milestoneModal, objectiveModal, successPlanModal, type PlanButtonValue } from "../../views/success-plan.js";
import { errorText, tellUser, whoIsAsking } from "./shared.js";
import { planButtonValueSchema, readJson } from "./forms.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

function handled(ctx: AppContext, what: string, run: (args: ButtonArgs, requestId: string) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const requestId = randomUUID();
    try {
      await run(args, requestId);
    } catch (error) {
      await tellUser(args.client, args.body, errorText(ctx, error, requestId, what)).catch(() => undefined);
    }
  };
}

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

/** Shows the plan: in place when the button is in the plan modal, in a new modal otherwise. */
async function showPlan(ctx: AppContext, args: ButtonArgs, workspaceId: number, accountId: number): Promise<void> {
  const view = successPlanModal(await getSuccessPlan(ctx.db, workspaceId, accountId, ctx.clock()));
  if (args.body.view?.id) await args.client.views.update({ view_id: args.body.view.id, view: view as never });
  else await args.client.views.open({ trigger_id: args.body.trigger_id, view: view as never });
}

export function openSuccessPlanCallback(ctx: AppContext) {
  return handled(ctx, "open success plan", async (args) => {
    const { workspace } = await whoIsAsking(ctx, args.body);
    const plan = await getSuccessPlan(ctx.db, workspace.id, buttonRowId(args.action.value), ctx.clock());
    const view = successPlanModal(plan) as never;
    // From the account card in a modal (App Home's Open), the plan goes on top of it.
    if (args.body.view?.type === "modal") await args.client.views.push({ trigger_id: args.body.trigger_id, view });
    else await args.client.views.open({ trigger_id: args.body.trigger_id, view });
  });
}

export function openObjectiveFormCallback(ctx: AppContext) {
  return handled(ctx, "open objective form", async (args) => {
    const { workspace } = await whoIsAsking(ctx, args.body);
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
    if (args.body.view) await args.client.views.push({ trigger_id: args.body.trigger_id, view: view as never });
    else await args.client.views.open({ trigger_id: args.body.trigger_id, view: view as never });
  });
}

export function openMilestoneFormCallback(ctx: AppContext) {
  return handled(ctx, "open milestone form", async (args) => {
    const { workspace } = await whoIsAsking(ctx, args.body);
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
    if (args.body.view) await args.client.views.push({ trigger_id: args.body.trigger_id, view: view as never });
    else await args.client.views.open({ trigger_id: args.body.trigger_id, view: view as never });
  });
}

export function setAdkarStageCallback(ctx: AppContext) {
  return handled(ctx, "set ADKAR stage", async (args, requestId) => {
    const { workspace, user } = await whoIsAsking(ctx, args.body);
    const v = planValue(args);
    // The stage is the button's own (its action id); the value must agree with it.
    const stage = ADKAR_STAGES.find((s) => args.action.action_id === `${ACTION.adkarSet}_${s}`);
    if (!stage || v.s !== stage || !v.g)
      throw new AppError(
        "INVALID_INPUT",
        `bad ADKAR button ${args.action.action_id}`,
        "This button is out of date; open the plan again.",
      );
    await setAdkarStage(ctx, { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId }, v.a, v.g, stage);
    await showPlan(ctx, args, workspace.id, v.a);
  });
}

export function acceptAdkarSuggestionCallback(ctx: AppContext) {
  return handled(ctx, "accept ADKAR suggestion", async (args, requestId) => {
    const { workspace, user } = await whoIsAsking(ctx, args.body);
    const v = planValue(args);
    if (!v.g)
      throw new AppError(
        "INVALID_INPUT",
        "ADKAR accept without a group",
        "This button is out of date; open the plan again.",
      );
    await acceptAdkarSuggestion(ctx, { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId }, v.a, v.g);
    await showPlan(ctx, args, workspace.id, v.a);
  });
}
