// What the digest's buttons do: snooze an account for 7 days (it comes back early if it
// gets worse), or take it over.
import type { AppContext } from "../app-context.js";
import { addDays } from "../domain/dates.js";
import { AppError } from "../errors.js";
import { recordAudit } from "./audit.js";

export const SNOOZE_DAYS = 7;

export async function snoozeAccount(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  accountId: number,
): Promise<{ name: string; until: Date }> {
  const now = ctx.clock();
  return ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { id: accountId, workspaceId: actor.workspaceId },
      select: { id: true, name: true },
    });
    if (!account)
      throw new AppError("NOT_FOUND", `account ${accountId}`, "That account does not exist in this workspace.");
    const latest = await tx.healthSnapshot.findFirst({
      where: { workspaceId: actor.workspaceId, accountId },
      orderBy: { scoredOn: "desc" },
      select: { score: true },
    });
    const until = addDays(now, SNOOZE_DAYS);
    await tx.digestSnooze.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId,
        snoozedById: actor.userId,
        until,
        scoreAtSnooze: latest?.score ?? null,
        note: `snoozed from a digest by ${actor.slackUserId}`,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "digest.snooze",
      entityType: "account",
      entityId: accountId,
      accountId,
      details: { until: until.toISOString() },
    });
    return { name: account.name, until };
  });
}

export async function assignAccountToUser(
  ctx: Pick<AppContext, "db">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  accountId: number,
): Promise<{ name: string; previousOwnerId: number | null }> {
  return ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { id: accountId, workspaceId: actor.workspaceId },
      select: { id: true, name: true, ownerId: true },
    });
    if (!account)
      throw new AppError("NOT_FOUND", `account ${accountId}`, "That account does not exist in this workspace.");
    await tx.account.update({ where: { id: accountId }, data: { ownerId: actor.userId } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "account.assign",
      entityType: "account",
      entityId: accountId,
      accountId,
      details: { from: account.ownerId, to: actor.userId },
    });
    return { name: account.name, previousOwnerId: account.ownerId };
  });
}
