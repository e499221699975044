// POST /api/v1/churns: churn history sent as JSON objects, with the same fields, validation
// and recording as `pulse import churns` (each object reads like a CSV row whose headers are
// its keys: accountId or externalId, churnedOn, kind, arrLost, reason, wonBackOn). Valid
// churns are stored, invalid ones reported by index.
import type { AppContext } from "../app-context.js";
import { isoDay, startOfUtcDay } from "../domain/dates.js";
import { mapHeaders } from "../domain/ingest/header-mapping.js";
import { normalizeKey, parseImportRow, type ChurnRow, type ImportLookups } from "../domain/ingest/import-rows.js";
import { asCells } from "./ingest-accounts.js";
import type { RejectedEvent } from "./ingest-events.js";
import { recordChurns } from "./record-churns.js";

export const MAX_CHURNS_PER_REQUEST = 10_000;

export interface IngestChurnsResult {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedEvent[];
}

function churnsOf(body: unknown): { ok: true; items: unknown[] } | { ok: false; reason: string } {
  if (Array.isArray(body)) return { ok: true, items: body };
  if (typeof body !== "object" || body === null)
    return { ok: false, reason: 'The body must be a churn object, an array of them, or { "churns": [...] }.' };
  const churns = (body as { churns?: unknown }).churns;
  if (churns === undefined) return { ok: true, items: [body] };
  if (!Array.isArray(churns)) return { ok: false, reason: '"churns" must be an array.' };
  return { ok: true, items: churns };
}

export function countChurnsInBody(body: unknown): number {
  const parsed = churnsOf(body);
  return parsed.ok ? parsed.items.length : 0;
}

/** The account id an item names, to look up before validating (accountId or externalId). */
function namedAccount(item: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(item)) {
    const k = normalizeKey(key);
    if ((k === "accountid" || k === "externalid") && (typeof value === "string" || typeof value === "number"))
      return String(value).trim();
  }
  return undefined;
}

export async function ingestChurns(
  ctx: Pick<AppContext, "db" | "clock">,
  options: { workspaceId: number; body: unknown; keyId?: number },
): Promise<IngestChurnsResult | { malformed: string }> {
  const parsed = churnsOf(options.body);
  if (!parsed.ok) return { malformed: parsed.reason };
  const { workspaceId } = options;
  const now = ctx.clock();
  const result: IngestChurnsResult = {
    received: parsed.items.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
  };
  const objects = parsed.items.map((item) =>
    typeof item === "object" && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined,
  );
  const externalIds = [
    ...new Set(
      objects
        .flatMap((o) => (o ? [namedAccount(o)] : []))
        .filter((id): id is string => Boolean(id) && !id!.includes("\u0000")),
    ),
  ];
  const accounts = externalIds.length
    ? await ctx.db.account.findMany({
        where: { workspaceId, externalId: { in: externalIds } },
        select: { id: true, externalId: true },
      })
    : [];
  const lookups: ImportLookups = {
    accountIdByExternalId: new Map(accounts.map((a) => [a.externalId!, a.id])),
    ownerIdByKey: new Map(),
    contactByExternalId: new Map(),
    today: startOfUtcDay(now),
  };

  const rows: ChurnRow[] = [];
  const seen = new Set<string>();
  objects.forEach((item, index) => {
    if (!item) {
      result.rejected.push({ index, reason: "is not a JSON object" });
      return;
    }
    const cells = asCells(item);
    if (typeof cells === "string") {
      result.rejected.push({ index, reason: cells });
      return;
    }
    const mapped = mapHeaders("churns", cells.headers);
    if (!mapped.ok) {
      result.rejected.push({ index, reason: mapped.problems.join("; ").replace(/, or pass --map[^;]*/g, "") });
      return;
    }
    const row = parseImportRow("churns", mapped.mapping, cells.record, lookups);
    if (!row.ok) {
      result.rejected.push({
        index,
        reason: row.problems
          .map(
            (p) =>
              `${p.column}: ${p.reason.replace(/: import it with the accounts file first/, ": create it first (POST /api/v1/accounts or pulse import accounts)")}`,
          )
          .join("; "),
      });
      return;
    }
    const key = `${row.row.accountId}|${isoDay(row.row.churnedOn)}`;
    if (seen.has(key)) {
      result.rejected.push({ index, reason: "the same account and churnedOn appear earlier in the same request" });
      return;
    }
    seen.add(key);
    rows.push(row.row);
  });

  if (rows.length) {
    await ctx.db.$transaction(
      async (tx) => {
        const written = await recordChurns(tx, { workspaceId, rows, now, source: "api" });
        Object.assign(result, written);
        if (written.created || written.updated) {
          await tx.auditLog.create({
            data: {
              workspaceId,
              action: "api.churns.record",
              entityType: "churn_event",
              details: { ...written, apiKeyId: options.keyId ?? null },
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
