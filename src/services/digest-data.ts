// The evidence a workspace's digests are built from, gathered in one set-based query and
// shared by all of the workspace's subscriptions (each filters it in memory).
import type { Db } from "../db/client.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import type { Band, DigestAccount, DigestSummary } from "../domain/digest/compose.js";
import { explainDrop, topLoweringReason } from "../domain/health/reason-direction.js";
import { healthReasonsSchema } from "../domain/health/snapshot.js";
import { type ChannelAttention, channelAttention } from "./channel-signals.js";

export interface WorkspaceDigestAccount extends DigestAccount {
  ownerId: number | null;
  segment: string | null;
  stage: string;
}

interface Row {
  id: number;
  name: string;
  ownerId: number | null;
  ownerSlackId: string | null;
  ownerName: string | null;
  arr: number;
  currency: string;
  segment: string | null;
  stage: string;
  renewalDate: Date | null;
  score: number | null;
  band: Band | null;
  reasons: unknown;
  prevScore: number | null;
  prevBand: Band | null;
  prevReasons: unknown;
  lastTouchAt: Date | null;
  detractors: { score: number; comment: string | null }[] | null;
  overdue: number;
  snoozeUntil: Date | null;
  scoreAtSnooze: number | null;
}

export async function gatherDigestAccounts(db: Db, workspaceId: number, now: Date): Promise<WorkspaceDigestAccount[]> {
  const today = startOfUtcDay(now);
  const channels = await channelAttention(db, workspaceId, now);
  const dayAgo = addDays(now, -1);
  const rows = await db.$queryRaw<Row[]>`
    SELECT a."id", a."name", a."ownerId", u."slackUserId" AS "ownerSlackId", u."name" AS "ownerName", a."arr"::float8 AS "arr", a."currency",
           a."segment", a."stage"::text AS "stage", a."renewalDate",
           s."score", s."band"::text AS "band", s."reasons",
           p."score" AS "prevScore", p."band"::text AS "prevBand", p."reasons" AS "prevReasons",
           t."lastTouchAt", d."detractors", coalesce(k."overdue", 0)::int AS "overdue",
           z."until" AS "snoozeUntil", z."scoreAtSnooze"
      FROM "account" a
      LEFT JOIN "app_user" u ON u."id" = a."ownerId" AND u."workspaceId" = a."workspaceId"
      LEFT JOIN LATERAL (
        SELECT h."score", h."band", h."reasons", h."scoredOn" FROM "health_snapshot" h
         WHERE h."workspaceId" = a."workspaceId" AND h."accountId" = a."id"
         ORDER BY h."scoredOn" DESC LIMIT 1) s ON true
      LEFT JOIN LATERAL (
        SELECT h."score", h."band", h."reasons" FROM "health_snapshot" h
         WHERE h."workspaceId" = a."workspaceId" AND h."accountId" = a."id" AND h."scoredOn" < s."scoredOn"
         ORDER BY h."scoredOn" DESC LIMIT 1) p ON true
      LEFT JOIN LATERAL (
        SELECT max(tp."occurredAt") AS "lastTouchAt" FROM "touchpoint" tp
         WHERE tp."workspaceId" = a."workspaceId" AND tp."accountId" = a."id") t ON true
      LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object('score', r."score", 'comment', r."comment") ORDER BY r."respondedAt" DESC) AS "detractors"
          FROM "survey_response" r
         WHERE r."workspaceId" = a."workspaceId" AND r."accountId" = a."id" AND r."kind" = 'nps'
           AND r."score" <= 6 AND r."respondedAt" > ${dayAgo}) d ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS "overdue" FROM "playbook_task" pt
         WHERE pt."workspaceId" = a."workspaceId" AND pt."accountId" = a."id" AND pt."status" = 'open' AND pt."dueOn" < ${today}) k ON true
      LEFT JOIN LATERAL (
        SELECT sz."until", sz."scoreAtSnooze" FROM "digest_snooze" sz
         WHERE sz."workspaceId" = a."workspaceId" AND sz."accountId" = a."id" AND sz."until" > ${now}
         ORDER BY sz."until" DESC LIMIT 1) z ON true
     WHERE a."workspaceId" = ${workspaceId} AND a."status" = 'active'
     ORDER BY a."arr" DESC, a."id"`;
  return rows.map((r) => {
    const reasons = healthReasonsSchema.safeParse(r.reasons);
    const before = healthReasonsSchema.safeParse(r.prevReasons);
    // A drop is explained by what changed since the snapshot before, not by today's strongest reason.
    const worse = reasons.success && before.success ? explainDrop(reasons.data, before.data)[0] : undefined;
    return {
      id: r.id,
      name: r.name,
      ownerId: r.ownerId,
      ownerSlackId: r.ownerSlackId,
      ownerName: r.ownerName,
      arr: Number(r.arr),
      currency: r.currency,
      segment: r.segment,
      stage: r.stage,
      score: r.score,
      band: r.band,
      previousScore: r.prevScore,
      previousBand: r.prevBand,
      topReason: reasons.success ? topLoweringReason(reasons.data) : null,
      changeReason: worse ? { text: worse.text, component: worse.component, delta: worse.delta } : null,
      renewalDate: r.renewalDate,
      lastTouchAt: r.lastTouchAt,
      detractors: r.detractors ?? [],
      overdueTasks: r.overdue,
      snooze: r.snoozeUntil ? { until: r.snoozeUntil, scoreAtSnooze: r.scoreAtSnooze } : null,
      ...channelFields(channels.get(r.id)),
    };
  });
}

