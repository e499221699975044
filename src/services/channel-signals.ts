import type { ChannelWriter } from "../db/channel-writes.js";
import type { Db } from "../db/client.js";
import { isoDay, startOfUtcDay } from "../domain/dates.js";

// Evidence from linked customer channels, from the Events API. Every message, reaction and
// membership change in a linked channel becomes counts, timings and user ids; the text of a
// message is looked at in memory (does it end with "?") and dropped, never stored or logged.
//
// Events arrive for every channel Pulse is in, linked or not, so the question "is this
// channel linked, and are channel signals on?" is answered from a short-lived cache: a
// message in an unlinked channel costs no query. Linking and unlinking in this process
// clear the entry at once; other processes see the change within CACHE_MS.

/** How long a process trusts what it read about a workspace or a channel link. */
const CACHE_MS = 30_000;

export interface WorkspaceChannelSettings {
  workspaceId: number;
  slackTeamId: string;
  channelSignals: boolean;
  responseTargetHours: number;
}

export interface LinkedChannel {
  workspaceId: number;
  channelId: string;
  accountId: number;
  ended: boolean;
}

interface Cached<T> {
  value: T;
  at: number;
}

const workspaces = new Map<string, Cached<WorkspaceChannelSettings | null>>();
const links = new Map<string, Cached<LinkedChannel | null>>();

export function forgetLinkedChannel(workspaceId: number, channelId: string): void {
  links.delete(`${workspaceId}:${channelId}`);
}

/** After the admin switch changed, or in tests. */
export function forgetChannelSettings(): void {
  workspaces.clear();
  links.clear();
}

function fresh<T>(entry: Cached<T> | undefined, now: number): entry is Cached<T> {
  return entry !== undefined && now - entry.at < CACHE_MS;
}

export async function channelSettingsFor(db: Db, slackTeamId: string): Promise<WorkspaceChannelSettings | null> {
  const now = Date.now();
  const cached = workspaces.get(slackTeamId);
  if (fresh(cached, now)) return cached.value;
  const w = await db.workspace.findUnique({
    where: { slackTeamId },
    select: { id: true, active: true, channelSignals: true, channelResponseTargetHours: true },
  });
  const value = w?.active
    ? {
        workspaceId: w.id,
        slackTeamId,
        channelSignals: w.channelSignals,
        responseTargetHours: w.channelResponseTargetHours,
      }
    : null;
  workspaces.set(slackTeamId, { value, at: now });
  return value;
}

export async function linkedChannel(db: Db, workspaceId: number, channelId: string): Promise<LinkedChannel | null> {
  const now = Date.now();
  const key = `${workspaceId}:${channelId}`;
  const cached = links.get(key);
  if (fresh(cached, now)) return cached.value;
  const l = await db.channelLink.findUnique({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    select: { accountId: true, endedAt: true },
  });
  const value = l ? { workspaceId, channelId, accountId: l.accountId, ended: l.endedAt !== null } : null;
  links.set(key, { value, at: now });
  return value;
}

/** The linked channel an event is about, in the workspace it was delivered to; null when signals are off or it is not linked. */
async function target(
  db: Db,
  slackTeamId: string,
  channelId: string,
): Promise<{ settings: WorkspaceChannelSettings; link: LinkedChannel } | null> {
  const settings = await channelSettingsFor(db, slackTeamId);
  if (!settings?.channelSignals) return null;
  const link = await linkedChannel(db, settings.workspaceId, channelId);
  return link ? { settings, link } : null;
}

/**
 * Counts are written without waiting for the disk: a crash may lose the last fraction of a
 * second of them, and a busy channel must not make every message wait for a flush. The
 * listener hands in the channel-write pool (db/channel-writes.ts); without one, Prisma's.
 */
async function write<T>(db: Db, writer: ChannelWriter | undefined, sql: string, params: unknown[]): Promise<T[]> {
  if (writer) return writer.query<T>(sql, params);
  const [, rows] = await db.$transaction([
    db.$executeRawUnsafe("SET LOCAL synchronous_commit = off"),
    db.$queryRawUnsafe<T[]>(sql, ...params),
  ]);
  return rows;
}

/** Slack's "1596183880.004200" as an instant (millisecond precision is plenty for response times). */
export function slackTsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

