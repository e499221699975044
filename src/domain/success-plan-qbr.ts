// The QBR pack's content: every figure with where it comes from (source and period), and
// the customer version derived from it. Pure: the service fills it from stored evidence
// only; the views render it.
import { z } from "zod";

/** Where a figure comes from: the stored evidence and the days it covers. */
export interface Cite {
  source: string;
  period: string;
}

export interface QbrObjective {
  id: number;
  title: string;
  metric: string | null;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  current: number | null;
  measuredOn: string | null;
  targetDate: string | null;
  status: string;
  /** 0..100, null when not measured at both ends. */
  progressPct: number | null;
  milestonesDone: number;
  milestonesTotal: number;
  stakeholderTypes: string[];
  /** Internal. */
  notes: string | null;
}

export interface QbrMilestone {
  id: number;
  title: string;
  owner: string | null;
  dueOn: string;
  completedOn: string | null;
  state: "done" | "overdue" | "open";
}

export interface QbrSurveyFigure {
  value: number | null;
  responses: number;
  previous: number | null;
  previousResponses: number;
}

export interface QbrPackContent {
  version: 1;
  audience: "internal" | "customer";
  account: { id: number; name: string; currency: string };
  quarter: string;
  period: { label: string; start: string; end: string; asOf: string };
  previousPeriod: { start: string; end: string };
  builtAt: string;
  objectives: { items: QbrObjective[]; cite: Cite };
  milestones: { items: QbrMilestone[]; cite: Cite };
  /** Internal only: the customer version holds no score. */
  health: {
    points: { day: string; score: number; band: string }[];
    first: number;
    last: number;
    min: number;
    max: number;
    bandChanges: { day: string; from: string; to: string }[];
    cite: Cite;
  } | null;
  adoption: {
    activeSharePct: number | null;
    previousActiveSharePct: number | null;
    usageDays: number;
    modules: { name: string; uses: number }[];
    cite: Cite;
    groups: {
      group: string;
      stage: string | null;
      since: string | null;
      changes: { day: string; from: string | null; to: string }[];
    }[];
    groupsCite: Cite;
  };
  touchpoints: {
    total: number;
    byKind: Record<string, number>;
    items: { day: string; kind: string; stakeholderTypes: string[]; sentiment: string | null; notes: string | null }[];
    cite: Cite;
  };
  surveys: { nps: QbrSurveyFigure; csat: QbrSurveyFigure; ces: QbrSurveyFigure; cite: Cite };
  /** Internal only. */
  risks: {
    signals: { kind: string; detectedOn: string }[];
    openTasks: { title: string; dueOn: string }[];
    cite: Cite;
  } | null;
  renewal: { renewalDate: string | null; arr: string; currency: string; cite: Cite };
  nextQuarterGoals: { items: { text: string; basis: string }[]; cite: Cite };
}

/** Read back from the database: shape-checked, not trusted blindly. */
export const qbrPackContentSchema = z.custom<QbrPackContent>(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    (v as { version?: unknown }).version === 1 &&
    typeof (v as { account?: { name?: unknown } }).account?.name === "string",
  "not a QBR pack",
);

/**
 * The version a customer may see: no health score, no internal notes (objective notes,
 * touchpoint notes), no internal risk signals or task list. It is built from this one
 * account's pack, so it cannot hold another account.
 */
export function toCustomerPack(pack: QbrPackContent): QbrPackContent {
  return {
    ...pack,
    audience: "customer",
    objectives: { ...pack.objectives, items: pack.objectives.items.map((o) => ({ ...o, notes: null })) },
    health: null,
    touchpoints: { ...pack.touchpoints, items: pack.touchpoints.items.map((t) => ({ ...t, notes: null })) },
    risks: null,
  };
}
