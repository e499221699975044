// POST /api/v1/accounts: upserts accounts sent as JSON objects, with the same field names,
// validation and history as the accounts CSV import (each object reads like a CSV row
// whose headers are its keys). Valid accounts are stored, invalid ones reported.
import type { AppContext } from "../app-context.js";
import { startOfUtcDay } from "../domain/dates.js";
import { mapHeaders } from "../domain/ingest/header-mapping.js";
import { buildOwnerLookup, parseImportRow, type AccountRow, type ImportLookups } from "../domain/ingest/import-rows.js";
import type { RejectedEvent } from "./ingest-events.js";
import { upsertAccounts } from "./upsert-accounts.js";

export const MAX_ACCOUNTS_PER_REQUEST = 10_000;

export interface IngestAccountsResult {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedEvent[];
}

function accountsOf(body: unknown): { ok: true; items: unknown[] } | { ok: false; reason: string } {
  if (Array.isArray(body)) return { ok: true, items: body };
  if (typeof body !== "object" || body === null)
    return { ok: false, reason: 'The body must be an account object, an array of them, or { "accounts": [...] }.' };
  const accounts = (body as { accounts?: unknown }).accounts;
  if (accounts === undefined) return { ok: true, items: [body] };
  if (!Array.isArray(accounts)) return { ok: false, reason: '"accounts" must be an array.' };
  return { ok: true, items: accounts };
}

/** A JSON object as a CSV row whose headers are its keys; a string says why it cannot be. */
export function asCells(item: Record<string, unknown>): { headers: string[]; record: string[] } | string {
  const headers: string[] = [];
  const record: string[] = [];
  for (const [key, value] of Object.entries(item)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === "object") return `${key} must be a string, a number or null`;
    // PostgreSQL text cannot hold U+0000: refuse the account rather than fail the request.
    if (key.includes("\u0000") || (typeof value === "string" && value.includes("\u0000")))
      return `${key.replace(/\u0000/g, "\\u0000")} contains a NUL character (\\u0000), which cannot be stored`;
    headers.push(key);
    record.push(value === null ? "" : String(value));
  }
  return { headers, record };
}

export function countAccountsInBody(body: unknown): number {
  const parsed = accountsOf(body);
  return parsed.ok ? parsed.items.length : 0;
}

export async function ingestAccounts(
  ctx: Pick<AppContext, "db" | "clock">,
  options: { workspaceId: number; body: unknown; keyId?: number },
): Promise<IngestAccountsResult | { malformed: string }> {
  const parsed = accountsOf(options.body);
  if (!parsed.ok) return { malformed: parsed.reason };
  const { workspaceId } = options;
  const now = ctx.clock();
  const result: IngestAccountsResult = {
    received: parsed.items.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
  };
  const users = await ctx.db.user.findMany({
    where: { workspaceId },
    select: { id: true, slackUserId: true, name: true },
  });
  const lookups: ImportLookups = {
    accountIdByExternalId: new Map(),
    ownerIdByKey: buildOwnerLookup(users),
    contactByExternalId: new Map(),
    today: startOfUtcDay(now),
  };

  const rows: AccountRow[] = [];
  const seen = new Set<string>();
  parsed.items.forEach((item, index) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      result.rejected.push({ index, reason: "is not a JSON object" });
      return;
    }
    const cells = asCells(item as Record<string, unknown>);
    if (typeof cells === "string") {
      result.rejected.push({ index, reason: cells });
      return;
    }
    const mapped = mapHeaders("accounts", cells.headers);
    if (!mapped.ok) {
      result.rejected.push({ index, reason: mapped.problems.join("; ").replace(/, or pass --map[^;]*/g, "") });
      return;
    }
    const row = parseImportRow("accounts", mapped.mapping, cells.record, lookups);
    if (!row.ok) {
      result.rejected.push({ index, reason: row.problems.map((p) => `${p.column}: ${p.reason}`).join("; ") });
      return;
    }
    if (seen.has(row.row.externalId)) {
      result.rejected.push({ index, reason: `externalId ${row.row.externalId} appears earlier in the same request` });
      return;
    }
    seen.add(row.row.externalId);
    rows.push(row.row);
  });

  if (rows.length) {
    await ctx.db.$transaction(
      async (tx) => {
        const written = await upsertAccounts(tx, { workspaceId, rows, now, source: "api" });
        result.created = written.created;
        result.updated = written.updated;
        result.unchanged = written.unchanged;
        if (written.created || written.updated) {
          await tx.auditLog.create({
            data: {
              workspaceId,
              action: "api.accounts.upsert",
              entityType: "account",
              details: {
                created: written.created,
                updated: written.updated,
                unchanged: written.unchanged,
                apiKeyId: options.keyId ?? null,
              },
              at: now,
            },
          });
        }
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }
  return result;
}
