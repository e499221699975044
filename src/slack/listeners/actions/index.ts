// Buttons and selects: open the modals, show a picked account, confirm a quick survey,
// and the account type-ahead.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { SURVEY_KINDS } from "../../../domain/vocabulary.js";
import { AppError } from "../../../errors.js";
import { findAccountRef, findAccounts } from "../../../services/find-accounts.js";
import { alertDetractor } from "../../../services/detractor-alert.js";
import { recordSurvey, surveyInputSchema } from "../../../services/record-survey.js";
import { scoreAccount } from "../../../services/score-accounts.js";
import { escapeMrkdwn, option, options } from "../../block-kit.js";
import { accountCardReply } from "../../commands/account.js";
import { quickSurveyValueSchema } from "../../commands/survey.js";
import { ACTION, BLOCK, buttonRowId, parseRowId } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { loadingModal, surveyModal, touchpointModal, type ModalMetadata } from "../../views/modals.js";
import { readAccountId, type ViewState } from "../parse-view.js";
import { parseMetadata } from "../views/submissions.js";
import { channelOf, onShowButton, onWriteButton, openModalFrom, type ButtonArgs } from "../define.js";

/** Opens a modal at once, then fills in the account the button names (when it does). */
function openModalButton(
  ctx: AppContext,
  title: string,
  modal: (
    account: { id: number; name: string } | undefined,
    metadata: ModalMetadata,
  ) => Parameters<ReturnType<typeof pulseOf>["slack"]["openView"]>[1],
) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    const metadata = { channelId: channelOf(args.body) };
    const accountId = parseRowId(args.action.value);
    if (accountId === undefined) {
      await openModalFrom(pulse, args.body, modal(undefined, metadata));
      return;
    }
    // From the card in a modal (App Home's Open), the form goes on top of it.
    const { viewId } = await openModalFrom(pulse, args.body, loadingModal(title));
    const account = await findAccountRef(ctx.db, (await pulse.workspace()).id, accountId);
    await pulse.slack.updateView(viewId, modal(account, metadata));
  };
}

export function registerActionListeners(app: App, ctx: AppContext): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.openLogTouchpoint,
    openModalButton(ctx, "Log touchpoint", (account, metadata) =>
      touchpointModal({ account, today: ctx.clock(), metadata }),
    ),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.openRecordSurvey,
    openModalButton(ctx, "Record survey", (account, metadata) =>
      surveyModal({ kind: "nps", account, today: ctx.clock(), metadata, switchable: true }),
    ),
  );
  // NPS, CSAT or CES chosen in the form: redrawn with that scale, the account kept.
  app.action<BlockAction<StaticSelectAction>>(ACTION.surveyKindSwitch, async ({ ack, body, action, context }) => {
    await ack();
    const kind = z.enum(SURVEY_KINDS).safeParse(action.selected_option?.value);
    const view = body.view;
    if (!kind.success || view?.type !== "modal") return;
    const pulse = pulseOf(context);
    // The account picked, else the one the form was opened with (an untouched select may not be in the state).
    const opened = (view.blocks as { block_id?: string; element?: { initial_option?: { value?: string } } }[]).find(
      (b) => b.block_id === BLOCK.account,
    )?.element?.initial_option?.value;
    const accountId = readAccountId((view.state?.values ?? {}) as ViewState) ?? parseRowId(opened);
    const account =
      accountId === undefined ? undefined : await findAccountRef(ctx.db, (await pulse.workspace()).id, accountId);
    const { kind: _previous, ...metadata } = parseMetadata(view.private_metadata);
    await pulse.slack.updateView(
      view.id,
      surveyModal({ kind: kind.data, account, today: ctx.clock(), metadata, switchable: true }),
    );
  });

  // Open / Show: the card beside the message, or in a modal from App Home.
  onShowButton(app, ACTION.pickAccount, "Account", ({ workspace, user, pulse, value }) =>
    accountCardReply({ ctx, workspace, user, requestId: pulse.requestId }, buttonRowId(value)),
  );

  onWriteButton(app, ACTION.quickSurveyConfirm, async ({ workspace, user, value }) => {
    let raw: unknown;
    try {
      raw = JSON.parse(value ?? "");
    } catch {
      raw = undefined;
    }
    const parsed = quickSurveyValueSchema.safeParse(raw);
    if (!parsed.success)
      throw new AppError(
        "INVALID_INPUT",
        `quick survey value refused: ${parsed.error.issues.map((i) => i.path.join(".")).join(",")}`,
        "That confirmation is no longer valid; nothing was recorded. Run the command again.",
      );
    const v = parsed.data;
    // The button's value is as untrusted as a form: the same rules as the survey modal.
    const input = surveyInputSchema.safeParse({
      accountId: v.a,
      kind: v.k,
      score: v.s,
      comment: v.c,
      respondedAt: ctx.clock(),
    });
    if (!input.success) {
      const rules = input.error.issues.map((i) => i.message).join(" ");
      throw new AppError(
        "INVALID_INPUT",
        `quick survey value refused: ${input.error.issues.map((i) => i.path.join(".")).join(",")}`,
        `That confirmation is no longer valid: ${rules} Nothing was recorded. Run the command again.`,
      );
    }
    const response = await recordSurvey(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      input.data,
    );
    void alertDetractor(ctx, response.id).catch((error: unknown) =>
      ctx.logger.warn({ err: error }, "detractor alert failed"),
    );
    return {
      replace_original: true,
      text: `:white_check_mark: Recorded ${v.k.toUpperCase()} ${v.s} for *${escapeMrkdwn(response.accountName)}*.`,
    };
  });

  onWriteButton(app, ACTION.recomputeScore, async ({ workspace, user, value, pulse }) => {
    const accountId = buttonRowId(value);
    await scoreAccount(ctx, workspace.id, accountId, ctx.clock());
    const reply = await accountCardReply({ ctx, workspace, user, requestId: pulse.requestId }, accountId);
    // The new card takes the old one's place (in the message, or in the modal it was opened in).
    return { replace_original: true, text: `Recomputed. ${reply.text}`, blocks: reply.blocks };
  });

  app.action<BlockAction<ButtonAction>>(ACTION.quickSurveyCancel, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: "Cancelled: nothing was recorded." });
  });

  app.options(ACTION.accountSelect, async ({ ack, payload, context }) => {
    const matches = await findAccounts(ctx.db, (await pulseOf(context).workspace()).id, payload.value ?? "", 50);
    await ack({
      options: options(matches, (m) => option(m.domain ? `${m.name} (${m.domain})` : m.name, String(m.id))),
    });
  });
}
