// Set-based reads and writes for the health score. One pass over each evidence table
// (usage, touchpoints, contacts, surveys, earlier scores) aggregates everything the model
// needs, with only the evidence known before the cut-off, and is handed out a page of
// accounts at a time; one statement per thousand accounts writes the snapshots.
// Nothing here loads raw usage rows, or a whole workspace's accounts, into memory.
import pg from "pg";
import type { Db, DbTx } from "./client.js";
import type { AccountFeatures, WorkspaceEvidence } from "../domain/health/features.js";
import { rulesFor, type HealthModel } from "../domain/health/model-config.js";
import { BILLING_TERMS, LIFECYCLE_STAGES, type BillingTerm, type LifecycleStage } from "../domain/vocabulary.js";
import type { HealthBand, HealthScore } from "../domain/health/score-model.js";
import { isoDay } from "../domain/dates.js";

export interface FeatureQuery {
  workspaceId: number;
  /** The day being scored (UTC midnight). Usage rows strictly before it count. */
  scoredOn: Date;
  /** Touchpoints, surveys and account starts strictly before this instant count. */
  cutoff: Date;
  /** Accounts per page handed to the caller. */
  pageSize: number;
  /** Restrict to these accounts (a single-account recompute). */
  accountIds?: number[];
  /** What the workspace collects, when the caller has read it already. */
  evidence?: WorkspaceEvidence;
}

export interface AccountFeatureRow {
  features: AccountFeatures;
  name: string;
  externalId: string | null;
  /** Scores of the nearest snapshots 7 and 30 days earlier (up to a week before that). */
  scoreWeekAgo: number | null;
  scoreMonthAgo: number | null;
}

interface RawFeatureRow {
  id: number;
  name: string;
  external_id: string | null;
  segment: string | null;
  stage: LifecycleStage;
  stage_set: boolean;
  seats: number | null;
  started_at: Date | string;
  rows_ever: number | null;
  active_30: number | null;
  active_prev: number | null;
  active_7: number | null;
  active_base_28: number | null;
  login_days_30: number | null;
  logins_30: number | null;
  logins_prev: number | null;
  last_active_on: Date | string | null;
  modules_30: number | null;
  module_names_30: string[] | null;
  first_usage_on: Date | string | null;
  first_value_on: Date | string | null;
  latest_seats: number | null;
  seats_90_ago: number | null;
  malformed_rows: number | null;
  peer_rank: number | null;
  last_touch_at: Date | string | null;
  reached_sponsor: boolean | null;
  reached_implementer: boolean | null;
  reached_end_user: boolean | null;
  escalations: number | null;
  negative_touches: number | null;
  touches_90: number | null;
  negative_90: number | null;
  positive_90: number | null;
  escalations_90: number | null;
  sponsor_left_on: Date | string | null;
  sponsors_remaining: number | null;
  champion_left_on: Date | string | null;
  champions_remaining: number | null;
  overdue_milestones: number | null;
  last_answer_at: Date | string | null;
  nps_recent_avg: number | null;
  nps_recent_count: number | null;
  nps_prior_avg: number | null;
  nps_recent_min: number | null;
  nps_recent_min_at: Date | string | null;
  nps_latest: number | null;
  nps_latest_at: Date | string | null;
  csat_recent_avg: number | null;
  csat_recent_count: number | null;
  ces_recent_avg: number | null;
  billing_term: string | null;
  auto_renew: boolean | null;
  renewal_date: Date | string | null;
  plan: string | null;
  traits: Record<string, unknown> | null;
  arr_now: string | number | null;
  arr_90_ago: string | number | null;
  score_week_ago: number | null;
  score_month_ago: number | null;
  ch_linked: boolean | null;
  ch_customer_messages_30: number | null;
  ch_customer_people_30: number | null;
  ch_last_customer_day: Date | string | null;
  ch_active_weeks_before_last: number | null;
  ch_customer_leaves_90: number | null;
  ch_median_response_s: number | null;
  ch_unanswered_30: number | null;
}

// An attribute as of day $2: the latest recorded change on or before it, else the earliest
// value ever recorded (what the first import saw), else the account's column.
const attributeAsOf = (attribute: string, column: string, cast: string) => `COALESCE(
  (SELECT (x.value #>> '{}')${cast} FROM "account_attribute_change" x
    WHERE x."workspaceId" = $1 AND x."accountId" = a.id AND x.attribute = '${attribute}' AND x."effectiveOn" <= $2::date
    ORDER BY x."effectiveOn" DESC LIMIT 1),
  (SELECT (x.value #>> '{}')${cast} FROM "account_attribute_change" x
    WHERE x."workspaceId" = $1 AND x."accountId" = a.id AND x.attribute = '${attribute}'
    ORDER BY x."effectiveOn" LIMIT 1),
  ${column})`;

// ARR on a day from the ARR history: the last change on or before it, else what the first
// later change started from, else the account's ARR. A churned account's stored ARR is 0,
// so reading it for a day before the churn would hand the model its own outcome.
const arrAsOf = (day: string) => `COALESCE(
  (SELECT c."arrAfter" FROM "arr_change" c WHERE c."workspaceId" = $1 AND c."accountId" = a.id AND c."effectiveOn" <= ${day}
    ORDER BY c."effectiveOn" DESC, c.id DESC LIMIT 1),
  (SELECT c."arrBefore" FROM "arr_change" c WHERE c."workspaceId" = $1 AND c."accountId" = a.id AND c."effectiveOn" > ${day}
    ORDER BY c."effectiveOn", c.id LIMIT 1),
  a.arr)`;

