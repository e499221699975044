// Buttons and selects: open the modals, show a picked account, confirm a quick survey,
// and the account type-ahead.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { isAppError } from "../../../errors.js";
import { findAccounts } from "../../../services/find-accounts.js";
import { alertDetractor } from "../../../services/detractor-alert.js";
import { recordSurvey, surveyInputSchema } from "../../../services/record-survey.js";
import { scoreAccount } from "../../../services/score-accounts.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { option, options } from "../../block-kit.js";
import { accountCardReply } from "../../commands/account.js";
import type { QuickSurveyValue } from "../../commands/survey.js";
import { ACTION, buttonRowId, parseRowId, rowIdSchema } from "../../ids.js";
import { surveyModal, touchpointModal } from "../../views/modals.js";

async function accountRef(ctx: AppContext, workspaceId: number, value: string | undefined): Promise<{ id: number; name: string } | undefined> {
  // A forged or stale value ("99999999999999999999") names no account: open the modal without one.
  const id = parseRowId(value);
  if (id === undefined) return undefined;
  const a = await ctx.db.account.findFirst({ where: { id, workspaceId }, select: { id: true, name: true } });
  return a ?? undefined;
}

const quickSurveyValueSchema = z.object({ a: rowIdSchema, k: z.enum(["nps", "csat", "ces"]), s: z.number(), c: z.string().optional() });

function parseQuickSurveyValue(raw: string | undefined): QuickSurveyValue | undefined {
  try {
    const parsed = quickSurveyValueSchema.safeParse(JSON.parse(raw ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function channelOf(body: BlockAction): string | undefined {
  return body.channel?.id ?? body.container?.channel_id;
}

export function registerActionListeners(app: App, ctx: AppContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.openLogTouchpoint, async ({ ack, body, action, client }) => {
    await ack();
    const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
    const account = await accountRef(ctx, workspace.id, action.value);
    await client.views.open({ trigger_id: body.trigger_id, view: touchpointModal({ account, today: ctx.clock(), metadata: { channelId: channelOf(body) } }) as never });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.openRecordSurvey, async ({ ack, body, action, client }) => {
    await ack();
    const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
    const account = await accountRef(ctx, workspace.id, action.value);
    await client.views.open({ trigger_id: body.trigger_id, view: surveyModal({ kind: "nps", account, today: ctx.clock(), metadata: { channelId: channelOf(body) } }) as never });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.pickAccount, async ({ ack, body, action, respond }) => {
    await ack();
    const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
    const user = await resolveUser(ctx.db, workspace.id, body.user.id);
    const reply = await Promise.resolve()
      .then(() => accountCardReply({ ctx, workspace, user, requestId: body.trigger_id }, buttonRowId(action.value)))
      .catch((error: unknown) => {
        if (isAppError(error)) return { text: `:warning: ${error.userMessage}` };
        throw error;
      });
    await respond({ response_type: "ephemeral", replace_original: false, text: reply.text, ...("blocks" in reply && reply.blocks ? { blocks: reply.blocks as never } : {}) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.quickSurveyConfirm, async ({ ack, body, action, respond }) => {
    await ack();
    const value = parseQuickSurveyValue(action.value);
    if (!value) {
      await respond({ replace_original: true, text: "That confirmation is no longer valid; nothing was recorded. Run the command again." });
      return;
    }
    try {
      const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
      const user = await resolveUser(ctx.db, workspace.id, body.user.id);
      const now = ctx.clock();
      // The button's value is as untrusted as a form: the same schema as the survey modal.
      const input = surveyInputSchema.safeParse({ accountId: value.a, kind: value.k, score: value.s, comment: value.c, respondedAt: now });
      if (!input.success) {
        await respond({ replace_original: true, text: `:x: ${input.error.issues.map((i) => i.message).join(" ")} Nothing was recorded.` });
        return;
      }
      const response = await recordSurvey(ctx, { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId }, input.data);
      void alertDetractor(ctx, response.id).catch((error: unknown) => ctx.logger.warn({ err: error }, "detractor alert failed"));
      const account = await ctx.db.account.findFirst({ where: { id: value.a, workspaceId: workspace.id }, select: { name: true } });
      await respond({ replace_original: true, text: `:white_check_mark: Recorded ${value.k.toUpperCase()} ${value.s} for *${account?.name ?? "the account"}*.` });
    } catch (error) {
      ctx.logger.error({ err: error }, "quick survey failed");
      await respond({ replace_original: true, text: `:x: ${isAppError(error) ? error.userMessage : "Pulse could not save it"}. Nothing was recorded; please try again.` });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.recomputeScore, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
      const user = await resolveUser(ctx.db, workspace.id, body.user.id);
      const accountId = buttonRowId(action.value);
      await scoreAccount(ctx, workspace.id, accountId, ctx.clock());
      const reply = await accountCardReply({ ctx, workspace, user, requestId: body.trigger_id }, accountId);
      await respond({ response_type: "ephemeral", replace_original: false, text: `Recomputed. ${reply.text}`, ...(reply.blocks ? { blocks: reply.blocks as never } : {}) });
    } catch (error) {
      ctx.logger.warn({ err: error }, "recompute failed");
      await respond({ response_type: "ephemeral", replace_original: false, text: `:x: ${isAppError(error) ? error.userMessage : "The score could not be recomputed; please try again."}` });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.quickSurveyCancel, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: "Cancelled: nothing was recorded." });
  });

  app.options(ACTION.accountSelect, async ({ ack, body, payload }) => {
    const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
    const matches = await findAccounts(ctx.db, workspace.id, payload.value ?? "", 50);
    await ack({ options: options(matches, (m) => option(m.domain ? `${m.name} (${m.domain})` : m.name, String(m.id))) });
  });
}
