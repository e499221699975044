// Churn and retention metrics over a period, from plain data (the ARR history and the
// churn post-mortems). Pure: the service gathers rows; this computes. Every figure carries
// its definition so a report never shows a number without saying what it means.
//
// The base of every rate is the *starting cohort*: accounts whose ARR was above zero at
// the start of the period (ARR replayed from `arr_change` rows effective before the start).
// Accounts signed during the period are not in the base, so their changes do not move the
// rates (the standard cohort definition of GRR/NRR); they are counted separately.
import { addDays, DAY_MS, daysBetween, displayDay, startOfUtcDay } from "./dates.js";
import { median } from "./statistics.js";

export const CHURN_REASONS = [
  "product_gap",
  "low_adoption",
  "champion_left",
  "budget_or_price",
  "competitor",
  "acquired_or_closed",
  "service_quality",
  "failed_onboarding",
  "other",
] as const;
export type ChurnReasonKey = (typeof CHURN_REASONS)[number];

export const CHURN_REASON_LABELS: Record<ChurnReasonKey, string> = {
  product_gap: "Product gap",
  low_adoption: "Low adoption",
  champion_left: "Champion left",
  budget_or_price: "Budget or price",
  competitor: "Competitor",
  acquired_or_closed: "Acquired or closed",
  service_quality: "Service or support quality",
  failed_onboarding: "Failed onboarding",
  other: "Other",
};

export type ArrChangeKindKey = "new_business" | "expansion" | "contraction" | "churn" | "winback" | "correction";

export interface ArrChangeRecord {
  accountId: number;
  effectiveOn: Date;
  kind: ArrChangeKindKey;
  arrBefore: number;
  arrAfter: number;
}

export interface ChurnEventRecord {
  accountId: number;
  kind: "full" | "downgrade";
  churnedOn: Date;
  arrLost: number;
  primaryReason: ChurnReasonKey;
  /** Null when the account never turned red before churning: counted as 0 days. */
  daysOfWarning: number | null;
  preventable: boolean | null;
}

/** A closed range of UTC days. */
export interface Period {
  label: string;
  start: Date;
  end: Date;
}

export const DEFAULT_GROSS_MARGIN = 0.8;
export const WARNING_DAYS_THRESHOLD = 30;

export class PeriodParseError extends Error {
  constructor(readonly input: string) {
    super(
      `"${input}" is not a period. Use 2026-Q3, last-quarter, this-quarter, 2026-10 (a month), or last-90d (the last N days).`,
    );
    this.name = "PeriodParseError";
  }
}

function quarterOf(year: number, q: number): Period {
  const start = new Date(Date.UTC(year, (q - 1) * 3, 1));
  const end = addDays(new Date(Date.UTC(year, q * 3, 1)), -1);
  return { label: `${year}-Q${q}`, start, end };
}

/**
 * Parses the churn report's period; relative forms count from `now` (UTC days). Not
 * period.ts's parseTrendPeriod: a report period is a closed range of days (`end` is its last
 * day), labelled "2026-Q3", defaults to last-quarter, and a bad value throws PeriodParseError
 * with the accepted forms, because the report has one period and no trend to step back to.
 */
export function parseReportPeriod(input: string | undefined, now: Date): Period {
  const text = (input ?? "last-quarter").trim().toLowerCase();
  const today = startOfUtcDay(now);
  const currentQuarter = Math.floor(today.getUTCMonth() / 3) + 1;
  let m: RegExpExecArray | null;
  if (text === "last-quarter") {
    return currentQuarter === 1
      ? quarterOf(today.getUTCFullYear() - 1, 4)
      : quarterOf(today.getUTCFullYear(), currentQuarter - 1);
  }
  if (text === "this-quarter") return quarterOf(today.getUTCFullYear(), currentQuarter);
  if ((m = /^(\d{4})-q([1-4])$/.exec(text))) return quarterOf(Number(m[1]), Number(m[2]));
  if ((m = /^(\d{4})-(\d{2})$/.exec(text))) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new PeriodParseError(input ?? "");
    const start = new Date(Date.UTC(year, month - 1, 1));
    return { label: `${m[1]}-${m[2]}`, start, end: addDays(new Date(Date.UTC(year, month, 1)), -1) };
  }
  if ((m = /^last-(\d{1,4})d$/.exec(text))) {
    const days = Number(m[1]);
    if (days < 1) throw new PeriodParseError(input ?? "");
    return { label: `last ${days} days`, start: addDays(today, -(days - 1)), end: today };
  }
  throw new PeriodParseError(input ?? "");
}