// Parameters: $1 workspace, $2 scored day, $3 cut-off instant, $4 first-value share,
// $5 coverage days, $6 support days, $7 recent survey days, $8 stages judged on time to
// first value, $9 (only when the scope is a list of accounts) the account ids.
//
// Eligible accounts started before the cut-off (creation, contract start or first usage)
// and were not churned on the day: neither marked churned by then nor inside a full churn
// that had not been won back yet.
export function featuresSql(scope: "workspace" | "accounts"): string {
  const only = (column: string) => (scope === "accounts" ? `AND ${column} = ANY($9::int[])` : "");
  return `
WITH eligible AS (
  SELECT a.*, LEAST(a."createdAt", COALESCE(a."contractStart"::timestamp AT TIME ZONE 'UTC', a."createdAt"),
                    COALESCE((SELECT min(ud.day) FROM "usage_daily" ud WHERE ud."workspaceId" = $1 AND ud."accountId" = a.id)::timestamp AT TIME ZONE 'UTC', a."createdAt")) AS started_at
  FROM "account" a
  WHERE a."workspaceId" = $1
    AND NOT (a.status = 'churned' AND (a."churnedAt" IS NULL OR a."churnedAt" <= $2::date)
             AND NOT EXISTS (SELECT 1 FROM "churn_event" ce WHERE ce."workspaceId" = $1 AND ce."accountId" = a.id AND ce.kind = 'full' AND ce."churnedOn" > $2::date))
    AND NOT EXISTS (SELECT 1 FROM "churn_event" ce WHERE ce."workspaceId" = $1 AND ce."accountId" = a.id AND ce.kind = 'full'
                      AND ce."churnedOn" <= $2::date AND (ce."reversedAt" IS NULL OR ce."reversedAt" > $3::timestamptz))
),
acc AS (
  SELECT a.id, a.name, a."externalId" AS external_id, a.segment,
         -- The stage on the day: the last recorded change by then, else where the first later change started from.
         COALESCE(
           (SELECT sc."toStage"::text FROM "stage_change" sc WHERE sc."workspaceId" = $1 AND sc."accountId" = a.id AND sc."changedAt" < $3::timestamptz ORDER BY sc."changedAt" DESC LIMIT 1),
           (SELECT sc."fromStage"::text FROM "stage_change" sc WHERE sc."workspaceId" = $1 AND sc."accountId" = a.id AND sc."changedAt" >= $3::timestamptz ORDER BY sc."changedAt" LIMIT 1),
           a.stage::text) AS stage,
         ${attributeAsOf("seats", "a.seats", "::int")} AS seats, a.started_at,
         (a.stage <> 'orientation' OR EXISTS (SELECT 1 FROM "stage_change" sc WHERE sc."workspaceId" = $1 AND sc."accountId" = a.id)) AS stage_set,
         ${attributeAsOf("billingTerm", 'a."billingTerm"::text', "")} AS billing_term,
         ${attributeAsOf("autoRenew", 'a."autoRenew"', "::boolean")} AS auto_renew,
         ${attributeAsOf("plan", "a.plan", "")} AS plan,
         a."renewalDate" AS renewal_date,
         COALESCE(a.traits, '{}'::jsonb) || COALESCE((
           SELECT jsonb_object_agg(substr(t.attribute, 7), t.value)
           FROM (SELECT DISTINCT ON (x.attribute) x.attribute, x.value FROM "account_attribute_change" x
                  WHERE x."workspaceId" = $1 AND x."accountId" = a.id AND x.attribute LIKE 'trait:%' AND x."effectiveOn" <= $2::date
                  ORDER BY x.attribute, x."effectiveOn" DESC) t), '{}'::jsonb) AS traits,
         ${arrAsOf("$2::date")} AS arr_now,
         ${arrAsOf("($2::date - 90)")} AS arr_90_ago
  FROM eligible a
  WHERE a.started_at < $3::timestamptz ${only("a.id")}
),
-- Peers: every eligible account's 30-day average active share of its seats (or, for an
-- account whose seats are unknown, its average active users, ranked only against others
-- without seats), ranked within its segment and within the workspace, always over all
-- peers even when one account is scored.
peer AS (
  SELECT e.id, e.segment, COALESCE(max(ud.seats), max(e.seats), 0) > 0 AS has_seats,
         COALESCE((sum(ud."activeUsers")::float8 / 30) / NULLIF(COALESCE(max(ud.seats), max(e.seats)), 0), sum(ud."activeUsers")::float8 / 30) AS level
  FROM eligible e JOIN "usage_daily" ud ON ud."workspaceId" = $1 AND ud."accountId" = e.id AND ud.day >= $2::date - 30 AND ud.day < $2::date
  WHERE e.started_at < $3::timestamptz
  GROUP BY e.id, e.segment
),
peer_rank AS (
  SELECT id,
         CASE WHEN count(*) OVER (PARTITION BY segment, has_seats) >= 10 THEN percent_rank() OVER (PARTITION BY segment, has_seats ORDER BY level)
              ELSE percent_rank() OVER (PARTITION BY has_seats ORDER BY level) END AS peer_rank
  FROM peer WHERE level IS NOT NULL
),
u AS (
  SELECT ud."accountId" AS id,
         count(*)::int AS rows_ever,
         COALESCE(sum(ud."activeUsers") FILTER (WHERE ud.day >= $2::date - 30), 0)::float8 AS active_30,
         COALESCE(sum(ud."activeUsers") FILTER (WHERE ud.day >= $2::date - 60 AND ud.day < $2::date - 30), 0)::float8 AS active_prev,
         COALESCE(sum(ud."activeUsers") FILTER (WHERE ud.day >= $2::date - 7), 0)::float8 AS active_7,
         COALESCE(sum(ud."activeUsers") FILTER (WHERE ud.day >= $2::date - 35 AND ud.day < $2::date - 7), 0)::float8 AS active_base_28,
         count(*) FILTER (WHERE ud.day >= $2::date - 30 AND ud.logins > 0)::int AS login_days_30,
         COALESCE(sum(ud.logins) FILTER (WHERE ud.day >= $2::date - 30), 0)::float8 AS logins_30,
         COALESCE(sum(ud.logins) FILTER (WHERE ud.day >= $2::date - 60 AND ud.day < $2::date - 30), 0)::float8 AS logins_prev,
         max(ud.day) FILTER (WHERE ud."activeUsers" > 0) AS last_active_on,
         min(ud.day) AS first_usage_on,
         max(ud.seats) FILTER (WHERE ud.day >= $2::date - 30) AS latest_seats,
         max(ud.seats) FILTER (WHERE ud.day >= $2::date - 97 AND ud.day < $2::date - 83) AS seats_90_ago,
         count(*) FILTER (WHERE jsonb_typeof(ud.modules) <> 'object')::int AS malformed_rows,
         jsonb_merge_agg(ud.modules) FILTER (WHERE ud.day >= $2::date - 30 AND jsonb_typeof(ud.modules) = 'object') AS modules_30
  FROM "usage_daily" ud
  WHERE ud."workspaceId" = $1 AND ud.day < $2::date ${only('ud."accountId"')}
  GROUP BY ud."accountId"
),
-- Time to first value, judged only in the stages whose rules ask for it ($8): the first
-- day at or above the share of seats, found walking each such account's days in order on
-- the primary key (it usually stops within days of the start).
fv AS (
  SELECT acc.id,
         (SELECT ud.day FROM "usage_daily" ud
           WHERE ud."workspaceId" = $1 AND ud."accountId" = acc.id AND ud.day < $2::date
             AND ud."activeUsers" > 0 AND ud."activeUsers" >= $4::float8 * COALESCE(ud.seats, acc.seats, 0)
           ORDER BY ud.day LIMIT 1) AS first_value_on
  FROM acc
  WHERE acc.stage = ANY($8::text[]) OR NOT acc.stage_set
),
-- A CSM touchpoint that counts as engagement is neither an escalation nor negative.
t AS (
  SELECT tp."accountId" AS id,
         max(tp."occurredAt") FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment IS DISTINCT FROM 'negative') AS last_touch_at,
         COALESCE(bool_or('sponsor'::"StakeholderType" = ANY(tp."stakeholderTypes")) FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment IS DISTINCT FROM 'negative' AND tp."occurredAt" >= $3::timestamptz - make_interval(days => $5)), false) AS reached_sponsor,
         COALESCE(bool_or('implementer'::"StakeholderType" = ANY(tp."stakeholderTypes")) FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment IS DISTINCT FROM 'negative' AND tp."occurredAt" >= $3::timestamptz - make_interval(days => $5)), false) AS reached_implementer,
         COALESCE(bool_or('end_user'::"StakeholderType" = ANY(tp."stakeholderTypes")) FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment IS DISTINCT FROM 'negative' AND tp."occurredAt" >= $3::timestamptz - make_interval(days => $5)), false) AS reached_end_user,
         count(*) FILTER (WHERE tp.kind = 'support_escalation' AND tp."occurredAt" >= $3::timestamptz - make_interval(days => $6))::int AS escalations,
         count(*) FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment = 'negative' AND tp."occurredAt" >= $3::timestamptz - make_interval(days => $6))::int AS negative_touches,
         count(*) FILTER (WHERE tp.kind <> 'support_escalation' AND tp."occurredAt" >= $3::timestamptz - interval '90 days')::int AS touches_90,
         count(*) FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment = 'negative' AND tp."occurredAt" >= $3::timestamptz - interval '90 days')::int AS negative_90,
         count(*) FILTER (WHERE tp.kind <> 'support_escalation' AND tp.sentiment = 'positive' AND tp."occurredAt" >= $3::timestamptz - interval '90 days')::int AS positive_90,
         count(*) FILTER (WHERE tp.kind = 'support_escalation' AND tp."occurredAt" >= $3::timestamptz - interval '90 days')::int AS escalations_90
  FROM "touchpoint" tp
  WHERE tp."workspaceId" = $1 AND tp."occurredAt" < $3::timestamptz ${only('tp."accountId"')}
  GROUP BY tp."accountId"
),
m AS (
  SELECT sm."accountId" AS id,
         count(*) FILTER (WHERE sm."dueOn" < $2::date AND (sm."completedOn" IS NULL OR sm."completedOn" >= $2::date))::int AS overdue_milestones
  FROM "success_milestone" sm
  WHERE sm."workspaceId" = $1 AND sm."createdAt" < $3::timestamptz ${only('sm."accountId"')}
  GROUP BY sm."accountId"
),
c AS (
  SELECT ct."accountId" AS id,
         max(ct."leftAt") FILTER (WHERE ct."stakeholderType" = 'sponsor' AND ct."leftAt" <= $2::date) AS sponsor_left_on,
         count(*) FILTER (WHERE ct."stakeholderType" = 'sponsor' AND (ct."leftAt" IS NULL OR ct."leftAt" > $2::date))::int AS sponsors_remaining,
         -- Likely champions who are not sponsors (a sponsor is counted as one): the mark stays on whoever left.
         max(ct."leftAt") FILTER (WHERE ct."likelyChampion" AND ct."stakeholderType" <> 'sponsor' AND ct."leftAt" <= $2::date) AS champion_left_on,
         count(*) FILTER (WHERE ct."likelyChampion" AND ct."stakeholderType" <> 'sponsor' AND (ct."leftAt" IS NULL OR ct."leftAt" > $2::date))::int AS champions_remaining
  FROM "contact" ct
  WHERE ct."workspaceId" = $1 ${only('ct."accountId"')}
  GROUP BY ct."accountId"
),
-- Linked customer channels (channel signals on), as of the scored day: counts and timings only.
chl AS (
  SELECT l."accountId" AS id, l."channelId", w."channelResponseTargetHours" AS target
  FROM "channel_link" l JOIN "workspace" w ON w.id = l."workspaceId" AND w."channelSignals"
  WHERE l."workspaceId" = $1 ${only('l."accountId"')}
),
chd AS (
  SELECT chl.id, d.day, d."slackUserId", d.messages, d.leaves
  FROM chl JOIN "channel_person_daily" d ON d."workspaceId" = $1 AND d."channelId" = chl."channelId"
  WHERE d."isCustomer" AND d.day < $2::date
),
chlast AS (SELECT id, max(day) FILTER (WHERE messages > 0) AS last_day FROM chd GROUP BY id),
ch AS (
  SELECT a.id, true AS linked,
         COALESCE((SELECT sum(x.messages) FROM chd x WHERE x.id = a.id AND x.day >= $2::date - 30), 0)::int AS customer_messages_30,
         (SELECT count(DISTINCT x."slackUserId") FROM chd x WHERE x.id = a.id AND x.day >= $2::date - 30 AND x.messages > 0)::int AS customer_people_30,
         cl.last_day,
         (SELECT count(DISTINCT (cl.last_day - x.day) / 7) FROM chd x
           WHERE x.id = a.id AND x.messages > 0 AND x.day <= cl.last_day AND x.day > cl.last_day - 28)::int AS active_weeks_before_last,
         COALESCE((SELECT sum(x.leaves) FROM chd x WHERE x.id = a.id AND x.day >= $2::date - 90), 0)::int AS customer_leaves_90,
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM th."answeredAt" - th."askedAt"))
            FROM chl k JOIN "channel_thread" th ON th."workspaceId" = $1 AND th."channelId" = k."channelId"
           WHERE k.id = a.id AND th."answeredAt" < $3::timestamptz AND th."askedAt" >= $3::timestamptz - interval '30 days')::float8 AS median_response_s,
         (SELECT count(*) FROM chl k JOIN "channel_thread" th ON th."workspaceId" = $1 AND th."channelId" = k."channelId"
           WHERE k.id = a.id AND th."askedAt" >= $3::timestamptz - interval '30 days'
             AND th."askedAt" < $3::timestamptz - make_interval(hours => k.target)
             AND (th."answeredAt" IS NULL OR th."answeredAt" > th."askedAt" + make_interval(hours => k.target)))::int AS unanswered_30
  FROM (SELECT DISTINCT id FROM chl) a LEFT JOIN chlast cl ON cl.id = a.id
),
s AS (
  SELECT sr."accountId" AS id,
         max(sr."respondedAt") AS last_answer_at,
         avg(sr.score) FILTER (WHERE sr.kind = 'nps' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7))::float8 AS nps_recent_avg,
         count(*) FILTER (WHERE sr.kind = 'nps' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7))::int AS nps_recent_count,
         avg(sr.score) FILTER (WHERE sr.kind = 'nps' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => 2 * $7) AND sr."respondedAt" < $3::timestamptz - make_interval(days => $7))::float8 AS nps_prior_avg,
         min(sr.score) FILTER (WHERE sr.kind = 'nps' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7)) AS nps_recent_min,
         (array_agg(sr."respondedAt" ORDER BY sr.score, sr."respondedAt" DESC) FILTER (WHERE sr.kind = 'nps' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7)))[1] AS nps_recent_min_at,
         (array_agg(sr.score ORDER BY sr."respondedAt" DESC) FILTER (WHERE sr.kind = 'nps'))[1] AS nps_latest,
         max(sr."respondedAt") FILTER (WHERE sr.kind = 'nps') AS nps_latest_at,
         avg(sr.score) FILTER (WHERE sr.kind = 'csat' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7))::float8 AS csat_recent_avg,
         count(*) FILTER (WHERE sr.kind = 'csat' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7))::int AS csat_recent_count,
         avg(sr.score) FILTER (WHERE sr.kind = 'ces' AND sr."respondedAt" >= $3::timestamptz - make_interval(days => $7))::float8 AS ces_recent_avg
  FROM "survey_response" sr
  WHERE sr."workspaceId" = $1 AND sr."respondedAt" < $3::timestamptz ${only('sr."accountId"')}
  GROUP BY sr."accountId"
)
SELECT acc.id, acc.name, acc.external_id, acc.segment, acc.stage, acc.stage_set, acc.seats, acc.started_at,
       acc.billing_term, acc.auto_renew, acc.plan, acc.renewal_date, acc.traits, acc.arr_now::text AS arr_now, acc.arr_90_ago::text AS arr_90_ago,
       u.rows_ever, u.active_30, u.active_prev, u.active_7, u.active_base_28, u.login_days_30, u.logins_30, u.logins_prev, u.last_active_on,
       (SELECT count(*)::int FROM jsonb_object_keys(u.modules_30)) AS modules_30,
       ARRAY(SELECT jsonb_object_keys(u.modules_30)) AS module_names_30,
       u.first_usage_on, fv.first_value_on, u.latest_seats, u.seats_90_ago, u.malformed_rows, pr.peer_rank,
       t.last_touch_at, t.reached_sponsor, t.reached_implementer, t.reached_end_user, t.escalations, t.negative_touches,
       t.touches_90, t.negative_90, t.positive_90, t.escalations_90,
       c.sponsor_left_on, c.sponsors_remaining, c.champion_left_on, c.champions_remaining, m.overdue_milestones,
       s.last_answer_at, s.nps_recent_avg, s.nps_recent_count, s.nps_prior_avg, s.nps_recent_min, s.nps_recent_min_at,
       s.nps_latest, s.nps_latest_at, s.csat_recent_avg, s.csat_recent_count, s.ces_recent_avg,
       (SELECT h.score FROM "health_snapshot" h
         WHERE h."workspaceId" = $1 AND h."accountId" = acc.id AND h."scoredOn" <= $2::date - 7 AND h."scoredOn" > $2::date - 14
         ORDER BY h."scoredOn" DESC LIMIT 1) AS score_week_ago,
       (SELECT h.score FROM "health_snapshot" h
         WHERE h."workspaceId" = $1 AND h."accountId" = acc.id AND h."scoredOn" <= $2::date - 30 AND h."scoredOn" > $2::date - 37
         ORDER BY h."scoredOn" DESC LIMIT 1) AS score_month_ago,
       ch.linked AS ch_linked, ch.customer_messages_30 AS ch_customer_messages_30, ch.customer_people_30 AS ch_customer_people_30,
       ch.last_day AS ch_last_customer_day, ch.active_weeks_before_last AS ch_active_weeks_before_last,
       ch.customer_leaves_90 AS ch_customer_leaves_90, ch.median_response_s AS ch_median_response_s, ch.unanswered_30 AS ch_unanswered_30
FROM acc
LEFT JOIN u ON u.id = acc.id
LEFT JOIN fv ON fv.id = acc.id
LEFT JOIN peer_rank pr ON pr.id = acc.id
LEFT JOIN t ON t.id = acc.id
LEFT JOIN c ON c.id = acc.id
LEFT JOIN m ON m.id = acc.id
LEFT JOIN s ON s.id = acc.id
LEFT JOIN ch ON ch.id = acc.id
`;
}

