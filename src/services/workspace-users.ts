// Who is asking: the workspace (Slack team) and the Pulse user behind a Slack user id.
// Both are created on first contact. The first real user of a workspace becomes its admin,
// so a fresh install is never locked out of `/pulse admin`; the demo's people do not count,
// or a team that adopted the demo could never reach roles, keys, imports or the audit.
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";
import type { User, Workspace } from "../generated/prisma/client.js";
import { DEMO_SLACK_USER_IDS, DEMO_TEAM_ID } from "../domain/demo-portfolio.js";
import { recordAudit } from "./audit.js";

/** A Slack team (T…) or Enterprise Grid org (E…) id; anything else never came from Slack. */
export function isSlackTeamId(teamId: string): boolean {
  return /^[TE][A-Z0-9]{1,30}$/.test(teamId);
}

export async function resolveWorkspace(db: Db, teamId: string, name?: string): Promise<Workspace> {
  // A payload without a team once created a workspace "" whose first user became admin.
  if (!isSlackTeamId(teamId))
    throw new AppError(
      "INVALID_INPUT",
      `not a Slack team id: ${JSON.stringify(teamId.slice(0, 40))}`,
      "Slack did not say which workspace this came from, so Pulse did nothing.",
    );
  const existing = await db.workspace.findUnique({ where: { slackTeamId: teamId } });
  if (existing) {
    if (!existing.active)
      throw new AppError(
        "FORBIDDEN",
        `Workspace ${teamId} is inactive`,
        "Pulse is not active in this workspace any more. Reinstall the app to use it again.",
      );
    return existing;
  }
  return db.workspace.upsert({
    where: { slackTeamId: teamId },
    create: { slackTeamId: teamId, name: name ?? teamId },
    update: {},
  });
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

export async function resolveUser(
  db: Db,
  workspaceId: number,
  slackUserId: string,
  profile?: { name?: string; timezone?: string },
): Promise<User> {
  const existing = await db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
  if (existing) return existing;
  return db.$transaction(async (tx) => {
    // Serialise first-user creation per workspace so exactly one becomes admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pulse-first-user'), ${workspaceId})`;
    const again = await tx.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
    if (again) return again;
    const [anyAdmin, realUsers] = await Promise.all([
      tx.user.count({ where: { workspaceId, role: "admin" } }),
      tx.user.count({ where: { workspaceId, slackUserId: { notIn: [...DEMO_SLACK_USER_IDS] } } }),
    ]);
    const firstReal = realUsers === 0 && !DEMO_SLACK_USER_IDS.includes(slackUserId);
    const created = await tx.user.create({
      data: {
        workspaceId,
        slackUserId,
        name: profile?.name ?? null,
        timezone: profile?.timezone ?? null,
        role: !anyAdmin || firstReal ? "admin" : "csm",
      },
    });
    if (anyAdmin && firstReal)
      await recordAudit(tx, {
        workspaceId,
        actorSlackId: slackUserId,
        action: "user.role",
        entityType: "user",
        entityId: created.id,
        details: { from: null, to: "admin", reason: "first real user of a workspace holding only demo users" },
      });
    return created;
  });
}

export const ROLES = ["admin", "manager", "csm"] as const satisfies readonly User["role"][];

/**
 * Sets a role from the command line (`pulse admin grant`): the recovery path when nobody in
 * Slack can. Creates the person when Pulse has not met them yet; audited with no Slack actor.
 * Refuses to take the role away from the last admin, so the workspace keeps one.
 */
export async function grantRole(
  db: Db,
  input: { workspaceId: number; slackUserId: string; role: User["role"] },
): Promise<{ user: User; from: User["role"] | null }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pulse-first-user'), ${input.workspaceId})`;
    const existing = await tx.user.findUnique({
      where: { workspaceId_slackUserId: { workspaceId: input.workspaceId, slackUserId: input.slackUserId } },
    });
    if (existing?.role === input.role) return { user: existing, from: existing.role };
    if (existing?.role === "admin") {
      const admins = await tx.user.count({ where: { workspaceId: input.workspaceId, role: "admin" } });
      if (admins <= 1)
        throw new AppError(
          "CONFLICT",
          `${input.slackUserId} is the only admin of this workspace: grant admin to someone else first`,
          `${input.slackUserId} is the only admin of this workspace: grant admin to someone else first, so the workspace is never left without one.`,
        );
    }
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: input.role } })
      : await tx.user.create({
          data: { workspaceId: input.workspaceId, slackUserId: input.slackUserId, role: input.role },
        });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: null,
      action: "user.role",
      entityType: "user",
      entityId: user.id,
      details: { from: existing?.role ?? null, to: input.role, via: "cli" },
    });
    return { user, from: existing?.role ?? null };
  });
}

export function requireRole(user: Pick<User, "role">, allowed: User["role"][], what: string): void {
  if (!allowed.includes(user.role)) {
    throw new AppError(
      "FORBIDDEN",
      `role ${user.role} may not ${what}`,
      `Only ${allowed.join(" or ")} users can ${what}.`,
    );
  }
}

/** A member of the workspace by Slack id, if Pulse knows them. */
export async function findUserBySlackId(db: Db, workspaceId: number, slackUserId: string): Promise<User | null> {
  return db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
}

/**
 * Sets someone's role (admins only), audited. The last admin cannot step down, so the
 * workspace is never left without one.
 */
export async function setUserRole(
  db: Db,
  input: { workspaceId: number; actor: User; targetSlackId: string; role: User["role"]; requestId?: string },
): Promise<void> {
  requireRole(input.actor, ["admin"], "change roles");
  if (input.targetSlackId === input.actor.slackUserId && input.role !== "admin") {
    const admins = await db.user.count({ where: { workspaceId: input.workspaceId, role: "admin" } });
    if (admins <= 1)
      throw new AppError(
        "CONFLICT",
        "last admin stepping down",
        "You are the only admin: make someone else admin first, so the workspace is never left without one.",
      );
  }
  const member = await resolveUser(db, input.workspaceId, input.targetSlackId);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: member.id }, data: { role: input.role } });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "user.role",
      entityType: "user",
      entityId: member.id,
      details: { from: member.role, to: input.role },
      requestId: input.requestId ?? null,
    });
  });
}

/** The names Pulse knows for these Slack users of the workspace (those without a name are left out). */
export async function namesOfSlackUsers(
  db: Db,
  workspaceId: number,
  slackUserIds: readonly string[],
): Promise<Map<string, string>> {
  if (!slackUserIds.length) return new Map();
  const users = await db.user.findMany({
    where: { workspaceId, slackUserId: { in: [...slackUserIds] }, name: { not: null } },
    select: { slackUserId: true, name: true },
  });
  return new Map(users.map((u) => [u.slackUserId, u.name!]));
}
