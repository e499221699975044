// Stores a batch of usage events and brings the daily roll-ups (usage_daily) up to date,
// in one transaction.
//
// Exactness under retries and late events: raw events are inserted with ON CONFLICT DO
// NOTHING on (workspaceId, messageId), and every (account, day) that gained an event is
// recomputed from all its raw events, set-based, never incremented. Two batches touching
// the same (account, day) are serialised by transaction-scoped advisory locks taken in a
// fixed order before the insert, so each recompute sees the other's committed events.
//
// Attribution: an event belongs to the account its groupId names (context.groupId or
// properties.groupId; a group call's groupId), matched to account.externalId, else to
// account.domain; failing that, to the account of the user's latest group call. An event
// that cannot be attributed is refused with its reason, not stored: stored, it would never
// count anywhere, and refused, the sender learns to send the account first.
import type { AppContext } from "../app-context.js";
import type { DbTx } from "../db/client.js";
import { lockKey } from "../db/locks.js";
import { isoDay } from "../domain/dates.js";
import {
  buildModuleLookup,
  messagesOf,
  normalizeLoginEvents,
  readSegmentMessage,
  withSharedContext,
  type UsageEventInput,
} from "../domain/ingest/segment-events.js";
import { clip } from "../domain/ingest/values.js";

export const MAX_EVENTS_PER_BATCH = 10_000;

/** A JSON \u0000 escape (not an escaped backslash followed by "u0000"). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
const NUL_REASON = "contains a NUL character (\\u0000), which cannot be stored";

export interface RejectedEvent {
  index: number;
  reason: string;
}

export interface IngestEventsResult {
  received: number;
  /** Newly stored. */
  stored: number;
  /** Already stored earlier (same messageId): a retry. */
  duplicates: number;
  /** identify/alias calls: valid, but carry nothing Pulse uses. */
  ignored: number;
  rejected: RejectedEvent[];
  /** (account, day) roll-ups that changed. */
  daysUpdated: number;
}

type IngestContext = Pick<AppContext, "db" | "config" | "clock">;

interface Attributed extends UsageEventInput {
  index: number;
  accountId: number;
}

async function accountsByGroupId(tx: DbTx, workspaceId: number, groupIds: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (!groupIds.length) return found;
  const rows = await tx.$queryRaw<{ id: number; externalId: string | null; domain: string | null }[]>`
    SELECT id, "externalId", domain FROM account
     WHERE "workspaceId" = ${workspaceId}
       AND ("externalId" = ANY(${groupIds}::text[]) OR domain = ANY(${groupIds.map((g) => g.toLowerCase())}::text[]))`;
  // External ids win over domains: they are unique, domains need not be.
  for (const r of rows) if (r.domain) found.set(`domain:${r.domain}`, r.id);
  for (const r of rows) if (r.externalId) found.set(`id:${r.externalId}`, r.id);
  const map = new Map<string, number>();
  for (const g of groupIds) {
    const id = found.get(`id:${g}`) ?? found.get(`domain:${g.toLowerCase()}`);
    if (id !== undefined) map.set(g, id);
  }
  return map;
}

async function latestGroupOfUsers(
  tx: DbTx,
  workspaceId: number,
  userKeys: string[],
): Promise<Map<string, { accountId: number; at: Date }>> {
  const map = new Map<string, { accountId: number; at: Date }>();
  if (!userKeys.length) return map;
  const rows = await tx.$queryRaw<{ userKey: string; accountId: number; occurredAt: Date }[]>`
    SELECT DISTINCT ON ("userKey") "userKey", "accountId", "occurredAt" FROM usage_event
     WHERE "workspaceId" = ${workspaceId} AND type = 'group' AND "userKey" = ANY(${userKeys}::text[]) AND "accountId" IS NOT NULL
     ORDER BY "userKey", "occurredAt" DESC`;
  for (const r of rows) map.set(r.userKey, { accountId: r.accountId, at: r.occurredAt });
  return map;
}

function utcDayText(instant: Date): string {
  return isoDay(instant);
}

