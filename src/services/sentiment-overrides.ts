// A CSM's own read of an account, shown beside the computed score and never replacing it.
// Each has a reason and an expiry; setting and clearing are audited.
import type { AppContext } from "../app-context.js";
import { addDays } from "../domain/dates.js";
import { HEALTH_BANDS, type HealthBand } from "../domain/vocabulary.js";
import { AppError, ValidationError } from "../errors.js";
import type { Db } from "../db/client.js";
import { recordAudit } from "./audit.js";

export async function setOverride(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  input: { accountId: number; band: string; reason: string; days: number },
): Promise<{ expiresAt: Date }> {
  const errors: Record<string, string> = {};
  if (!(HEALTH_BANDS as readonly string[]).includes(input.band)) errors.band = "must be green, yellow or red";
  if (input.reason.trim().length < 5) errors.reason = "say why in a few words (in quotes)";
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 180) errors.days = "must be 1 to 180 days";
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const now = ctx.clock();
  const expiresAt = addDays(now, input.days);
  await ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { id: input.accountId, workspaceId: actor.workspaceId },
      select: { id: true },
    });
    if (!account)
      throw new AppError("NOT_FOUND", `account ${input.accountId}`, "That account does not exist in this workspace.");
    await tx.sentimentOverride.updateMany({
      where: { workspaceId: actor.workspaceId, accountId: input.accountId, clearedAt: null, expiresAt: { gt: now } },
      data: { clearedAt: now },
    });
    const o = await tx.sentimentOverride.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId: input.accountId,
        band: input.band as HealthBand,
        reason: input.reason.trim(),
        expiresAt,
        setById: actor.userId,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "override.set",
      entityType: "sentiment_override",
      entityId: o.id,
      accountId: input.accountId,
      details: { band: input.band, days: input.days },
    });
  });
  return { expiresAt };
}

export async function clearOverride(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; slackUserId: string },
  accountId: number,
): Promise<boolean> {
  const now = ctx.clock();
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.sentimentOverride.updateMany({
      where: { workspaceId: actor.workspaceId, accountId, clearedAt: null, expiresAt: { gt: now } },
      data: { clearedAt: now },
    });
    if (count)
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorSlackId: actor.slackUserId,
        action: "override.clear",
        entityType: "account",
        entityId: accountId,
        accountId,
      });
    return count > 0;
  });
}

/** The override in force for an account at `now`, if any. */
export async function activeOverride(db: Db, workspaceId: number, accountId: number, now: Date) {
  return db.sentimentOverride.findFirst({
    where: { workspaceId, accountId, clearedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    include: { setBy: { select: { slackUserId: true } } },
  });
}

export async function listOverrides(db: Db, workspaceId: number, now: Date) {
  return db.sentimentOverride.findMany({
    where: { workspaceId, clearedAt: null, expiresAt: { gt: now } },
    orderBy: { expiresAt: "asc" },
    include: { account: { select: { name: true } }, setBy: { select: { slackUserId: true } } },
  });
}
