// Imports one CSV file of accounts, contacts, usage, touchpoints, surveys or churns into a
// workspace, streaming: rows are parsed, validated and written in batches, so memory stays
// flat whatever the file's size.
//
// The whole file runs in one transaction. That is what makes "a file with errors imports
// nothing" possible without reading it twice, and what makes a dry run exact: it runs the
// same writes, counts what they did, then rolls back. Once a row is invalid (and invalid
// rows are not to be skipped) writing stops, but reading goes on to report every error.
//
// Accounts and churns go through Prisma (few rows, with history to write). The other kinds, which run
// to millions of rows, use a connection of their own through the pg driver: measured, a
// batch sent through Prisma's raw-query path cost several times its size in short-lived
// memory and a third more time.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse, type CsvError } from "csv-parse";
import { from as copyFrom } from "pg-copy-streams";
import { dedicatedClient } from "../db/dedicated-client.js";
import type { AppContext } from "../app-context.js";
import { bulkUpsert, dayText, type BulkColumn, type SqlQuery } from "../db/bulk-upsert.js";
import type { DbTx } from "../db/client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { DAY_MS, displayDay, isoDay, startOfUtcDay } from "../domain/dates.js";
import {
  mapHeaders,
  traitColumnProblems,
  type HeaderMapping,
  type ImportKind,
} from "../domain/ingest/header-mapping.js";
import { MAX_REPORTED_ERRORS, type ImportReport, type ImportRowError } from "../domain/ingest/import-report.js";
import {
  buildOwnerLookup,
  parseImportRow,
  type AccountRow,
  type ChurnRow,
  type ContactRow,
  type ImportLookups,
  type ImportRowOf,
  type PlanRow,
  type SurveyRow,
  type TouchpointRow,
  type UsageRow,
} from "../domain/ingest/import-rows.js";
import { spreadUsageRow, type UsagePeriod } from "../domain/ingest/usage-periods.js";
import { AppError } from "../errors.js";
import { recordChurns } from "./record-churns.js";
import { upsertAccounts } from "./upsert-accounts.js";
import { upsertPlanRows } from "./success-plan-import.js";

export interface ImportProgress {
  rows: number;
  bytes: number;
}

export interface ImportCsvOptions {
  workspaceId: number;
  kind: ImportKind;
  input: Readable;
  /** Column header -> field, overriding the automatic header mapping. */
  mapping?: Record<string, string>;
  dryRun?: boolean;
  skipInvalid?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Who asked (Slack user id), for the audit log. */
  actorSlackId?: string;
  /** Recorded in the audit log (never read). */
  fileName?: string;
  /** Accounts: columns stored as named traits (`--trait "Payment Method"`), by header. */
  traits?: string[];
  /** Usage: what one row covers; week and month rows are spread over their days. Default day. */
  period?: UsagePeriod;
}

/** The call itself is wrong (a --trait the file lacks, a flag the kind does not take): nothing was read. */
export class ImportUsageError extends AppError {
  constructor(message: string) {
    super("INVALID_INPUT", message);
    this.name = "ImportUsageError";
  }
}

type ImportContext = Pick<AppContext, "db" | "clock" | "logger" | "databaseUrl">;

const BATCH_SIZE: Record<ImportKind, number> = {
  accounts: 1_000,
  contacts: 5_000,
  usage: 5_000,
  touchpoints: 5_000,
  surveys: 5_000,
  churns: 1_000,
  plans: 1_000,
};
const IMPORT_TIMEOUT_MS = 2 * 60 * 60 * 1000;

class RollBack extends Error {
  constructor() {
    super("import rolled back");
  }
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  /** Accounts marked churned without a churn day (accounts imports). */
  churnedWithoutDate?: number;
  /** Churn events written from churned account rows (accounts imports). */
  churnsRecorded?: number;
}

/** What one import transaction can do, whichever driver carries it. */
interface ImportSession {
  loadLookups(): Promise<ImportLookups>;
  write(rows: ImportRowOf[ImportKind][]): Promise<Counts>;
  /** The driver queues statements in order, so a write may be issued before the previous one ends. */
  queuesWrites: boolean;
  audit(action: string, details: Record<string, unknown>): Promise<void>;
}