export function periodDays(period: Period): number {
  return daysBetween(period.start, period.end) + 1;
}

export function describePeriod(period: Period): string {
  return `${period.label} (${displayDay(period.start)} to ${displayDay(period.end)}, ${periodDays(period)} days)`;
}

export interface Figure {
  /** null when the figure is not defined for this period (the note says why). */
  value: number | null;
  definition: string;
  note?: string;
}

export interface ReasonBreakdown {
  reason: ChurnReasonKey;
  label: string;
  count: number;
  arrLost: number;
}

export interface ChurnMetrics {
  period: Period;
  days: number;
  grossMargin: number;
  startingAccounts: number;
  startingArr: number;
  logosChurned: number;
  churnArr: number;
  contractionArr: number;
  expansionArr: number;
  winbackArr: number;
  /** Accounts signed during the period that also churned in it (outside the rates' base). */
  newAccountsChurned: number;
  logoChurnRate: Figure;
  annualisedLogoChurnRate: Figure;
  grossRevenueChurn: Figure;
  grossRevenueRetention: Figure;
  netRevenueRetention: Figure;
  reasons: ReasonBreakdown[];
  postMortems: number;
  shareWithWarning: Figure;
  medianDaysOfWarning: Figure;
  sharePreventable: Figure;
  averageArrPerAccount: Figure;
  customerLifetimeValue: Figure;
}

function inPeriod(day: Date, period: Period): boolean {
  const t = startOfUtcDay(day).getTime();
  return t >= period.start.getTime() && t <= period.end.getTime();
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** ARR per account at the start of `day` (changes effective before it), replayed in date order. */
export function arrAtStartOf(changes: ArrChangeRecord[], day: Date): Map<number, number> {
  const arr = new Map<number, number>();
  const before = changes
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => startOfUtcDay(c.effectiveOn).getTime() < day.getTime())
    .sort((a, b) => a.c.effectiveOn.getTime() - b.c.effectiveOn.getTime() || a.i - b.i);
  for (const { c } of before) arr.set(c.accountId, c.arrAfter);
  return arr;
}