/**
 * Refreshes the planner's statistics on the evidence tables. A history import followed at
 * once by a backfill or a fit would otherwise be planned on empty statistics, and the
 * feature pass, which is a join of aggregates, then runs ten times slower.
 */
export async function analyzeEvidenceTables(db: Db): Promise<void> {
  await db.$executeRawUnsafe(
    'ANALYZE "account", "usage_daily", "touchpoint", "survey_response", "contact", "churn_event", "arr_change", "account_attribute_change", "health_snapshot", "success_milestone", "channel_link", "channel_person_daily", "channel_thread"',
  );
}

/** Whether the workspace had collected each kind of evidence, for anyone, before the cut-off. */
export async function readWorkspaceEvidence(
  db: Db,
  workspaceId: number,
  scoredOn: Date,
  cutoff: Date,
): Promise<WorkspaceEvidence> {
  const [row] = await db.$queryRaw<
    { touchpoints: boolean; surveys: boolean; usage: boolean; logins: boolean; modules: boolean; channels: boolean }[]
  >`
    SELECT EXISTS (SELECT 1 FROM "touchpoint" tp WHERE tp."workspaceId" = ${workspaceId} AND tp."occurredAt" < ${cutoff}
                     AND tp.kind <> 'support_escalation' AND tp.sentiment IS DISTINCT FROM 'negative') AS touchpoints,
           EXISTS (SELECT 1 FROM "survey_response" sr WHERE sr."workspaceId" = ${workspaceId} AND sr."respondedAt" < ${cutoff}) AS surveys,
           EXISTS (SELECT 1 FROM "usage_daily" ud WHERE ud."workspaceId" = ${workspaceId} AND ud.day < ${isoDay(scoredOn)}::date) AS usage,
           EXISTS (SELECT 1 FROM "usage_daily" ud WHERE ud."workspaceId" = ${workspaceId} AND ud.day < ${isoDay(scoredOn)}::date AND ud.logins > 0) AS logins,
           EXISTS (SELECT 1 FROM "usage_daily" ud WHERE ud."workspaceId" = ${workspaceId} AND ud.day < ${isoDay(scoredOn)}::date AND ud.modules <> '{}'::jsonb) AS modules,
           EXISTS (SELECT 1 FROM "channel_person_daily" d
                     JOIN "channel_link" l ON l."workspaceId" = d."workspaceId" AND l."channelId" = d."channelId"
                     JOIN "workspace" w ON w.id = d."workspaceId" AND w."channelSignals"
                    WHERE d."workspaceId" = ${workspaceId} AND d.day < ${isoDay(scoredOn)}::date) AS channels`;
  return {
    touchpoints: Boolean(row?.touchpoints),
    surveys: Boolean(row?.surveys),
    usage: Boolean(row?.usage),
    logins: Boolean(row?.logins),
    modules: Boolean(row?.modules),
    channels: Boolean(row?.channels),
  };
}

