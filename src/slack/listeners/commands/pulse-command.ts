// `/pulse …`: ack at once (Slack's 3-second limit), then dispatch to the matching
// subcommand in this person's turn of the follow-up queue. Unknown or malformed input
// answers with "did you mean" or the closest commands (commands/suggest.ts). Errors reach the translator (middleware/translate-error.ts).
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { renderHelp } from "../../commands/help.js";
import { findSubcommand, subcommands } from "../../commands/index.js";
import { unknownCommandReply } from "../../commands/suggest.js";
import { tokenize } from "../../commands/tokenize.js";
import type { BaseSubcommandInput, Reply } from "../../commands/types.js";
import { pulseOf } from "../../middleware/pulse-request.js";
import { AFTER_ACK, createWorkQueue, type WorkQueue } from "../../work-queue.js";

export function pulseCommandCallback(ctx: AppContext, afterAck: WorkQueue = createWorkQueue(AFTER_ACK)) {
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await args.ack();
    const pulse = pulseOf(args.context);
    await afterAck(`${pulse.teamId}:${pulse.userSlackId}`, () => answerCommand(ctx, args));
  };
}

async function answerCommand(
  ctx: AppContext,
  { command, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  const pulse = pulseOf(context);
  const reply = (r: Reply) =>
    respond({
      response_type: r.response_type ?? "ephemeral",
      text: r.text,
      ...(r.blocks ? { blocks: r.blocks } : {}),
      ...(r.replace_original !== undefined ? { replace_original: r.replace_original } : {}),
    }).then(() => undefined);
  // PostgreSQL text cannot hold U+0000, and it means nothing in a command: drop it rather
  // than fail in the first query that carries it.
  const text = (command.text ?? "").replace(/\u0000/g, "");
  const words = tokenize(text);
  const match = findSubcommand(words);
  if (!match) {
    await reply(words.length ? unknownCommandReply(text, words, subcommands) : renderHelp(subcommands));
    return;
  }
  const base: BaseSubcommandInput = {
    ctx,
    slack: pulse.slack,
    pulse,
    channelId: command.channel_id,
    triggerId: command.trigger_id,
    args: words.slice(match.consumed),
    rest: text.trim().split(/\s+/).slice(match.consumed).join(" "),
    respond: reply,
    requestId: pulse.requestId,
  };
  const sub = match.command;
  if (sub.lazy) {
    await sub.run(base);
    return;
  }
  const [workspace, user] = [await pulse.workspace(), await pulse.user()];
  if (sub.writes && !(await pulse.claimOnce())) return; // a replay: the first delivery answered
  await sub.run({ ...base, workspace, user });
}
