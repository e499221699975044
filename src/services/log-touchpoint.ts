// Logging a touchpoint: validated, scoped to the workspace, written with its audit row in
// one transaction.
import { z } from "zod";
import type { AppContext } from "../app-context.js";
import { ValidationError } from "../errors.js";
import type { Touchpoint } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";

export const TOUCHPOINT_KINDS = ["call", "meeting", "email", "qbr", "support_escalation", "other"] as const;
export const STAKEHOLDER_TYPES = ["end_user", "sponsor", "implementer"] as const;
export const SENTIMENTS = ["positive", "neutral", "negative"] as const;

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

export async function logTouchpoint(ctx: Pick<AppContext, "db" | "clock">, actor: LogTouchpointActor, input: TouchpointInput): Promise<Touchpoint> {
  const now = ctx.clock();
  if (input.occurredAt.getTime() > now.getTime() + 60_000) throw new ValidationError({ occurredAt: "The date cannot be in the future." });
  return ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({ where: { id: input.accountId, workspaceId: actor.workspaceId }, select: { id: true } });
    if (!account) throw new ValidationError({ accountId: "That account does not exist in this workspace." });
    const touchpoint = await tx.touchpoint.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId: input.accountId,
        kind: input.kind,
        occurredAt: input.occurredAt,
        stakeholderTypes: input.stakeholderTypes,
        sentiment: input.sentiment ?? null,
        notes: input.notes || null,
        permalink: input.permalink ?? null,
        source: "slack",
        loggedById: actor.userId,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "touchpoint.create",
      entityType: "touchpoint",
      entityId: touchpoint.id,
      accountId: input.accountId,
      details: { kind: input.kind, fromMessage: Boolean(input.permalink) },
    });
    return touchpoint;
  });
}
