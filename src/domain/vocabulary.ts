// Pulse's vocabulary, defined once. The database enums (prisma/schema.prisma) are the source
// of truth; each list here is written out `as const` so it keeps a tuple type (zod's z.enum
// and exhaustive Record keys need one) and its order (stages run in lifecycle order), and the
// checks at the bottom stop the build if a list and its enum ever disagree. Nothing else in
// src/ may spell these lists out: test/vocabulary.test.ts fails if one does.
import type {
  BillingTerm,
  HealthBand,
  LifecycleStage,
  Sentiment,
  StakeholderType as ContactStakeholderType,
  SurveyKind,
  TouchpointKind,
} from "../generated/prisma/enums.js";

export const LIFECYCLE_STAGES = [
  "orientation",
  "onboarding",
  "adoption",
  "maturity",
  "development",
] as const satisfies readonly LifecycleStage[];
/** The stakeholder groups a CSM meets and plans for (touchpoints, ADKAR, objectives). */
export const STAKEHOLDER_TYPES = [
  "end_user",
  "sponsor",
  "implementer",
] as const satisfies readonly ContactStakeholderType[];
export type StakeholderType = (typeof STAKEHOLDER_TYPES)[number];
/** One person of a group, as forms and buttons name them ("Respondent's role", classifying a contact). */
export const STAKEHOLDER_TYPE_LABEL: Readonly<Record<StakeholderType, string>> = {
  end_user: "End user",
  sponsor: "Manager / sponsor",
  implementer: "Implementer / admin",
};
/** A contact's type: a group, or "unknown" for a person first seen in a customer channel, not yet classified. */
export const CONTACT_STAKEHOLDER_TYPES = [
  ...STAKEHOLDER_TYPES,
  "unknown",
] as const satisfies readonly ContactStakeholderType[];
export const TOUCHPOINT_KINDS = [
  "call",
  "meeting",
  "email",
  "qbr",
  "support_escalation",
  "other",
] as const satisfies readonly TouchpointKind[];
export const SENTIMENTS = ["positive", "neutral", "negative"] as const satisfies readonly Sentiment[];
export const SURVEY_KINDS = ["nps", "csat", "ces"] as const satisfies readonly SurveyKind[];
/** Best to worst. */
export const HEALTH_BANDS = ["green", "yellow", "red"] as const satisfies readonly HealthBand[];
export const BILLING_TERMS = ["monthly", "quarterly", "annual", "multi_year"] as const satisfies readonly BillingTerm[];

export type { BillingTerm, ContactStakeholderType, HealthBand, LifecycleStage, Sentiment, SurveyKind, TouchpointKind };

export interface SurveyScale {
  min: number;
  max: number;
  /** "NPS": the survey's name alone, as in "NPS score must be …". */
  label: string;
  /** "NPS (0-10)": the name with its range, as in a form's field label. */
  labelWithRange: string;
}

function surveyScale(label: string, min: number, max: number): SurveyScale {
  return { min, max, label, labelWithRange: `${label} (${min}-${max})` };
}

/** Each survey's answer scale, whole numbers from min to max inclusive. */
export const SURVEY_SCALES: Readonly<Record<SurveyKind, SurveyScale>> = {
  nps: surveyScale("NPS", 0, 10),
  csat: surveyScale("CSAT", 1, 5),
  ces: surveyScale("CES", 1, 7),
};

/** True when the list holds every value of the enum (`satisfies` above already rules out extras). */
type CoversEnum<List extends readonly string[], Enum extends string> = [Exclude<Enum, List[number]>] extends [never]
  ? true
  : false;
const listsCoverTheirEnums: [
  CoversEnum<typeof LIFECYCLE_STAGES, LifecycleStage>,
  CoversEnum<typeof CONTACT_STAKEHOLDER_TYPES, ContactStakeholderType>,
  CoversEnum<typeof TOUCHPOINT_KINDS, TouchpointKind>,
  CoversEnum<typeof SENTIMENTS, Sentiment>,
  CoversEnum<typeof SURVEY_KINDS, SurveyKind>,
  CoversEnum<typeof HEALTH_BANDS, HealthBand>,
  CoversEnum<typeof BILLING_TERMS, BillingTerm>,
] = [true, true, true, true, true, true, true];
void listsCoverTheirEnums;

/** True for the three groups; false for "unknown" (a contact not classified yet). */
export function isStakeholderGroup(type: ContactStakeholderType): type is StakeholderType {
  return (STAKEHOLDER_TYPES as readonly string[]).includes(type);
}