/** Database days and instants may arrive as Date or text depending on the driver path. */
function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
}
const toDateOrNull = (value: Date | string | null) => (value === null ? null : toDate(value));
const num = (value: number | null) => (value === null ? null : Number(value));

const numOrNull = (value: string | number | null) => (value === null || value === undefined ? null : Number(value));

function toTraits(value: Record<string, unknown> | null): Record<string, number | string> {
  const traits: Record<string, number | string> = {};
  for (const [key, v] of Object.entries(value ?? {})) {
    if (typeof v === "number" && Number.isFinite(v)) traits[key] = v;
    else if (typeof v === "string" && v !== "") traits[key] = v;
  }
  return traits;
}

function toFeatureRow(r: RawFeatureRow, evidence: WorkspaceEvidence): AccountFeatureRow {
  return {
    name: r.name,
    externalId: r.external_id,
    scoreWeekAgo: num(r.score_week_ago),
    scoreMonthAgo: num(r.score_month_ago),
    features: {
      accountId: r.id,
      segment: r.segment,
      stage: r.stage,
      stageSet: Boolean(r.stage_set),
      seats: num(r.latest_seats) ?? num(r.seats),
      createdAt: toDate(r.started_at),
      usage: {
        rowsEver: Number(r.rows_ever ?? 0),
        activeSum30: Number(r.active_30 ?? 0),
        activeSumPrev30: Number(r.active_prev ?? 0),
        activeSum7: Number(r.active_7 ?? 0),
        activeSumBase28: Number(r.active_base_28 ?? 0),
        loginDays30: Number(r.login_days_30 ?? 0),
        modules30: Number(r.modules_30 ?? 0),
        firstUsageOn: toDateOrNull(r.first_usage_on),
        firstValueOn: toDateOrNull(r.first_value_on),
        malformedRows: Number(r.malformed_rows ?? 0),
        loginsSum30: Number(r.logins_30 ?? 0),
        loginsSumPrev30: Number(r.logins_prev ?? 0),
        lastActiveOn: toDateOrNull(r.last_active_on),
        moduleNames30: r.module_names_30 ?? [],
        seats90Ago: num(r.seats_90_ago),
        peerActiveShareRank: num(r.peer_rank),
      },
      engagement: {
        lastTouchAt: toDateOrNull(r.last_touch_at),
        reachedSponsor: Boolean(r.reached_sponsor),
        reachedImplementer: Boolean(r.reached_implementer),
        reachedEndUser: Boolean(r.reached_end_user),
        escalations: Number(r.escalations ?? 0),
        negativeTouches: Number(r.negative_touches ?? 0),
        sponsorLeftOn: toDateOrNull(r.sponsor_left_on),
        sponsorsRemaining: Number(r.sponsors_remaining ?? 0),
        championLeftOn: toDateOrNull(r.champion_left_on),
        championsRemaining: Number(r.champions_remaining ?? 0),
        touches90: Number(r.touches_90 ?? 0),
        negativeTouches90: Number(r.negative_90 ?? 0),
        positiveTouches90: Number(r.positive_90 ?? 0),
        escalations90: Number(r.escalations_90 ?? 0),
        overdueMilestones: Number(r.overdue_milestones ?? 0),
      },
      perception: {
        npsRecentAvg: num(r.nps_recent_avg),
        npsRecentCount: Number(r.nps_recent_count ?? 0),
        npsPriorAvg: num(r.nps_prior_avg),
        npsRecentMin: num(r.nps_recent_min),
        npsRecentMinAt: toDateOrNull(r.nps_recent_min_at),
        npsLatest: num(r.nps_latest),
        npsLatestAt: toDateOrNull(r.nps_latest_at),
        csatRecentAvg: num(r.csat_recent_avg),
        csatRecentCount: Number(r.csat_recent_count ?? 0),
        cesRecentAvg: num(r.ces_recent_avg),
        lastAnswerAt: toDateOrNull(r.last_answer_at),
      },
      contract: {
        billingTerm: (BILLING_TERMS as readonly string[]).includes(r.billing_term ?? "")
          ? (r.billing_term as BillingTerm)
          : null,
        autoRenew: r.auto_renew === null ? null : Boolean(r.auto_renew),
        renewalDate: toDateOrNull(r.renewal_date),
        arr: numOrNull(r.arr_now),
        arr90Ago: numOrNull(r.arr_90_ago),
        plan: r.plan,
        traits: toTraits(r.traits),
      },
      evidence,
      channels: r.ch_linked
        ? {
            customerMessages30: Number(r.ch_customer_messages_30 ?? 0),
            customerPeople30: Number(r.ch_customer_people_30 ?? 0),
            lastCustomerMessageOn: toDateOrNull(r.ch_last_customer_day),
            activeWeeksBeforeLast: Number(r.ch_active_weeks_before_last ?? 0),
            medianFirstResponseSeconds30: num(r.ch_median_response_s),
            unanswered30: Number(r.ch_unanswered_30 ?? 0),
            customerLeaves90: Number(r.ch_customer_leaves_90 ?? 0),
          }
        : null,
    },
  };
}

