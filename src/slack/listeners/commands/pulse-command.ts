// `/pulse …`: ack at once (Slack's 3-second limit), then find who is asking and dispatch
// to the matching subcommand. Unknown or malformed input answers with usage help.
import { randomUUID } from "node:crypto";
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { isAppError } from "../../../errors.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { renderHelp } from "../../commands/help.js";
import { findSubcommand, subcommands } from "../../commands/index.js";
import { tokenize } from "../../commands/tokenize.js";
import type { Reply } from "../../commands/types.js";
import { createWorkQueue, type WorkQueue } from "../../work-queue.js";

/** Commands answered at once from one process; the rest wait their turn (see work-queue.ts). */
const CONCURRENT_COMMANDS = 4;

export function pulseCommandCallback(ctx: AppContext, afterAck: WorkQueue = createWorkQueue(CONCURRENT_COMMANDS, "commands")) {
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await args.ack();
    await afterAck(() => answerCommand(ctx, args));
  };
}

async function answerCommand(ctx: AppContext, { command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const requestId = randomUUID();
  const reply = (r: Reply) => respond({ response_type: r.response_type ?? "ephemeral", text: r.text, ...(r.blocks ? { blocks: r.blocks as never } : {}), ...(r.replace_original !== undefined ? { replace_original: r.replace_original } : {}) }).then(() => undefined);
  // PostgreSQL text cannot hold U+0000, and it means nothing in a command: drop it rather
  // than fail in the first query that carries it.
  const text = (command.text ?? "").replace(/\u0000/g, "");
  try {
    const words = tokenize(text);
    const match = findSubcommand(words);
    if (!match) {
      const intro = words.length ? `I don't know \`/pulse ${text.trim().slice(0, 100)}\`.` : undefined;
      await reply(renderHelp(subcommands, intro));
      return;
    }
    const workspace = await resolveWorkspace(ctx.db, command.team_id, command.team_domain);
    const user = await resolveUser(ctx.db, workspace.id, command.user_id, { name: command.user_name });
    const restText = text.trim().split(/\s+/).slice(match.consumed).join(" ");
    await match.command.run({
      ctx,
      client,
      workspace,
      user,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      args: words.slice(match.consumed),
      rest: restText,
      respond: reply,
      requestId,
    });
  } catch (error) {
    if (isAppError(error)) {
      ctx.logger.info({ requestId, code: error.code, err: error }, "/pulse refused");
      await reply({ text: `:warning: ${error.userMessage}` }).catch(() => undefined);
      return;
    }
    ctx.logger.error({ requestId, err: error }, "/pulse failed");
    await reply({ text: `:x: Sorry, something went wrong and nothing was changed. Please try again. (ref ${requestId.slice(0, 8)})` }).catch(() => undefined);
  }
}
