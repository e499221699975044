// The rules health score: three components from explicit evidence, mixed by stage weights.
//
// Every sub-score is 0-100. A component is the weighted mean of its sub-scores (sub-scores
// without evidence are left out and the rest renormalised) minus its own penalties (survey
// silence, a falling NPS). The overall score is the weighted mean of the components that
// have evidence, minus the risk penalties that only ever lower it (escalations, negative
// touchpoints, a departed sponsor). Each piece of evidence becomes a reason whose impact is
// the points it moved the overall score away from a neutral 50, so reasons add up to the
// score (score ≈ 50 + Σ impacts, before clamping) and "strongest first" means largest |impact|.
//
// Missing data never inverts the score:
// - a kind of evidence the workspace collects for nobody is left out of every account's
//   score (the scoring run says so once), never turned into a per-account penalty or credit;
// - the account's age is not an input: a young account earns nothing for being young (no
//   clock "since creation", no age-scaled targets), since young accounts churn most;
// - bad news only lowers: a negative touchpoint or an escalation is a penalty on the overall
//   score and never counts as a recent touch or as stakeholder coverage.
// Pure: plain data and the scored day in, plain data out.
import type { HealthComponent, HealthComponentName, HealthComponents, HealthReason } from "./snapshot.js";
import { daysBetween } from "../dates.js";
import {
  keyPersonDeparture,
  renewalAsOf,
  type AccountFeatures,
  type KeyPersonDeparture,
  type WorkspaceEvidence,
} from "./features.js";
import { rulesFor, type HealthModel } from "./model-config.js";
import type { HealthBand, LifecycleStage } from "../vocabulary.js";

export type { HealthBand } from "../vocabulary.js";

export interface HealthScore {
  score: number;
  band: HealthBand;
  usageScore: number | null;
  engagementScore: number | null;
  perceptionScore: number | null;
  components: HealthComponents;
  /** Strongest first. */
  reasons: HealthReason[];
  modelVersion: string;
}

type Details = HealthComponent["details"];

/** A weighted piece of evidence inside a component, or a flat penalty on it. */
type Evidence =
  | { kind: "sub"; code: string; weight: number; score: number; text: string; penalty?: number }
  | { kind: "penalty"; code: string; points: number; text: string }
  | { kind: "note"; code: string; text: string };

