// End user / Manager or sponsor / Implementer or admin on the card, for a customer person
// Pulse added from a linked channel: sets their type (services/classify-contact.ts) and
// replaces their row where it was clicked, as task buttons do. A stale button says what the
// person is now and changes nothing.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { AppError } from "../../../errors.js";
import { classifyContact } from "../../../services/classify-contact.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import {
  classifiedRowBlocks,
  classifyOutcomeText,
  contactTypeOfAction,
  replaceContactRow,
} from "../../views/contact-types.js";
import { afterAck, answerClick, queueKey, type ButtonArgs } from "../define.js";
import { replaceClickedRow } from "./replace-row.js";

export function registerContactActionListeners(app: App, ctx: AppContext): void {
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTION.contactType}_[a-z_]+$`), async (args: ButtonArgs) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(queueKey(pulse), async () => {
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      if (!(await pulse.claimOnce())) return;
      const type = contactTypeOfAction(args.action.action_id);
      if (!type)
        throw new AppError(
          "INVALID_INPUT",
          `unknown contact type button ${args.action.action_id}`,
          "That button is from an older card; nothing was changed. Open the account again.",
        );
      const contactId = buttonRowId(args.action.value);
      const result = await classifyContact(
        ctx.db,
        { workspaceId: workspace.id, user, requestId: pulse.requestId },
        contactId,
        type,
      );
      const row = classifiedRowBlocks(result.contact, result.type, result.bySlackId);
      const replaced = await replaceClickedRow(
        ctx,
        args,
        pulse,
        workspace.id,
        (blocks) => replaceContactRow(blocks, contactId, row),
        { home: false, text: "Account" },
      );
      // A stale button is explained even when its row was redrawn: the row alone would not say nothing changed.
      if (!replaced || !result.changed)
        await answerClick(args, pulse, { text: classifyOutcomeText(result) }, { title: "Pulse" });
    });
  });
}
