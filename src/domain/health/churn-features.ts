// The learned model's inputs: one named value per piece of evidence, read from the same
// AccountFeatures the rules model scores. A value is a number, a category, or null when the
// evidence is missing for this account; the encoder (learned-model.ts) turns missingness
// into a signal of its own. Evidence the workspace collects for nobody is null for every
// account, so the encoder drops it instead of learning from an artefact.
import { daysBetween } from "../dates.js";
import { keyPersonDeparture, renewalAsOf, type AccountFeatures } from "./features.js";
import { ordinal } from "./score-model.js";
import type { HealthComponentName } from "./snapshot.js";

export type FeatureValue = number | string | null;
export type FeatureValues = Record<string, FeatureValue>;

export type FeatureGroup = HealthComponentName | "contract";

export interface FeatureInfo {
  group: FeatureGroup;
  /** Plain words for a reason: "Active users this week: 12% of seats". */
  describe: (value: FeatureValue) => string;
  /** Counts and money spread over orders of magnitude: fitted on log(1 + x). */
  log?: boolean;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;
const signedPct = (v: number) => `${v >= 0 ? "+" : "−"}${Math.round(Math.abs(v) * 100)}%`;
const n = (v: FeatureValue) => (typeof v === "number" ? v : Number(v));
const round = (v: number, digits = 0) => Number(v.toFixed(digits));
const days = (v: FeatureValue, what: string, none: string) => (v === null ? none : `${what} ${round(n(v))} days`);

const FEATURES: Record<string, FeatureInfo> = {
  active_share_7d: {
    group: "usage",
    describe: (v) => (v === null ? "Active share of seats unknown" : `Active users this week: ${pct(n(v))} of seats`),
  },
  active_users_30d: {
    group: "usage",
    log: true,
    describe: (v) => (v === null ? "No usage recorded" : `Average daily active users over 30 days: ${round(n(v), 1)}`),
  },
  active_change_30d: {
    group: "usage",
    describe: (v) =>
      v === null
        ? "No earlier month of usage to compare"
        : `Active users ${signedPct(n(v))} against the previous 30 days`,
  },
  active_change_7d: {
    group: "usage",
    describe: (v) =>
      v === null
        ? "No earlier weeks of usage to compare"
        : `Active users ${signedPct(n(v))} this week against the 4 weeks before`,
  },
  login_days_30d: {
    group: "usage",
    describe: (v) => (v === null ? "No login data" : `Logins on ${round(n(v))} of the last 30 days`),
  },
  logins_30d: {
    group: "usage",
    log: true,
    describe: (v) => (v === null ? "No login data" : `${round(n(v))} logins in the last 30 days`),
  },
  logins_change_30d: {
    group: "usage",
    describe: (v) =>
      v === null ? "No earlier month of logins to compare" : `Logins ${signedPct(n(v))} against the previous 30 days`,
  },
  modules_30d: {
    group: "usage",
    describe: (v) => (v === null ? "No module data" : `${round(n(v))} module(s) used in the last 30 days`),
  },
  days_since_active: {
    group: "usage",
    describe: (v) =>
      v === null ? "Never active" : round(n(v)) === 0 ? "Active today" : `Last active ${round(n(v))} days ago`,
  },
  peer_rank: {
    group: "usage",
    describe: (v) =>
      v === null ? "No peer comparison" : `Active share at the ${ordinal(round(n(v) * 100))} percentile of peers`,
  },
  seats: { group: "usage", log: true, describe: (v) => (v === null ? "Seats unknown" : `${round(n(v))} seats`) },
  seats_change_90d: {
    group: "usage",
    describe: (v) => (v === null ? "No seat history" : `Seats ${signedPct(n(v))} over 90 days`),
  },
  days_since_touch: {
    group: "engagement",
    describe: (v) => days(v, "Last CSM touchpoint", "No CSM touchpoint on record") + (v === null ? "" : " ago"),
  },
  touches_90d: { group: "engagement", log: true, describe: (v) => `${round(n(v))} CSM touchpoint(s) in 90 days` },
  negative_touches_90d: { group: "engagement", describe: (v) => `${round(n(v))} negative touchpoint(s) in 90 days` },
  positive_touches_90d: { group: "engagement", describe: (v) => `${round(n(v))} positive touchpoint(s) in 90 days` },
  escalations_90d: { group: "engagement", describe: (v) => `${round(n(v))} support escalation(s) in 90 days` },
  reached_sponsor: {
    group: "engagement",
    describe: (v) => (n(v) ? "Sponsor reached in 90 days" : "Sponsor not reached in 90 days"),
  },
  reached_implementer: {
    group: "engagement",
    describe: (v) => (n(v) ? "Implementer reached in 90 days" : "Implementer not reached in 90 days"),
  },
  reached_end_user: {
    group: "engagement",
    describe: (v) => (n(v) ? "End users reached in 90 days" : "End users not reached in 90 days"),
  },
  overdue_milestones: { group: "engagement", describe: (v) => `${round(n(v))} success-plan milestone(s) overdue` },
  channel_customer_messages_30d: {
    group: "engagement",
    log: true,
    describe: (v) => `${round(n(v))} customer message(s) in their channel in 30 days`,
  },
  channel_customer_people_30d: {
    group: "engagement",
    describe: (v) => `${round(n(v))} customer people wrote in their channel in 30 days`,
  },
  channel_days_since_customer_message: {
    group: "engagement",
    describe: (v) =>
      days(v, "Last customer message in their channel", "The customer never wrote in their channel") +
      (v === null ? "" : " ago"),
  },
  channel_median_first_response_h: {
    group: "engagement",
    log: true,
    describe: (v) =>
      v === null ? "No customer question answered in 30 days" : `Median first response ${round(n(v), 1)} h in 30 days`,
  },
  channel_unanswered_30d: {
    group: "engagement",
    describe: (v) => `${round(n(v))} customer question(s) unanswered past the target in 30 days`,
  },
  channel_customer_leaves_90d: {
    group: "engagement",
    describe: (v) => `${round(n(v))} customer people left their channel in 90 days`,
  },
  sponsor_left: {
    group: "engagement",
    describe: (v) =>
      n(v)
        ? "A sponsor or likely champion left and nobody replaced them"
        : "No sponsor or likely champion left unreplaced",
  },
  nps_recent: {
    group: "perception",
    describe: (v) => (v === null ? "No recent NPS answer" : `Recent NPS ${round(n(v), 1)}`),
  },
  nps_change: {
    group: "perception",
    describe: (v) =>
      v === null ? "No NPS trend" : `NPS ${n(v) >= 0 ? "up" : "down"} ${round(Math.abs(n(v)), 1)} points`,
  },
  csat_recent: {
    group: "perception",
    describe: (v) => (v === null ? "No recent CSAT answer" : `Recent CSAT ${round(n(v), 1)} of 5`),
  },
  ces_recent: {
    group: "perception",
    describe: (v) => (v === null ? "No recent CES answer" : `Recent CES ${round(n(v), 1)} of 7`),
  },
  days_since_answer: {
    group: "perception",
    describe: (v) => days(v, "Last survey answer", "No survey answer ever") + (v === null ? "" : " ago"),
  },
  tenure_days: { group: "contract", log: true, describe: (v) => `Customer for ${round(n(v))} days` },
  billing_term: {
    group: "contract",
    describe: (v) => (v === null ? "Billing term unknown" : `Billed ${String(v).replace("_", "-")}`),
  },
  auto_renew: {
    group: "contract",
    describe: (v) =>
      v === null ? "Auto-renew unknown" : n(v) ? "Renews automatically" : "Does not renew automatically",
  },
  days_to_renewal: {
    group: "contract",
    describe: (v) => (v === null ? "Renewal date unknown" : `Renewal in ${round(n(v))} days`),
  },
  arr: {
    group: "contract",
    log: true,
    describe: (v) => (v === null ? "ARR unknown" : `ARR ${Math.round(n(v)).toLocaleString("en-US")}`),
  },
  arr_change_90d: {
    group: "contract",
    describe: (v) => (v === null ? "No ARR history" : `ARR ${signedPct(n(v))} over 90 days`),
  },
  plan: { group: "contract", describe: (v) => (v === null ? "Plan unknown" : `Plan: ${v}`) },
  segment: { group: "contract", describe: (v) => (v === null ? "No segment" : `Segment: ${v}`) },
};

/** How a named input reads in a reason, and which part of the score it belongs to. */
export function featureInfo(key: string): FeatureInfo {
  const known = FEATURES[key];
  if (known) return known;
  if (key.startsWith("module:")) {
    const name = key.slice("module:".length);
    return {
      group: "usage",
      describe: (v) => (n(v) ? `Used ${name} in the last 30 days` : `Did not use ${name} in the last 30 days`),
    };
  }
  if (key.startsWith("trait:")) {
    const name = key.slice("trait:".length);
    return {
      group: "contract",
      describe: (v) => (v === null ? `${name} unknown` : `${name}: ${typeof v === "number" ? round(v, 2) : v}`),
    };
  }
  return { group: "contract", describe: (v) => `${key}: ${v ?? "unknown"}` };
}

/** Inputs whose absence means zero, not "unknown": a module not used is a module not used. */
export const isPresenceFeature = (key: string) => key.startsWith("module:");

const ratioChange = (now: number, before: number) => Math.max(-1, Math.min(3, now / before - 1));
const capDays = (d: number) => Math.max(0, Math.min(1095, d));

/** The learned model's named inputs for one account on one day. Pure. */
export function churnFeatureValues(f: AccountFeatures, scoredOn: Date): FeatureValues {
  const v: FeatureValues = {};
  const u = f.usage;
  if (f.evidence.usage) {
    const used = u.rowsEver > 0;
    v.active_share_7d = used && f.seats && f.seats > 0 ? u.activeSum7 / 7 / f.seats : null;
    v.active_users_30d = used ? u.activeSum30 / 30 : null;
    v.active_change_30d = used && u.activeSumPrev30 > 0 ? ratioChange(u.activeSum30, u.activeSumPrev30) : null;
    v.active_change_7d = used && u.activeSumBase28 > 0 ? ratioChange(u.activeSum7 / 7, u.activeSumBase28 / 28) : null;
    const logins = used && f.evidence.logins;
    v.login_days_30d = logins ? u.loginDays30 : null;
    v.logins_30d = logins ? u.loginsSum30 : null;
    v.logins_change_30d = logins && u.loginsSumPrev30 > 0 ? ratioChange(u.loginsSum30, u.loginsSumPrev30) : null;
    v.modules_30d = used && f.evidence.modules ? u.modules30 : null;
    v.days_since_active = u.lastActiveOn ? capDays(daysBetween(u.lastActiveOn, scoredOn)) : null;
    v.peer_rank = u.peerActiveShareRank;
    for (const name of u.moduleNames30) v[`module:${name}`] = 1;
  }
  v.seats = f.seats;
  v.seats_change_90d = f.seats !== null && u.seats90Ago ? ratioChange(f.seats, u.seats90Ago) : null;

  const e = f.engagement;
  if (f.evidence.touchpoints) {
    v.days_since_touch = e.lastTouchAt ? capDays(daysBetween(e.lastTouchAt, scoredOn)) : null;
    v.touches_90d = e.touches90;
    v.positive_touches_90d = e.positiveTouches90;
    v.reached_sponsor = e.reachedSponsor ? 1 : 0;
    v.reached_implementer = e.reachedImplementer ? 1 : 0;
    v.reached_end_user = e.reachedEndUser ? 1 : 0;
  }
  // Bad news is recorded whether or not CSMs log their own touchpoints.
  v.negative_touches_90d = e.negativeTouches90;
  v.escalations_90d = e.escalations90;
  // The rules model's sponsor_left penalty: a sponsor or a likely champion gone, nobody of their kind in their place.
  v.sponsor_left = keyPersonDeparture(e) ? 1 : 0;
  v.overdue_milestones = e.overdueMilestones;

  // Linked customer channels: null for an account without one, so the encoder sees "not
  // listened to" as missing (its own indicator), never as a silent customer.
  const ch = f.evidence.channels ? f.channels : null;
  v.channel_customer_messages_30d = ch ? ch.customerMessages30 : null;
  v.channel_customer_people_30d = ch ? ch.customerPeople30 : null;
  v.channel_days_since_customer_message = ch?.lastCustomerMessageOn
    ? capDays(daysBetween(ch.lastCustomerMessageOn, scoredOn))
    : null;
  v.channel_median_first_response_h =
    ch && ch.medianFirstResponseSeconds30 !== null ? ch.medianFirstResponseSeconds30 / 3600 : null;
  v.channel_unanswered_30d = ch ? ch.unanswered30 : null;
  v.channel_customer_leaves_90d = ch ? ch.customerLeaves90 : null;

  const p = f.perception;
  if (f.evidence.surveys) {
    v.nps_recent = p.npsRecentAvg;
    v.nps_change = p.npsRecentAvg !== null && p.npsPriorAvg !== null ? p.npsRecentAvg - p.npsPriorAvg : null;
    v.csat_recent = p.csatRecentAvg;
    v.ces_recent = p.cesRecentAvg;
    v.days_since_answer = p.lastAnswerAt ? capDays(daysBetween(p.lastAnswerAt, scoredOn)) : null;
  }

  const c = f.contract;
  v.tenure_days = Math.max(0, daysBetween(f.createdAt, scoredOn));
  v.billing_term = c.billingTerm;
  v.auto_renew = c.autoRenew === null ? null : c.autoRenew ? 1 : 0;
  const renewal = renewalAsOf(c.renewalDate, c.billingTerm, scoredOn);
  v.days_to_renewal = renewal ? capDays(daysBetween(scoredOn, renewal)) : null;
  v.arr = c.arr !== null && c.arr > 0 ? c.arr : null;
  v.arr_change_90d = c.arr !== null && c.arr90Ago ? ratioChange(c.arr, c.arr90Ago) : null;
  v.plan = c.plan;
  v.segment = f.segment;
  for (const [name, value] of Object.entries(c.traits)) v[`trait:${name}`] = value;
  return v;
}