interface ComponentResult {
  score: number | null;
  evidence: Evidence[];
  details: Details;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function formatShortDay(day: Date, relativeTo: Date): string {
  const base = `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]}`;
  return day.getUTCFullYear() === relativeTo.getUTCFullYear() ? base : `${base} ${day.getUTCFullYear()}`;
}

const clamp = (n: number, lo = 0, hi = 100) => Math.min(hi, Math.max(lo, n));
const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (share: number) => `${Math.round(share * 100)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 32nd: a percentile as people write it. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** Linear from 100 at `good` to 0 at `bad` (either direction). */
function linear(value: number, good: number, bad: number): number {
  if (good === bad) return value <= good ? 100 : 0;
  return clamp(((value - bad) / (good - bad)) * 100);
}

function mix(evidence: Evidence[]): number | null {
  const subs = evidence.filter((e): e is Extract<Evidence, { kind: "sub" }> => e.kind === "sub" && e.weight > 0);
  const total = subs.reduce((s, e) => s + e.weight, 0);
  if (total === 0) return null;
  const base = subs.reduce((s, e) => s + e.weight * e.score, 0) / total;
  const penalties = evidence.reduce(
    (s, e) => s + (e.kind === "penalty" ? e.points : e.kind === "sub" ? (e.penalty ?? 0) : 0),
    0,
  );
  return clamp(base - penalties);
}

const NOT_COLLECTED: Details = { treatment: "not_collected" };

function scoreUsage(f: AccountFeatures, stage: LifecycleStage, model: HealthModel, scoredOn: Date): ComponentResult {
  const rules = rulesFor(model, stage, f.segment).stage.usage;
  const u = f.usage;
  if (!f.evidence.usage) return { score: null, details: NOT_COLLECTED, evidence: [] };
  if (u.rowsEver === 0) {
    // The workspace has a usage feed and this account has never appeared in it: the absence of use.
    return {
      score: 0,
      details: { treatment: "no_usage_recorded" },
      evidence: [
        {
          kind: "sub",
          code: "usage.no_data",
          weight: 1,
          score: 0,
          text: "No product usage has ever been recorded for this account",
        },
      ],
    };
  }
  // Time to first value runs from the first usage day, not the account's start: counting
  // from the start would make the account's age an input.
  const lifeStart = u.firstUsageOn ?? scoredOn;
  // Windows are clipped to the days the usage feed has covered: an account whose feed
  // started last week is judged on that week, not on months of "zero" before it.
  const lifeDays = Math.max(1, daysBetween(lifeStart, scoredOn));
  const windowDays = Math.min(model.usageWindowDays, lifeDays);
  const weekDays = Math.min(7, lifeDays);
  const prevDays = clamp(lifeDays - model.usageWindowDays, 0, model.usageWindowDays);
  const baseDays = clamp(lifeDays - 7, 0, 28);
  const avgActive = u.activeSum30 / windowDays;
  const avgWeek = u.activeSum7 / weekDays;
  const evidence: Evidence[] = [];
  const details: Details = {
    avgActiveUsers7d: round1(avgWeek),
    seats: f.seats,
    loginDays: u.loginDays30,
    modules: u.modules30,
  };

  // Adoption: this week's active share of seats against the stage's target. A week, not
  // the month, so a sudden drop shows at once.
  if (f.seats && f.seats > 0) {
    const share = avgWeek / f.seats;
    const expected = rules.targetActiveShare;
    const adoption = clamp((share / expected) * 100);
    details.activeShare = round1(share * 100);
    details.expectedShare = round1(expected * 100);
    details.adoption = Math.round(adoption);
    const idleSince = u.lastActiveOn ? daysBetween(u.lastActiveOn, scoredOn) : null;
    const text =
      u.activeSum7 === 0
        ? idleSince !== null && idleSince > weekDays
          ? `No active users since ${formatShortDay(u.lastActiveOn!, scoredOn)} (${plural(idleSince, "day")})`
          : `No active users in the last ${plural(weekDays, "day")}`
        : `Active users this week average ${pct(share)} of ${f.seats} seats (target ${pct(expected)})`;
    evidence.push({
      kind: "sub",
      code: u.activeSum7 === 0 ? "usage.no_activity" : "usage.adoption",
      weight: rules.weights.adoption,
      score: adoption,
      text,
    });
  } else {
    // Without seats there is no share to judge; whether anyone used the product this week
    // (the absence of use) still is evidence.
    details.adoption = null;
    evidence.push({
      kind: "note",
      code: "usage.seats_unknown",
      text: "Seat count unknown: adoption against seats is not judged",
    });
    evidence.push(
      u.activeSum7 > 0
        ? {
            kind: "sub",
            code: "usage.active_recently",
            weight: rules.weights.adoption,
            score: 100,
            text: `Active users on ${weekDays === 7 ? "the last 7 days" : `the last ${plural(weekDays, "day")}`}: ${round1(avgWeek)} a day on average`,
          }
        : {
            kind: "sub",
            code: "usage.no_activity",
            weight: rules.weights.adoption,
            score: 0,
            text: `No active users in the last ${plural(weekDays, "day")}`,
          },
    );
  }

  // A feed without logins (or without modules) for anyone says nothing about this account.
  if (f.evidence.logins) {
    const loginShare = u.loginDays30 / windowDays;
    const frequency = clamp((loginShare / rules.targetLoginDayShare) * 100);
    details.frequency = Math.round(frequency);
    evidence.push({
      kind: "sub",
      code: "usage.login_frequency",
      weight: rules.weights.frequency,
      score: frequency,
      text: `Logins on ${u.loginDays30} of the last ${windowDays} days`,
    });
  }

  // Peers: the same share judged against accounts like this one, so usage still tells
  // accounts apart when a fixed target is met (or missed) by everyone.
  if (u.peerActiveShareRank !== null && rules.weights.peer > 0) {
    const peer = clamp(u.peerActiveShareRank * 100);
    details.peerRank = Math.round(peer);
    const what = f.seats && f.seats > 0 ? "Active share" : "Active users";
    const text =
      peer >= 75
        ? `${what} is in the top quarter of ${f.segment ? `${f.segment} ` : ""}accounts`
        : peer < 25
          ? `${what} is in the bottom quarter of ${f.segment ? `${f.segment} ` : ""}accounts`
          : `${what} is mid-pack among ${f.segment ? `${f.segment} ` : ""}accounts (${ordinal(Math.round(peer))} percentile)`;
    evidence.push({
      kind: "sub",
      code: peer < 25 ? "usage.below_peers" : "usage.peers",
      weight: rules.weights.peer,
      score: peer,
      text,
    });
  }

  const breadth = clamp((u.modules30 / rules.targetModules) * 100);
  if (f.evidence.modules) details.breadth = Math.round(breadth);
  if (f.evidence.modules)
    evidence.push({
      kind: "sub",
      code: "usage.breadth",
      weight: rules.weights.breadth,
      score: breadth,
      text: `${plural(u.modules30, "module")} used in the last ${model.usageWindowDays} days (target ${rules.targetModules})`,
    });

  // Trend: the worse of the last 30 days against the 30 before and of the last week against
  // the 4 weeks before it (whole weeks, so weekends weigh the same), once there are two
  // weeks to compare. A slow slide shows in the first, a sudden drop in the second.
  const changes: { change: number; text: (c: number) => string }[] = [];
  if (prevDays >= 14 && u.activeSumPrev30 > 0) {
    changes.push({
      change: avgActive / (u.activeSumPrev30 / prevDays) - 1,
      text: (c) =>
        `Active users ${c < 0 ? "fell" : "rose"} ${pct(Math.abs(c))} against the previous ${model.usageWindowDays} days`,
    });
  }
  if (baseDays >= 14 && u.activeSumBase28 > 0) {
    changes.push({
      change: avgWeek / (u.activeSumBase28 / baseDays) - 1,
      text: (c) =>
        `Active users ${c < 0 ? "fell" : "rose"} ${pct(Math.abs(c))} in the last 7 days against the ${baseDays} days before`,
    });
  }
  if (changes.length) {
    const worst = changes.reduce((a, b) => (b.change < a.change ? b : a));
    const trend = worst.change >= 0 ? 100 : clamp(100 + worst.change * 200);
    details.activeChangePct = Math.round(worst.change * 100);
    details.trend = Math.round(trend);
    // A small fall still scores above the midpoint, so it holds the score up: said as such,
    // not as "fell", which a reader takes for what lowered it.
    const text =
      Math.abs(worst.change) < 0.1
        ? `Active users held steady against the previous ${model.usageWindowDays} days`
        : worst.change < 0 && trend > 50
          ? worst.text(worst.change).replace(/^Active users fell (\S+)/, "Active users held up, down only $1")
          : worst.text(worst.change);
    // A collapse (more than half the users gone) is worse than a low sub-score can say.
    const collapse = worst.change < -0.5 ? Math.round((-worst.change - 0.5) * 60) : 0;
    if (collapse) details.collapsePenalty = collapse;
    evidence.push({
      kind: "sub",
      code: worst.change < 0 ? "usage.active_drop" : "usage.active_trend",
      weight: rules.weights.trend,
      score: trend,
      text,
      penalty: collapse,
    });
  } else if (prevDays >= 14 && avgActive > 0) {
    details.trend = 100;
    evidence.push({
      kind: "sub",
      code: "usage.active_trend",
      weight: rules.weights.trend,
      score: 100,
      text: `Active users started in the last ${model.usageWindowDays} days`,
    });
  }

  // Time to first value (onboarding): the first day the first-value share of seats was active.
  if (rules.firstValueDays > 0 && rules.weights.firstValue > 0) {
    if (u.firstValueOn) {
      const ttfv = Math.max(0, daysBetween(lifeStart, u.firstValueOn));
      const score = linear(ttfv, rules.firstValueDays, rules.firstValueDays * 2);
      details.daysToFirstValue = ttfv;
      details.firstValue = Math.round(score);
      evidence.push({
        kind: "sub",
        code: "usage.first_value",
        weight: rules.weights.firstValue,
        score,
        text: `First value reached ${plural(ttfv, "day")} after the start`,
      });
    } else {
      details.daysToFirstValue = null;
      details.firstValue = 0;
      evidence.push({
        kind: "sub",
        code: "usage.no_first_value",
        weight: rules.weights.firstValue,
        score: 0,
        text: `No first value yet (no day with ${pct(model.firstValueShare)} of seats active)`,
      });
    }
  }
  return { score: mix(evidence), evidence, details };
}

function scoreEngagement(
  f: AccountFeatures,
  stage: LifecycleStage,
  model: HealthModel,
  scoredOn: Date,
): ComponentResult {
  if (!f.evidence.touchpoints) return { score: null, details: NOT_COLLECTED, evidence: [] };
  const rules = rulesFor(model, stage, f.segment).stage.engagement;
  const cfg = model.engagement;
  const e = f.engagement;
  const evidence: Evidence[] = [];
  // Never touched scores as stale, whatever the account's age: the workspace logs touchpoints
  // and nobody has logged one here.
  const sinceTouch = e.lastTouchAt ? Math.max(0, daysBetween(e.lastTouchAt, scoredOn)) : null;
  const recency = sinceTouch === null ? 0 : linear(sinceTouch, rules.touchGoodDays, rules.touchStaleDays);
  const recencyText =
    sinceTouch === null
      ? "No CSM touchpoint on record"
      : recency < 50
        ? `No CSM touchpoint in ${sinceTouch} days`
        : `Last CSM touchpoint ${sinceTouch === 0 ? "today" : `${plural(sinceTouch, "day")} ago`}`;
  evidence.push({
    kind: "sub",
    code: recency < 50 ? "engagement.no_touch" : "engagement.recent_touch",
    weight: rules.weights.recency,
    score: recency,
    text: recencyText,
  });

  const cw = cfg.coverageWeights;
  const reached =
    (e.reachedSponsor ? cw.sponsor : 0) +
    (e.reachedImplementer ? cw.implementer : 0) +
    (e.reachedEndUser ? cw.end_user : 0);
  const totalCw = cw.sponsor + cw.implementer + cw.end_user;
  const coverage = totalCw > 0 ? clamp((reached / totalCw) * 100) : 100;
  const missing = [
    !e.reachedSponsor && "the sponsor",
    !e.reachedImplementer && "an implementer",
    !e.reachedEndUser && "end users",
  ].filter(Boolean) as string[];
  const reachedWho = [
    e.reachedSponsor && "the sponsor",
    e.reachedImplementer && "an implementer",
    e.reachedEndUser && "end users",
  ].filter(Boolean) as string[];
  // Coverage above the midpoint holds the score up: it is said by whom it reached, so a
  // reason under "what held it up" does not read as a shortfall.
  const coverageText =
    missing.length === 3
      ? `No stakeholder reached in the last ${cfg.coverageDays} days`
      : missing.length === 0
        ? `Touchpoints reached sponsor, implementer and end users in the last ${cfg.coverageDays} days`
        : coverage > 50
          ? `Touchpoints in the last ${cfg.coverageDays} days reached ${reachedWho.join(" and ")} (not ${missing.join(" or ")})`
          : `Touchpoints in the last ${cfg.coverageDays} days did not reach ${missing.join(" or ")}`;
  evidence.push({
    kind: "sub",
    code: e.reachedSponsor ? "engagement.coverage" : "engagement.no_sponsor_touch",
    weight: rules.weights.coverage,
    score: coverage,
    text: coverageText,
  });
  return {
    score: mix(evidence),
    evidence,
    details: { daysSinceTouch: sinceTouch, recency: Math.round(recency), coverage: Math.round(coverage) },
  };
}

interface RiskPenalty {
  code: string;
  points: number;
  text: string;
}

/** Who left, when, and whether the other kind of key person is still there. */
function departureText(d: KeyPersonDeparture, scoredOn: Date): string {
  const on = formatShortDay(d.on, scoredOn);
  if (d.role === "sponsor")
    return `The sponsor left on ${on} and no other sponsor is on record${
      d.championsRemaining > 0
        ? `; ${plural(d.championsRemaining, "likely champion")} remain${d.championsRemaining === 1 ? "s" : ""}`
        : ""
    }`;
  return `A likely champion left on ${on} and no other champion is active in their channel; ${
    d.sponsorsRemaining > 0
      ? `${plural(d.sponsorsRemaining, "sponsor")} remain${d.sponsorsRemaining === 1 ? "s" : ""}`
      : "no sponsor is on record either"
  }`;
}

/** Bad news (escalations, negative touchpoints, a departed sponsor, contract risk), taken off the overall score: it can only ever lower it. */
function riskPenalties(f: AccountFeatures, model: HealthModel, scoredOn: Date): RiskPenalty[] {
  const cfg = model.engagement;
  const e = f.engagement;
  const penalties: RiskPenalty[] = [];
  if (e.escalations + e.negativeTouches > 0) {
    const points = Math.min(
      cfg.supportPenaltyCap,
      e.escalations * cfg.escalationPenalty + e.negativeTouches * cfg.negativeTouchPenalty,
    );
    const what = [
      e.escalations && plural(e.escalations, "support escalation"),
      e.negativeTouches && plural(e.negativeTouches, "negative touchpoint"),
    ]
      .filter(Boolean)
      .join(" and ");
    penalties.push({
      code: e.escalations ? "engagement.escalations" : "engagement.negative_touch",
      points,
      text: `${what} in the last ${cfg.supportDays} days`,
    });
  }
  const gone = keyPersonDeparture(e);
  if (gone && daysBetween(gone.on, scoredOn) <= cfg.sponsorLeftLookbackDays) {
    penalties.push({
      code: "engagement.sponsor_left",
      points: cfg.sponsorLeftPenalty,
      text: departureText(gone, scoredOn),
    });
  }
  // Customer channels: only where one is linked, so an account Pulse does not listen to is never judged on silence.
  const ch = f.evidence.channels ? f.channels : null;
  if (ch && ch.unanswered30 > 0)
    penalties.push({
      code: "engagement.channel_unanswered",
      points: Math.min(cfg.unansweredQuestionCap, ch.unanswered30 * cfg.unansweredQuestionPenalty),
      text: `${plural(ch.unanswered30, "customer question")} in their channel left unanswered past the response target`,
    });
  if (ch?.lastCustomerMessageOn && ch.activeWeeksBeforeLast >= 3) {
    const quiet = daysBetween(ch.lastCustomerMessageOn, scoredOn);
    if (quiet >= cfg.channelQuietDays)
      penalties.push({
        code: "engagement.channel_quiet",
        points: cfg.channelQuietPenalty,
        text: `The customer wrote weekly in their channel, then nothing for ${plural(quiet, "day")}`,
      });
  }
  if (e.overdueMilestones > 0) {
    penalties.push({
      code: "engagement.milestones_overdue",
      points: Math.min(cfg.overdueMilestoneCap, e.overdueMilestones * cfg.overdueMilestonePenalty),
      text: `${plural(e.overdueMilestones, "success-plan milestone")} overdue`,
    });
  }
  const c = model.contract;
  const k = f.contract;
  if (k.billingTerm === "monthly")
    penalties.push({
      code: "contract.monthly_term",
      points: c.monthlyTermPenalty,
      text: "Billed monthly: the customer can leave at any month's end",
    });
  if (k.autoRenew === false)
    penalties.push({
      code: "contract.no_auto_renew",
      points: c.noAutoRenewPenalty,
      text: "The contract does not renew automatically",
    });
  const renewal = renewalAsOf(k.renewalDate, k.billingTerm, scoredOn);
  const toRenewal = renewal ? daysBetween(scoredOn, renewal) : null;
  if (toRenewal !== null && toRenewal <= c.renewalSoonDays && k.autoRenew !== true) {
    penalties.push({
      code: "contract.renewal_soon",
      points: c.renewalSoonPenalty,
      text: `Renewal in ${plural(toRenewal, "day")}, not automatic`,
    });
  }
  if (k.arr !== null && k.arr90Ago && k.arr90Ago > 0 && k.arr / k.arr90Ago - 1 <= -c.downgradeShare) {
    penalties.push({
      code: "contract.arr_down",
      points: c.arrDownPenalty,
      text: `ARR down ${pct(1 - k.arr / k.arr90Ago)} over 90 days`,
    });
  }
  if (
    f.seats !== null &&
    f.usage.seats90Ago &&
    f.usage.seats90Ago > 0 &&
    f.seats / f.usage.seats90Ago - 1 <= -c.downgradeShare
  ) {
    penalties.push({
      code: "contract.seats_down",
      points: c.seatsDownPenalty,
      text: `Seats down ${pct(1 - f.seats / f.usage.seats90Ago)} over 90 days`,
    });
  }
  return penalties;
}

function scorePerception(f: AccountFeatures, model: HealthModel, scoredOn: Date): ComponentResult {
  const cfg = model.perception;
  const p = f.perception;
  if (!f.evidence.surveys) return { score: null, details: NOT_COLLECTED, evidence: [] };
  if (!p.lastAnswerAt) {
    // The workspace runs surveys and this account has never answered one: the absence of answers.
    return {
      score: cfg.neverAnsweredScore,
      details: { treatment: "never_answered" },
      evidence: [
        {
          kind: "sub",
          code: "perception.never_answered",
          weight: 1,
          score: cfg.neverAnsweredScore,
          text: "No survey answer ever received from this account",
        },
      ],
    };
  }
  const evidence: Evidence[] = [];
  const details: Details = {
    npsRecentAvg: p.npsRecentAvg === null ? null : round1(p.npsRecentAvg),
    csatRecentAvg: p.csatRecentAvg === null ? null : round1(p.csatRecentAvg),
  };
  const npsBasis = p.npsRecentAvg ?? p.npsLatest;
  if (npsBasis !== null) {
    // An answer older than the recent window counts half: it pulls toward neutral.
    const nps = p.npsRecentAvg === null ? clamp(50 + (npsBasis * 10 - 50) / 2) : clamp(npsBasis * 10);
    details.nps = Math.round(nps);
    let text: string;
    let code = "perception.nps";
    if (p.npsRecentAvg === null) {
      text = `Latest NPS (${p.npsLatest}) is from ${p.npsLatestAt ? formatShortDay(p.npsLatestAt, scoredOn) : "long ago"}, over ${cfg.recentDays} days ago`;
      code = "perception.nps_stale";
    } else if (p.npsRecentMin !== null && p.npsRecentMin <= 6) {
      text =
        p.npsRecentCount > 1
          ? `Detractor NPS (${p.npsRecentMin}) on ${formatShortDay(p.npsRecentMinAt!, scoredOn)}; recent average ${round1(p.npsRecentAvg)}`
          : `Detractor NPS (${p.npsRecentMin}) on ${formatShortDay(p.npsRecentMinAt!, scoredOn)}`;
      code = "perception.detractor_nps";
    } else if (p.npsRecentAvg >= 9) {
      text = `Promoter NPS (average ${round1(p.npsRecentAvg)}) in the last ${cfg.recentDays} days`;
    } else {
      text = `Passive NPS (average ${round1(p.npsRecentAvg)}) in the last ${cfg.recentDays} days`;
    }
    evidence.push({ kind: "sub", code, weight: cfg.weights.nps, score: nps, text });
  }
  if (p.csatRecentAvg !== null) {
    const csat = clamp(((p.csatRecentAvg - 1) / 4) * 100);
    details.csat = Math.round(csat);
    evidence.push({
      kind: "sub",
      code: p.csatRecentAvg < 3 ? "perception.low_csat" : "perception.csat",
      weight: cfg.weights.csat,
      score: csat,
      text: `${p.csatRecentAvg < 3 ? "Low CSAT" : "CSAT"} (${plural(p.csatRecentCount, "answer")}, average ${round1(p.csatRecentAvg)} of 5) in the last ${cfg.recentDays} days`,
    });
  }
  if (!evidence.some((e) => e.kind === "sub")) {
    evidence.push({
      kind: "sub",
      code: "perception.no_nps_csat",
      weight: 1,
      score: 50,
      text: "No NPS or CSAT answer, only other surveys: perception is neutral",
    });
  }
  if (p.npsRecentAvg !== null && p.npsPriorAvg !== null && p.npsPriorAvg - p.npsRecentAvg >= cfg.npsDropPoints) {
    details.npsPriorAvg = round1(p.npsPriorAvg);
    evidence.push({
      kind: "penalty",
      code: "perception.nps_drop",
      points: cfg.npsTrendPenalty,
      text: `NPS average fell from ${round1(p.npsPriorAvg)} to ${round1(p.npsRecentAvg)}`,
    });
  }
  const sinceAnswer = daysBetween(p.lastAnswerAt, scoredOn);
  details.daysSinceAnswer = sinceAnswer;
  if (sinceAnswer > cfg.silenceDays) {
    evidence.push({
      kind: "penalty",
      code: "perception.silence",
      points: cfg.silencePenalty,
      text: `No survey answer in ${sinceAnswer} days`,
    });
  }
  return { score: mix(evidence), evidence, details };
}

function bandOf(score: number, bands: HealthModel["bands"]): HealthBand {
  if (score >= bands.greenAtLeast) return "green";
  if (score < bands.redBelow) return "red";
  return "yellow";
}

/**
 * The stage an account is judged in. A stage a person set (or any recorded stage change) is
 * kept; an account whose stage was never touched gets one inferred from its tenure and from
 * whether its usage ever started, instead of everyone sitting in "orientation", whose
 * lenient targets every account meets. Usage levels do not choose the stage: using more
 * must never move an account to stricter targets and lower its score.
 */
export function effectiveStage(f: AccountFeatures, scoredOn: Date): { stage: LifecycleStage; inferred: boolean } {
  if (f.stageSet) return { stage: f.stage, inferred: false };
  const tenure = Math.max(0, daysBetween(f.createdAt, scoredOn));
  if (tenure < 60 || f.usage.rowsEver === 0) return { stage: "onboarding", inferred: true };
  if (tenure < 180) return { stage: "adoption", inferred: true };
  return { stage: "maturity", inferred: true };
}

/** What the workspace does not collect, said once per scoring run rather than on every account. */
export function evidenceNotes(evidence: WorkspaceEvidence): string[] {
  const notes: string[] = [];
  if (!evidence.usage) notes.push("This workspace records no product usage yet: usage is not judged");
  if (!evidence.touchpoints) notes.push("This workspace records no CSM touchpoints yet: engagement is not judged");
  if (!evidence.surveys) notes.push("This workspace records no survey answers yet: perception is not judged");
  return notes;
}

const NOTHING_JUDGED_SCORE = 60;

/** Scores one account as of `scoredOn` (a UTC-midnight day). Deterministic. */
export function scoreAccountHealth(features: AccountFeatures, model: HealthModel, scoredOn: Date): HealthScore {
  const { stage, inferred } = effectiveStage(features, scoredOn);
  const usage = scoreUsage(features, stage, model, scoredOn);
  const engagement = scoreEngagement(features, stage, model, scoredOn);
  const perception = scorePerception(features, model, scoredOn);
  const { stage: stageRules, bands } = rulesFor(model, stage, features.segment);
  const results: Record<HealthComponentName, ComponentResult> = { usage, engagement, perception };
  const names: HealthComponentName[] = ["usage", "engagement", "perception"];

  const rawWeight = (n: HealthComponentName) => (results[n].score === null ? 0 : stageRules.weights[n]);
  const totalWeight = names.reduce((s, n) => s + rawWeight(n), 0);
  // With no judged component at all (a workspace that collects nothing yet) the score is
  // the middle of the yellow band, moved only by risk penalties: unknown is not at risk.
  const weightOf = (n: HealthComponentName) => (totalWeight > 0 ? rawWeight(n) / totalWeight : 0);
  const base =
    totalWeight > 0 ? names.reduce((s, n) => s + weightOf(n) * (results[n].score ?? 0), 0) : NOTHING_JUDGED_SCORE;
  const penalties = riskPenalties(features, model, scoredOn);
  const penaltyPoints = penalties.reduce((s, p) => s + p.points, 0);
  const score = Math.round(clamp(base - penaltyPoints));
  const reasons: HealthReason[] = [];
  for (const name of names) {
    const W = weightOf(name);
    const subs = results[name].evidence.filter((e) => e.kind === "sub" && e.weight > 0) as Extract<
      Evidence,
      { kind: "sub" }
    >[];
    const subTotal = subs.reduce((s, e) => s + e.weight, 0);
    for (const e of results[name].evidence) {
      let impact = 0;
      if (e.kind === "sub") {
        if (e.weight === 0) continue;
        impact = W * (e.weight / subTotal) * (e.score - 50) - W * (e.penalty ?? 0);
      } else if (e.kind === "penalty") impact = -W * e.points;
      reasons.push({ component: name, code: e.code, text: e.text, impact: round1(impact) });
    }
  }
  for (const p of penalties)
    reasons.push({ component: "engagement", code: p.code, text: p.text, impact: round1(-p.points) });
  const band = bandOf(score, bands);
  reasons.sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || a.code.localeCompare(b.code));

  const component = (name: HealthComponentName): HealthComponent => ({
    score: results[name].score === null ? null : Math.round(results[name].score!),
    weight: Math.round(weightOf(name) * 1000) / 1000,
    details: { ...results[name].details, ...(name === "usage" ? { stage, stageInferred: inferred } : {}) },
  });
  const components: HealthComponents = {
    usage: component("usage"),
    engagement: component("engagement"),
    perception: component("perception"),
  };
  if (penaltyPoints) components.engagement.details.riskPenalty = penaltyPoints;
  return {
    score,
    band,
    usageScore: components.usage.score,
    engagementScore: components.engagement.score,
    perceptionScore: components.perception.score,
    components,
    reasons,
    modelVersion: model.version,
  };
}

export interface ScoreTrend {
  change7d: number | null;
  change30d: number | null;
}

export function scoreTrend(score: number, scoreWeekAgo: number | null, scoreMonthAgo: number | null): ScoreTrend {
  return {
    change7d: scoreWeekAgo === null ? null : score - scoreWeekAgo,
    change30d: scoreMonthAgo === null ? null : score - scoreMonthAgo,
  };
}

/** A drop of more than `points` against the score 7 days earlier. */
export function isScoreDrop(trend: ScoreTrend, points: number): boolean {
  return trend.change7d !== null && -trend.change7d > points;
}
