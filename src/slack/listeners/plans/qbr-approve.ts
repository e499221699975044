// "Approve customer version" on the internal QBR pack's DM: the customer version of the
// stored pack goes to the approver alone (sendQbrPack), never to a channel. A refusal (not
// the pack's owner, a pack of another workspace) is answered by the translator.
import type { AppContext } from "../../../app-context.js";
import { approveCustomerPack } from "../../../services/qbr-pack.js";
import { sendQbrPack } from "../../commands/qbr.js";
import { buttonRowId } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import type { ButtonArgs } from "../define.js";

export function approveQbrCallback(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    const [workspace, user] = [await pulse.workspace(), await pulse.user()];
    const packId = buttonRowId(args.action.value);
    const actor = { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId: pulse.requestId };
    const approved = await approveCustomerPack(ctx.db, { ...actor, role: user.role }, packId, ctx.clock());
    await sendQbrPack(ctx, pulse.slack, actor, packId, approved.content, "customer");
  };
}
