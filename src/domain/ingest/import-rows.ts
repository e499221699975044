// Turns one CSV record into a typed row, or into the list of what is wrong with it.
// References (accounts, owners, contacts) are resolved against plain lookup maps the
// service loads beforehand, so this stays pure and testable with tables.
//
// Cell semantics: a column the file does not have leaves the stored value alone; a column
// that is present but empty clears a nullable field (and gives the default otherwise).
import { CHURN_REASONS, type ChurnReasonKey } from "../churn-metrics.js";
import type { HeaderMapping, ImportKind } from "./header-mapping.js";
import {
  normalizeKey,
  parseChoice,
  parseCurrency,
  parseDay,
  parseDomain,
  parseInstant,
  parseMoney,
  parseWholeNumber,
  clip,
  type Parsed,
} from "./values.js";
import {
  BILLING_TERMS,
  LIFECYCLE_STAGES,
  SENTIMENTS,
  STAKEHOLDER_TYPES,
  SURVEY_KINDS,
  SURVEY_SCALES,
  TOUCHPOINT_KINDS,
  type BillingTerm,
  type LifecycleStage,
  type Sentiment,
  type StakeholderType,
  type SurveyKind,
  type TouchpointKind,
} from "../vocabulary.js";

export const ACCOUNT_STATUSES = ["active", "churned"] as const;
export const CHURN_KINDS = ["full", "downgrade"] as const;

export type AccountStatusName = (typeof ACCOUNT_STATUSES)[number];
export type ChurnKindName = (typeof CHURN_KINDS)[number];
/** A trait's value: a number, a category, or null to remove it. */
export type TraitValue = number | string | null;

const STAKEHOLDER_SYNONYMS: Record<string, StakeholderType> = {
  user: "end_user",
  enduser: "end_user",
  executivesponsor: "sponsor",
  economicbuyer: "sponsor",
  executive: "sponsor",
  admin: "implementer",
  administrator: "implementer",
  implementation: "implementer",
};

const TOUCHPOINT_SYNONYMS: Record<string, TouchpointKind> = {
  phonecall: "call",
  videocall: "call",
  businessreview: "qbr",
  quarterlybusinessreview: "qbr",
  ebr: "qbr",
  escalation: "support_escalation",
  supportescalation: "support_escalation",
  emails: "email",
  meetings: "meeting",
};

// Keys are normalizeKey()'d: "Month-to-month" -> "monthtomonth", "12 months" -> "12months".
const BILLING_TERM_SYNONYMS: Record<string, BillingTerm> = {
  month: "monthly",
  monthtomonth: "monthly",
  m2m: "monthly",
  mtm: "monthly",
  permonth: "monthly",
  "1month": "monthly",
  quarter: "quarterly",
  perquarter: "quarterly",
  "3months": "quarterly",
  annually: "annual",
  yearly: "annual",
  year: "annual",
  peryear: "annual",
  oneyear: "annual",
  "1year": "annual",
  "1yr": "annual",
  "12months": "annual",
  twoyear: "multi_year",
  twoyears: "multi_year",
  "2year": "multi_year",
  "2years": "multi_year",
  "2yr": "multi_year",
  threeyear: "multi_year",
  threeyears: "multi_year",
  "3year": "multi_year",
  "3years": "multi_year",
  "3yr": "multi_year",
  multiyear: "multi_year",
  "24months": "multi_year",
  "36months": "multi_year",
};

const STATUS_SYNONYMS: Record<string, AccountStatusName> = {
  yes: "churned",
  y: "churned",
  true: "churned",
  "1": "churned",
  churn: "churned",
  cancelled: "churned",
  canceled: "churned",
  former: "churned",
  formercustomer: "churned",
  lost: "churned",
  no: "active",
  n: "active",
  false: "active",
  "0": "active",
  current: "active",
  customer: "active",
  currentcustomer: "active",
};

const YES_NO: Record<string, boolean> = {
  yes: true,
  y: true,
  true: true,
  "1": true,
  on: true,
  enabled: true,
  no: false,
  n: false,
  false: false,
  "0": false,
  off: false,
  disabled: false,
};

const CHURN_KIND_SYNONYMS: Record<string, ChurnKindName> = {
  partial: "downgrade",
  partialchurn: "downgrade",
  downgraded: "downgrade",
  contraction: "downgrade",
  fullchurn: "full",
  total: "full",
  churn: "full",
  cancellation: "full",
  cancelled: "full",
  canceled: "full",
};

