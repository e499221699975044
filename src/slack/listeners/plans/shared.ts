// What the plan listeners share: who is asking, how to tell them something privately, and
// the words for an error. They act with Bolt's client, which carries the bounded call policy.
import type { WebClient } from "@slack/web-api";
import type { AppContext } from "../../../app-context.js";
import { AppError, isAppError } from "../../../errors.js";
import type { User, Workspace } from "../../../generated/prisma/client.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";

export interface InteractionBody {
  team?: { id: string; domain?: string } | null;
  user: { id: string; name?: string; team_id?: string };
  channel?: { id: string } | null;
}

export async function whoIsAsking(
  ctx: AppContext,
  body: InteractionBody,
): Promise<{ workspace: Workspace; user: User }> {
  const teamId = body.team?.id ?? body.user.team_id;
  if (!teamId)
    throw new AppError(
      "INVALID_INPUT",
      "interaction without a team id",
      "Slack did not say which workspace this came from.",
    );
  const workspace = await resolveWorkspace(ctx.db, teamId, body.team?.domain);
  const user = await resolveUser(ctx.db, workspace.id, body.user.id, { name: body.user.name });
  return { workspace, user };
}

/** Ephemeral in the channel the button was in; a DM otherwise (App Home, modals). */
export async function tellUser(client: WebClient, body: InteractionBody, text: string): Promise<void> {
  if (body.channel?.id) await client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text });
  else await client.chat.postMessage({ channel: body.user.id, text });
}

/** The user-safe text for an error, logged with the request id when it is not a coded one. */
export function errorText(ctx: AppContext, error: unknown, requestId: string, what: string): string {
  if (isAppError(error)) {
    ctx.logger.info({ requestId, code: error.code, err: error }, `${what} refused`);
    return `:warning: ${error.userMessage}`;
  }
  ctx.logger.error({ requestId, err: error }, `${what} failed`);
  return `:x: Sorry, something went wrong and nothing was changed. Please try again. (ref ${requestId.slice(0, 8)})`;
}

/** The inline error when a modal's private_metadata is not what Pulse wrote into it. */