/**
 * A customer person's team differs from the workspace's. An event that names no team
 * (reactions do not) falls back to what Pulse learned of the person before; unknown is internal.
 */
function sideSql(param: string): string {
  return `coalesce(${param}::boolean, (SELECT cp."isCustomer" FROM "channel_person" cp
             WHERE cp."workspaceId" = $1 AND cp."channelId" = $2 AND cp."slackUserId" = $3), false)`;
}

export interface ChannelMessage {
  channelId: string;
  userSlackId: string;
  /** user_team (Slack Connect) or team: the team of the person who wrote it. */
  userTeamId: string | undefined;
  ts: string;
  threadTs: string | undefined;
  parentUserSlackId: string | undefined;
  /** Read here, never stored: only whether it ends with a question mark is kept. */
  text: string | undefined;
}

// One statement a message: the person, their day, and the question thread it opens or answers.
// Data-modifying CTEs all see the same snapshot, so the side is computed once in `me`.
const MESSAGE_SQL = `
WITH me AS (
  SELECT ${sideSql("$4")} AS customer
), person AS (
  INSERT INTO "channel_person" ("workspaceId", "channelId", "slackUserId", "teamId", "isCustomer", "firstSeenAt", "lastSeenAt")
  SELECT $1, $2, $3, $5, me.customer, $6::timestamptz, $6::timestamptz FROM me
  ON CONFLICT ("workspaceId", "channelId", "slackUserId") DO UPDATE
    SET "lastSeenAt" = greatest("channel_person"."lastSeenAt", EXCLUDED."lastSeenAt"),
        "teamId" = coalesce(EXCLUDED."teamId", "channel_person"."teamId"),
        "isCustomer" = EXCLUDED."isCustomer"
  RETURNING "contactId"
), day AS (
  INSERT INTO "channel_person_daily" ("workspaceId", "channelId", "day", "slackUserId", "isCustomer", "messages", "questions")
  SELECT $1, $2, $7::date, $3, me.customer, 1, CASE WHEN $8::boolean THEN 1 ELSE 0 END FROM me
  ON CONFLICT ("workspaceId", "channelId", "day", "slackUserId") DO UPDATE
    SET "messages" = "channel_person_daily"."messages" + 1,
        "questions" = "channel_person_daily"."questions" + EXCLUDED."questions",
        "isCustomer" = EXCLUDED."isCustomer"
), asked AS (
  -- A customer's question at the top level, or a customer's message in a thread a customer started.
  INSERT INTO "channel_thread" ("workspaceId", "channelId", "threadTs", "askerSlackId", "askedAt")
  SELECT $1, $2, $9, coalesce($10, $3), $11::timestamptz FROM me
   WHERE me.customer AND ($12::boolean AND $8::boolean OR NOT $12::boolean AND (
         $10 = $3 OR EXISTS (SELECT 1 FROM "channel_person" p WHERE p."workspaceId" = $1 AND p."channelId" = $2
                               AND p."slackUserId" = $10 AND p."isCustomer")))
  ON CONFLICT DO NOTHING
), answered AS (
  -- An internal member's reply in a thread a customer started: the first one is the response.
  INSERT INTO "channel_thread" ("workspaceId", "channelId", "threadTs", "askerSlackId", "askedAt", "answeredAt", "responderSlackId")
  SELECT $1, $2, $9, $10, $11::timestamptz, $6::timestamptz, $3 FROM me
   WHERE NOT me.customer AND NOT $12::boolean AND $6::timestamptz >= $11::timestamptz
     AND EXISTS (SELECT 1 FROM "channel_person" p WHERE p."workspaceId" = $1 AND p."channelId" = $2
                   AND p."slackUserId" = $10 AND p."isCustomer")
  ON CONFLICT ("workspaceId", "channelId", "threadTs") DO UPDATE
    SET "answeredAt" = EXCLUDED."answeredAt", "responderSlackId" = EXCLUDED."responderSlackId"
    WHERE "channel_thread"."answeredAt" IS NULL
)
SELECT me.customer, (SELECT "contactId" FROM person) AS "contactId" FROM me`;

export async function recordChannelMessage(
  db: Db,
  slackTeamId: string,
  m: ChannelMessage,
  writer?: ChannelWriter,
): Promise<
  | { recorded: false }
  | { recorded: true; customer: boolean; workspaceId: number; accountId: number; contactId: number | null }