// A CRM's free-text reason, read onto Pulse's reasons; anything else is "other" with the text.
const CHURN_REASON_SYNONYMS: Record<string, ChurnReasonKey> = {
  product: "product_gap",
  missingfeature: "product_gap",
  missingfeatures: "product_gap",
  featuregap: "product_gap",
  features: "product_gap",
  functionality: "product_gap",
  productfit: "product_gap",
  poorfit: "product_gap",
  notafit: "product_gap",
  lowusage: "low_adoption",
  nousage: "low_adoption",
  notusing: "low_adoption",
  notused: "low_adoption",
  unused: "low_adoption",
  adoption: "low_adoption",
  lackofadoption: "low_adoption",
  lackofusage: "low_adoption",
  champion: "champion_left",
  lostchampion: "champion_left",
  sponsorleft: "champion_left",
  keycontactleft: "champion_left",
  contactleft: "champion_left",
  championchange: "champion_left",
  budget: "budget_or_price",
  budgetcut: "budget_or_price",
  budgetcuts: "budget_or_price",
  nobudget: "budget_or_price",
  price: "budget_or_price",
  pricing: "budget_or_price",
  priceincrease: "budget_or_price",
  cost: "budget_or_price",
  costcutting: "budget_or_price",
  tooexpensive: "budget_or_price",
  competition: "competitor",
  competitors: "competitor",
  switchedtocompetitor: "competitor",
  wenttocompetitor: "competitor",
  losttocompetitor: "competitor",
  acquired: "acquired_or_closed",
  acquisition: "acquired_or_closed",
  merger: "acquired_or_closed",
  merged: "acquired_or_closed",
  outofbusiness: "acquired_or_closed",
  wentoutofbusiness: "acquired_or_closed",
  bankrupt: "acquired_or_closed",
  bankruptcy: "acquired_or_closed",
  businessclosed: "acquired_or_closed",
  companyclosed: "acquired_or_closed",
  service: "service_quality",
  support: "service_quality",
  poorsupport: "service_quality",
  badsupport: "service_quality",
  supportquality: "service_quality",
  customerservice: "service_quality",
  serviceorsupportquality: "service_quality",
  quality: "service_quality",
  bugs: "service_quality",
  reliability: "service_quality",
  onboarding: "failed_onboarding",
  failedimplementation: "failed_onboarding",
  poorimplementation: "failed_onboarding",
  implementation: "failed_onboarding",
  pooronboarding: "failed_onboarding",
};

/** A reason onto Pulse's list: a key, its label or a synonym; anything else is "other" with the text kept. */
export function readChurnReason(text: string): { primaryReason: ChurnReasonKey; reasonOther: string | null } {
  const key = normalizeKey(text);
  const direct = CHURN_REASONS.find((r) => normalizeKey(r) === key) ?? CHURN_REASON_SYNONYMS[key];
  if (direct && direct !== "other") return { primaryReason: direct, reasonOther: null };
  return { primaryReason: "other", reasonOther: key === "other" ? null : text.slice(0, 3000) };
}

export interface RowProblem {
  /** Header of the offending column (or the field name when the column is absent). */
  column: string;
  reason: string;
}

export interface ImportLookups {
  /** account.externalId -> account.id (this workspace's). */
  accountIdByExternalId: Map<string, number>;
  /** Lower-cased Slack user id or user name -> app_user.id, or "ambiguous". */
  ownerIdByKey: Map<string, number | "ambiguous">;
  /** contact.externalId -> { id, accountId }. */
  contactByExternalId: Map<string, { id: number; accountId: number }>;
  /** The import's day: churn and win-back days after it are refused. */
  today?: Date;
  /**
   * Plans: success_objective.externalId -> its account id. Objectives read earlier in the
   * same file are added as they are read, so a milestone may follow its objective.
   */
  objectiveAccountByExternalId?: Map<string, number>;
}

