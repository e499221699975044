// Lifecycle stage suggestions. Rules propose, the CSM confirms: a stage is a judgement, and
// onboarding (the most critical stage) is where a wrong automatic move would hide trouble.
import type { LifecycleStage } from "./vocabulary.js";

export interface StageEvidence {
  stage: LifecycleStage;
  /** Days in the current stage. */
  daysInStage: number;
  /** Days with any active user, in the account's history. */
  activeDays: number;
  /** Mean share of seats active over the last 14 days. */
  activeSeatShare14d: number | null;
  /** Distinct modules used in the last 30 days. */
  modules30d: number;
  /** Days since the contract started. */
  tenureDays: number;
  /** ARR grew (expansion) in the last 90 days. */
  expandedRecently: boolean;
}

export interface StageSuggestion {
  from: LifecycleStage;
  to: LifecycleStage;
  rule: string;
  reason: string;
}

export const LIFECYCLE_RULES = {
  orientationActiveDays: 5,
  adoptionSeatShare: 0.4,
  adoptionMinDays: 14,
  maturityModules: 4,
  maturityTenureDays: 180,
  maturitySeatShare: 0.5,
} as const;

export function suggestStage(e: StageEvidence, r = LIFECYCLE_RULES): StageSuggestion | undefined {
  switch (e.stage) {
    case "orientation":
      return e.activeDays >= r.orientationActiveDays
        ? {
            from: e.stage,
            to: "onboarding",
            rule: "first_active_week",
            reason: `active on ${e.activeDays} days: the first active week is done`,
          }
        : undefined;
    case "onboarding":
      return e.daysInStage >= r.adoptionMinDays && (e.activeSeatShare14d ?? 0) >= r.adoptionSeatShare
        ? {
            from: e.stage,
            to: "adoption",
            rule: "sustained_seat_share",
            reason: `${Math.round((e.activeSeatShare14d ?? 0) * 100)}% of seats active over 14 days`,
          }
        : undefined;
    case "adoption":
      return e.tenureDays >= r.maturityTenureDays &&
        e.modules30d >= r.maturityModules &&
        (e.activeSeatShare14d ?? 0) >= r.maturitySeatShare
        ? {
            from: e.stage,
            to: "maturity",
            rule: "steady_breadth",
            reason: `${e.modules30d} modules in use and ${Math.round((e.activeSeatShare14d ?? 0) * 100)}% of seats active after ${e.tenureDays} days`,
          }
        : undefined;
    case "maturity":
      return e.expandedRecently
        ? { from: e.stage, to: "development", rule: "expansion", reason: "ARR expanded in the last 90 days" }
        : undefined;
    default:
      return undefined;
  }
}
