// The objective and milestone forms: validated inline (the form stays open with what was
// typed; the translator shows what is thrown on the form's blocks), saved in one
// transaction with its audit row, then the plan underneath refreshed.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { ValidationError } from "../../../errors.js";
import { getSuccessPlan, saveMilestone, saveObjective, type PlanActor } from "../../../services/success-plans.js";
import { PLAN_BLOCK } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import type { PlanFormMetadata } from "../../views/success-plan.js";
import { successPlanModal } from "../../views/success-plan.js";
import type { ViewState } from "../parse-view.js";
import {
  MILESTONE_FIELD_BLOCKS,
  OBJECTIVE_FIELD_BLOCKS,
  parseMilestoneForm,
  parseObjectiveForm,
  planFormMetadataSchema,
  readJson,
} from "./forms.js";

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

const UNREADABLE_FORM = "Pulse could not read this form. Close it and open it again.";

function formSubmission<T>(
  ctx: AppContext,
  fieldBlocks: Record<string, string>,
  parse: (state: ViewState) => { input: T; errors: Record<string, string> },
  save: (actor: PlanActor, meta: PlanFormMetadata, input: T) => Promise<unknown>,
) {
  return async ({ ack, view, context }: ViewArgs): Promise<void> => {
    const pulse = pulseOf(context);
    // Errors thrown from here on are shown on these blocks by the translator.
    pulse.modal = { fieldBlocks, fallbackBlock: PLAN_BLOCK.title };
    const meta = readJson(view.private_metadata, planFormMetadataSchema);
    if (!meta) throw new ValidationError({ _fallback: UNREADABLE_FORM });
    const { input, errors } = parse((view.state?.values ?? {}) as ViewState);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const [workspace, user] = [await pulse.workspace(), await pulse.user()];
    // A second delivery of the same submission (a double click) saves nothing twice.
    if (await pulse.claimOnce())
      await save({ workspaceId: workspace.id, slackUserId: user.slackUserId, requestId: pulse.requestId }, meta, input);
    await ack();
    if (meta.parentViewId) {
      const plan = await getSuccessPlan(ctx.db, workspace.id, meta.accountId, ctx.clock());
      await pulse.slack
        .updateView(meta.parentViewId, successPlanModal(plan))
        .catch((error: unknown) =>
          ctx.logger.warn(
            { requestId: pulse.requestId, err: error },
            "saved, but the plan modal could not be refreshed",
          ),
        );
    }
  };
}

export function objectiveSubmissionCallback(ctx: AppContext) {
  return formSubmission(ctx, OBJECTIVE_FIELD_BLOCKS, parseObjectiveForm, (actor, meta, input) =>
    saveObjective(ctx, actor, meta.accountId, meta.objectiveId ?? null, input),
  );
}

export function milestoneSubmissionCallback(ctx: AppContext) {
  return formSubmission(ctx, MILESTONE_FIELD_BLOCKS, parseMilestoneForm, (actor, meta, input) =>
    saveMilestone(ctx, actor, meta.accountId, meta.milestoneId ?? null, input),
  );
}