> {
  const found = await target(db, slackTeamId, m.channelId);
  if (!found) return { recorded: false };
  const { settings } = found;
  const at = slackTsToDate(m.ts);
  const topLevel = !m.threadTs || m.threadTs === m.ts;
  const threadTs = topLevel ? m.ts : m.threadTs!;
  const isQuestion = (m.text ?? "").trim().endsWith("?");
  const customer = m.userTeamId === undefined ? null : m.userTeamId !== settings.slackTeamId;
  const rows = await write<{ customer: boolean; contactId: number | null }>(db, writer, MESSAGE_SQL, [
    settings.workspaceId,
    m.channelId,
    m.userSlackId,
    customer,
    m.userTeamId ?? null,
    at,
    isoDay(startOfUtcDay(at)),
    isQuestion,
    threadTs,
    topLevel ? null : (m.parentUserSlackId ?? null),
    slackTsToDate(threadTs),
    topLevel,
  ]);
  const isCustomer = rows[0]?.customer ?? false;
  if (isCustomer && m.userTeamId) await learnExternalTeam(db, settings.workspaceId, m.channelId, m.userTeamId);
  return {
    recorded: true,
    customer: isCustomer,
    workspaceId: settings.workspaceId,
    accountId: found.link.accountId,
    contactId: rows[0]?.contactId ?? null,
  };
}

const learnedTeams = new Set<string>();

/** The customer's organisation, from its first message (channel_shared says it too). */
async function learnExternalTeam(db: Db, workspaceId: number, channelId: string, teamId: string): Promise<void> {
  const key = `${workspaceId}:${channelId}`;
  if (learnedTeams.has(key)) return;
  await db.channelLink.updateMany({
    where: { workspaceId, channelId, externalTeamId: null },
    data: { externalTeamId: teamId },
  });
  learnedTeams.add(key);
}

const REACTION_SQL = `
WITH me AS (SELECT ${sideSql("NULL")} AS customer)
INSERT INTO "channel_person_daily" ("workspaceId", "channelId", "day", "slackUserId", "isCustomer", "reactions")
SELECT $1, $2, $4::date, $3, me.customer, 1 FROM me
ON CONFLICT ("workspaceId", "channelId", "day", "slackUserId") DO UPDATE
  SET "reactions" = "channel_person_daily"."reactions" + 1`;

export async function recordChannelReaction(
  db: Db,
  slackTeamId: string,
  r: { channelId: string; userSlackId: string; eventTs: string },
  writer?: ChannelWriter,
): Promise<boolean> {
  const found = await target(db, slackTeamId, r.channelId);
  if (!found) return false;
  const day = isoDay(startOfUtcDay(slackTsToDate(r.eventTs)));
  await write(db, writer, REACTION_SQL, [found.settings.workspaceId, r.channelId, r.userSlackId, day]);
  return true;
}

const MEMBERSHIP_SQL = `
WITH me AS (SELECT ${sideSql("$4")} AS customer), person AS (
  INSERT INTO "channel_person" ("workspaceId", "channelId", "slackUserId", "teamId", "isCustomer", "firstSeenAt", "lastSeenAt", "joinedAt", "leftAt")
  SELECT $1, $2, $3, $5, me.customer, $6::timestamptz, $6::timestamptz, CASE WHEN $7::boolean THEN $6::timestamptz END, CASE WHEN $7::boolean THEN NULL ELSE $6::timestamptz END FROM me
  ON CONFLICT ("workspaceId", "channelId", "slackUserId") DO UPDATE
    SET "lastSeenAt" = greatest("channel_person"."lastSeenAt", EXCLUDED."lastSeenAt"),
        "teamId" = coalesce(EXCLUDED."teamId", "channel_person"."teamId"),
        "isCustomer" = EXCLUDED."isCustomer",
        "joinedAt" = coalesce(EXCLUDED."joinedAt", "channel_person"."joinedAt"),
        "leftAt" = EXCLUDED."leftAt"
  RETURNING "contactId"
), day AS (
  INSERT INTO "channel_person_daily" ("workspaceId", "channelId", "day", "slackUserId", "isCustomer", "joins", "leaves")
  SELECT $1, $2, $8::date, $3, me.customer, CASE WHEN $7::boolean THEN 1 ELSE 0 END, CASE WHEN $7::boolean THEN 0 ELSE 1 END FROM me
  ON CONFLICT ("workspaceId", "channelId", "day", "slackUserId") DO UPDATE
    SET "joins" = "channel_person_daily"."joins" + EXCLUDED."joins",
        "leaves" = "channel_person_daily"."leaves" + EXCLUDED."leaves"
)
SELECT me.customer, (SELECT "contactId" FROM person) AS "contactId" FROM me`;