function emptyLookups(): ImportLookups {
  return { accountIdByExternalId: new Map(), ownerIdByKey: new Map(), contactByExternalId: new Map() };
}

function prismaSession(
  tx: DbTx,
  kind: "accounts" | "churns",
  workspaceId: number,
  now: Date,
  actorSlackId: string | null,
): ImportSession {
  return {
    async loadLookups() {
      if (kind === "churns") {
        const accounts = await tx.account.findMany({
          where: { workspaceId, externalId: { not: null } },
          select: { id: true, externalId: true },
        });
        return { ...emptyLookups(), accountIdByExternalId: new Map(accounts.map((a) => [a.externalId!, a.id])) };
      }
      const users = await tx.user.findMany({
        where: { workspaceId },
        select: { id: true, slackUserId: true, name: true },
      });
      return { ...emptyLookups(), ownerIdByKey: buildOwnerLookup(users) };
    },
    queuesWrites: false,
    async write(rows) {
      if (kind === "churns") return recordChurns(tx, { workspaceId, rows: rows as ChurnRow[], now, source: "import" });
      const r = await upsertAccounts(tx, { workspaceId, rows: rows as AccountRow[], now, source: "import" });
      return {
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        churnedWithoutDate: r.churnedWithoutDate,
        churnsRecorded: r.churns.created + r.churns.updated,
      };
    },
    async audit(action, details) {
      await tx.auditLog.create({
        data: { workspaceId, actorSlackId, action, entityType: kind, details: details as Prisma.InputJsonValue },
      });
    },
  };
}

/** Success plans are few rows with references between them: through Prisma, like accounts. */
function planSession(tx: DbTx, workspaceId: number, actorSlackId: string | null): ImportSession {
  return {
    async loadLookups() {
      const [accounts, objectives] = await Promise.all([
        tx.account.findMany({
          where: { workspaceId, externalId: { not: null } },
          select: { id: true, externalId: true },
        }),
        tx.successObjective.findMany({
          where: { workspaceId, externalId: { not: null } },
          select: { accountId: true, externalId: true },
        }),
      ]);
      return {
        ...emptyLookups(),
        accountIdByExternalId: new Map(accounts.map((a) => [a.externalId!, a.id])),
        objectiveAccountByExternalId: new Map(objectives.map((o) => [o.externalId!, o.accountId])),
      };
    },
    queuesWrites: false,
    write: (rows) => upsertPlanRows(tx, workspaceId, rows as PlanRow[]),
    async audit(action, details) {
      await tx.auditLog.create({
        data: { workspaceId, actorSlackId, action, entityType: "plans", details: details as Prisma.InputJsonValue },
      });
    },
  };
}

/** Streams COPY text into a table on the transaction's connection; answers the rows copied. */
type CopyIn = (sql: string, text: string) => Promise<number>;

function sqlSession(
  query: SqlQuery,
  copyIn: CopyIn,
  kind: SqlKind,
  workspaceId: number,
  now: Date,
  actorSlackId: string | null,
): ImportSession {
  let usageSpans: UsageSpans = new Map();
  return {
    async loadLookups() {
      const lookups = emptyLookups();
      const accounts = await query<{ id: number; externalId: string }>(
        `SELECT id, "externalId" FROM account WHERE "workspaceId" = $1 AND "externalId" IS NOT NULL`,
        [workspaceId],
      );
      for (const a of accounts) lookups.accountIdByExternalId.set(a.externalId, a.id);
      if (kind === "surveys") {
        const contacts = await query<{ id: number; externalId: string; accountId: number }>(
          `SELECT id, "externalId", "accountId" FROM contact WHERE "workspaceId" = $1 AND "externalId" IS NOT NULL`,
          [workspaceId],
        );
        for (const c of contacts) lookups.contactByExternalId.set(c.externalId, { id: c.id, accountId: c.accountId });
      }
      if (kind === "usage") usageSpans = await loadUsageSpans(query, workspaceId);
      return lookups;
    },
    // pg's client sends queued queries one after another on its connection.
    queuesWrites: true,
    write: (rows) =>
      kind === "usage"
        ? writeUsageBatch(query, copyIn, usageSpans, workspaceId, rows as UsageRow[], now)
        : writeBatch(query, kind, workspaceId, rows, now),
    async audit(action, details) {
      await query(
        `INSERT INTO audit_log ("workspaceId", "actorSlackId", action, "entityType", details) VALUES ($1, $2, $3, $4, $5::jsonb)`,
        [workspaceId, actorSlackId, action, kind, JSON.stringify(details)],
      );
    },
  };
}

