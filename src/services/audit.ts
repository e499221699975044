// The audit trail: who viewed or changed what. Written in the same transaction as the
// change it records. Details carry ids and field names, never tokens or full personal data.
import type { DbTx } from "../db/client.js";
import type { Prisma } from "../generated/prisma/client.js";

export interface AuditEntry {
  workspaceId: number;
  actorSlackId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  accountId?: number | null;
  details?: Prisma.InputJsonValue;
  requestId?: string | null;
}

export async function recordAudit(db: DbTx, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      workspaceId: entry.workspaceId,
      actorSlackId: entry.actorSlackId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      accountId: entry.accountId ?? null,
      details: entry.details ?? {},
      requestId: entry.requestId ?? null,
    },
  });
}

/** Names for the ids an audit page holds, so it reads "Maya viewed account Acme Corp". */
export interface AuditNames {
  accounts: Map<number, string>;
  /** Pulse user ids (entity "user") to names. */
  users: Map<number, string>;
  /** Slack user ids (actors) to names. */
  actors: Map<string, string>;
}

export async function auditNames(
  db: DbTx,
  workspaceId: number,
  rows: { actorSlackId: string | null; entityType: string; entityId: string | null; accountId: number | null }[],
): Promise<AuditNames> {
  const idOf = (text: string | null) => (text && /^\d{1,9}$/.test(text) ? Number(text) : undefined);
  const accountIds = new Set<number>();
  const userIds = new Set<number>();
  const actorIds = new Set<string>();
  for (const r of rows) {
    if (r.accountId !== null) accountIds.add(r.accountId);
    const entity = idOf(r.entityId);
    if (entity !== undefined && r.entityType === "account") accountIds.add(entity);
    if (entity !== undefined && r.entityType === "user") userIds.add(entity);
    if (r.actorSlackId) actorIds.add(r.actorSlackId);
  }
  const [accounts, users] = await Promise.all([
    db.account.findMany({ where: { workspaceId, id: { in: [...accountIds] } }, select: { id: true, name: true } }),
    db.user.findMany({
      where: { workspaceId, OR: [{ id: { in: [...userIds] } }, { slackUserId: { in: [...actorIds] } }] },
      select: { id: true, slackUserId: true, name: true },
    }),
  ]);
  return {
    accounts: new Map(accounts.map((a) => [a.id, a.name])),
    users: new Map(users.filter((u) => u.name).map((u) => [u.id, u.name!])),
    actors: new Map(users.filter((u) => u.name).map((u) => [u.slackUserId, u.name!])),
  };
}