export interface MembershipChange {
  channelId: string;
  userSlackId: string;
  userTeamId: string | undefined;
  joined: boolean;
  at: Date;
}

export type MembershipOutcome =
  | { recorded: false }
  | { recorded: true; customer: boolean; workspaceId: number; accountId: number; contactId: number | null };

export async function recordChannelMembership(
  db: Db,
  slackTeamId: string,
  change: MembershipChange,
  writer?: ChannelWriter,
): Promise<MembershipOutcome> {
  const found = await target(db, slackTeamId, change.channelId);
  if (!found) return { recorded: false };
  const { settings, link } = found;
  const customer = change.userTeamId === undefined ? null : change.userTeamId !== settings.slackTeamId;
  const rows = await write<{ customer: boolean; contactId: number | null }>(db, writer, MEMBERSHIP_SQL, [
    settings.workspaceId,
    change.channelId,
    change.userSlackId,
    customer,
    change.userTeamId ?? null,
    change.at,
    change.joined,
    isoDay(startOfUtcDay(change.at)),
  ]);
  return {
    recorded: true,
    customer: rows[0]?.customer ?? false,
    workspaceId: settings.workspaceId,
    accountId: link.accountId,
    contactId: rows[0]?.contactId ?? null,
  };
}

/** channel_shared: the external organisation the channel is now shared with. */
export async function recordChannelShared(
  db: Db,
  slackTeamId: string,
  e: { channelId: string; connectedTeamId: string | undefined },
): Promise<boolean> {
  const found = await target(db, slackTeamId, e.channelId);
  if (!found) return false;
  await db.channelLink.update({
    where: { workspaceId_channelId: { workspaceId: found.settings.workspaceId, channelId: e.channelId } },
    data: { ...(e.connectedTeamId ? { externalTeamId: e.connectedTeamId } : {}), endedAt: null, endedReason: null },
  });
  forgetLinkedChannel(found.settings.workspaceId, e.channelId);
  return true;
}

export type ChannelEnd = "unshared" | "archived";

/** The customer unshared the channel, or it was archived: the link stays, marked ended. */
export async function recordChannelEnded(
  db: Db,
  slackTeamId: string,
  e: { channelId: string; reason: ChannelEnd; at: Date },
): Promise<{ workspaceId: number; accountId: number; firstTime: boolean } | null> {
  const found = await target(db, slackTeamId, e.channelId);
  if (!found) return null;
  const { workspaceId } = found.settings;
  const changed = await db.channelLink.updateMany({
    where: { workspaceId, channelId: e.channelId, endedAt: null },
    data: { endedAt: e.at, endedReason: e.reason },
  });
  forgetLinkedChannel(workspaceId, e.channelId);
  return { workspaceId, accountId: found.link.accountId, firstTime: changed.count > 0 };
}

