// Logging a touchpoint: validated, scoped to the workspace, written with its audit row in
// one statement.
import { z } from "zod";
import type { AppContext } from "../app-context.js";
import { SENTIMENTS, STAKEHOLDER_TYPES, TOUCHPOINT_KINDS } from "../domain/vocabulary.js";
import { ValidationError } from "../errors.js";

export const touchpointInputSchema = z.object({
  accountId: z.number({ message: "Choose an account." }).int().positive({ message: "Choose an account." }),
  kind: z.enum(TOUCHPOINT_KINDS, { message: "Choose what kind of touchpoint it was." }),
  occurredAt: z.date({ message: "Give the date it happened." }),
  stakeholderTypes: z.array(z.enum(STAKEHOLDER_TYPES)).max(3),
  sentiment: z.enum(SENTIMENTS).optional(),
  notes: z.string().trim().max(3000, { message: "Notes must be 3,000 characters or fewer." }).optional(),
  permalink: z.url().optional(),
});
export type TouchpointInput = z.infer<typeof touchpointInputSchema>;

export interface LogTouchpointActor {
  workspaceId: number;
  userId: number;
  slackUserId: string;
}

export interface LoggedTouchpoint {
  id: number;
  accountId: number;
  accountName: string;
}

/**
 * One statement: the account is checked to belong to the workspace, the touchpoint and its
 * audit row are written, all or nothing. A modal waits on this before it closes, and under
 * load every round trip counts: an interactive transaction took five.
 */
export async function logTouchpoint(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: LogTouchpointActor,
  input: TouchpointInput,
): Promise<LoggedTouchpoint> {
  const now = ctx.clock();
  if (input.occurredAt.getTime() > now.getTime() + 60_000)
    throw new ValidationError({ occurredAt: "The date cannot be in the future." });
  const details = JSON.stringify({ kind: input.kind, fromMessage: Boolean(input.permalink) });
  const [logged] = await ctx.db.$queryRaw<LoggedTouchpoint[]>`
    WITH account AS (
      SELECT a.id, a.name FROM "account" a WHERE a.id = ${input.accountId} AND a."workspaceId" = ${actor.workspaceId}
    ), touchpoint AS (
      INSERT INTO "touchpoint" ("workspaceId", "accountId", "kind", "occurredAt", "stakeholderTypes", "sentiment", "notes", "permalink", "source", "loggedById")
      SELECT ${actor.workspaceId}, account.id, ${input.kind}::"TouchpointKind", ${input.occurredAt}::timestamptz,
             ${input.stakeholderTypes}::text[]::"StakeholderType"[], ${input.sentiment ?? null}::"Sentiment",
             ${input.notes || null}, ${input.permalink ?? null}, 'slack', ${actor.userId}
      FROM account
      RETURNING id, "accountId"
    ), audit AS (
      INSERT INTO "audit_log" ("workspaceId", "actorSlackId", "action", "entityType", "entityId", "accountId", "details")
      SELECT ${actor.workspaceId}, ${actor.slackUserId}, 'touchpoint.create', 'touchpoint', touchpoint.id::text, touchpoint."accountId", ${details}::jsonb
      FROM touchpoint
    )
    SELECT touchpoint.id, touchpoint."accountId", account.name AS "accountName" FROM touchpoint JOIN account ON account.id = touchpoint."accountId"`;
  if (!logged) throw new ValidationError({ accountId: "That account does not exist in this workspace." });
  return logged;
}
