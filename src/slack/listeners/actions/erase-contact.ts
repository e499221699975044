// The confirmation of `/pulse admin erase contact`: the Erase button (behind Slack's
// confirm dialog) erases what the preview showed, once; Cancel erases nothing.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { isAppError } from "../../../errors.js";
import { eraseContact } from "../../../services/privacy.js";
import { requireRole, resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { ACTION, MAX_ROW_ID } from "../../ids.js";
import { eraseReply, type EraseContactValue } from "../../views/privacy-admin.js";

const eraseValue: z.ZodType<EraseContactValue> = z.object({
  e: z.string().min(3).max(320),
  n: z.string().min(8).max(64),
  c: z.number().int().min(0).max(MAX_ROW_ID),
});

function parseValue(raw: string | undefined): EraseContactValue | undefined {
  try {
    const parsed = eraseValue.safeParse(JSON.parse(raw ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function registerEraseContactActionListeners(app: App, ctx: AppContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.eraseContactConfirm, async ({ ack, body, action, respond }) => {
    await ack();
    const value = parseValue(action.value);
    if (!value) {
      await respond({
        replace_original: true,
        text: "That confirmation is not valid; nothing was erased. Run `/pulse admin erase contact` again.",
      });
      return;
    }
    try {
      const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
      const user = await resolveUser(ctx.db, workspace.id, body.user.id);
      requireRole(user, ["admin"], "erase personal data");
      const result = await eraseContact(
        ctx.db,
        { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId: value.n },
        value.e,
        ctx.clock(),
        {
          token: value.n,
          contacts: value.c,
        },
      );
      const reply = eraseReply(result);
      await respond({ replace_original: true, text: reply.text, blocks: reply.blocks });
    } catch (error) {
      if (!isAppError(error)) ctx.logger.error({ err: error }, "contact erasure failed");
      const text = isAppError(error)
        ? `:warning: ${error.userMessage}`
        : ":x: Pulse could not erase it; nothing was changed. Please try again.";
      await respond({ replace_original: isAppError(error) && error.code === "CONFLICT", text });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.eraseContactCancel, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: "Cancelled: nothing was erased." });
  });
}