export interface AccountRow {
  externalId: string;
  /** undefined: the file has no name column (a new account is named by its external id). */
  name?: string;
  domain?: string | null;
  segment?: string | null;
  ownerId?: number | null;
  arr?: string;
  currency?: string;
  seats?: number | null;
  contractStart?: Date | null;
  renewalDate?: Date | null;
  stage?: LifecycleStage;
  status?: AccountStatusName;
  /** The churn day, for a churned account (a churn event is recorded for it). */
  churnedOn?: Date | null;
  plan?: string | null;
  billingTerm?: BillingTerm | null;
  autoRenew?: boolean | null;
  /** Trait name -> value; null removes the trait. */
  traits?: Record<string, TraitValue>;
}

export interface ChurnRow {
  accountId: number;
  churnedOn: Date;
  /** undefined: the file has no kind column (full for a new churn, unchanged otherwise). */
  kind?: ChurnKindName;
  /** Decimal string; undefined or null: the account's ARR for a full churn. */
  arrLost?: string | null;
  primaryReason?: ChurnReasonKey;
  reasonOther?: string | null;
  /** null: not won back (clears a win-back recorded before). */
  wonBackOn?: Date | null;
}

export interface ContactRow {
  externalId: string;
  accountId: number;
  name?: string | null;
  email?: string | null;
  title?: string | null;
  stakeholderType?: StakeholderType;
  leftAt?: Date | null;
}

export interface UsageRow {
  accountId: number;
  day: Date;
  activeUsers: number;
  logins?: number;
  seats?: number | null;
  modules?: Record<string, number>;
}

export interface TouchpointRow {
  externalId: string;
  accountId: number;
  kind: TouchpointKind;
  occurredAt: Date;
  sentiment?: Sentiment | null;
  notes?: string | null;
  stakeholderTypes?: StakeholderType[];
}

export interface SurveyRow {
  externalId: string;
  accountId: number;
  contactId?: number | null;
  kind: SurveyKind;
  score: number;
  respondedAt: Date;
  comment?: string | null;
  respondentName?: string | null;
}

export const OBJECTIVE_STATUSES = ["active", "achieved", "missed", "dropped"] as const;

export type PlanRow =
  | {
      type: "objective";
      externalId: string;
      accountId: number;
      title: string;
      metric?: string | null;
      unit?: string | null;
      baseline?: string | null;
      target?: string | null;
      current?: string | null;
      measuredOn?: Date | null;
      targetDate?: Date | null;
      status?: (typeof OBJECTIVE_STATUSES)[number];
      stakeholderTypes?: StakeholderType[];
      notes?: string | null;
    }
  | {
      type: "milestone";
      externalId: string;
      accountId: number;
      title: string;
      objectiveExternalId?: string | null;
      owner?: string | null;
      dueOn: Date;
      completedOn?: Date | null;
      stakeholderTypes?: StakeholderType[];
    };

export type ImportRowOf = {
  accounts: AccountRow;
  contacts: ContactRow;
  usage: UsageRow;
  touchpoints: TouchpointRow;
  surveys: SurveyRow;
  churns: ChurnRow;
  plans: PlanRow;
};

export type ParsedRow<K extends ImportKind> =
  | { ok: true; row: ImportRowOf[K]; notes?: RowProblem[] }
  | { ok: false; problems: RowProblem[] };

/** Reads cells by field, records problems against the right column header. */
class RowReader {
  readonly problems: RowProblem[] = [];
  /** What the row imports without, said in the report but not stopping the import. */
  readonly notes: RowProblem[] = [];
  constructor(
    private readonly mapping: HeaderMapping,
    private readonly record: string[],
  ) {}

  column(field: string): string {
    const index = this.mapping.columnOf[field];
    return index === undefined ? field : (this.mapping.headers[index] ?? field);
  }

  has(field: string): boolean {
    return this.mapping.columnOf[field] !== undefined;
  }

  /** undefined: no such column; "" : present but empty. */
  raw(field: string): string | undefined {
    const index = this.mapping.columnOf[field];
    if (index === undefined) return undefined;
    return (this.record[index] ?? "").trim();
  }

  problem(field: string, reason: string): undefined {
    this.problems.push({ column: this.column(field), reason });
    return undefined;
  }

  note(field: string, reason: string): void {
    this.notes.push({ column: this.column(field), reason });
  }

  required(field: string, maxLength = 255): string | undefined {
    const value = this.raw(field);
    if (!value) return this.problem(field, "is empty");
    if (value.length > maxLength) return this.problem(field, `is longer than ${maxLength} characters`);
    return value;
  }