export function computeChurnMetrics(input: {
  period: Period;
  arrChanges: ArrChangeRecord[];
  churnEvents: ChurnEventRecord[];
  grossMargin?: number;
}): ChurnMetrics {
  const { period } = input;
  const grossMargin = input.grossMargin ?? DEFAULT_GROSS_MARGIN;
  if (!(grossMargin > 0 && grossMargin <= 1))
    throw new RangeError(`gross margin must be in (0, 1], got ${grossMargin}`);
  const days = periodDays(period);
  const startArr = arrAtStartOf(input.arrChanges, period.start);
  const cohort = new Set([...startArr].filter(([, arr]) => arr > 0).map(([id]) => id));
  const startingArr = [...cohort].reduce((sum, id) => sum + startArr.get(id)!, 0);

  let churnArr = 0;
  let contractionArr = 0;
  let expansionArr = 0;
  let winbackArr = 0;
  const churnedLogos = new Set<number>();
  const churnedOutside = new Set<number>();
  for (const c of input.arrChanges) {
    if (!inPeriod(c.effectiveOn, period)) continue;
    if (!cohort.has(c.accountId)) {
      if (c.kind === "churn") churnedOutside.add(c.accountId);
      continue;
    }
    const delta = c.arrAfter - c.arrBefore;
    switch (c.kind) {
      case "churn":
        churnArr += -delta;
        churnedLogos.add(c.accountId);
        break;
      case "contraction":
        contractionArr += -delta;
        break;
      case "expansion":
        expansionArr += delta;
        break;
      case "winback":
        winbackArr += delta;
        break;
      // new_business cannot touch the starting cohort; corrections fix data, not revenue.
      default:
        break;
    }
  }

  const startingAccounts = cohort.size;
  const logoRate = ratio(churnedLogos.size, startingAccounts);
  const annualised = logoRate === null ? null : 1 - (1 - logoRate) ** (365 / days);
  const lost = churnArr + contractionArr;
  const averageArr = ratio(startingArr, startingAccounts);

  const events = input.churnEvents.filter((e) => inPeriod(e.churnedOn, period));
  const reasonMap = new Map<ChurnReasonKey, ReasonBreakdown>();
  for (const e of events) {
    const row = reasonMap.get(e.primaryReason) ?? {
      reason: e.primaryReason,
      label: CHURN_REASON_LABELS[e.primaryReason],
      count: 0,
      arrLost: 0,
    };
    row.count += 1;
    row.arrLost += e.arrLost;
    reasonMap.set(e.primaryReason, row);
  }
  const reasons = [...reasonMap.values()].sort(
    (a, b) => b.count - a.count || b.arrLost - a.arrLost || a.reason.localeCompare(b.reason),
  );
  const warningDays = events.map((e) => e.daysOfWarning ?? 0);
  const judged = events.filter((e) => e.preventable !== null);
  const noEvents = events.length ? undefined : "not defined (no post-mortems in period)";
  const noBase = startingAccounts ? undefined : "not defined (no active accounts at period start)";

  let clvNote: string | undefined;
  let clv: number | null = null;
  if (noBase) clvNote = noBase;
  else if (!churnedLogos.size) clvNote = "not defined (no churn in period)";
  else clv = (averageArr! * grossMargin) / annualised!;

  return {
    period,
    days,
    grossMargin,
    startingAccounts,
    startingArr,
    logosChurned: churnedLogos.size,
    churnArr,
    contractionArr,
    expansionArr,
    winbackArr,
    newAccountsChurned: churnedOutside.size,
    logoChurnRate: {
      value: logoRate,
      definition:
        "accounts of the starting cohort that churned in the period ÷ accounts active (ARR > 0) at period start",
      note: noBase,
    },
    annualisedLogoChurnRate: {
      value: annualised,
      definition: `1 − (1 − logo churn rate)^(365 ÷ ${days} days)`,
      note: noBase,
    },
    grossRevenueChurn: {
      value: ratio(lost, startingArr),
      definition: "ARR lost to churn and contraction in the period ÷ ARR at period start",
      note: noBase,
    },
    grossRevenueRetention: {
      value: ratio(startingArr - lost, startingArr),
      definition: "(ARR at start − churn − contraction) ÷ ARR at start",
      note: noBase,
    },
    netRevenueRetention: {
      value: ratio(startingArr - lost + expansionArr + winbackArr, startingArr),
      definition: "(ARR at start − churn − contraction + expansion + win-backs) ÷ ARR at start",
      note: noBase,
    },
    reasons,
    postMortems: events.length,
    shareWithWarning: {
      value: ratio(warningDays.filter((d) => d >= WARNING_DAYS_THRESHOLD).length, events.length),
      definition: `post-mortems whose account turned red ${WARNING_DAYS_THRESHOLD}+ days before churning ÷ post-mortems in the period`,
      note: noEvents,
    },
    medianDaysOfWarning: {
      value: median(warningDays),
      definition:
        "median days from first turning red (after last being green) to the churn date; never red counts as 0",
      note: noEvents,
    },
    sharePreventable: {
      value: ratio(judged.filter((e) => e.preventable).length, judged.length),
      definition: "post-mortems judged preventable ÷ post-mortems that answered the question",
      note: judged.length ? undefined : "not defined (no post-mortems in period)",
    },
    averageArrPerAccount: {
      value: averageArr,
      definition: "ARR at period start ÷ accounts active at period start",
      note: noBase,
    },
    customerLifetimeValue: {
      value: clv,
      definition: `average ARR per account × gross margin (${grossMargin}) ÷ annualised logo churn rate`,
      note: clvNote,
    },
  };
}

/** For callers that need the period's bounds as instants (end exclusive). */
export function periodBounds(period: Period): { from: Date; toExclusive: Date } {
  return { from: period.start, toExclusive: new Date(period.end.getTime() + DAY_MS) };
}
