// Done and Snooze buttons on playbook tasks.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { isAppError } from "../../../errors.js";
import { completeTask, snoozeTask } from "../../../services/task-actions.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { ACTION, buttonRowId } from "../../ids.js";
import { formatDay } from "../../views/format.js";

export function registerTaskActionListeners(app: App, ctx: AppContext): void {
  const handle =
    (run: (actor: { workspaceId: number; userId: number; slackUserId: string }, taskId: number) => Promise<string>) =>
    async ({ ack, body, action, respond }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction; respond: (m: Record<string, unknown>) => Promise<unknown> }) => {
      await ack();
      try {
        const workspace = await resolveWorkspace(ctx.db, body.team?.id ?? "");
        const user = await resolveUser(ctx.db, workspace.id, body.user.id);
        await respond({ response_type: "ephemeral", replace_original: false, text: await run({ workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId }, buttonRowId(action.value)) });
      } catch (error) {
        await respond({ response_type: "ephemeral", replace_original: false, text: `:x: ${isAppError(error) ? error.userMessage : "Something went wrong; nothing was changed."}` });
      }
    };
  app.action<BlockAction<ButtonAction>>(ACTION.taskDone, handle(async (actor, id) => `:white_check_mark: Done: *${escapeMrkdwn(await completeTask(ctx, actor, id))}*`));
  app.action<BlockAction<ButtonAction>>(
    ACTION.taskSnooze,
    handle(async (actor, id) => {
      const { title, until } = await snoozeTask(ctx, actor, id);
      return `:zzz: *${escapeMrkdwn(title)}* snoozed until ${formatDay(until)}.`;
    }),
  );
}