  /** Optional text: undefined when absent, null when empty. */
  text(field: string, maxLength = 255): string | null | undefined {
    const value = this.raw(field);
    if (value === undefined) return undefined;
    if (value === "") return null;
    if (value.length > maxLength) return this.problem(field, `is longer than ${maxLength} characters`);
    return value;
  }

  /** Optional parsed value: undefined when absent or invalid, null when empty. */
  parsed<T>(field: string, parse: (text: string) => Parsed<T>): T | null | undefined {
    const value = this.raw(field);
    if (value === undefined) return undefined;
    if (value === "") return null;
    const result = parse(value);
    if (!result.ok) return this.problem(field, result.reason);
    return result.value;
  }

  /** Required parsed value. */
  parsedRequired<T>(field: string, parse: (text: string) => Parsed<T>): T | undefined {
    const value = this.raw(field);
    if (!value) return this.problem(field, "is empty");
    const result = parse(value);
    if (!result.ok) return this.problem(field, result.reason);
    return result.value;
  }

  /** The `--trait` columns' cells, by trait name. */
  traitCells(): { name: string; text: string }[] {
    return this.mapping.traits.map((t) => ({ name: t.name, text: (this.record[t.index] ?? "").trim() }));
  }

  traitProblem(name: string, reason: string): void {
    this.problems.push({ column: name, reason });
  }

  account(field: string, lookups: ImportLookups): number | undefined {
    const externalId = this.required(field);
    if (externalId === undefined) return undefined;
    const id = lookups.accountIdByExternalId.get(externalId);
    if (id === undefined)
      return this.problem(field, `unknown account id "${clip(externalId)}": import it with the accounts file first`);
    return id;
  }
}

function finish<K extends ImportKind>(reader: RowReader, build: () => ImportRowOf[K]): ParsedRow<K> {
  if (reader.problems.length) return { ok: false, problems: reader.problems };
  // Keys left undefined mean "column absent: leave the stored value alone".
  return { ok: true, row: build(), ...(reader.notes.length ? { notes: reader.notes } : {}) };
}

function parseAccountRow(r: RowReader, lookups: ImportLookups): ParsedRow<"accounts"> {
  const externalId = r.required("externalId");
  const name = r.has("name") ? r.required("name") : undefined;
  const domain = r.parsed("domain", parseDomain);
  const segment = r.text("segment", 100);
  const ownerText = r.raw("owner");
  let ownerId: number | null | undefined;
  if (ownerText === "") ownerId = null;
  else if (ownerText !== undefined) {
    const found = lookups.ownerIdByKey.get(ownerText.toLowerCase());
    // A CRM export names owners before they have ever used Pulse (issue 15: the example
    // file failed on "Dana Scully"): the account comes in unassigned, and the report says so.
    if (found === undefined)
      r.note(
        "owner",
        `no Pulse user is named "${clip(ownerText)}" yet, so the account is left without an owner: use their Slack user id (U…), or import again once they have used Pulse`,
      );
    else if (found === "ambiguous")
      r.problem("owner", `owner "${clip(ownerText)}" matches several Pulse users by name: use the Slack user id`);
    else ownerId = found;
  }
  const arrText = r.raw("arr");
  const arr = arrText ? (r.parsed("arr", (t) => parseMoney(t, "ARR")) ?? undefined) : undefined;
  const currencyText = r.raw("currency");
  const currency = currencyText ? (r.parsed("currency", parseCurrency) ?? undefined) : undefined;
  const seats = r.parsed("seats", (t) => parseWholeNumber(t, "seats", 0, 10_000_000));
  const contractStart = r.parsed("contractStart", parseDay);
  const renewalDate = r.parsed("renewalDate", parseDay);
  const stageText = r.raw("stage");
  const stage = stageText
    ? (r.parsed("stage", (t) => parseChoice(t, "stage", LIFECYCLE_STAGES)) ?? undefined)
    : undefined;
  const statusText = r.raw("status");
  const status = statusText
    ? (r.parsed("status", (t) => parseChoice(t, "status", ACCOUNT_STATUSES, STATUS_SYNONYMS)) ?? undefined)
    : undefined;
  const churnedOnValue = r.parsed("churnedOn", parseDay);
  // A churn day marks the account churned unless its status says it is active (won back).
  const churned = status === "churned" || (status === undefined && churnedOnValue instanceof Date);
  if (churnedOnValue instanceof Date && churnedOnValue.getTime() > today(lookups).getTime())
    r.problem("churnedOn", "is in the future");
  const plan = r.text("plan", 100);
  const billingTermText = r.raw("billingTerm");
  const billingTerm =
    billingTermText === ""
      ? null
      : billingTermText === undefined
        ? undefined
        : (r.parsed("billingTerm", (t) => parseChoice(t, "billing term", BILLING_TERMS, BILLING_TERM_SYNONYMS)) ??
          undefined);
  const autoRenew = r.parsed("autoRenew", parseYesNo);
  let traits: Record<string, TraitValue> | undefined;
  for (const cell of r.traitCells()) {
    const value = parseTraitValue(cell.text);
    if (!value.ok) r.traitProblem(cell.name, value.reason);
    else (traits ??= {})[cell.name] = value.value;
  }
  return finish(r, () => ({
    externalId: externalId!,
    name,
    domain,
    segment,
    ownerId,
    arr,
    currency,
    seats,
    contractStart,
    renewalDate,
    stage,
    status: churned ? "churned" : status,
    churnedOn: churned ? churnedOnValue : undefined,
    plan,
    billingTerm,
    autoRenew,
    traits,
  }));
}

