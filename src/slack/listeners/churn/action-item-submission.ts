// The retro action item modal's submission: save, then tell the thread and the owner.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { addRetroActionItem, announceRetroActionItem } from "../../../services/retro.js";
import { RETRO_ACTION_ITEM_BLOCK } from "../../ids.js";
import { createRetroSlack } from "../../retro-slack.js";
import { actionItemErrorsToBlocks, actionItemMetadataSchema, parseActionItemState } from "../../views/churn-modals.js";
import { errorText, readChurnForm, whoIsAsking } from "./shared.js";

export function actionItemSubmissionCallback(ctx: AppContext) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const requestId = randomUUID();
    let acked = false;
    try {
      const form = readChurnForm(view, actionItemMetadataSchema, Object.values(RETRO_ACTION_ITEM_BLOCK), RETRO_ACTION_ITEM_BLOCK.title);
      if (!form.ok) {
        ctx.logger.info({ requestId, err: form.detail }, `retro action item form with ${form.problem}`);
        acked = true;
        await ack({ response_action: "errors", errors: form.errors });
        return;
      }
      const { metadata, state } = form;
      const { churnEventId } = metadata;
      const fields = parseActionItemState(state);
      const { workspace, user } = await whoIsAsking(ctx, body);
      const result = await addRetroActionItem(ctx.db, { workspaceId: workspace.id, churnEventId, creator: user, ...fields, now: ctx.clock(), requestId });
      acked = true;
      if (!result.ok) {
        await ack({ response_action: "errors", errors: actionItemErrorsToBlocks(result.errors) });
        return;
      }
      await ack();
      await announceRetroActionItem(createRetroSlack(client), result, user.slackUserId).catch((error: unknown) =>
        ctx.logger.warn({ requestId, err: error }, "action item saved but not announced"),
      );
    } catch (error) {
      const text = errorText(ctx, error, requestId, "retro action item");
      if (!acked) await ack({ response_action: "errors", errors: { [RETRO_ACTION_ITEM_BLOCK.title]: text.replace(/^:\w+: /, "") } });
    }
  };
}