export async function ingestEvents(
  ctx: IngestContext,
  options: { workspaceId: number; body: unknown },
): Promise<IngestEventsResult | { malformed: string }> {
  const envelope = messagesOf(options.body);
  if (!envelope.ok) return { malformed: envelope.reason };
  const { workspaceId } = options;
  const now = ctx.clock();
  const settings = {
    now,
    retentionDays: ctx.config.ingestion.eventRetentionDays,
    moduleByEvent: buildModuleLookup(ctx.config.ingestion.moduleEvents),
  };
  const result: IngestEventsResult = {
    received: envelope.messages.length,
    stored: 0,
    duplicates: 0,
    ignored: 0,
    rejected: [],
    daysUpdated: 0,
  };
  const events: (UsageEventInput & { index: number })[] = [];
  envelope.messages.forEach((message, index) => {
    const read = readSegmentMessage(withSharedContext(message, envelope.shared), settings);
    if (read.kind === "invalid") result.rejected.push({ index, reason: read.reason });
    else if (read.kind === "ignored") result.ignored++;
    // A groupId or userKey is a query parameter before anything is stored, and PostgreSQL
    // text cannot hold U+0000: refuse the event here (the rest of it is checked at insert).
    else if (read.event.userKey.includes("\u0000") || read.event.groupId?.includes("\u0000"))
      result.rejected.push({ index, reason: NUL_REASON });
    else events.push({ ...read.event, index });
  });
  if (!events.length) return result;

  await ctx.db.$transaction(
    async (tx) => {
      const groupIds = [...new Set(events.flatMap((e) => (e.groupId ? [e.groupId] : [])))];
      const byGroupId = await accountsByGroupId(tx, workspaceId, groupIds);

      // The latest group call of each user, from this batch and from before.
      const usersWithoutGroup = [...new Set(events.filter((e) => !e.groupId).map((e) => e.userKey))];
      const userAccount = await latestGroupOfUsers(tx, workspaceId, usersWithoutGroup);
      for (const e of events) {
        if (e.type !== "group") continue;
        const accountId = byGroupId.get(e.groupId!);
        const prior = userAccount.get(e.userKey);
        if (accountId !== undefined && (!prior || prior.at <= e.occurredAt))
          userAccount.set(e.userKey, { accountId, at: e.occurredAt });
      }

      const attributed: Attributed[] = [];
      for (const e of events) {
        const accountId = e.groupId ? byGroupId.get(e.groupId) : userAccount.get(e.userKey)?.accountId;
        if (accountId !== undefined) {
          attributed.push({ ...e, accountId });
          continue;
        }
        result.rejected.push({
          index: e.index,
          reason: e.groupId
            ? `no account has external id or domain "${clip(e.groupId)}": create it first (POST /api/v1/accounts or pulse import accounts)`
            : `user "${clip(e.userKey)}" has no groupId and no group call ties them to an account`,
        });
      }
      result.rejected.sort((a, b) => a.index - b.index);
      if (!attributed.length) return;

      const activityDays = new Set(
        attributed.filter((e) => e.type !== "group").map((e) => `${e.accountId}|${utcDayText(e.occurredAt)}`),
      );
      const keys = [...activityDays]
        .map((pair) => lockKey(`usage-day:${workspaceId}:${pair}`))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (keys.length) {
        await tx.$executeRawUnsafe(
          `SELECT pg_advisory_xact_lock(t.k) FROM unnest($1::text[]::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY t.i`,
          keys.map(String),
        );
      }

      // The events travel as one JSON document (json_to_recordset): one parameter is far
      // cheaper to send than an array per column, and properties need no second encoding.
      const toRow = (e: Attributed) => ({
        a: e.accountId,
        m: e.messageId,
        t: e.type,
        e: e.event,
        u: e.userKey,
        mo: e.module,
        o: e.occurredAt.toISOString(),
        p: e.properties,
      });
      let rows = attributed.map(toRow);
      let document = JSON.stringify(rows);
      // PostgreSQL text and jsonb cannot hold U+0000: refuse those events alone rather than fail the batch.
      if (ESCAPED_NUL.test(document)) {
        const storable = attributed.filter((e) => {
          if (!ESCAPED_NUL.test(JSON.stringify(toRow(e)))) return true;
          result.rejected.push({ index: e.index, reason: NUL_REASON });
          return false;
        });
        result.rejected.sort((a, b) => a.index - b.index);
        attributed.splice(0, attributed.length, ...storable);
        if (!attributed.length) return;
        rows = attributed.map(toRow);
        document = JSON.stringify(rows);
      }
      const inserted = await tx.$queryRawUnsafe<{ accountId: number; day: string; activity: number; total: number }[]>(
        `WITH ins AS (
           INSERT INTO usage_event ("workspaceId", "accountId", "messageId", type, event, "userKey", module, "occurredAt", "receivedAt", properties)
           SELECT $1, x.a, x.m, x.t, x.e, x.u, x.mo, x.o, $2::timestamptz, coalesce(x.p, '{}'::jsonb)
             FROM json_to_recordset($3::json) AS x(a int4, m text, t text, e text, u text, mo text, o timestamptz, p jsonb)
           ON CONFLICT ("workspaceId", "messageId") DO NOTHING
           RETURNING "accountId", type, "occurredAt"
         )
         SELECT "accountId", to_char(("occurredAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
                count(*) FILTER (WHERE type <> 'group')::int AS activity, count(*)::int AS total
           FROM ins GROUP BY 1, 2`,
        workspaceId,
        now.toISOString(),
        document,
      );
      result.stored = inserted.reduce((sum, r) => sum + r.total, 0);
      result.duplicates = attributed.length - result.stored;

      const changed = inserted.filter((r) => r.activity > 0);
      if (changed.length)
        result.daysUpdated = await recomputeUsageDays(tx, workspaceId, changed, ctx.config.ingestion.loginEvents);
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  return result;
}

/**
 * Rewrites the usage_daily rows of these (account, day) pairs from their raw events:
 * active users = distinct users, logins = events whose normalised name is a login name,
 * modules = uses per module. Returns how many rows changed.
 */
export async function recomputeUsageDays(
  tx: DbTx,
  workspaceId: number,
  pairs: { accountId: number; day: string }[],
  loginEvents: string[],
): Promise<number> {
  return tx.$executeRawUnsafe(
    `WITH pairs AS (
       SELECT DISTINCT account_id, day FROM unnest($2::int[], $3::text[]::date[]) AS p(account_id, day)
     ),
     ev AS (
       SELECT p.account_id, p.day, e."userKey", e.module, e.event
         FROM pairs p
         JOIN usage_event e
           ON e."workspaceId" = $1 AND e."accountId" = p.account_id
          AND e."occurredAt" >= (p.day::timestamp AT TIME ZONE 'UTC')
          AND e."occurredAt" < ((p.day + 1)::timestamp AT TIME ZONE 'UTC')
        WHERE e.type <> 'group'
     ),
     per_day AS (
       SELECT account_id, day, count(DISTINCT "userKey")::int AS active_users,
              count(*) FILTER (WHERE regexp_replace(lower(event), '[^a-z0-9]+', '', 'g') = ANY($4::text[]))::int AS logins
         FROM ev GROUP BY account_id, day
     ),
     per_module AS (
       SELECT account_id, day, jsonb_object_agg(module, uses) AS modules
         FROM (SELECT account_id, day, module, count(*)::int AS uses FROM ev WHERE module IS NOT NULL GROUP BY 1, 2, 3) m
        GROUP BY account_id, day
     )
     INSERT INTO usage_daily ("workspaceId", "accountId", day, "activeUsers", logins, modules, source, "updatedAt")
     SELECT $1, d.account_id, d.day, d.active_users, d.logins, coalesce(m.modules, '{}'::jsonb), 'api', now()
       FROM per_day d LEFT JOIN per_module m USING (account_id, day)
     ON CONFLICT ("workspaceId", "accountId", day) DO UPDATE
        SET "activeUsers" = EXCLUDED."activeUsers", logins = EXCLUDED.logins, modules = EXCLUDED.modules,
            source = EXCLUDED.source, "updatedAt" = now()
      WHERE (usage_daily."activeUsers", usage_daily.logins, usage_daily.modules, usage_daily.source)
            IS DISTINCT FROM (EXCLUDED."activeUsers", EXCLUDED.logins, EXCLUDED.modules, EXCLUDED.source)`,
    workspaceId,
    pairs.map((p) => p.accountId),
    pairs.map((p) => p.day),
    normalizeLoginEvents(loginEvents),
  );
}
