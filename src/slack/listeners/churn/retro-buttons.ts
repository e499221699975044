// Buttons on the account card and the retro's parent message.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { AppError } from "../../../errors.js";
import { getAccountChoice, winBackAccount } from "../../../services/churn-post-mortem.js";
import { closeRetro, getChurnEventAccount } from "../../../services/retro.js";
import { ACTION, parseRowId } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { loadingModal, noticeModal } from "../../views/modals.js";
import { postMortemModal, retroActionItemModal } from "../../views/churn-modals.js";
import { retroSummaryMessage, winBackText } from "../../views/retro-thread.js";
import { errorReplyText } from "../../middleware/translate-error.js";
import { afterAck, openModalFrom, queueKey, tellUser } from "../define.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

function buttonId(args: ButtonArgs): number {
  const id = parseRowId(args.action.value);
  if (id === undefined)
    throw new AppError(
      "INVALID_INPUT",
      `bad button value ${args.action.value}`,
      "This button is out of date; reopen the message.",
    );
  return id;
}

/** Opens a loading modal at once, then the form once its data is read (or why it cannot be shown). */
async function openThenFill(
  args: ButtonArgs,
  title: string,
  fill: () => Promise<Parameters<ReturnType<typeof pulseOf>["slack"]["updateView"]>[1]>,
): Promise<void> {
  await args.ack();
  const pulse = pulseOf(args.context);
  const { viewId } = await openModalFrom(pulse, args.body, loadingModal(title));
  try {
    await pulse.slack.updateView(viewId, await fill());
  } catch (error) {
    await pulse.slack
      .updateView(viewId, noticeModal(title, errorReplyText(error, pulse.requestId)))
      .catch(() => undefined);
    throw error;
  }
}

/** A button that writes: once per click, in this person's turn of the follow-up queue. */
function writeButton(run: (args: ButtonArgs) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(queueKey(pulse), async () => {
      await pulse.user();
      if (!(await pulse.claimOnce())) return;
      await run(args);
    });
  };
}

export function registerRetroButtons(app: App, ctx: AppContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.openChurnPostMortem, (args) =>
    openThenFill(args, "Churn post-mortem", async () => {
      const account = await getAccountChoice(ctx.db, (await pulseOf(args.context).workspace()).id, buttonId(args));
      if (account.status === "churned") {
        throw new AppError(
          "CONFLICT",
          `account ${account.id} already churned`,
          `${account.name} is already churned. To reverse it: \`/pulse churn winback "${account.name}"\`.`,
        );
      }
      return postMortemModal({
        account,
        today: ctx.clock(),
        metadata: { accountId: account.id, channelId: args.body.channel?.id },
      });
    }),
  );

  app.action<BlockAction<ButtonAction>>(ACTION.retroAddActionItem, (args) =>
    openThenFill(args, "Retro action item", async () => {
      const churnEventId = buttonId(args);
      const { accountName } = await getChurnEventAccount(
        ctx.db,
        (await pulseOf(args.context).workspace()).id,
        churnEventId,
      );
      return retroActionItemModal({ churnEventId, accountName, today: ctx.clock() });
    }),
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.churnWinBack,
    writeButton(async (args) => {
      const pulse = pulseOf(args.context);
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      const churnEventId = buttonId(args);
      const { accountId } = await getChurnEventAccount(ctx.db, workspace.id, churnEventId);
      const result = await winBackAccount(ctx.db, {
        workspaceId: workspace.id,
        actor: user,
        accountId,
        churnEventId,
        now: ctx.clock(),
        requestId: pulse.requestId,
      });
      const { retroChannelId, retroThreadTs } = result.churnEvent;
      if (retroChannelId && retroThreadTs)
        await pulse.slack.post({
          channel: retroChannelId,
          threadTs: retroThreadTs,
          text: winBackText(result.account.name, result.outcome, user.slackUserId),
        });
      else await tellUser(pulse, args.body.channel?.id, winBackText(result.account.name, result.outcome));
    }),
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.retroClose,
    writeButton(async (args) => {
      const pulse = pulseOf(args.context);
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      const closed = await closeRetro(ctx.db, {
        workspaceId: workspace.id,
        churnEventId: buttonId(args),
        actor: user,
        now: ctx.clock(),
        requestId: pulse.requestId,
      });
      const summary = retroSummaryMessage(closed.summary);
      if (closed.channel && closed.threadTs)
        await pulse.slack.post({ channel: closed.channel, threadTs: closed.threadTs, ...summary });
      else await tellUser(pulse, args.body.channel?.id, summary.text);
    }),
  );
}