function channelFields(c: ChannelAttention | undefined): Pick<DigestAccount, "channel"> {
  if (!c) return {};
  return {
    channel: {
      unanswered: c.unanswered,
      oldestUnansweredHours: c.oldestUnansweredHours,
      quietDays: c.weeklyBefore ? c.daysSinceCustomerMessage : null,
    },
  };
}

export interface SubscriptionFilters {
  ownerFilterId: number | null;
  segment: string | null;
  stage: string | null;
  minArr: number | null;
}

const byOwnerCache = new WeakMap<WorkspaceDigestAccount[], Map<number | null, WorkspaceDigestAccount[]>>();

/** The workspace's accounts grouped by owner (kept in ARR order), built once per tick. */
function byOwner(accounts: WorkspaceDigestAccount[]): Map<number | null, WorkspaceDigestAccount[]> {
  let index = byOwnerCache.get(accounts);
  if (!index) {
    index = new Map();
    for (const a of accounts) {
      const list = index.get(a.ownerId);
      if (list) list.push(a);
      else index.set(a.ownerId, [a]);
    }
    byOwnerCache.set(accounts, index);
  }
  return index;
}

export function filterForSubscription(
  accounts: WorkspaceDigestAccount[],
  f: SubscriptionFilters,
): WorkspaceDigestAccount[] {
  const segment = f.segment?.toLowerCase();
  const pool = f.ownerFilterId === null ? accounts : (byOwner(accounts).get(f.ownerFilterId) ?? []);
  return pool.filter(
    (a) =>
      (f.ownerFilterId === null || a.ownerId === f.ownerFilterId) &&
      (!segment || a.segment?.toLowerCase() === segment) &&
      (!f.stage || a.stage === f.stage) &&
      (f.minArr === null || a.arr >= f.minArr),
  );
}

/** Uses the scores the previous digest showed as "before", where there was one. */
export function withPreviousDigest(
  accounts: WorkspaceDigestAccount[],
  previous: Pick<DigestSummary, "scores" | "bands"> | null,
): WorkspaceDigestAccount[] {
  if (!previous) return accounts;
  return accounts.map((a) => {
    const score = previous.scores[String(a.id)];
    return score === undefined
      ? a
      : { ...a, previousScore: score, previousBand: previous.bands[String(a.id)] ?? a.previousBand };
  });
}
