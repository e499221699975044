// What the weekly back-test of the adopted churn model says, in the words admins read on
// App Home and in `/pulse admin model`, and when a fall in accuracy is worth telling them.
import { z } from "zod";

export const modelCheckSchema = z.object({
  checkedAt: z.string(),
  version: z.string(),
  /** As-of days of the check, first and last. */
  from: z.string(),
  to: z.string(),
  churns: z.number().int(),
  caught: z.number().int(),
  medianDaysOfWarning: z.number().nullable(),
  falseAlarms: z.number().int(),
  survivors: z.number().int(),
  auc: z.number().nullable(),
  validationAuc: z.number().nullable(),
  dropped: z.boolean(),
  /** Set when admins were told of this drop, so a lasting drop is posted once. */
  alertedAt: z.string().nullable(),
});
export type ModelCheck = z.infer<typeof modelCheckSchema>;

/** AUC this far below the held-out AUC at fitting time, on enough churns, is a drop. */
export const AUC_DROP = 0.05;
export const MIN_CHURNS_FOR_DROP = 10;

export function isAccuracyDrop(auc: number | null, validationAuc: number | null, churns: number): boolean {
  return auc !== null && validationAuc !== null && churns >= MIN_CHURNS_FOR_DROP && auc < validationAuc - AUC_DROP;
}

/** Tell admins when a drop starts; not again while it lasts. */
export function shouldAlert(previous: ModelCheck | null, current: Pick<ModelCheck, "dropped" | "version">): boolean {
  if (!current.dropped) return false;
  return !(previous && previous.version === current.version && previous.dropped && previous.alertedAt);
}

/** "caught 7 of the last 9 churns, 41 days ahead, 12 false alarms". */
export function modelCheckLine(
  check: Pick<ModelCheck, "caught" | "churns" | "medianDaysOfWarning" | "falseAlarms">,
): string {
  const ahead =
    check.medianDaysOfWarning === null ? "" : `, ${Math.round(check.medianDaysOfWarning)} days ahead (median)`;
  return `caught ${check.caught} of the last ${check.churns} churns${ahead}, ${check.falseAlarms} false alarm${check.falseAlarms === 1 ? "" : "s"}`;
}