type SqlKind = Exclude<ImportKind, "accounts" | "churns" | "plans">;

/** Runs `fn` in one transaction: Prisma's for accounts and churns, a dedicated pg connection otherwise. */
async function inImportTransaction<T>(
  ctx: ImportContext,
  options: ImportCsvOptions,
  now: Date,
  fn: (session: ImportSession) => Promise<T>,
): Promise<T> {
  const actor = options.actorSlackId ?? null;
  const kind = options.kind;
  if (kind === "accounts" || kind === "churns") {
    return ctx.db.$transaction((tx) => fn(prismaSession(tx, kind, options.workspaceId, now, actor)), {
      timeout: IMPORT_TIMEOUT_MS,
      maxWait: 10_000,
    });
  }
  if (kind === "plans") {
    return ctx.db.$transaction((tx) => fn(planSession(tx, options.workspaceId, actor)), {
      timeout: IMPORT_TIMEOUT_MS,
      maxWait: 10_000,
    });
  }
  const client = dedicatedClient({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const query: SqlQuery = async <R>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as R[];
    const copyIn: CopyIn = async (sql, text) => {
      const stream = client.query(copyFrom(sql));
      await pipeline(Readable.from([text]), stream);
      return stream.rowCount;
    };
    await client.query("BEGIN");
    try {
      const value = await fn(sqlSession(query, copyIn, kind, options.workspaceId, now, actor));
      await client.query("COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Columns present in a batch: keys some row defines (undefined means the file has no such column). */
function presentKeys(rows: object[]): Set<string> {
  const keys = new Set<string>();
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return keys;
  for (const key of Object.keys(first))
    if (rows.some((r) => (r as Record<string, unknown>)[key] !== undefined)) keys.add(key);
  return keys;
}

function column<T>(
  rows: T[],
  keys: Set<string>,
  key: keyof T & string,
  spec: Omit<BulkColumn, "name" | "values">,
  name: string = key,
): BulkColumn[] {
  if (!keys.has(key)) return [];
  return [{ name, ...spec, values: rows.map((r) => r[key] ?? null) }];
}

const importSource = { value: "import", type: "text", cast: `{}::"DataSource"` } as const;

/** Each account's first and last day of stored usage, as days since the epoch. */
type UsageSpans = Map<number, { first: number; last: number }>;

async function loadUsageSpans(query: SqlQuery, workspaceId: number): Promise<UsageSpans> {
  // Two probes of the primary key per account: the workspace's usage rows are not read.
  const rows = await query<{ id: number; first: string | null; last: string | null }>(
    `SELECT a.id,
            (SELECT min(u.day) FROM usage_daily u WHERE u."workspaceId" = $1 AND u."accountId" = a.id)::text AS first,
            (SELECT max(u.day) FROM usage_daily u WHERE u."workspaceId" = $1 AND u."accountId" = a.id)::text AS last
       FROM account a WHERE a."workspaceId" = $1`,
    [workspaceId],
  );
  const spans: UsageSpans = new Map();
  const epochDay = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
  for (const r of rows) if (r.first && r.last) spans.set(r.id, { first: epochDay(r.first), last: epochDay(r.last) });
  return spans;
}

/** A value in COPY's text format: `\N` for null, backslashes doubled (JSON escapes the rest). */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return dayText(value);
  if (typeof value === "object") return JSON.stringify(value).replaceAll("\\", "\\\\");
  return String(value);
}

const USAGE_COLUMNS = ["accountId", "day", "activeUsers", "logins", "seats", "modules"] as const;

/**
 * A usage row for a day outside its account's stored span cannot meet a stored row, so it
 * goes in by COPY, PostgreSQL's bulk-load path; the others are upserted. Loading an
 * account's history, the usual large import, is thus all COPY. Should live ingestion write
 * one of those account-days while the import runs, the copy fails on the primary key and
 * the import rolls back whole, saying so; run again, the day is inside the span and upserted.
 */
async function writeUsageBatch(
  query: SqlQuery,
  copyIn: CopyIn,
  spans: UsageSpans,
  workspaceId: number,
  rows: UsageRow[],
  now: Date,
): Promise<Counts> {
  const fresh: UsageRow[] = [];
  const stored: UsageRow[] = [];
  for (const r of rows) {
    const span = spans.get(r.accountId);
    const day = r.day.getTime() / DAY_MS;
    (span && day >= span.first && day <= span.last ? stored : fresh).push(r);
  }
  // Both are sent at once; the connection runs them in order.
  const [copied, upserted] = await Promise.all([
    copyUsage(copyIn, workspaceId, fresh),
    stored.length ? writeBatch(query, "usage", workspaceId, stored, now) : undefined,
  ]);
  return {
    created: copied + (upserted?.created ?? 0),
    updated: upserted?.updated ?? 0,
    unchanged: upserted?.unchanged ?? 0,
  };
}

async function copyUsage(copyIn: CopyIn, workspaceId: number, rows: UsageRow[]): Promise<number> {
  if (!rows.length) return 0;
  const keys = presentKeys(rows);
  const columns = USAGE_COLUMNS.filter((c) => keys.has(c));
  let text = "";
  for (const r of rows) {
    text += `${workspaceId}\timport`;
    for (const c of columns) text += `\t${copyField(r[c])}`;
    text += "\n";
  }
  try {
    return await copyIn(
      `COPY usage_daily ("workspaceId", source, ${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`,
      text,
    );
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    const message =
      "Usage for some of this file's accounts and days was written while the import ran, so nothing was imported. Run the import again: it will update those days.";
    throw new AppError("CONFLICT", message, message, { cause: error });
  }
}

async function writeBatch(
  query: SqlQuery,
  kind: SqlKind,
  workspaceId: number,
  rows: ImportRowOf[ImportKind][],
  now: Date,
): Promise<Counts> {
  const ws = { workspaceId: { value: workspaceId, type: "int4" as const } };
  const withUnchanged = (r: { created: number; updated: number }): Counts => ({
    ...r,
    unchanged: rows.length - r.created - r.updated,
  });
  switch (kind) {
    case "contacts": {
      const cs = rows as ContactRow[];
      const keys = presentKeys(cs);
      return withUnchanged(
        await bulkUpsert(query, {
          table: "contact",
          constants: {
            ...ws,
            createdAt: { value: now, type: "timestamptz" },
            updatedAt: { value: now, type: "timestamptz" },
          },
          columns: [
            ...column(cs, keys, "externalId", { type: "text" }),
            ...column(cs, keys, "accountId", { type: "int4" }),
            ...column(cs, keys, "name", { type: "text" }),
            ...column(cs, keys, "email", { type: "text" }),
            ...column(cs, keys, "title", { type: "text" }),
            ...column(cs, keys, "stakeholderType", { type: "text", cast: `{}::"StakeholderType"` }),
            ...column(cs, keys, "leftAt", { type: "date" }),
          ],
          conflict: ["workspaceId", "externalId"],
          touch: [`"updatedAt" = now()`],
        }),
      );
    }
    case "usage": {
      const us = rows as UsageRow[];
      const keys = presentKeys(us);
      return withUnchanged(
        await bulkUpsert(query, {
          table: "usage_daily",
          constants: { ...ws, source: importSource },
          columns: [
            ...column(us, keys, "accountId", { type: "int4" }),
            ...column(us, keys, "day", { type: "date" }),
            ...column(us, keys, "activeUsers", { type: "int4" }),
            ...column(us, keys, "logins", { type: "int4" }),
            ...column(us, keys, "seats", { type: "int4" }),
            ...column(us, keys, "modules", { type: "jsonb" }),
          ],
          conflict: ["workspaceId", "accountId", "day"],
          touch: [`"updatedAt" = now()`],
        }),
      );
    }
    case "touchpoints": {
      const ts = rows as TouchpointRow[];
      const keys = presentKeys(ts);
      const types = {
        name: "stakeholderTypes",
        type: "text" as const,
        cast: `string_to_array({}, ',')::"StakeholderType"[]`,
      };
      return withUnchanged(
        await bulkUpsert(query, {
          table: "touchpoint",
          constants: { ...ws, source: importSource },
          columns: [
            ...column(ts, keys, "externalId", { type: "text" }),
            ...column(ts, keys, "accountId", { type: "int4" }),
            ...column(ts, keys, "kind", { type: "text", cast: `{}::"TouchpointKind"` }),
            ...column(ts, keys, "occurredAt", { type: "timestamptz" }),
            ...column(ts, keys, "sentiment", { type: "text", cast: `{}::"Sentiment"` }),
            ...column(ts, keys, "notes", { type: "text" }),
            // Always written for new rows (empty when the file has no such column), updated only when the file has it.
            {
              ...types,
              values: ts.map((t) => (t.stakeholderTypes ?? []).join(",")),
              update: keys.has("stakeholderTypes"),
            },
          ],
          conflict: ["workspaceId", "externalId"],
        }),
      );
    }
    case "surveys": {
      const ss = rows as SurveyRow[];
      const keys = presentKeys(ss);
      return withUnchanged(
        await bulkUpsert(query, {
          table: "survey_response",
          constants: { ...ws, source: importSource },
          columns: [
            ...column(ss, keys, "externalId", { type: "text" }),
            ...column(ss, keys, "accountId", { type: "int4" }),
            ...column(ss, keys, "contactId", { type: "int4" }),
            ...column(ss, keys, "kind", { type: "text", cast: `{}::"SurveyKind"` }),
            ...column(ss, keys, "score", { type: "int4" }),
            ...column(ss, keys, "respondedAt", { type: "timestamptz" }),
            ...column(ss, keys, "comment", { type: "text" }),
            ...column(ss, keys, "respondentName", { type: "text" }),
          ],
          conflict: ["workspaceId", "externalId"],
        }),
      );
    }
  }
}

/**
 * Remembers the key each row must hold alone: the external id, or (account, day) for
 * usage. Usage days are kept as small integers per account: a million of them stay a few
 * megabytes, where a million strings or large numbers would not.
 */
class SeenKeys {
  private readonly ids = new Set<string>();
  private readonly daysByAccount = new Map<number, Set<number>>();

  addIfNew(kind: ImportKind, row: ImportRowOf[ImportKind]): boolean {
    if (kind === "churns") {
      const c = row as ChurnRow;
      const key = `${c.accountId}|${isoDay(c.churnedOn)}`;
      if (this.ids.has(key)) return false;
      this.ids.add(key);
      return true;
    }
    if (kind !== "usage") {
      const id = (row as { externalId: string }).externalId;
      if (this.ids.has(id)) return false;
      this.ids.add(id);
      return true;
    }
    const u = row as UsageRow;
    let days = this.daysByAccount.get(u.accountId);
    if (!days) this.daysByAccount.set(u.accountId, (days = new Set()));
    const day = Math.round(u.day.getTime() / DAY_MS);
    if (days.has(day)) return false;
    days.add(day);
    return true;
  }
}

/** An empty line (the parser hands it over as one empty field). */
const isBlank = (record: string[]) => record.length === 1 && record[0] === "";

/**
 * The line of the file each record ends on: one line per record, plus the line breaks
 * inside its quoted fields (CRLF counted once).
 */
class LineCounter {
  private line = 0;

  next(record: string[]): number {
    this.line++;
    for (const field of record) {
      if (field.indexOf("\n") === -1 && field.indexOf("\r") === -1) continue;
      for (let i = 0; i < field.length; i++) {
        const c = field.charCodeAt(i);
        if (c === 10 || (c === 13 && field.charCodeAt(i + 1) !== 10)) this.line++;
      }
    }
    return this.line;
  }
}

function describeMappingProblems(problems: string[], headers: string[]): string {
  return `The file's columns do not fit: ${problems.join("; ")}. Columns found: ${headers.join(", ") || "(none)"}.`;
}

const DUPLICATE_REASON: Record<ImportKind, string> = {
  accounts: "the same external id appears on an earlier line",
  contacts: "the same external id appears on an earlier line",
  touchpoints: "the same external id appears on an earlier line",
  surveys: "the same external id appears on an earlier line",
  usage: "the same account and day appear on an earlier line",
  churns: "the same account and churn date appear on an earlier line",
  plans: "the same external id appears on an earlier line",
};

const DUPLICATE_FIELD: Record<ImportKind, string> = {
  accounts: "externalId",
  contacts: "externalId",
  touchpoints: "externalId",
  surveys: "externalId",
  usage: "day",
  churns: "churnedOn",
  plans: "externalId",
};

export async function importCsv(ctx: ImportContext, options: ImportCsvOptions): Promise<ImportReport> {
  const startedAt = Date.now();
  const { workspaceId, kind } = options;
  const traitColumns = options.traits ?? [];
  const period = options.period ?? "day";
  if (traitColumns.length && kind !== "accounts") throw new ImportUsageError("--trait is for accounts imports only");
  if (period !== "day" && kind !== "usage") throw new ImportUsageError("--period is for usage imports only");
  const parser = options.input.pipe(
    // Lines are counted here (LineCounter), not by the parser: its per-record `info` is an
    // object copied for every row, a sixth of Node's CPU in a million-row import.
    parse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: 1_000_000 }),
  );
  // A read error on the input (file vanished, socket dropped) must end the parse too.
  options.input.once("error", (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const lines = new LineCounter();

  const csvError = (error: unknown): never => {
    const e = error as CsvError & { lines?: number };
    if (typeof e?.code === "string" && e.code.startsWith("CSV_")) {
      throw new AppError(
        "INVALID_INPUT",
        `The file is not valid CSV: ${e.message}`,
        `The file is not valid CSV: ${e.message}`,
        { cause: error },
      );
    }
    throw error;
  };

  let first = await records.next().catch(csvError);
  while (!first.done && isBlank(first.value)) {
    lines.next(first.value);
    first = await records.next().catch(csvError);
  }
  if (first.done) throw new AppError("INVALID_INPUT", "The file is empty: expected a header row and data rows.");
  lines.next(first.value);
  const headers = first.value.map((h) => h.trim());
  const traitProblems = traitColumnProblems(headers, traitColumns);
  if (traitProblems.length) {
    parser.destroy();
    throw new ImportUsageError(traitProblems.join("; "));
  }
  const mapped = mapHeaders(kind, headers, options.mapping, traitColumns);
  if (!mapped.ok) {
    parser.destroy();
    throw new AppError("INVALID_INPUT", describeMappingProblems(mapped.problems, headers));
  }
  const mapping: HeaderMapping = mapped.mapping;

  const report: ImportReport = {
    kind,
    dryRun: Boolean(options.dryRun),
    skipInvalid: Boolean(options.skipInvalid),
    committed: false,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    invalidRows: 0,
    errors: [],
    errorCount: 0,
    notes: [],
    noteCount: 0,
    mapping: Object.fromEntries(Object.entries(mapping.columnOf).map(([field, index]) => [field, headers[index]!])),
    ignoredColumns: mapping.ignored,
    traits: mapping.traits.map((t) => t.name),
    ...(kind === "usage" ? { period } : {}),
    churnedWithoutDate: 0,
    churnsRecorded: 0,
    durationMs: 0,
  };
  const now = ctx.clock();

  const recordError = (error: ImportRowError) => {
    report.errorCount++;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error);
  };
  const recordNote = (note: ImportRowError) => {
    report.noteCount!++;
    if (report.notes!.length < MAX_REPORTED_ERRORS) report.notes!.push(note);
  };

  try {
    await inImportTransaction(ctx, options, now, async (session) => {
      const lookups = { ...(await session.loadLookups()), today: startOfUtcDay(now) };
      const seen = new SeenKeys();
      let batch: ImportRowOf[ImportKind][] = [];
      let writing = true;
      // One batch is written while the next is parsed: Node and PostgreSQL each keep a
      // core busy. Writes stay in order, one at a time, on the transaction's connection.
      let pending: Promise<void> = Promise.resolve();
      const flush = async () => {
        const rows = batch;
        batch = [];
        if (writing && rows.length) {
          const start = () =>
            session.write(rows).then((counts) => {
              report.created += counts.created;
              report.updated += counts.updated;
              report.unchanged += counts.unchanged;
              report.churnedWithoutDate += counts.churnedWithoutDate ?? 0;
              report.churnsRecorded += counts.churnsRecorded ?? 0;
            });
          let next: Promise<void>;
          if (session.queuesWrites) {
            // Built and queued now, sent the moment the previous batch is done.
            next = start();
            next.catch(() => undefined);
            await pending;
          } else {
            await pending;
            next = start();
            // Handled when awaited at the next flush; this only stops an "unhandled rejection" in between.
            next.catch(() => undefined);
          }
          pending = next;
        } else {
          await pending;
        }
        options.onProgress?.({ rows: report.rows, bytes: parser.info.bytes });
      };

      for (;;) {
        const next = await records.next().catch(csvError);
        if (next.done) break;
        const record = next.value;
        const line = lines.next(record);
        if (isBlank(record)) continue;
        report.rows++;
        const parsed = parseImportRow(kind, mapping, record, lookups);
        if (!parsed.ok) {
          report.invalidRows++;
          for (const p of parsed.problems) recordError({ line, ...p });
        } else {
          for (const note of parsed.notes ?? []) recordNote({ line, ...note });
          // A week or month row is its period's days; the period's first day is its key.
          const rows =
            kind === "usage" && period !== "day"
              ? spreadUsageRow(parsed.row as UsageRow, period, lookups.today)
              : [parsed.row];
          const column = mapping.headers[mapping.columnOf[DUPLICATE_FIELD[kind]]!]!;
          if (kind === "usage" && period !== "day" && rows.length === 0) {
            report.invalidRows++;
            recordError({ line, column, reason: `the ${period} starts after today (${displayDay(lookups.today)})` });
          } else if (!seen.addIfNew(kind, rows[0]!)) {
            report.invalidRows++;
            recordError({
              line,
              column,
              reason:
                period === "day" ? DUPLICATE_REASON[kind] : `the same account and ${period} appear on an earlier line`,
            });
          } else {
            for (const row of rows) batch.push(row);
          }
        }
        // A dry run goes on writing the valid rows (rolled back), so it can say what they would make.
        if (report.invalidRows > 0 && !options.skipInvalid && !options.dryRun) writing = false;
        if (batch.length >= BATCH_SIZE[kind]) await flush();
      }
      await flush();
      await pending;

      if (report.invalidRows > 0 && !options.skipInvalid) throw new RollBack();
      if (options.dryRun) throw new RollBack();
      await session.audit(`import.${kind}`, {
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        invalidRows: report.invalidRows,
        skipInvalid: report.skipInvalid,
        ...(report.traits?.length ? { traits: report.traits } : {}),
        ...(report.period ? { period: report.period } : {}),
        ...(report.churnedWithoutDate ? { churnedWithoutDate: report.churnedWithoutDate } : {}),
        ...(options.fileName ? { file: options.fileName } : {}),
      });
      report.committed = true;
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    if (report.invalidRows > 0 && !options.skipInvalid && !options.dryRun) {
      // Counts from before the first error describe a partial, rolled-back write: drop them.
      report.created = report.updated = report.unchanged = report.churnedWithoutDate = report.churnsRecorded = 0;
    }
  } finally {
    parser.destroy();
  }
  report.durationMs = Date.now() - startedAt;
  ctx.logger.info(
    {
      workspaceId,
      kind,
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      invalidRows: report.invalidRows,
      committed: report.committed,
      dryRun: report.dryRun,
    },
    "CSV import finished",
  );
  return report;
}
