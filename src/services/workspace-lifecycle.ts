// A workspace's life after install: uninstalled or its bot token revoked -> inactive (jobs
// skip it, requests are refused), its data kept for the configured retention period in
// case of a reinstall, then erased by a daily job. Deleting the workspace row cascades to
// every table that carries its workspaceId.
import type { Db } from "../db/client.js";
import { recordAudit } from "./audit.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export type DeactivationReason = "app_uninstalled" | "tokens_revoked";

export interface DeactivateWorkspaceOptions {
  db: Db;
  teamId: string;
  reason: DeactivationReason;
  now: Date;
  retentionDays: number;
}

export type DeactivationOutcome =
  | { deactivated: true; workspaceId: number; eraseAfter: Date }
  | { deactivated: false; why: "unknown" | "already-inactive" };

/** Idempotent: a workspace already inactive keeps its original erasure date. */
export async function deactivateWorkspace({
  db,
  teamId,
  reason,
  now,
  retentionDays,
}: DeactivateWorkspaceOptions): Promise<DeactivationOutcome> {
  return db.$transaction(async (tx) => {
    const workspace = await tx.workspace.findUnique({ where: { slackTeamId: teamId } });
    if (!workspace) return { deactivated: false, why: "unknown" as const };
    if (!workspace.active) return { deactivated: false, why: "already-inactive" as const };
    const eraseAfter = new Date(now.getTime() + retentionDays * DAY_MS);
    await tx.workspace.update({ where: { id: workspace.id }, data: { active: false, deactivatedAt: now, eraseAfter } });
    await tx.slackInstallation.updateMany({
      where: { workspaceId: workspace.id, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAudit(tx, {
      workspaceId: workspace.id,
      action: "workspace.deactivate",
      entityType: "workspace",
      entityId: workspace.id,
      details: { reason, eraseAfter: eraseAfter.toISOString(), retentionDays },
    });
    return { deactivated: true as const, workspaceId: workspace.id, eraseAfter };
  });
}

/** Ids of the workspaces jobs should work for. */
export async function activeWorkspaceIds(db: Db): Promise<number[]> {
  const rows = await db.workspace.findMany({ where: { active: true }, select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((r) => r.id);
}

/**
 * Erases inactive workspaces whose retention ran out. Each is deleted on its own, so one
 * failure does not keep the others' data past their date; the re-check of `active` in the
 * where clause means a workspace reinstalled meanwhile is never erased.
 */
export async function eraseExpiredWorkspaces(
  db: Db,
  now: Date,
): Promise<{ erased: { id: number; slackTeamId: string }[] }> {
  const due = await db.workspace.findMany({
    where: { active: false, eraseAfter: { lte: now } },
    select: { id: true, slackTeamId: true },
    orderBy: { id: "asc" },
  });
  const erased: { id: number; slackTeamId: string }[] = [];
  for (const workspace of due) {
    const { count } = await db.workspace.deleteMany({
      where: { id: workspace.id, active: false, eraseAfter: { lte: now } },
    });
    if (count) erased.push(workspace);
  }
  return { erased };
}
