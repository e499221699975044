// Buttons on the account card and the retro's parent message.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { AppError } from "../../../errors.js";
import { getAccountChoice, winBackAccount } from "../../../services/churn-post-mortem.js";
import { closeRetro, getChurnEventAccount } from "../../../services/retro.js";
import { parseRowId } from "../../ids.js";
import { createRetroSlack } from "../../retro-slack.js";
import { postMortemModal, retroActionItemModal } from "../../views/churn-modals.js";
import { errorText, tellUser, whoIsAsking } from "./shared.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The row id a button carries; a forged or huge one ("99999999999999999999") is refused plainly. */
function buttonId(args: ButtonArgs): number {
  const id = parseRowId(args.action.value);
  if (id === undefined) throw new AppError("INVALID_INPUT", `bad button value ${args.action.value}`, "This button is out of date; reopen the message.");
  return id;
}

function handled(ctx: AppContext, what: string, run: (args: ButtonArgs, requestId: string) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const requestId = randomUUID();
    try {
      await run(args, requestId);
    } catch (error) {
      await tellUser(args.client, args.body, errorText(ctx, error, requestId, what)).catch(() => undefined);
    }
  };
}

export function openPostMortemCallback(ctx: AppContext) {
  return handled(ctx, "open churn post-mortem", async (args) => {
    const { workspace } = await whoIsAsking(ctx, args.body);
    const account = await getAccountChoice(ctx.db, workspace.id, buttonId(args));
    if (account.status === "churned") {
      throw new AppError("CONFLICT", `account ${account.id} already churned`, `${account.name} is already churned. To reverse it: \`/pulse churn winback "${account.name}"\`.`);
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: postMortemModal({ account, today: ctx.clock(), metadata: { accountId: account.id, channelId: args.body.channel?.id } }) as never,
    });
  });
}

export function winBackCallback(ctx: AppContext) {
  return handled(ctx, "win back", async (args, requestId) => {
    const { workspace, user } = await whoIsAsking(ctx, args.body);
    const churnEventId = buttonId(args);
    const { accountId } = await getChurnEventAccount(ctx.db, workspace.id, churnEventId);
    const result = await winBackAccount(ctx.db, { workspaceId: workspace.id, actor: user, accountId, churnEventId, now: ctx.clock(), requestId });
    const { retroChannelId, retroThreadTs } = result.churnEvent;
    if (retroChannelId && retroThreadTs) {
      await createRetroSlack(args.client).post({ channel: retroChannelId, threadTs: retroThreadTs, text: `:tada: <@${user.slackUserId}> won this account back. ${result.summary}`, blocks: [] });
    } else {
      await tellUser(args.client, args.body, `:tada: ${result.summary}`);
    }
  });
}

export function addActionItemCallback(ctx: AppContext) {
  return handled(ctx, "open retro action item", async (args) => {
    const { workspace } = await whoIsAsking(ctx, args.body);
    const churnEventId = buttonId(args);
    const { accountName } = await getChurnEventAccount(ctx.db, workspace.id, churnEventId);
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: retroActionItemModal({ churnEventId, accountName, today: ctx.clock() }) as never });
  });
}

export function closeRetroCallback(ctx: AppContext) {
  return handled(ctx, "close retro", async (args, requestId) => {
    const { workspace, user } = await whoIsAsking(ctx, args.body);
    const closed = await closeRetro(ctx.db, { workspaceId: workspace.id, churnEventId: buttonId(args), actor: user, now: ctx.clock(), requestId });
    if (closed.channel && closed.threadTs) await createRetroSlack(args.client).post({ channel: closed.channel, threadTs: closed.threadTs, ...closed.summary });
    else await tellUser(args.client, args.body, closed.summary.text);
  });
}
