// Who is asking: the workspace (Slack team) and the Pulse user behind a Slack user id.
// Both are created on first contact. The first user of a workspace becomes its admin, so
// a fresh install is never locked out of `/pulse admin`.
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";
import type { User, Workspace } from "../generated/prisma/client.js";
import { DEMO_TEAM_ID } from "../domain/demo-portfolio.js";

export async function resolveWorkspace(db: Db, teamId: string, name?: string): Promise<Workspace> {
  const existing = await db.workspace.findUnique({ where: { slackTeamId: teamId } });
  if (existing) {
    if (!existing.active) throw new AppError("FORBIDDEN", `Workspace ${teamId} is inactive`, "Pulse is not active in this workspace any more. Reinstall the app to use it again.");
    return existing;
  }
  return db.workspace.upsert({ where: { slackTeamId: teamId }, create: { slackTeamId: teamId, name: name ?? teamId }, update: {} });
}

/**
 * The first Slack workspace connected to a Pulse that holds only the demo portfolio adopts
 * it, so a new team sees the demo in Slack at once. Returns true when it did.
 */
export async function adoptDemoWorkspace(db: Db, teamId: string, name: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const all = await tx.workspace.findMany({ select: { id: true, slackTeamId: true } });
    if (all.length !== 1 || all[0]!.slackTeamId !== DEMO_TEAM_ID) return false;
    await tx.workspace.update({ where: { id: all[0]!.id }, data: { slackTeamId: teamId, name } });
    return true;
  });
}

export async function resolveUser(db: Db, workspaceId: number, slackUserId: string, profile?: { name?: string; timezone?: string }): Promise<User> {
  const existing = await db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
  if (existing) return existing;
  return db.$transaction(async (tx) => {
    // Serialise first-user creation per workspace so exactly one becomes admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pulse-first-user'), ${workspaceId})`;
    const again = await tx.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
    if (again) return again;
    const anyAdmin = await tx.user.count({ where: { workspaceId, role: "admin" } });
    return tx.user.create({
      data: { workspaceId, slackUserId, name: profile?.name ?? null, timezone: profile?.timezone ?? null, role: anyAdmin ? "csm" : "admin" },
    });
  });
}

export function requireRole(user: Pick<User, "role">, allowed: User["role"][], what: string): void {
  if (!allowed.includes(user.role)) {
    throw new AppError("FORBIDDEN", `role ${user.role} may not ${what}`, `Only ${allowed.join(" or ")} users can ${what}.`);
  }
}
