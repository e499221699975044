// Success plans, ADKAR and QBR packs: buttons and form submissions (docs/success-plans.md).
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { ACTION, CALLBACK } from "../../ids.js";
import { milestoneSubmissionCallback, objectiveSubmissionCallback } from "./form-submissions.js";
import {
  acceptAdkarSuggestionCallback,
  openMilestoneFormCallback,
  openObjectiveFormCallback,
  openSuccessPlanCallback,
  setAdkarStageCallback,
} from "./plan-buttons.js";
import { approveQbrCallback } from "./qbr-approve.js";

export function registerPlanListeners(app: App, ctx: AppContext): void {
  app.action(ACTION.openSuccessPlan, openSuccessPlanCallback(ctx));
  app.action(ACTION.planAddObjective, openObjectiveFormCallback(ctx));
  app.action(ACTION.planEditObjective, openObjectiveFormCallback(ctx));
  app.action(ACTION.planAddMilestone, openMilestoneFormCallback(ctx));
  app.action(ACTION.planEditMilestone, openMilestoneFormCallback(ctx));
  app.action(new RegExp(`^${ACTION.adkarSet}_[a-z]+$`), setAdkarStageCallback(ctx));
  app.action(ACTION.adkarAccept, acceptAdkarSuggestionCallback(ctx));
  app.action(ACTION.qbrApprove, approveQbrCallback(ctx));
  app.view(CALLBACK.planObjective, objectiveSubmissionCallback(ctx));
  app.view(CALLBACK.planMilestone, milestoneSubmissionCallback(ctx));
}