// The day's counts per linked channel, from the person-days and the question threads.
// Re-running a day replaces its row, so the roll-up can run as often as wanted.
const ROLLUP_SQL = `
INSERT INTO "channel_activity_daily" AS d ("workspaceId", "channelId", "accountId", "day", "customerMessages", "customerPeople",
  "vendorReplies", "customerQuestions", "firstResponseCount", "firstResponseSecondsSum", "firstResponseSeconds",
  "unansweredThreads", "reactions", "customerJoins", "customerLeaves", "rolledUpAt")
SELECT l."workspaceId", l."channelId", l."accountId", $1::date,
       coalesce(p.cm, 0), coalesce(p.cp, 0), coalesce(p.vr, 0), coalesce(t.q, 0), coalesce(t.fc, 0), coalesce(t.fs, 0),
       coalesce(t.frt, ARRAY[]::int[]), coalesce(t.un, 0), coalesce(p.r, 0), coalesce(p.j, 0), coalesce(p.lv, 0), $2
  FROM "channel_link" l
  JOIN "workspace" w ON w."id" = l."workspaceId" AND w."channelSignals"
  LEFT JOIN (
    SELECT "workspaceId", "channelId",
           sum("messages") FILTER (WHERE "isCustomer")::int AS cm,
           count(*) FILTER (WHERE "isCustomer" AND "messages" > 0)::int AS cp,
           sum("messages") FILTER (WHERE NOT "isCustomer")::int AS vr,
           sum("reactions")::int AS r,
           sum("joins") FILTER (WHERE "isCustomer")::int AS j,
           sum("leaves") FILTER (WHERE "isCustomer")::int AS lv
      FROM "channel_person_daily" WHERE "day" = $1::date
     GROUP BY 1, 2) p ON p."workspaceId" = l."workspaceId" AND p."channelId" = l."channelId"
  LEFT JOIN (
    SELECT th."workspaceId", th."channelId", count(*)::int AS q, count(th."answeredAt")::int AS fc,
           sum(extract(epoch FROM th."answeredAt" - th."askedAt"))::bigint AS fs,
           array_agg(extract(epoch FROM th."answeredAt" - th."askedAt")::int ORDER BY th."askedAt")
             FILTER (WHERE th."answeredAt" IS NOT NULL) AS frt,
           count(*) FILTER (WHERE th."answeredAt" IS NULL
                              AND th."askedAt" < $2::timestamptz - make_interval(hours => ws."channelResponseTargetHours"))::int AS un
      FROM "channel_thread" th JOIN "workspace" ws ON ws."id" = th."workspaceId"
     WHERE th."askedAt" >= $1::date AND th."askedAt" < $1::date + 1
     GROUP BY 1, 2) t ON t."workspaceId" = l."workspaceId" AND t."channelId" = l."channelId"
 WHERE (p."channelId" IS NOT NULL OR t."channelId" IS NOT NULL)
   AND ($3::int IS NULL OR l."workspaceId" = $3::int)
   AND ($4::int IS NULL OR l."accountId" = $4::int)
ON CONFLICT ("workspaceId", "channelId", "day") DO UPDATE SET
  "accountId" = EXCLUDED."accountId", "customerMessages" = EXCLUDED."customerMessages",
  "customerPeople" = EXCLUDED."customerPeople", "vendorReplies" = EXCLUDED."vendorReplies",
  "customerQuestions" = EXCLUDED."customerQuestions", "firstResponseCount" = EXCLUDED."firstResponseCount",
  "firstResponseSecondsSum" = EXCLUDED."firstResponseSecondsSum", "firstResponseSeconds" = EXCLUDED."firstResponseSeconds",
  "unansweredThreads" = EXCLUDED."unansweredThreads", "reactions" = EXCLUDED."reactions",
  "customerJoins" = EXCLUDED."customerJoins", "customerLeaves" = EXCLUDED."customerLeaves",
  "rolledUpAt" = EXCLUDED."rolledUpAt"`;

/** Rolls one UTC day up, for every workspace or one (one account: the card's fresh view of today). */
export async function rollUpChannelDay(
  db: Db,
  input: { day: Date; now: Date; workspaceId?: number; accountId?: number },
): Promise<number> {
  return db.$executeRawUnsafe(
    ROLLUP_SQL,
    isoDay(startOfUtcDay(input.day)),
    input.now,
    input.workspaceId ?? null,
    input.accountId ?? null,
  );
}

export interface ChannelCardLine {
  channelId: string;
  name: string | null;
  endedReason: string | null;
  customerMessages7d: number;
  medianFirstResponseSeconds: number | null;
  unanswered: number;
  responseTargetHours: number;
}

