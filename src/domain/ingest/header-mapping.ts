// Which CSV column feeds which Pulse field. Headers are compared with case, spacing and
// punctuation removed, against the column names Salesforce and HubSpot use in their
// standard exports (and a few plain ones); `--map column=field` overrides any guess.
//
// HubSpot's "Lifecycle Stage" and "Annual Revenue" are deliberately not aliases: the first
// is a marketing-funnel stage (lead, customer…), the second a company's total revenue, and
// reading either as Pulse's lifecycle stage or ARR would import wrong numbers silently.
import { normalizeKey } from "./values.js";

export const IMPORT_KINDS = ["accounts", "contacts", "usage", "touchpoints", "surveys", "churns", "plans"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface FieldSpec {
  field: string;
  required: boolean;
  aliases: string[];
  /** Shown in docs and in "missing column" errors. */
  description: string;
}

const ACCOUNT_FIELDS: FieldSpec[] = [
  {
    field: "externalId",
    required: true,
    description: "the account's id in your CRM",
    aliases: [
      "external id",
      "account id",
      "id",
      "record id",
      "company id",
      "customer id",
      "hubspot company id",
      "salesforce id",
      "sfdc id",
      "crm id",
      "account number",
    ],
  },
  // Optional: an export without names (a data warehouse's) names each account by its id.
  {
    field: "name",
    required: false,
    description: "account name (default: the external id)",
    aliases: ["name", "account name", "company name", "company", "customer name"],
  },
  {
    field: "domain",
    required: false,
    description: "web domain or website",
    aliases: ["domain", "website", "company domain name", "domain name", "web site", "url"],
  },
  {
    field: "segment",
    required: false,
    description: "segment, e.g. SMB or Enterprise",
    aliases: ["segment", "customer segment", "tier", "account tier"],
  },
  {
    field: "owner",
    required: false,
    description: "CSM: Slack user id or Pulse user name",
    aliases: [
      "owner",
      "account owner",
      "company owner",
      "csm",
      "csm slack id",
      "owner slack id",
      "customer success manager",
      "owner name",
    ],
  },
  {
    field: "arr",
    required: false,
    description: "annual recurring revenue",
    aliases: [
      "arr",
      "annual recurring revenue",
      "recurring revenue",
      "recurring revenue amount",
      "contract arr",
      "arr usd",
    ],
  },
  {
    field: "currency",
    required: false,
    description: "ISO currency code",
    aliases: ["currency", "account currency", "currency iso code", "currencyisocode", "currency code"],
  },
  {
    field: "seats",
    required: false,
    description: "licensed seats",
    aliases: ["seats", "licenses", "number of licenses", "licensed seats", "seat count", "user licenses"],
  },
  {
    field: "contractStart",
    required: false,
    description: "contract start or signup date",
    aliases: [
      "contract start",
      "contract start date",
      "start date",
      "customer since",
      "customer since date",
      "became a customer date",
      "signup date",
      "sign up date",
      "signed up on",
      "created date",
      "create date",
      "account created",
      "account created date",
    ],
  },
  {
    field: "renewalDate",
    required: false,
    description: "next renewal date",
    aliases: ["renewal date", "renewal", "contract end date", "contract end", "next renewal date"],
  },
  {
    field: "stage",
    required: false,
    description: "Pulse lifecycle stage",
    aliases: ["stage", "pulse stage", "cs stage", "customer stage", "customer success stage", "onboarding stage"],
  },
  {
    field: "status",
    required: false,
    description: "active or churned",
    aliases: [
      "status",
      "account status",
      "customer status",
      "churned",
      "churn",
      "is churned",
      "churn flag",
      "churned flag",
      "is churn",
    ],
  },
  {
    field: "churnedOn",
    required: false,
    description: "day a churned account churned",
    aliases: ["churn date", "churned on", "churned at", "cancellation date"],
  },
  {
    field: "plan",
    required: false,
    description: "commercial plan or product",
    aliases: [
      "plan",
      "plan name",
      "product",
      "subscription plan",
      "pricing plan",
      "edition",
      "plan tier",
      "plan type",
      "subscription tier",
      "subscription type",
    ],
  },
  {
    field: "billingTerm",
    required: false,
    description: "monthly, quarterly, annual or multi_year",
    aliases: ["billing term", "contract term", "term", "billing period", "billing cycle", "contract", "contract type"],
  },
  {
    field: "autoRenew",
    required: false,
    description: "whether the contract renews itself (yes/no)",
    aliases: ["auto renew", "autorenew", "auto renewal", "auto renews"],
  },
];

const CONTACT_FIELDS: FieldSpec[] = [
  {
    field: "externalId",
    required: true,
    description: "the contact's id in your CRM",
    aliases: ["external id", "contact id", "record id", "id", "hubspot contact id", "salesforce id"],
  },
  {
    field: "accountExternalId",
    required: true,
    description: "the CRM id of the contact's account",
    aliases: [
      "account id",
      "account external id",
      "company id",
      "associated company id",
      "associated company ids",
      "associated company ids primary",
      "primary associated company id",
      "hubspot company id",
    ],
  },
  { field: "name", required: false, description: "full name", aliases: ["name", "full name", "contact name"] },
  {
    field: "firstName",
    required: false,
    description: "first name",
    aliases: ["first name", "firstname", "given name"],
  },
  {
    field: "lastName",
    required: false,
    description: "last name",
    aliases: ["last name", "lastname", "surname", "family name"],
  },
  { field: "email", required: false, description: "email address", aliases: ["email", "email address", "e-mail"] },
  { field: "title", required: false, description: "job title", aliases: ["title", "job title", "position"] },
  {
    field: "stakeholderType",
    required: false,
    description: "end_user, sponsor or implementer",
    aliases: ["stakeholder type", "stakeholder", "contact role", "role", "persona"],
  },
  {
    field: "leftAt",
    required: false,
    description: "day the person left the customer",
    aliases: ["left at", "left on", "left company on", "departed on", "departure date"],
  },
];

const USAGE_FIELDS: FieldSpec[] = [
  {
    field: "accountExternalId",
    required: true,
    description: "the account's CRM id",
    aliases: ["account id", "account external id", "external id", "company id", "group id", "groupid"],
  },
  {
    field: "day",
    required: true,
    description: "the UTC day, YYYY-MM-DD (with --period week|month: any day of the week or month)",
    aliases: [
      "day",
      "date",
      "usage date",
      "activity date",
      "week",
      "month",
      "period",
      "period start",
      "week start",
      "week starting",
      "month start",
    ],
  },
  {
    field: "activeUsers",
    required: true,
    description: "distinct active users that day",
    aliases: ["active users", "dau", "users", "active user count", "daily active users"],
  },
  {
    field: "logins",
    required: false,
    description: "number of logins that day",
    aliases: ["logins", "login count", "sign ins", "signins"],
  },
  {
    field: "seats",
    required: false,
    description: "licensed seats that day",
    aliases: ["seats", "licenses", "licensed seats"],
  },
  {
    field: "modules",
    required: false,
    description: 'per-module uses: "reports:12;dashboards:3" or a JSON object',
    aliases: ["modules", "module usage", "features", "feature usage"],
  },
];

const TOUCHPOINT_FIELDS: FieldSpec[] = [
  {
    field: "externalId",
    required: true,
    description: "the activity's id in your CRM",
    aliases: ["external id", "touchpoint id", "activity id", "task id", "engagement id", "record id", "id"],
  },
  {
    field: "accountExternalId",
    required: true,
    description: "the account's CRM id",
    aliases: ["account id", "account external id", "company id", "associated company id", "associated company ids"],
  },
  {
    field: "kind",
    required: true,
    description: "call, meeting, email, qbr, support_escalation or other",
    aliases: ["kind", "type", "activity type", "touchpoint type", "engagement type", "task type", "task subtype"],
  },
  {
    field: "occurredAt",
    required: true,
    description: "when it happened",
    aliases: [
      "occurred at",
      "date",
      "activity date",
      "timestamp",
      "activity date time",
      "created date",
      "date of activity",
    ],
  },
  {
    field: "sentiment",
    required: false,
    description: "positive, neutral or negative",
    aliases: ["sentiment", "mood", "outcome sentiment"],
  },
  {
    field: "notes",
    required: false,
    description: "free text",
    aliases: ["notes", "note", "description", "comments", "body", "summary"],
  },
  {
    field: "stakeholderTypes",
    required: false,
    description: 'who was reached: "sponsor;end_user"',
    aliases: ["stakeholder types", "stakeholders", "stakeholder type", "audience"],
  },
];

const SURVEY_FIELDS: FieldSpec[] = [
  {
    field: "externalId",
    required: true,
    description: "the response's id in your survey tool",
    aliases: ["external id", "response id", "survey response id", "submission id", "id"],
  },
  {
    field: "accountExternalId",
    required: true,
    description: "the account's CRM id",
    aliases: ["account id", "account external id", "company id", "associated company id"],
  },
  {
    field: "contactExternalId",
    required: false,
    description: "the respondent's contact id",
    aliases: ["contact id", "contact external id", "respondent id"],
  },
  {
    field: "kind",
    required: false,
    description: "nps (default), csat or ces",
    aliases: ["kind", "survey type", "survey kind", "type"],
  },
  {
    field: "score",
    required: true,
    description: "NPS 0-10, CSAT 1-5, CES 1-7",
    aliases: ["score", "rating", "nps score", "response score", "answer"],
  },
  {
    field: "respondedAt",
    required: true,
    description: "when the answer was given",
    aliases: ["responded at", "date", "response date", "submitted at", "submitted", "completed at", "submission date"],
  },
  {
    field: "comment",
    required: false,
    description: "the respondent's comment",
    aliases: ["comment", "comments", "feedback", "reason", "verbatim"],
  },
  {
    field: "respondentName",
    required: false,
    description: "who answered",
    aliases: ["respondent", "respondent name", "name"],
  },
];

// A bare "type" or "amount" is deliberately not an alias: in a CRM's opportunity export they
// are the deal's type (Renewal, New Business) and value, not a churn's kind and ARR lost.
const CHURN_FIELDS: FieldSpec[] = [
  {
    field: "accountExternalId",
    required: true,
    description: "the churned account's CRM id",
    aliases: [
      "account id",
      "account external id",
      "external id",
      "customer id",
      "company id",
      "record id",
      "hubspot company id",
      "salesforce id",
      "sfdc id",
      "crm id",
    ],
  },
  {
    field: "churnedOn",
    required: true,
    description: "the day the account churned or downgraded",
    aliases: [
      "churned on",
      "churn date",
      "churned at",
      "cancellation date",
      "cancelled on",
      "canceled on",
      "close date",
      "closed lost date",
      "end date",
      "churn day",
    ],
  },
  {
    field: "kind",
    required: false,
    description: "full (default) or partial (a downgrade)",
    aliases: ["kind", "churn kind", "churn type", "cancellation type"],
  },
  {
    field: "arrLost",
    required: false,
    description: "ARR lost (a full churn defaults to the account's ARR)",
    aliases: ["arr lost", "lost arr", "churned arr", "arr", "amount lost", "lost amount"],
  },
  {
    field: "reason",
    required: false,
    description:
      "why: product_gap, low_adoption, champion_left, budget_or_price, competitor, acquired_or_closed, service_quality, failed_onboarding or free text",
    aliases: [
      "reason",
      "churn reason",
      "cancellation reason",
      "closed lost reason",
      "loss reason",
      "lost reason",
      "primary reason",
      "reason code",
      "churn reason code",
    ],
  },
  {
    field: "wonBackOn",
    required: false,
    description: "the day the account was won back",
    aliases: ["won back on", "won back", "winback date", "win back date", "reactivated on", "reactivation date"],
  },
];

/** Success plans: one row per objective or milestone (docs/success-plans.md). */
const PLAN_FIELDS: FieldSpec[] = [
  {
    field: "type",
    required: true,
    description: "objective or milestone",
    aliases: ["type", "row type", "item type", "record type", "plan item"],
  },
  {
    field: "externalId",
    required: true,
    description: "the row's own id, unique in the file",
    aliases: ["external id", "id", "item id", "plan item id", "record id"],
  },
  {
    field: "accountExternalId",
    required: true,
    description: "the account's CRM id",
    aliases: ["account id", "account external id", "company id"],
  },
  {
    field: "title",
    required: true,
    description: "the objective in the customer's words, or the milestone",
    aliases: ["title", "name", "goal", "objective title", "milestone title"],
  },
  {
    field: "objectiveExternalId",
    required: false,
    description: "milestones: the id of the objective they serve",
    aliases: ["objective id", "objective external id", "parent id"],
  },
  {
    field: "metric",
    required: false,
    description: "objectives: what is measured",
    aliases: ["metric", "measure", "kpi"],
  },
  { field: "unit", required: false, description: "objectives: unit of the measure", aliases: ["unit", "units"] },
  {
    field: "baseline",
    required: false,
    description: "objectives: starting value",
    aliases: ["baseline", "starting value", "start value", "from"],
  },
  {
    field: "target",
    required: false,
    description: "objectives: target value",
    aliases: ["target", "target value", "goal value", "to"],
  },
  {
    field: "current",
    required: false,
    description: "objectives: latest measured value",
    aliases: ["current", "current value", "actual", "latest value"],
  },
  {
    field: "measuredOn",
    required: false,
    description: "objectives: day of the latest measurement",
    aliases: ["measured on", "measured at", "measurement date", "as of"],
  },
  {
    field: "targetDate",
    required: false,
    description: "objectives: date the target is due",
    aliases: ["target date", "by", "deadline"],
  },
  {
    field: "status",
    required: false,
    description: "objectives: active, achieved, missed or dropped",
    aliases: ["status", "state"],
  },
  {
    field: "owner",
    required: false,
    description: "milestones: who delivers it",
    aliases: ["owner", "milestone owner", "assignee", "responsible"],
  },
  {
    field: "dueOn",
    required: false,
    description: "milestones: due date (required for milestones)",
    aliases: ["due on", "due date", "due"],
  },
  {
    field: "completedOn",
    required: false,
    description: "milestones: day it was completed",
    aliases: ["completed on", "completed", "done on", "completion date"],
  },
  {
    field: "stakeholderTypes",
    required: false,
    description: 'who it involves: "sponsor;end_user"',
    aliases: ["stakeholder types", "stakeholders", "stakeholder type", "groups"],
  },
  {
    field: "notes",
    required: false,
    description: "objectives: internal notes (never shown to the customer)",
    aliases: ["notes", "note", "comments", "internal notes"],
  },
];

export const IMPORT_FIELDS: Record<ImportKind, FieldSpec[]> = {
  accounts: ACCOUNT_FIELDS,
  contacts: CONTACT_FIELDS,
  usage: USAGE_FIELDS,
  touchpoints: TOUCHPOINT_FIELDS,
  surveys: SURVEY_FIELDS,
  churns: CHURN_FIELDS,
  plans: PLAN_FIELDS,
};

export interface HeaderMapping {
  headers: string[];
  /** Field -> index of the column that feeds it. */
  columnOf: Record<string, number>;
  /** Headers no field reads. */
  ignored: string[];
  /** Columns read as named account traits (`--trait`): the trait's name is the header. */
  traits: { name: string; index: number }[];
}

export type HeaderMappingResult = { ok: true; mapping: HeaderMapping } | { ok: false; problems: string[] };

/**
 * Maps a file's header row to fields. `overrides` is column header -> field name (both
 * forgiving of case and spacing). Explicit overrides win over aliases; an alias is used
 * only for a field no override claims, and the first matching column wins.
 */
export function mapHeaders(
  kind: ImportKind,
  headers: string[],
  overrides: Record<string, string> = {},
  traitColumns: string[] = [],
): HeaderMappingResult {
  const specs = IMPORT_FIELDS[kind];
  const problems: string[] = [];
  const columnOf: Record<string, number> = {};
  const normalizedHeaders = headers.map(normalizeKey);
  const claimed = new Set<number>();

  // Trait columns are claimed first: a trait named "Plan" is the trait, not the plan field.
  const traits: { name: string; index: number }[] = [];
  for (const column of traitColumns) {
    const index = normalizedHeaders.indexOf(normalizeKey(column));
    if (index >= 0 && !claimed.has(index)) {
      traits.push({ name: headers[index]!, index });
      claimed.add(index);
    }
  }

  for (const [column, fieldName] of Object.entries(overrides)) {
    const spec = specs.find((s) => normalizeKey(s.field) === normalizeKey(fieldName));
    const index = normalizedHeaders.indexOf(normalizeKey(column));
    if (!spec) {
      problems.push(
        `--map ${column}=${fieldName}: "${fieldName}" is not a ${kind} field (fields: ${specs.map((s) => s.field).join(", ")})`,
      );
      continue;
    }
    if (index < 0) {
      problems.push(
        `--map ${column}=${fieldName}: the file has no column "${column}" (columns: ${headers.join(", ")})`,
      );
      continue;
    }
    if (columnOf[spec.field] !== undefined) {
      problems.push(`--map gives two columns for ${spec.field}`);
      continue;
    }
    columnOf[spec.field] = index;
    claimed.add(index);
  }

  for (const spec of specs) {
    if (columnOf[spec.field] !== undefined) continue;
    const candidates = [spec.field, ...spec.aliases].map(normalizeKey);
    const index = normalizedHeaders.findIndex((h, i) => !claimed.has(i) && candidates.includes(h));
    if (index >= 0) {
      columnOf[spec.field] = index;
      claimed.add(index);
    }
  }

  const duplicates = normalizedHeaders.filter(
    (h, i) => h !== "" && normalizedHeaders.indexOf(h) !== i && claimed.has(normalizedHeaders.indexOf(h)),
  );
  for (const dup of new Set(duplicates))
    problems.push(`the header "${headers[normalizedHeaders.indexOf(dup)]}" appears more than once`);

  for (const spec of specs) {
    if (spec.required && columnOf[spec.field] === undefined) {
      problems.push(
        `no column for ${spec.field} (${spec.description}); expected a header such as "${spec.aliases.slice(0, 3).join('", "')}", or pass --map "<your column>=${spec.field}"`,
      );
    }
  }
  if (
    kind === "contacts" &&
    problems.length === 0 &&
    columnOf.name === undefined &&
    columnOf.firstName === undefined &&
    columnOf.lastName === undefined &&
    columnOf.email === undefined
  ) {
    // A contact with neither a name nor an email cannot be recognised by anyone.
    problems.push('no column for the contact\'s name or email (expected "Name", "First Name"/"Last Name" or "Email")');
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, mapping: { headers, columnOf, ignored: headers.filter((_, i) => !claimed.has(i)), traits } };
}

/**
 * The `--trait` columns the file lacks, or that were named twice. A usage mistake rather
 * than a row error: nothing is read until it is fixed.
 */
export function traitColumnProblems(headers: string[], traitColumns: string[]): string[] {
  const normalized = headers.map(normalizeKey);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const column of traitColumns) {
    const key = normalizeKey(column);
    if (!key) problems.push(`--trait "${column}" names no column`);
    else if (seen.has(key)) problems.push(`--trait "${column}" is given twice`);
    else if (!normalized.includes(key))
      problems.push(`--trait "${column}": the file has no such column (columns: ${headers.join(", ") || "(none)"})`);
    seen.add(key);
  }
  return problems;
}

/** Parses `column=field` pairs given with --map; the column may itself contain "=" only if quoted by the shell as a whole. */
export function parseMapOverrides(
  pairs: string[],
): { ok: true; overrides: Record<string, string> } | { ok: false; problem: string } {
  const overrides: Record<string, string> = {};
  // Columns compare as headers do (normalized); a later --map must not silently win.
  const columnByKey = new Map<string, string>();
  const columnByField = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    if (at <= 0 || at === pair.length - 1)
      return { ok: false, problem: `--map "${pair}" is not of the form column=field` };
    const column = pair.slice(0, at).trim();
    const field = pair.slice(at + 1).trim();
    const earlier = columnByKey.get(normalizeKey(column));
    if (earlier !== undefined)
      return {
        ok: false,
        problem: `--map names column "${column}" twice (to ${overrides[earlier]} and to ${field}): map each column once`,
      };
    const rival = columnByField.get(field);
    if (rival !== undefined)
      return {
        ok: false,
        problem: `--map maps two columns to ${field} ("${rival}" and "${column}"): a field takes one column`,
      };
    columnByKey.set(normalizeKey(column), column);
    columnByField.set(field, column);
    overrides[column] = field;
  }
  return { ok: true, overrides };
}
