// What the churn listeners share: who is asking, how to tell them something privately, and
// how to read their forms.
import type { WebClient } from "@slack/web-api";
import type { z, ZodError, ZodType } from "zod";
import type { AppContext } from "../../../app-context.js";
import { AppError, isAppError } from "../../../errors.js";
import type { User, Workspace } from "../../../generated/prisma/client.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { viewStateSchema } from "../../views/churn-modals.js";

export interface InteractionBody {
  team?: { id: string; domain?: string } | null;
  user: { id: string; name?: string; team_id?: string };
  channel?: { id: string } | null;
}

export async function whoIsAsking(ctx: AppContext, body: InteractionBody): Promise<{ workspace: Workspace; user: User }> {
  const teamId = body.team?.id ?? body.user.team_id;
  if (!teamId) throw new AppError("INVALID_INPUT", "interaction without a team id", "Slack did not say which workspace this came from.");
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
const UNREADABLE_FORM = "Pulse could not read this form. Close it and open it again.";

/** A modal's private_metadata read with its schema; undefined when it is not what Pulse wrote. */
function readModalMetadata<T>(raw: string | undefined, schema: ZodType<T>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw || "{}");
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Inline errors for view state Slack sent in a shape Pulse does not read (values[block][action]
 * of another type): on each such block of the modal, else on `fallback`.
 */
function unreadableStateErrors(error: ZodError, blocks: readonly string[], fallback: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const block = typeof issue.path[0] === "string" && blocks.includes(issue.path[0]) ? issue.path[0] : fallback;
    out[block] = "Pulse could not read this answer. Please give it again.";
  }
  return out;
}

export type ChurnForm<M> =
  | { ok: true; metadata: M; state: z.infer<typeof viewStateSchema> }
  | { ok: false; problem: string; detail?: unknown; errors: Record<string, string> };

/**
 * A churn modal's metadata and state, or the inline errors to answer when either is not
 * what Pulse wrote (a forged or garbled submission): on each unreadable block, else on
 * `firstBlock`.
 */
export function readChurnForm<M>(
  view: { private_metadata?: string; state: { values: unknown } },
  metadataSchema: ZodType<M>,
  blocks: readonly string[],
  firstBlock: string,
): ChurnForm<M> {
  const metadata = readModalMetadata(view.private_metadata, metadataSchema);
  if (metadata === undefined) return { ok: false, problem: "unreadable private_metadata", errors: { [firstBlock]: UNREADABLE_FORM } };
  const state = viewStateSchema.safeParse(view.state.values);
  if (!state.success) return { ok: false, problem: "unreadable state", detail: state.error, errors: unreadableStateErrors(state.error, blocks, firstBlock) };
  return { ok: true, metadata, state: state.data };
}