/** Stages whose rules (default or any segment's) judge time to first value. */
export function firstValueStages(model: HealthModel): string[] {
  const segments = [null, ...Object.keys(model.segments)];
  return LIFECYCLE_STAGES.filter((stage) =>
    segments.some((segment) => {
      const usage = rulesFor(model, stage, segment).stage.usage;
      return usage.firstValueDays > 0 && usage.weights.firstValue > 0;
    }),
  );
}

// A whole workspace's features are read inside one transaction, which must outlive any
// interactive-transaction default: a million accounts take minutes.
const FEATURE_READ_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/**
 * Every eligible account's features, page by page, from one pass over each evidence table.
 *
 * For a whole workspace the aggregates run once, into a temporary table (a plain
 * statement, so PostgreSQL may aggregate with parallel workers: a cursor over the query
 * itself would not), and a cursor hands that table out a page at a time, so this process
 * holds at most two pages whatever the workspace's size. Measured at 100,000 accounts
 * and 9M usage rows, the one pass takes about 4 s; aggregating page by page took 11 s,
 * each page re-reading index and heap pages its neighbours had read. JIT is off:
 * compiling this many expressions costs more than it saves.
 */
export async function* featurePages(db: Db, model: HealthModel, q: FeatureQuery): AsyncGenerator<AccountFeatureRow[]> {
  const params = [
    q.workspaceId,
    isoDay(q.scoredOn),
    q.cutoff.toISOString(),
    model.firstValueShare,
    model.engagement.coverageDays,
    model.engagement.supportDays,
    model.perception.recentDays,
    firstValueStages(model),
  ];
  const evidence = q.evidence ?? (await readWorkspaceEvidence(db, q.workspaceId, q.scoredOn, q.cutoff));
  const toRow = (r: RawFeatureRow) => toFeatureRow(r, evidence);
  if (q.accountIds) {
    const rows = await db.$queryRawUnsafe<RawFeatureRow[]>(
      `${featuresSql("accounts")} ORDER BY acc.id`,
      ...params,
      q.accountIds,
    );
    for (let i = 0; i < rows.length; i += q.pageSize) yield rows.slice(i, i + q.pageSize).map(toRow);
    return;
  }
  const handoff = new Handoff<RawFeatureRow[]>();
  const reading = db
    .$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe("SET LOCAL jit = off");
        await tx.$executeRawUnsafe("SET LOCAL work_mem = '64MB'");
        await tx.$executeRawUnsafe(
          `CREATE TEMPORARY TABLE pulse_account_features ON COMMIT DROP AS ${featuresSql("workspace")}`,
          ...params,
        );
        await tx.$executeRawUnsafe(
          "DECLARE pulse_features NO SCROLL CURSOR FOR SELECT * FROM pulse_account_features ORDER BY id",
        );
        for (;;) {
          const rows = await tx.$queryRawUnsafe<RawFeatureRow[]>(
            `FETCH FORWARD ${Math.max(1, Math.floor(q.pageSize))} FROM pulse_features`,
          );
          if (!rows.length) break;
          await handoff.put(rows);
        }
      },
      { timeout: FEATURE_READ_TIMEOUT_MS, maxWait: 10_000 },
    )
    .then(
      () => handoff.close(),
      (error: unknown) => handoff.close(error),
    );
  try {
    for (;;) {
      const rows = await handoff.take();
      if (!rows) break;
      yield rows.map(toRow);
    }
  } finally {
    // The caller stopped early (or failed): end the reading transaction before returning.
    handoff.cancel();
    await reading;
  }
}

