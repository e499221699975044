// The post-mortem modal's submission: validate and save (inline errors, nothing saved on
// any problem), then, after the commit, start the retrospective thread.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { filePostMortem } from "../../../services/churn-post-mortem.js";
import { publishRetroThread } from "../../../services/retro.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { POST_MORTEM_BLOCK } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { parsePostMortemState, postMortemErrorsToBlocks, postMortemMetadataSchema } from "../../views/churn-modals.js";
import { readChurnForm } from "./shared.js";

export function postMortemSubmissionCallback(ctx: AppContext) {
  return async ({ ack, view, context }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const pulse = pulseOf(context);
    pulse.modal = { fieldBlocks: {}, fallbackBlock: POST_MORTEM_BLOCK.churnedOn };
    const form = readChurnForm(
      view,
      postMortemMetadataSchema,
      Object.values(POST_MORTEM_BLOCK),
      POST_MORTEM_BLOCK.churnedOn,
    );
    if (!form.ok) {
      ctx.logger.info({ requestId: pulse.requestId, err: form.detail }, `post-mortem form with ${form.problem}`);
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    const { metadata, state } = form;
    const { accountId: chosen, draft } = parsePostMortemState(state);
    const accountId = metadata.accountId ?? chosen;
    if (!accountId) {
      await ack({ response_action: "errors", errors: { [POST_MORTEM_BLOCK.account]: "Choose the account." } });
      return;
    }
    const [workspace, user] = [await pulse.workspace(), await pulse.user()];
    if (!(await pulse.claimOnce())) return void (await ack());
    const result = await filePostMortem(ctx.db, {
      workspaceId: workspace.id,
      filer: user,
      accountId,
      draft,
      now: ctx.clock(),
      requestId: pulse.requestId,
    });
    if (!result.ok) {
      await pulse.releaseClaim();
      await ack({
        response_action: "errors",
        errors: postMortemErrorsToBlocks(result.errors, metadata.accountId !== undefined),
      });
      return;
    }
    await ack();
    await publishRetroThread(ctx, pulse.slack, {
      workspaceId: workspace.id,
      churnEventId: result.churnEvent.id,
      filerSlackId: user.slackUserId,
      requestId: pulse.requestId,
    }).catch(async (error: unknown) => {
      ctx.logger.error(
        { requestId: pulse.requestId, err: error, churnEventId: result.churnEvent.id },
        "retro thread could not be started",
      );
      await pulse.slack
        .dm(user.slackUserId, {
          text: `Your post-mortem for ${escapeMrkdwn(result.account.name)} is saved, but the retrospective thread could not be posted (ref ${pulse.requestId.slice(0, 8)}). Check that @Pulse is in the retro channel, and that the channel is internal to this workspace.`,
        })
        .catch(() => undefined);
    });
  };
}
