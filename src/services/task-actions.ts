// Done and Snooze on a playbook task: only within its workspace, audited. And the rule
// that a task follows its account: a churned account's tasks close, a reassigned account's
// open tasks go to its new owner (issue 15, item 8).
import type { AppContext } from "../app-context.js";
import type { DbTx } from "../db/client.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import { AppError } from "../errors.js";
import { recordAudit } from "./audit.js";

/** Open and snoozed: a task someone still has to do. */
export const UNFINISHED_TASK = ["open", "snoozed"] as const;

/** Every outcome names the task's account: many accounts get a task of the same title. */
export type CompletedTask =
  | { outcome: "done"; title: string; accountName: string }
  /** Nothing was written: who did it and when, to say so. */
  | {
      outcome: "already-done";
      title: string;
      accountName: string;
      completedAt: Date | null;
      completedBySlackId: string | null;
    }
  /** Closed because its account churned; nothing was written. */
  | { outcome: "cancelled"; title: string; accountName: string };

export async function completeTask(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  taskId: number,
): Promise<CompletedTask> {
  const now = ctx.clock();
  return ctx.db.$transaction(async (tx) => {
    // Conditional, so two clicks at once (two copies of a DM) write once: the second waits
    // for the first's row lock, then finds nothing left to do.
    const { count } = await tx.playbookTask.updateMany({
      where: { id: taskId, workspaceId: actor.workspaceId, status: { in: [...UNFINISHED_TASK] } },
      data: { status: "done", completedAt: now, completedById: actor.userId, snoozedUntil: null },
    });
    const task = await tx.playbookTask.findFirst({
      where: { id: taskId, workspaceId: actor.workspaceId },
      include: { completedBy: { select: { slackUserId: true } }, account: { select: { name: true } } },
    });
    if (!task) throw new AppError("NOT_FOUND", `task ${taskId}`, "That task does not exist in this workspace.");
    const accountName = task.account.name;
    if (task.status === "cancelled") return { outcome: "cancelled", title: task.title, accountName };
    if (!count)
      return {
        outcome: "already-done",
        title: task.title,
        accountName,
        completedAt: task.completedAt,
        completedBySlackId: task.completedBy?.slackUserId ?? null,
      };
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "task.done",
      entityType: "playbook_task",
      entityId: task.id,
      accountId: task.accountId,
    });
    return { outcome: "done", title: task.title, accountName };
  });
}

export async function snoozeTask(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  taskId: number,
  days = 7,
): Promise<{ title: string; accountName: string; until: Date }> {
  const until = addDays(startOfUtcDay(ctx.clock()), days);
  return ctx.db.$transaction(async (tx) => {
    const task = await tx.playbookTask.findFirst({
      where: { id: taskId, workspaceId: actor.workspaceId },
      include: { account: { select: { name: true } } },
    });
    if (!task) throw new AppError("NOT_FOUND", `task ${taskId}`, "That task does not exist in this workspace.");
    if (task.status === "done") throw new AppError("CONFLICT", "task done", "That task is already done.");
    if (task.status === "cancelled")
      throw new AppError("CONFLICT", "task cancelled", "That task was closed when its account churned.");
    // Conditional: a Done that lands meanwhile is not undone by the snooze.
    const { count } = await tx.playbookTask.updateMany({
      where: { id: task.id, status: { in: [...UNFINISHED_TASK] } },
      data: { status: "snoozed", snoozedUntil: until },
    });
    if (!count) throw new AppError("CONFLICT", "task done meanwhile", "That task is already done.");
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "task.snooze",
      entityType: "playbook_task",
      entityId: task.id,
      accountId: task.accountId,
      details: { until: until.toISOString() },
    });
    return { title: task.title, accountName: task.account.name, until };
  });
}

/**
 * Moves an account's unfinished tasks to its owner now (none when it has no owner), and
 * closes them when it churned. Called wherever an account changes owner or churns, in the
 * same transaction; the nightly run catches any change made elsewhere.
 */
export async function keepTasksWithAccounts(
  tx: DbTx,
  workspaceId: number,
  accountIds?: number[],
): Promise<{ moved: number; closed: number }> {
  if (accountIds && !accountIds.length) return { moved: 0, closed: 0 };
  const scope = accountIds ? { id: { in: accountIds } } : {};
  const churned = await tx.account.findMany({
    where: { workspaceId, status: "churned", ...scope },
    select: { id: true },
  });
  const { count: closed } = churned.length
    ? await tx.playbookTask.updateMany({
        where: { workspaceId, accountId: { in: churned.map((a) => a.id) }, status: { in: [...UNFINISHED_TASK] } },
        data: { status: "cancelled", snoozedUntil: null },
      })
    : { count: 0 };
  // An unowned account keeps its tasks with whoever had them: someone should still see them.
  const moved = await tx.$executeRaw`
    UPDATE "playbook_task" t SET "ownerId" = a."ownerId", "updatedAt" = now()
      FROM "account" a
     WHERE a."workspaceId" = ${workspaceId} AND a."id" = t."accountId" AND t."workspaceId" = a."workspaceId"
       AND a."status" = 'active' AND a."ownerId" IS NOT NULL
       AND t."status" IN ('open', 'snoozed') AND t."ownerId" IS DISTINCT FROM a."ownerId"
       AND (${accountIds ?? null}::int[] IS NULL OR a."id" = ANY(${accountIds ?? null}::int[]))`;
  return { moved, closed };
}