class ReadCancelled extends Error {}

/**
 * Passes pages from the reading transaction to the consumer, one page ahead: the next page
 * is fetched while the current one is scored and written, and no further.
 */
class Handoff<T> {
  private item: T | undefined;
  private closed = false;
  private cancelled = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  async put(item: T): Promise<void> {
    while (this.item !== undefined && !this.cancelled) await this.wait();
    if (this.cancelled) throw new ReadCancelled("the consumer stopped reading");
    this.item = item;
    this.notify();
  }

  /** The next item, or undefined once the producer is done; rethrows the producer's error. */
  async take(): Promise<T | undefined> {
    while (this.item === undefined && !this.closed) await this.wait();
    const item = this.item;
    if (item !== undefined) {
      this.item = undefined;
      this.notify();
      return item;
    }
    if (this.error !== undefined) throw this.error;
    return undefined;
  }

  close(error?: unknown): void {
    this.closed = true;
    if (error !== undefined && !(error instanceof ReadCancelled)) this.error = error;
    this.notify();
  }

  cancel(): void {
    this.cancelled = true;
    this.notify();
  }
}

export interface SnapshotWrite {
  accountId: number;
  result: HealthScore;
}

const UPSERT_SNAPSHOTS_SQL = `
INSERT INTO "health_snapshot" ("workspaceId", "accountId", "scoredOn", "score", "band", "usageScore", "engagementScore",
                               "perceptionScore", "components", "reasons", "modelVersion", "computedAt")
SELECT $1, r.a, $2::date, r.s, r.b::"HealthBand", r.u, r.e, r.p, r.c, r.r, r.v, now()
FROM json_to_recordset($3::json) AS r(a int, s int, b text, u int, e int, p int, c json, r json, v text)
ON CONFLICT ("workspaceId", "accountId", "scoredOn") DO UPDATE SET
  "score" = EXCLUDED."score", "band" = EXCLUDED."band", "usageScore" = EXCLUDED."usageScore",
  "engagementScore" = EXCLUDED."engagementScore", "perceptionScore" = EXCLUDED."perceptionScore",
  "components" = EXCLUDED."components", "reasons" = EXCLUDED."reasons", "modelVersion" = EXCLUDED."modelVersion",
  "computedAt" = EXCLUDED."computedAt"`;