function today(lookups: ImportLookups): Date {
  return lookups.today ?? new Date(8.64e15);
}

export function parseYesNo(text: string): Parsed<boolean> {
  const value = YES_NO[normalizeKey(text)];
  return value === undefined
    ? { ok: false, reason: `"${clip(text.trim())}" is not yes or no (also true/false, 1/0)` }
    : { ok: true, value };
}

export const MAX_TRAIT_TEXT = 100;

/**
 * A trait cell: a number when it reads as one ("1,200", "$49.90", "-3", "12 %"), else a
 * category (at most 100 characters); empty removes the trait.
 */
export function parseTraitValue(text: string): Parsed<TraitValue> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  const m = /^([-+])?\s*[$€£¥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(?:%|[A-Z]{3})?$/.exec(trimmed);
  if (m) {
    const n = Number(`${m[1] === "-" ? "-" : ""}${m[2]!.replace(/,/g, "")}${m[3] ?? ""}`);
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  if (trimmed.length > MAX_TRAIT_TEXT)
    return {
      ok: false,
      reason: `is longer than ${MAX_TRAIT_TEXT} characters (a trait is a number or a short category)`,
    };
  return { ok: true, value: trimmed };
}

function parseChurnRow(r: RowReader, lookups: ImportLookups): ParsedRow<"churns"> {
  const accountId = r.account("accountExternalId", lookups);
  const churnedOn = r.parsedRequired("churnedOn", parseDay);
  if (churnedOn && churnedOn.getTime() > today(lookups).getTime())
    r.problem("churnedOn", `${isoDayOf(churnedOn)} is in the future`);
  const kindText = r.raw("kind");
  const kind =
    kindText === undefined
      ? undefined
      : kindText === ""
        ? "full"
        : (r.parsed("kind", (t) => parseChoice(t, "churn kind (full or partial)", CHURN_KINDS, CHURN_KIND_SYNONYMS)) ??
          undefined);
  const arrLost = r.parsed("arrLost", (t) => parseMoney(t, "ARR lost"));
  if (kind === "downgrade" && !arrLost) r.problem("arrLost", "a partial churn (downgrade) needs the ARR it lost");
  const reasonText = r.raw("reason");
  const reason =
    reasonText === undefined
      ? undefined
      : reasonText === ""
        ? { primaryReason: "other" as const, reasonOther: null }
        : readChurnReason(reasonText);
  const wonBackOn = r.parsed("wonBackOn", parseDay);
  if (wonBackOn && churnedOn && wonBackOn.getTime() < churnedOn.getTime())
    r.problem("wonBackOn", "is before the churn date");
  else if (wonBackOn && wonBackOn.getTime() > today(lookups).getTime())
    r.problem("wonBackOn", `${isoDayOf(wonBackOn)} is in the future`);
  return finish(r, () => ({
    accountId: accountId!,
    churnedOn: churnedOn!,
    kind,
    arrLost,
    primaryReason: reason?.primaryReason,
    reasonOther: reason?.reasonOther,
    wonBackOn,
  }));
}

function isoDayOf(day: Date): string {
  return day.toISOString().slice(0, 10);
}

function parseContactRow(r: RowReader, lookups: ImportLookups): ParsedRow<"contacts"> {
  const externalId = r.required("externalId");
  const accountId = r.account("accountExternalId", lookups);
  const full = r.text("name");
  const first = r.text("firstName", 120);
  const last = r.text("lastName", 120);
  const composed = [first, last].filter(Boolean).join(" ");
  const name = full !== undefined ? full : first !== undefined || last !== undefined ? composed || null : undefined;
  const email = r.parsed("email", (t) =>
    /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t) && t.length <= 254
      ? { ok: true, value: t.toLowerCase() }
      : { ok: false, reason: `"${clip(t)}" is not an email address` },
  );
  const title = r.text("title");
  const stakeholderText = r.raw("stakeholderType");
  const stakeholderType =
    stakeholderText === undefined
      ? undefined
      : stakeholderText === ""
        ? "end_user"
        : (r.parsed("stakeholderType", (t) =>
            parseChoice(t, "stakeholder type", STAKEHOLDER_TYPES, STAKEHOLDER_SYNONYMS),
          ) ?? undefined);
  const leftAt = r.parsed("leftAt", parseDay);
  return finish(r, () => ({
    externalId: externalId!,
    accountId: accountId!,
    name,
    email,
    title,
    stakeholderType,
    leftAt,
  }));
}

