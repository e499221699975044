// The churn post-mortem's rules: what a valid filing is, and how much warning the health
// score gave. Pure: the modal's raw values and the account's ARR in, a typed post-mortem
// or field-level errors out.
import { z } from "zod";
import { CHURN_REASONS, CHURN_REASON_LABELS, type ChurnReasonKey } from "./churn-metrics.js";
import { daysBetween, displayDay, parseIsoDay, startOfUtcDay } from "./dates.js";
import type { HealthBand } from "./vocabulary.js";

export { CHURN_REASONS, CHURN_REASON_LABELS, type ChurnReasonKey };

/** The modal's values as Slack sends them: strings or nothing. */
export const postMortemDraftSchema = z.object({
  churnedOn: z.string().nullish(),
  kind: z.string().nullish(),
  arrLost: z.string().nullish(),
  primaryReason: z.string().nullish(),
  reasonOther: z.string().nullish(),
  contributingFactors: z.array(z.string()).default([]),
  warningSigns: z.string().nullish(),
  warningSeenOn: z.string().nullish(),
  couldHaveDone: z.string().nullish(),
  lessons: z.string().nullish(),
  preventable: z.string().nullish(),
});
export type PostMortemDraft = z.infer<typeof postMortemDraftSchema>;
export type PostMortemField = keyof PostMortemDraft;

export interface PostMortem {
  churnedOn: Date;
  kind: "full" | "downgrade";
  arrLost: number;
  primaryReason: ChurnReasonKey;
  reasonOther: string | null;
  contributingFactors: ChurnReasonKey[];
  warningSigns: string | null;
  warningSeenOn: Date | null;
  couldHaveDone: string | null;
  lessons: string | null;
  preventable: boolean;
}

export type PostMortemValidation =
  | { ok: true; value: PostMortem }
  | { ok: false; errors: Partial<Record<PostMortemField, string>> };

const TEXT_LIMIT = 3000;

function clean(text: string | null | undefined): string | null {
  const t = text?.trim();
  return t ? t : null;
}

export function formatMoney(amount: number, currency = "USD"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 }).format(amount);
}

/** Parses "12,000", "12000.50", "$12k"; undefined when it is not an amount. */
export function parseAmount(text: string): number | undefined {
  const m = /^\$?\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(k)?$/i.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]!.replace(/,/g, "")) * (m[2] ? 1000 : 1);
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : undefined;
}

/**
 * Validates a filing against the account's current ARR and today's date. A full churn loses
 * the whole ARR (the field may be left empty); a downgrade loses part of it.
 */
