// Per-workspace keys for the ingestion API. A key is shown once, when created; only its
// SHA-256 is stored, so a database leak reveals no usable key. The "pulse_sk_" prefix lets
// secret scanners and our own log redaction (src/log.ts) recognise one.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";

export const API_KEY_PREFIX = "pulse_sk_";
/** Characters of the key kept in clear to recognise it in lists ("pulse_sk_AbCd"). */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;
/** lastUsedAt is refreshed at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeySummary {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The full key: shown to the person once, never stored. */
  key: string;
}

export type ApiKeyCheck =
  | { ok: true; keyId: number; workspaceId: number }
  | { ok: false; reason: "unknown" | "revoked" | "workspace_inactive" };

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

const summarySelect = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export async function createApiKey(
  db: Db,
  options: { workspaceId: number; name: string; createdById?: number | null; actorSlackId?: string | null; now: Date },
): Promise<CreatedApiKey> {
  const name = options.name.trim();
  if (!name || name.length > 100)
    throw new AppError(
      "INVALID_INPUT",
      'An API key needs a name of 1 to 100 characters (what will use it, e.g. "segment-prod").',
    );
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        workspaceId: options.workspaceId,
        name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        hash: hashApiKey(key),
        createdById: options.createdById ?? null,
        createdAt: options.now,
      },
      select: summarySelect,
    });
    await tx.auditLog.create({
      data: {
        workspaceId: options.workspaceId,
        actorSlackId: options.actorSlackId ?? null,
        action: "api_key.create",
        entityType: "api_key",
        entityId: String(row.id),
        details: { name, prefix: row.prefix },
        at: options.now,
      },
    });
    return { ...row, key };
  });
}

export async function listApiKeys(db: Db, options: { workspaceId: number }): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    where: { workspaceId: options.workspaceId },
    select: summarySelect,
    orderBy: { id: "asc" },
  });
}

/** Revokes by id or by shown prefix. Revoking a revoked key is a no-op that says so. */
export async function revokeApiKey(
  db: Db,
  options: { workspaceId: number; key: number | string; actorSlackId?: string | null; now: Date },
): Promise<ApiKeySummary> {
  const where =
    typeof options.key === "number"
      ? { workspaceId: options.workspaceId, id: options.key }
      : { workspaceId: options.workspaceId, prefix: options.key };
  return db.$transaction(async (tx) => {
    const matches = await tx.apiKey.findMany({ where, select: summarySelect });
    if (matches.length === 0)
      throw new AppError(
        "NOT_FOUND",
        `No API key ${String(options.key)} in this workspace (see \`pulse api-key list\`).`,
      );
    if (matches.length > 1)
      throw new AppError("CONFLICT", `Several keys start with ${String(options.key)}: revoke by id instead.`);
    const key = matches[0]!;
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({
      where: { id: key.id, workspaceId: options.workspaceId },
      data: { revokedAt: options.now },
      select: summarySelect,
    });
    await tx.auditLog.create({
      data: {
        workspaceId: options.workspaceId,
        actorSlackId: options.actorSlackId ?? null,
        action: "api_key.revoke",
        entityType: "api_key",
        entityId: String(key.id),
        details: { name: key.name, prefix: key.prefix },
        at: options.now,
      },
    });
    return revoked;
  });
}

/** Checks a presented key; on success refreshes lastUsedAt (coarsely). */
export async function verifyApiKey(db: Db, key: string, now: Date): Promise<ApiKeyCheck> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return { ok: false, reason: "unknown" };
  const row = await db.apiKey.findUnique({
    where: { hash: hashApiKey(key) },
    select: { id: true, workspaceId: true, revokedAt: true, lastUsedAt: true, workspace: { select: { active: true } } },
  });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (!row.workspace.active) return { ok: false, reason: "workspace_inactive" };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, keyId: row.id, workspaceId: row.workspaceId };
}
