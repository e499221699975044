// The objective and milestone forms: validated inline (the form stays open with what was
// typed), saved in one transaction with its audit row, then the plan underneath refreshed.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { ValidationError } from "../../../errors.js";
import { getSuccessPlan, saveMilestone, saveObjective, type PlanActor } from "../../../services/success-plans.js";
import { PLAN_BLOCK } from "../../ids.js";
import type { PlanFormMetadata } from "../../views/success-plan.js";
import { successPlanModal } from "../../views/success-plan.js";
import { errorText, whoIsAsking } from "./shared.js";
import { toBlockErrors, type ViewState } from "../parse-view.js";
import {
  MILESTONE_FIELD_BLOCKS,
  OBJECTIVE_FIELD_BLOCKS,
  parseMilestoneForm,
  parseObjectiveForm,
  planFormMetadataSchema,
  readJson,
} from "./forms.js";

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

function formSubmission<T>(
  ctx: AppContext,
  what: string,
  fieldBlocks: Record<string, string>,
  parse: (state: ViewState) => { input: T; errors: Record<string, string> },
  save: (actor: PlanActor, meta: PlanFormMetadata, input: T) => Promise<unknown>,
) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const requestId = randomUUID();
    const meta = readJson(view.private_metadata, planFormMetadataSchema);
    if (!meta) {
      await ack({
        response_action: "errors",
        errors: { [PLAN_BLOCK.title]: "Pulse could not read this form. Close it and open it again." },
      });
      return;
    }
    const { input, errors } = parse(view.state.values as ViewState);
    if (Object.keys(errors).length) {
      await ack({ response_action: "errors", errors: toBlockErrors(errors, fieldBlocks) });
      return;
    }
    let workspaceId: number;
    try {
      const { workspace, user } = await whoIsAsking(ctx, body);
      workspaceId = workspace.id;
      await save({ workspaceId, slackUserId: user.slackUserId, requestId }, meta, input);
    } catch (error) {
      const message =
        error instanceof ValidationError
          ? undefined
          : `${errorText(ctx, error, requestId, what).replace(/^:\w+: /, "")} Nothing was saved.`;
      await ack({
        response_action: "errors",
        errors:
          error instanceof ValidationError
            ? toBlockErrors(error.fieldErrors, fieldBlocks)
            : { [PLAN_BLOCK.title]: message! },
      });
      return;
    }
    await ack();
    if (meta.parentViewId) {
      const plan = await getSuccessPlan(ctx.db, workspaceId, meta.accountId, ctx.clock());
      await client.views
        .update({ view_id: meta.parentViewId, view: successPlanModal(plan) as never })
        .catch((error: unknown) =>
          ctx.logger.warn({ requestId, err: error }, "saved, but the plan modal could not be refreshed"),
        );
    }
  };
}

export function objectiveSubmissionCallback(ctx: AppContext) {
  return formSubmission(ctx, "save objective", OBJECTIVE_FIELD_BLOCKS, parseObjectiveForm, (actor, meta, input) =>
    saveObjective(ctx, actor, meta.accountId, meta.objectiveId ?? null, input),
  );
}

export function milestoneSubmissionCallback(ctx: AppContext) {
  return formSubmission(ctx, "save milestone", MILESTONE_FIELD_BLOCKS, parseMilestoneForm, (actor, meta, input) =>
    saveMilestone(ctx, actor, meta.accountId, meta.milestoneId ?? null, input),
  );
}