/** "reports:12;dashboards:3", "reports=12|dashboards=3" or {"reports":12}. */
export function parseModules(text: string): Parsed<Record<string, number>> {
  const trimmed = text.trim();
  const entries: [string, unknown][] = [];
  if (trimmed.startsWith("{")) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
      entries.push(...Object.entries(value));
    } catch {
      return { ok: false, reason: `modules ${clip(trimmed)} is not a JSON object of module -> count` };
    }
  } else {
    for (const part of trimmed
      .split(/[;|]/)
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(.+?)\s*[:=]\s*(\S+)$/.exec(part);
      if (!m) return { ok: false, reason: `modules part "${clip(part)}" is not of the form module:count` };
      entries.push([m[1]!.trim(), Number(m[2])]);
    }
  }
  const modules: Record<string, number> = {};
  for (const [name, count] of entries) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
      return { ok: false, reason: `module "${clip(name)}" has a count that is not a whole number of 0 or more` };
    if (name.length > 100) return { ok: false, reason: `module name "${clip(name)}" is longer than 100 characters` };
    modules[name] = count;
  }
  return { ok: true, value: modules };
}

function parseUsageRow(r: RowReader, lookups: ImportLookups): ParsedRow<"usage"> {
  const accountId = r.account("accountExternalId", lookups);
  const day = r.parsedRequired("day", parseDay);
  const activeUsers = r.parsedRequired("activeUsers", (t) => parseWholeNumber(t, "active users", 0, 10_000_000));
  const loginsText = r.raw("logins");
  const logins =
    loginsText === undefined
      ? undefined
      : loginsText === ""
        ? 0
        : (r.parsed("logins", (t) => parseWholeNumber(t, "logins", 0, 100_000_000)) ?? undefined);
  const seats = r.parsed("seats", (t) => parseWholeNumber(t, "seats", 0, 10_000_000));
  const modulesText = r.raw("modules");
  const modules =
    modulesText === undefined ? undefined : modulesText === "" ? {} : (r.parsed("modules", parseModules) ?? undefined);
  return finish(r, () => ({ accountId: accountId!, day: day!, activeUsers: activeUsers!, logins, seats, modules }));
}