/** Each linked channel of an account over the last 7 days, read fresh (not from the roll-up); none when signals are off. */
export async function channelCardLines(
  db: Db,
  workspaceId: number,
  accountId: number,
  now: Date,
): Promise<ChannelCardLine[]> {
  return db.$queryRaw<ChannelCardLine[]>`
    SELECT l."channelId", l."name", l."endedReason",
           coalesce((SELECT sum(d."messages") FROM "channel_person_daily" d
                      WHERE d."workspaceId" = l."workspaceId" AND d."channelId" = l."channelId" AND d."isCustomer"
                        AND d."day" > ${now}::date - 7), 0)::int AS "customerMessages7d",
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM th."answeredAt" - th."askedAt"))
              FROM "channel_thread" th
             WHERE th."workspaceId" = l."workspaceId" AND th."channelId" = l."channelId" AND th."answeredAt" IS NOT NULL
               AND th."askedAt" > ${now}::timestamptz - interval '7 days')::float8 AS "medianFirstResponseSeconds",
           (SELECT count(*) FROM "channel_thread" th
             WHERE th."workspaceId" = l."workspaceId" AND th."channelId" = l."channelId" AND th."answeredAt" IS NULL
               AND th."askedAt" < ${now}::timestamptz - make_interval(hours => w."channelResponseTargetHours")
               AND th."askedAt" > ${now}::timestamptz - interval '90 days')::int AS "unanswered",
           w."channelResponseTargetHours" AS "responseTargetHours"
      FROM "channel_link" l JOIN "workspace" w ON w."id" = l."workspaceId" AND w."channelSignals"
     WHERE l."workspaceId" = ${workspaceId} AND l."accountId" = ${accountId}
     ORDER BY l."linkedAt", l."channelId"`;
}

/** The account's likely champions, most recently active channels' people first. */
export async function likelyChampions(
  db: Db,
  workspaceId: number,
  accountId: number,
): Promise<{ name: string | null; slackUserId: string | null }[]> {
  return db.contact.findMany({
    where: { workspaceId, accountId, likelyChampion: true, erasedAt: null, leftAt: null },
    select: { name: true, slackUserId: true },
    orderBy: { id: "asc" },
    take: 5,
  });
}

/** What the digest and the playbooks watch in an account's linked channels. */
export interface ChannelAttention {
  accountId: number;
  /** Customer questions unanswered past the workspace's response target (last 90 days). */
  unanswered: number;
  /** Hours the oldest of them has waited; null when none waits. */
  oldestUnansweredHours: number | null;
  /** Days since the customer last wrote in any of the account's channels; null when never. */
  daysSinceCustomerMessage: number | null;
  /** The customer wrote in at least 3 of the 4 weeks before their last message ("weekly activity"). */
  weeklyBefore: boolean;
}

/** Per account of the workspace with a linked channel; none when channel signals are off. */
export async function channelAttention(db: Db, workspaceId: number, now: Date): Promise<Map<number, ChannelAttention>> {
  const rows = await db.$queryRaw<ChannelAttention[]>`
    WITH links AS (
      SELECT l."accountId", l."channelId", w."channelResponseTargetHours" AS target
        FROM "channel_link" l JOIN "workspace" w ON w."id" = l."workspaceId" AND w."channelSignals"
       WHERE l."workspaceId" = ${workspaceId}
    ), waiting AS (
      SELECT k."accountId", count(*)::int AS n, min(th."askedAt") AS oldest
        FROM links k JOIN "channel_thread" th ON th."workspaceId" = ${workspaceId} AND th."channelId" = k."channelId"
       WHERE th."answeredAt" IS NULL AND th."askedAt" > ${now}::timestamptz - interval '90 days'
         AND th."askedAt" < ${now}::timestamptz - make_interval(hours => k.target)
       GROUP BY 1
    ), days AS (
      SELECT DISTINCT k."accountId", d."day"
        FROM links k JOIN "channel_person_daily" d ON d."workspaceId" = ${workspaceId} AND d."channelId" = k."channelId"
       WHERE d."isCustomer" AND d."messages" > 0 AND d."day" > ${now}::date - 180
    ), last AS (SELECT "accountId", max("day") AS last FROM days GROUP BY 1)
    SELECT a."accountId",
           coalesce(wt.n, 0) AS unanswered,
           (extract(epoch FROM ${now}::timestamptz - wt.oldest) / 3600)::float8 AS "oldestUnansweredHours",
           (${now}::date - l.last)::int AS "daysSinceCustomerMessage",
           coalesce((SELECT count(DISTINCT (l.last - d."day") / 7) FROM days d
                      WHERE d."accountId" = a."accountId" AND d."day" <= l.last AND d."day" > l.last - 28), 0) >= 3 AS "weeklyBefore"
      FROM (SELECT DISTINCT "accountId" FROM links) a
      LEFT JOIN waiting wt ON wt."accountId" = a."accountId"
      LEFT JOIN last l ON l."accountId" = a."accountId"`;
  return new Map(rows.map((r) => [r.accountId, r]));
}
