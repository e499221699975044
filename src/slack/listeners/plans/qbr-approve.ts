// "Approve customer version" on the internal QBR pack's DM: the customer version of the
// stored pack goes to the approver's own DM, never to a channel.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { approveCustomerPack } from "../../../services/qbr-pack.js";
import { sendQbrPack } from "../../commands/qbr.js";
import { buttonRowId } from "../../ids.js";
import { errorText, tellUser, whoIsAsking } from "./shared.js";

export function approveQbrCallback(ctx: AppContext) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await args.ack();
    const requestId = randomUUID();
    try {
      const { workspace, user } = await whoIsAsking(ctx, args.body);
      const packId = buttonRowId(args.action.value);
      const actor = { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId };
      const approved = await approveCustomerPack(ctx.db, { ...actor, role: user.role }, packId, ctx.clock());
      await sendQbrPack(ctx, args.client, actor, packId, approved.content, "customer");
    } catch (error) {
      await tellUser(args.client, args.body, errorText(ctx, error, requestId, "approve QBR pack")).catch(
        () => undefined,
      );
    }
  };
}