export function validatePostMortem(
  draft: PostMortemDraft,
  context: { accountArr: number; currency?: string; today: Date },
): PostMortemValidation {
  const errors: Partial<Record<PostMortemField, string>> = {};
  const today = startOfUtcDay(context.today);
  const money = (n: number) => formatMoney(n, context.currency);

  const churnedOn = draft.churnedOn ? parseIsoDay(draft.churnedOn) : undefined;
  if (!draft.churnedOn) errors.churnedOn = "Pick the date the account churned.";
  else if (!churnedOn) errors.churnedOn = `"${draft.churnedOn}" is not a date (YYYY-MM-DD).`;
  else if (churnedOn.getTime() > today.getTime())
    errors.churnedOn = `The churn date cannot be in the future (today is ${displayDay(today)}).`;

  const kind = draft.kind === "full" || draft.kind === "downgrade" ? draft.kind : undefined;
  if (!kind) errors.kind = "Choose full churn or downgrade.";

  let arrLost: number | undefined;
  const arrText = clean(draft.arrLost);
  if (arrText !== null) {
    arrLost = parseAmount(arrText);
    if (arrLost === undefined) errors.arrLost = `"${arrText}" is not an amount; write it like 12000 or 12,000.`;
    else if (arrLost <= 0) errors.arrLost = "ARR lost must be more than zero.";
    else if (arrLost > context.accountArr)
      errors.arrLost = `ARR lost (${money(arrLost)}) cannot be more than the account's ARR (${money(context.accountArr)}).`;
  }
  if (!errors.arrLost && kind === "full") {
    if (arrLost === undefined) arrLost = context.accountArr;
    else if (arrLost !== context.accountArr) {
      errors.arrLost = `A full churn loses the whole ARR (${money(context.accountArr)}). Leave this empty, or choose downgrade for a partial loss.`;
    }
  }
  if (!errors.arrLost && kind === "downgrade") {
    if (arrLost === undefined) errors.arrLost = "Enter the ARR lost by the downgrade.";
    else if (arrLost === context.accountArr)
      errors.arrLost = "A downgrade that loses all ARR is a full churn; choose full churn.";
  }

  const primaryReason = (CHURN_REASONS as readonly string[]).includes(draft.primaryReason ?? "")
    ? (draft.primaryReason as ChurnReasonKey)
    : undefined;
  if (!primaryReason) errors.primaryReason = "Choose the primary reason.";
  const reasonOther = clean(draft.reasonOther);
  if (primaryReason === "other" && !reasonOther)
    errors.reasonOther = "Describe the reason when the primary reason is Other.";

  const unknownFactors = draft.contributingFactors.filter((f) => !(CHURN_REASONS as readonly string[]).includes(f));
  if (unknownFactors.length) errors.contributingFactors = `Unknown reason(s): ${unknownFactors.join(", ")}.`;

  const warningSeenOn = draft.warningSeenOn ? parseIsoDay(draft.warningSeenOn) : undefined;
  if (draft.warningSeenOn && !warningSeenOn)
    errors.warningSeenOn = `"${draft.warningSeenOn}" is not a date (YYYY-MM-DD).`;
  else if (warningSeenOn && churnedOn && warningSeenOn.getTime() > churnedOn.getTime())
    errors.warningSeenOn = "Warning signs are seen before the churn date.";

  for (const field of ["warningSigns", "couldHaveDone", "lessons", "reasonOther"] as const) {
    if ((draft[field]?.length ?? 0) > TEXT_LIMIT) errors[field] = `Keep this under ${TEXT_LIMIT} characters.`;
  }

  const preventable = draft.preventable === "yes" ? true : draft.preventable === "no" ? false : undefined;
  if (preventable === undefined) errors.preventable = "Say whether the churn was preventable.";

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      churnedOn: churnedOn!,
      kind: kind!,
      arrLost: arrLost!,
      primaryReason: primaryReason!,
      reasonOther: primaryReason === "other" ? reasonOther : null,
      contributingFactors: [...new Set(draft.contributingFactors as ChurnReasonKey[])].filter(
        (f) => f !== primaryReason,
      ),
      warningSigns: clean(draft.warningSigns),
      warningSeenOn: warningSeenOn ?? null,
      couldHaveDone: clean(draft.couldHaveDone),
      lessons: clean(draft.lessons),
      preventable: preventable!,
    },
  };
}

export type Band = HealthBand;

export interface BandPoint {
  scoredOn: Date;
  score: number;
  band: Band;
}

export interface Warning {
  firstRedOn: Date | null;
  daysOfWarning: number | null;
}

/**
 * The day the score first turned red after it was last green, up to the churn date. A
 * yellow dip between red days does not reset the clock (the account never recovered); a
 * return to green does. Never red since last green: no warning (nulls).
 */
export function computeWarning(history: BandPoint[], churnedOn: Date): Warning {
  const churnDay = startOfUtcDay(churnedOn).getTime();
  const upToChurn = history
    .filter((p) => p.scoredOn.getTime() <= churnDay)
    .sort((a, b) => a.scoredOn.getTime() - b.scoredOn.getTime());
  let firstRed: Date | null = null;
  for (const p of upToChurn) {
    if (p.band === "green") firstRed = null;
    else if (p.band === "red" && firstRed === null) firstRed = p.scoredOn;
  }
  return firstRed
    ? { firstRedOn: firstRed, daysOfWarning: daysBetween(firstRed, churnedOn) }
    : { firstRedOn: null, daysOfWarning: null };
}

export interface BandChange {
  on: Date;
  from: Band;
  to: Band;
  score: number;
}

export function bandChanges(history: BandPoint[]): BandChange[] {
  const sorted = [...history].sort((a, b) => a.scoredOn.getTime() - b.scoredOn.getTime());
  const changes: BandChange[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.band !== cur.band) changes.push({ on: cur.scoredOn, from: prev.band, to: cur.band, score: cur.score });
  }
  return changes;
}
