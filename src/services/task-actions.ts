// Done and Snooze on a playbook task: only within its workspace, audited.
import type { AppContext } from "../app-context.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import { AppError } from "../errors.js";
import { recordAudit } from "./audit.js";

export async function completeTask(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  taskId: number,
): Promise<string> {
  const now = ctx.clock();
  return ctx.db.$transaction(async (tx) => {
    const task = await tx.playbookTask.findFirst({ where: { id: taskId, workspaceId: actor.workspaceId } });
    if (!task) throw new AppError("NOT_FOUND", `task ${taskId}`, "That task does not exist in this workspace.");
    if (task.status === "done") return task.title;
    await tx.playbookTask.update({
      where: { id: task.id },
      data: { status: "done", completedAt: now, completedById: actor.userId, snoozedUntil: null },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "task.done",
      entityType: "playbook_task",
      entityId: task.id,
      accountId: task.accountId,
    });
    return task.title;
  });
}

export async function snoozeTask(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  taskId: number,
  days = 7,
): Promise<{ title: string; until: Date }> {
  const until = addDays(startOfUtcDay(ctx.clock()), days);
  return ctx.db.$transaction(async (tx) => {
    const task = await tx.playbookTask.findFirst({ where: { id: taskId, workspaceId: actor.workspaceId } });
    if (!task) throw new AppError("NOT_FOUND", `task ${taskId}`, "That task does not exist in this workspace.");
    if (task.status === "done") throw new AppError("CONFLICT", "task done", "That task is already done.");
    await tx.playbookTask.update({ where: { id: task.id }, data: { status: "snoozed", snoozedUntil: until } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "task.snooze",
      entityType: "playbook_task",
      entityId: task.id,
      accountId: task.accountId,
      details: { until: until.toISOString() },
    });
    return { title: task.title, until };
  });
}