/** Runs one statement with positional parameters and returns how many rows it touched. */
export type SqlExecute = (sql: string, params: unknown[]) => Promise<number>;

export const executeThroughPrisma =
  (db: DbTx): SqlExecute =>
  (sql, params) =>
    db.$executeRawUnsafe(sql, ...params);

/** Writes (or replaces) one day's snapshots for many accounts, a thousand per statement. */
export async function upsertSnapshots(
  execute: SqlExecute,
  workspaceId: number,
  scoredOn: Date,
  writes: SnapshotWrite[],
): Promise<number> {
  let written = 0;
  for (let i = 0; i < writes.length; i += WRITE_CHUNK_ROWS) {
    const payload = writes.slice(i, i + WRITE_CHUNK_ROWS).map(({ accountId, result }) => ({
      a: accountId,
      s: result.score,
      b: result.band satisfies HealthBand,
      u: result.usageScore,
      e: result.engagementScore,
      p: result.perceptionScore,
      c: result.components,
      r: result.reasons,
      v: result.modelVersion,
    }));
    written += await execute(UPSERT_SNAPSHOTS_SQL, [workspaceId, isoDay(scoredOn), JSON.stringify(payload)]);
  }
  return written;
}

const WRITE_CHUNK_ROWS = 1_000;

/**
 * Connections of a scoring run's own for writing snapshots, outside Prisma: its client
 * keeps the arguments of its last hundred queries in a debug history, even with debugging
 * off, and a page of snapshots is megabytes of JSON. Written through Prisma, they held
 * 50 to 90 MB for the whole run.
 */
