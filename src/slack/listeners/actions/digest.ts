// The digest's buttons: Snooze and Assign to me (confirmed ephemerally to the person who
// clicked, or in the list's modal), and "See all N" with the list's Previous / Next, which
// page through every account the digest covers today.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { AppError, isAppError } from "../../../errors.js";
import { assignAccountToUser, snoozeAccount, SNOOZE_DAYS } from "../../../services/digest-actions.js";
import { readDigestPage } from "../../../services/digests.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { ACTION, buttonRowId, rowIdSchema } from "../../ids.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { errorReplyText } from "../../middleware/translate-error.js";
import { digestListModal } from "../../views/digest.js";
import { loadingModal, noticeModal } from "../../views/modals.js";
import { afterAck, onWriteButton, openModalFrom, queueKey, type ButtonArgs } from "../define.js";

const pageValueSchema = z.object({ s: rowIdSchema, p: z.number().int().min(0).max(100_000) });

function pageValue(value: string | undefined): z.infer<typeof pageValueSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(value ?? "");
  } catch {
    raw = undefined;
  }
  const parsed = pageValueSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      `digest page value ${value}`,
      "This button is out of date; use today's digest.",
    );
  return parsed.data;
}

const TITLE = "Needing attention";

/** "See all" opens the list (a loading modal at once, while the trigger is valid); Previous / Next replace it in place. */
function showDigestPage(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    const v = pageValue(args.action.value);
    const inList = args.action.action_id !== ACTION.digestSeeAll && args.body.view?.type === "modal";
    const { viewId } = inList
      ? { viewId: args.body.view!.id }
      : await openModalFrom(pulse, args.body, loadingModal(TITLE));
    await afterAck(queueKey(pulse), async () => {
      try {
        const page = await readDigestPage(ctx, (await pulse.workspace()).id, v.s, v.p, ctx.clock());
        await pulse.slack.updateView(viewId, digestListModal(page));
      } catch (error) {
        await pulse.slack.updateView(viewId, noticeModal(TITLE, errorReplyText(error, pulse.requestId)));
        // A refusal is said in the modal; anything else is also logged by the translator.
        if (!isAppError(error)) throw error;
      }
    });
  };
}

export function registerDigestActionListeners(app: App, ctx: AppContext): void {
  for (const id of [ACTION.digestSeeAll, ACTION.digestPagePrevious, ACTION.digestPageNext])
    app.action<BlockAction<ButtonAction>>(id, showDigestPage(ctx));
  onWriteButton(app, ACTION.digestSnooze, async ({ workspace, user, value }) => {
    const { name } = await snoozeAccount(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      buttonRowId(value),
    );
    return {
      text: `:zzz: *${escapeMrkdwn(name)}* is hidden from digests for ${SNOOZE_DAYS} days, unless its score drops further.`,
    };
  });
  onWriteButton(app, ACTION.digestAssignToMe, async ({ workspace, user, value }) => {
    const { name, changed, tasksMoved } = await assignAccountToUser(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      buttonRowId(value),
    );
    if (!changed) return { text: `You already own *${escapeMrkdwn(name)}*.` };
    const moved = tasksMoved ? ` ${tasksMoved} open task${tasksMoved === 1 ? "" : "s"} moved to you.` : "";
    return { text: `:raised_hand: You now own *${escapeMrkdwn(name)}*.${moved}` };
  });
}
