// The shape every interactive listener shares: ack, parse, call one service, render. These
// helpers hold the parts that would otherwise be repeated: the follow-up queue (fair per
// person), the idempotency claim of a write, and the ephemeral reply. Errors are not caught
// here; the middleware's translator answers them (middleware/translate-error.ts).
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { User, Workspace } from "../../generated/prisma/client.js";
import type { Reply } from "../commands/types.js";
import { pulseOf, type PulseRequest } from "../middleware/pulse-request.js";
import { AFTER_ACK, createWorkQueue } from "../work-queue.js";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Follow-up work of every listener: one queue per process, fair per person. */
export const afterAck = createWorkQueue(AFTER_ACK);

export function queueKey(pulse: PulseRequest): string {
  return `${pulse.teamId}:${pulse.userSlackId}`;
}

export interface ButtonInput {
  pulse: PulseRequest;
  workspace: Workspace;
  user: User;
  /** The button's value as sent (parse it with a schema). */
  value: string | undefined;
  body: BlockAction;
}

/**
 * A button that writes: claimed once (a double click or a replay writes nothing twice),
 * then the reply is shown ephemerally, beside the message, unless it says replace_original.
 */
export function onWriteButton(app: App, actionId: string, run: (input: ButtonInput) => Promise<Reply>): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (args: ButtonArgs) => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(queueKey(pulse), async () => {
      const [workspace, user] = [await pulse.workspace(), await pulse.user()];
      if (!(await pulse.claimOnce())) return;
      const reply = await run({ pulse, workspace, user, value: args.action.value, body: args.body });
      await args.respond({
        response_type: "ephemeral",
        replace_original: reply.replace_original ?? false,
        text: reply.text,
        ...(reply.blocks ? { blocks: reply.blocks } : {}),
      });
    });
  });
}

/** Where a reply to an interaction goes when there is no response_url: ephemeral in its channel, else a DM. */
export async function tellUser(pulse: PulseRequest, channelId: string | undefined, text: string): Promise<void> {
  if (!pulse.userSlackId) return;
  if (channelId && !channelId.startsWith("D"))
    await pulse.slack.ephemeral({ channel: channelId, userSlackId: pulse.userSlackId, text });
  else await pulse.slack.dm(pulse.userSlackId, { text });
}
