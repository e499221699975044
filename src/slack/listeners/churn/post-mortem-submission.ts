// The post-mortem modal's submission: validate and save (inline errors, nothing saved on
// any problem), then, after the commit, start the retrospective thread.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { filePostMortem } from "../../../services/churn-post-mortem.js";
import { publishRetroThread } from "../../../services/retro.js";
import { POST_MORTEM_BLOCK } from "../../ids.js";
import { createRetroSlack } from "../../retro-slack.js";
import { parsePostMortemState, postMortemErrorsToBlocks, postMortemMetadataSchema } from "../../views/churn-modals.js";
import { errorText, readChurnForm, whoIsAsking } from "./shared.js";

export function postMortemSubmissionCallback(ctx: AppContext) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const requestId = randomUUID();
    let acked = false;
    try {
      const form = readChurnForm(view, postMortemMetadataSchema, Object.values(POST_MORTEM_BLOCK), POST_MORTEM_BLOCK.churnedOn);
      if (!form.ok) {
        ctx.logger.info({ requestId, err: form.detail }, `post-mortem form with ${form.problem}`);
        acked = true;
        await ack({ response_action: "errors", errors: form.errors });
        return;
      }
      const { metadata, state } = form;
      const { accountId: chosen, draft } = parsePostMortemState(state);
      const accountId = metadata.accountId ?? chosen;
      if (!accountId) {
        acked = true;
        await ack({ response_action: "errors", errors: { [POST_MORTEM_BLOCK.account]: "Choose the account." } });
        return;
      }
      const { workspace, user } = await whoIsAsking(ctx, body);
      const result = await filePostMortem(ctx.db, { workspaceId: workspace.id, filer: user, accountId, draft, now: ctx.clock(), requestId });
      acked = true;
      if (!result.ok) {
        await ack({ response_action: "errors", errors: postMortemErrorsToBlocks(result.errors, metadata.accountId !== undefined) });
        return;
      }
      await ack();
      await publishRetroThread(ctx, createRetroSlack(client), {
        workspaceId: workspace.id,
        churnEventId: result.churnEvent.id,
        filerSlackId: user.slackUserId,
        requestId,
      }).catch(async (error: unknown) => {
        ctx.logger.error({ requestId, err: error, churnEventId: result.churnEvent.id }, "retro thread could not be started");
        await client.chat
          .postMessage({ channel: body.user.id, text: `Your post-mortem for ${result.account.name} is saved, but the retrospective thread could not be posted (ref ${requestId.slice(0, 8)}). Check that @Pulse is in the retro channel.` })
          .catch(() => undefined);
      });
    } catch (error) {
      const text = errorText(ctx, error, requestId, "churn post-mortem");
      if (!acked) await ack({ response_action: "errors", errors: { [POST_MORTEM_BLOCK.churnedOn]: text.replace(/^:\w+: /, "") } });
    }
  };
}