function parseTouchpointRow(r: RowReader, lookups: ImportLookups): ParsedRow<"touchpoints"> {
  const externalId = r.required("externalId");
  const accountId = r.account("accountExternalId", lookups);
  const kind = r.parsedRequired("kind", (t) =>
    parseChoice(t, "touchpoint kind", TOUCHPOINT_KINDS, TOUCHPOINT_SYNONYMS),
  );
  const occurredAt = r.parsedRequired("occurredAt", parseInstant);
  const sentiment = r.parsed("sentiment", (t) => parseChoice(t, "sentiment", SENTIMENTS));
  const notes = r.text("notes", 10_000);
  const typesText = r.raw("stakeholderTypes");
  let stakeholderTypes: StakeholderType[] | undefined;
  if (typesText !== undefined) {
    const parsed = typesText
      .split(/[;,|]/)
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => parseChoice(t, "stakeholder type", STAKEHOLDER_TYPES, STAKEHOLDER_SYNONYMS));
    const bad = parsed.find((p) => !p.ok);
    if (bad && !bad.ok) r.problem("stakeholderTypes", bad.reason);
    else stakeholderTypes = [...new Set(parsed.map((p) => (p.ok ? p.value : "end_user")))];
  }
  return finish(r, () => ({
    externalId: externalId!,
    accountId: accountId!,
    kind: kind!,
    occurredAt: occurredAt!,
    sentiment,
    notes,
    stakeholderTypes,
  }));
}

function parseSurveyRow(r: RowReader, lookups: ImportLookups): ParsedRow<"surveys"> {
  const externalId = r.required("externalId");
  const accountId = r.account("accountExternalId", lookups);
  const kindText = r.raw("kind");
  const kind = kindText ? r.parsed("kind", (t) => parseChoice(t, "survey kind", SURVEY_KINDS)) : "nps";
  const scoreText = r.raw("score");
  let score: number | undefined;
  if (!scoreText) r.problem("score", "is empty");
  else if (kind) {
    const scale = SURVEY_SCALES[kind];
    const parsed = parseWholeNumber(scoreText, `${scale.label} score`, scale.min, scale.max);
    if (parsed.ok) score = parsed.value;
    else r.problem("score", parsed.reason);
  }
  const respondedAt = r.parsedRequired("respondedAt", parseInstant);
  const contactText = r.raw("contactExternalId");
  let contactId: number | null | undefined;
  if (contactText === "") contactId = null;
  else if (contactText !== undefined) {
    const contact = lookups.contactByExternalId.get(contactText);
    if (!contact)
      r.problem(
        "contactExternalId",
        `unknown contact id "${clip(contactText)}": import it with the contacts file first`,
      );
    else if (accountId !== undefined && contact.accountId !== accountId)
      r.problem("contactExternalId", `contact "${clip(contactText)}" belongs to another account`);
    else contactId = contact.id;
  }
  const comment = r.text("comment", 10_000);
  const respondentName = r.text("respondentName");
  return finish(r, () => ({
    externalId: externalId!,
    accountId: accountId!,
    contactId,
    kind: kind!,
    score: score!,
    respondedAt: respondedAt!,
    comment,
    respondentName,
  }));
}

/** A measure: a plain decimal, possibly negative, at most 2 decimals (numeric(14,2)). */
function parseMeasure(text: string): Parsed<string> {
  const t = text.trim().replace(/,/g, "");
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(t))
    return { ok: false, reason: `"${clip(text.trim())}" is not a number such as 3 or 1.5` };
  return { ok: true, value: t };
}

function parseStakeholderList(r: RowReader): StakeholderType[] | undefined {
  const text = r.raw("stakeholderTypes");
  if (text === undefined) return undefined;
  const parsed = text
    .split(/[;,|]/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => parseChoice(t, "stakeholder type", STAKEHOLDER_TYPES, STAKEHOLDER_SYNONYMS));
  const bad = parsed.find((p) => !p.ok);
  if (bad && !bad.ok) {
    r.problem("stakeholderTypes", bad.reason);
    return undefined;
  }
  return [...new Set(parsed.map((p) => (p.ok ? p.value : "end_user")))];
}

