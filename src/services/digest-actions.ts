// What the digest's buttons do: snooze an account for 7 days (it comes back early if it
// gets worse), or take it over.
import type { AppContext } from "../app-context.js";
import { addDays } from "../domain/dates.js";
import { AppError } from "../errors.js";
import { recordAudit } from "./audit.js";
import { keepTasksWithAccounts } from "./task-actions.js";

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

export interface AssignResult {
  name: string;
  previousOwnerId: number | null;
  /** False when the person already owned it: nothing was written. */
  changed: boolean;
  tasksMoved: number;
}

/**
 * Takes an account over: its unfinished tasks move to the new owner with it, and the
 * previous owner is told by DM (after the change is committed; a DM that fails does not
 * undo it).
 */
export async function assignAccountToUser(
  ctx: Pick<AppContext, "db" | "slack" | "logger">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  accountId: number,
): Promise<AssignResult> {
  const result = await ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { id: accountId, workspaceId: actor.workspaceId },
      select: { id: true, name: true, ownerId: true, owner: { select: { slackUserId: true } } },
    });
    if (!account)
      throw new AppError("NOT_FOUND", `account ${accountId}`, "That account does not exist in this workspace.");
    if (account.ownerId === actor.userId)
      return { name: account.name, previousOwnerId: account.ownerId, changed: false, tasksMoved: 0, tell: null };
    await tx.account.update({ where: { id: accountId }, data: { ownerId: actor.userId } });
    const { moved } = await keepTasksWithAccounts(tx, actor.workspaceId, [accountId]);
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "account.assign",
      entityType: "account",
      entityId: accountId,
      accountId,
      details: { from: account.ownerId, to: actor.userId, tasksMoved: moved },
    });
    return {
      name: account.name,
      previousOwnerId: account.ownerId,
      changed: true,
      tasksMoved: moved,
      tell: account.owner?.slackUserId ?? null,
    };
  });
  const { tell, ...out } = result;
  if (tell)
    await ctx.slack
      .forWorkspace(actor.workspaceId)
      .dm(tell, {
        view: {
          kind: "account-reassigned",
          accountName: result.name,
          newOwnerSlackId: actor.slackUserId,
          tasksMoved: result.tasksMoved,
        },
      })
      .catch((error: unknown) =>
        ctx.logger.warn({ err: error, workspaceId: actor.workspaceId }, "could not tell the previous owner"),
      );
  return out;
}
