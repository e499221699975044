// The retro action item modal's submission: save, then tell the thread and the owner.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { addRetroActionItem, announceRetroActionItem } from "../../../services/retro.js";
import { RETRO_ACTION_ITEM_BLOCK } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { actionItemErrorsToBlocks, actionItemMetadataSchema, parseActionItemState } from "../../views/churn-modals.js";
import { readChurnForm } from "./shared.js";

export function actionItemSubmissionCallback(ctx: AppContext) {
  return async ({ ack, view, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const pulse = pulseOf(context);
    pulse.modal = { fieldBlocks: {}, fallbackBlock: RETRO_ACTION_ITEM_BLOCK.title };
    const form = readChurnForm(
      view,
      actionItemMetadataSchema,
      Object.values(RETRO_ACTION_ITEM_BLOCK),
      RETRO_ACTION_ITEM_BLOCK.title,
    );
    if (!form.ok) {
      ctx.logger.info({ requestId: pulse.requestId, err: form.detail }, `retro action item form with ${form.problem}`);
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    const fields = parseActionItemState(form.state);
    const [workspace, user] = [await pulse.workspace(), await pulse.user()];
    if (!(await pulse.claimOnce())) return void (await ack());
    const result = await addRetroActionItem(ctx.db, {
      workspaceId: workspace.id,
      churnEventId: form.metadata.churnEventId,
      creator: user,
      ...fields,
      now: ctx.clock(),
      requestId: pulse.requestId,
    });
    if (!result.ok) {
      await pulse.releaseClaim();
      await ack({ response_action: "errors", errors: actionItemErrorsToBlocks(result.errors) });
      return;
    }
    await ack();
    await announceRetroActionItem(pulse.slack, result, user.slackUserId).catch((error: unknown) =>
      ctx.logger.warn({ requestId: pulse.requestId, err: error }, "action item saved but not announced"),
    );
  };
}
