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
