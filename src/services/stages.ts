// Setting an account's lifecycle stage (by hand or by confirming a suggestion), with its
// history and audit row in one transaction.
import type { AppContext } from "../app-context.js";
import { LIFECYCLE_STAGES, type LifecycleStage } from "../domain/vocabulary.js";
import { AppError, ValidationError } from "../errors.js";
import { recordAudit } from "./audit.js";

export async function setStage(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  accountId: number,
  stage: string,
  source: string,
  reason?: string,
): Promise<{ name: string; from: LifecycleStage; to: LifecycleStage }> {
  if (!(LIFECYCLE_STAGES as readonly string[]).includes(stage))
    throw new ValidationError({ stage: `must be one of ${LIFECYCLE_STAGES.join(", ")}` });
  const to = stage as LifecycleStage;
  const now = ctx.clock();
  return ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { id: accountId, workspaceId: actor.workspaceId },
      select: { id: true, name: true, stage: true },
    });
    if (!account)
      throw new AppError("NOT_FOUND", `account ${accountId}`, "That account does not exist in this workspace.");
    const from = account.stage as LifecycleStage;
    if (from === to) return { name: account.name, from, to };
    await tx.account.update({ where: { id: accountId }, data: { stage: to, stageSince: now } });
    await tx.stageChange.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId,
        fromStage: from,
        toStage: to,
        changedAt: now,
        changedById: actor.userId,
        source,
        reason: reason ?? null,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "account.stage",
      entityType: "account",
      entityId: accountId,
      accountId,
      details: { from, to, source },
    });
    return { name: account.name, from, to };
  });
}