function parsePlanRow(r: RowReader, lookups: ImportLookups): ParsedRow<"plans"> {
  const type = r.parsedRequired("type", (t) =>
    parseChoice(t, "plan row type", ["objective", "milestone"] as const, { goal: "objective", step: "milestone" }),
  );
  const externalId = r.required("externalId");
  const accountId = r.account("accountExternalId", lookups);
  const title = r.required("title", 200);
  const stakeholderTypes = parseStakeholderList(r);
  const objectives = (lookups.objectiveAccountByExternalId ??= new Map());
  if (type === "objective") {
    const metric = r.text("metric", 120);
    const target = r.parsed("target", parseMeasure);
    if (target && !metric && !r.problems.some((p) => p.column === r.column("metric")))
      r.problem("metric", "is empty: say what the target measures");
    const statusText = r.raw("status");
    const row = {
      type: "objective" as const,
      metric,
      unit: r.text("unit", 30),
      baseline: r.parsed("baseline", parseMeasure),
      target,
      current: r.parsed("current", parseMeasure),
      measuredOn: r.parsed("measuredOn", parseDay),
      targetDate: r.parsed("targetDate", parseDay),
      status: statusText
        ? (r.parsed("status", (t) => parseChoice(t, "objective status", OBJECTIVE_STATUSES)) ?? undefined)
        : statusText === ""
          ? ("active" as const)
          : undefined,
      notes: r.text("notes", 2000),
    };
    const parsed = finish<"plans">(r, () => ({
      ...row,
      externalId: externalId!,
      accountId: accountId!,
      title: title!,
      stakeholderTypes,
    }));
    if (parsed.ok) objectives.set(externalId!, accountId!);
    return parsed;
  }
  const dueOn = type === "milestone" ? r.parsedRequired("dueOn", parseDay) : undefined;
  const objectiveText = r.raw("objectiveExternalId");
  let objectiveExternalId: string | null | undefined = objectiveText === "" ? null : objectiveText;
  if (objectiveText) {
    const owner = objectives.get(objectiveText);
    if (owner === undefined)
      r.problem(
        "objectiveExternalId",
        `unknown objective id "${clip(objectiveText)}": give the objective on an earlier line or import it first`,
      );
    else if (accountId !== undefined && owner !== accountId)
      r.problem("objectiveExternalId", `objective "${clip(objectiveText)}" belongs to another account`);
    objectiveExternalId = objectiveText;
  }
  const owner = r.text("owner", 120);
  const completedOn = r.parsed("completedOn", parseDay);
  return finish<"plans">(r, () => ({
    type: "milestone",
    externalId: externalId!,
    accountId: accountId!,
    title: title!,
    objectiveExternalId,
    owner,
    dueOn: dueOn!,
    completedOn,
    stakeholderTypes,
  }));
}

const PARSERS: { [K in ImportKind]: (r: RowReader, lookups: ImportLookups) => ParsedRow<K> } = {
  accounts: parseAccountRow,
  contacts: parseContactRow,
  usage: parseUsageRow,
  touchpoints: parseTouchpointRow,
  surveys: parseSurveyRow,
  churns: parseChurnRow,
  plans: parsePlanRow,
};

export function parseImportRow<K extends ImportKind>(
  kind: K,
  mapping: HeaderMapping,
  record: string[],
  lookups: ImportLookups,
): ParsedRow<K> {
  if (
    record.length !== mapping.headers.length &&
    !(record.length < mapping.headers.length && record.every((c) => c === ""))
  ) {
    return {
      ok: false,
      problems: [
        { column: "(row)", reason: `has ${record.length} fields but the header has ${mapping.headers.length}` },
      ],
    };
  }
  // PostgreSQL text cannot hold U+0000; caught here it is this row's error, not the file's.
  const withNul = record.findIndex((cell) => cell.includes("\u0000"));
  if (withNul >= 0)
    return {
      ok: false,
      problems: [
        {
          column: mapping.headers[withNul] ?? "(row)",
          reason: "contains a NUL character (\\u0000), which cannot be stored",
        },
      ],
    };
  return PARSERS[kind](new RowReader(mapping, record), lookups);
}

/** The key owners are looked up by: lower-cased Slack user id or name. */
export function ownerLookupKeys(user: { slackUserId: string; name: string | null }): string[] {
  return [user.slackUserId.toLowerCase(), ...(user.name ? [user.name.trim().toLowerCase()] : [])];
}

export function buildOwnerLookup(
  users: { id: number; slackUserId: string; name: string | null }[],
): Map<string, number | "ambiguous"> {
  const map = new Map<string, number | "ambiguous">();
  // Slack ids first: they are unique and must win over a name that happens to equal one.
  for (const u of users) map.set(u.slackUserId.toLowerCase(), u.id);
  for (const u of users) {
    if (!u.name) continue;
    const key = u.name.trim().toLowerCase();
    const existing = map.get(key);
    if (existing === undefined) map.set(key, u.id);
    else if (existing !== u.id && !users.some((x) => x.slackUserId.toLowerCase() === key)) map.set(key, "ambiguous");
  }
  return map;
}

export { normalizeKey };