export class SnapshotWriters {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, connections: number, onError: (error: Error) => void) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: connections, connectionTimeoutMillis: 10_000 });
    // An idle connection dropped by the server must not crash the process.
    this.pool.on("error", onError);
  }

  /** Runs `fn` in a transaction on one of the run's connections. */
  async inTransaction<T>(fn: (execute: SqlExecute) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      // Snapshots are recomputable: a crash may lose the last page's commit, never corrupt it.
      await client.query("SET LOCAL synchronous_commit = off");
      const value = await fn(async (sql, params) => (await client.query(sql, params)).rowCount ?? 0);
      await client.query("COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch((e: Error) => (broken = e));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface ScoreDropWrite {
  accountId: number;
  details: Record<string, unknown>;
}

// A drop is raised once per episode: not again while an unresolved score_drop from the
// last 7 days exists (the same day's re-run refreshes its details instead).
const INSERT_SCORE_DROPS_SQL = `
INSERT INTO "risk_signal" ("workspaceId", "accountId", "kind", "detectedOn", "details")
SELECT $1, r.a, 'score_drop', $2::date, r.d
FROM jsonb_to_recordset($3::jsonb) AS r(a int, d jsonb)
WHERE NOT EXISTS (
  SELECT 1 FROM "risk_signal" x
  WHERE x."workspaceId" = $1 AND x."accountId" = r.a AND x.kind = 'score_drop' AND x."resolvedAt" IS NULL
    AND x."detectedOn" < $2::date AND x."detectedOn" > $2::date - 7)
ON CONFLICT ("workspaceId", "accountId", "kind", "detectedOn") DO UPDATE SET "details" = EXCLUDED."details"`;

export async function insertScoreDrops(
  execute: SqlExecute,
  workspaceId: number,
  detectedOn: Date,
  drops: ScoreDropWrite[],
): Promise<number> {
  if (!drops.length) return 0;
  return execute(INSERT_SCORE_DROPS_SQL, [
    workspaceId,
    isoDay(detectedOn),
    JSON.stringify(drops.map((d) => ({ a: d.accountId, d: d.details }))),
  ]);
}
