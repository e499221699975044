// Filing a churn post-mortem and reversing it (a win-back). Each is one transaction: the
// churn event, the ARR history row, the account's new state and the audit row commit
// together or not at all. History is never deleted: a win-back adds rows and marks the
// churn event reversed.
import type { Db, DbTx } from "../db/client.js";
import { addDays, isoDay } from "../domain/dates.js";
import {
  computeWarning,
  formatMoney,
  validatePostMortem,
  type PostMortemDraft,
  type PostMortemField,
} from "../domain/churn-post-mortem.js";
import { AppError } from "../errors.js";
import type { Account, ChurnEvent, User } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";
import { keepTasksWithAccounts } from "./task-actions.js";

/** How far back the retro looks at health history. */
export const RETRO_HISTORY_DAYS = 180;

export interface AccountChoice {
  id: number;
  name: string;
  arr: number;
  currency: string;
  status: "active" | "churned";
}

function toChoice(a: Pick<Account, "id" | "name" | "arr" | "currency" | "status">): AccountChoice {
  return { id: a.id, name: a.name, arr: Number(a.arr.toString()), currency: a.currency, status: a.status };
}

/**
 * Finds one account by name (case-insensitive): an exact name wins, else a unique partial
 * match. Several partial matches are refused with the candidates, never guessed.
 */
export async function findAccountByName(db: DbTx, workspaceId: number, query: string): Promise<AccountChoice> {
  const q = query.trim();
  if (!q)
    throw new AppError("INVALID_INPUT", "empty account name", 'Name the account, e.g. `/pulse churn "Acme Corp"`.');
  // strpos, not Prisma's insensitive `contains` (an ILIKE, where "%" and "_" in the query
  // would match any name).
  const ids = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM "account" WHERE "workspaceId" = ${workspaceId} AND strpos(lower(name), lower(${q})) > 0 ORDER BY name ASC LIMIT 11`;
  const matches = await db.account.findMany({
    where: { workspaceId, id: { in: ids.map((r) => r.id) } },
    select: { id: true, name: true, arr: true, currency: true, status: true },
    orderBy: { name: "asc" },
  });
  const exact = matches.filter((a) => a.name.toLowerCase() === q.toLowerCase());
  if (exact.length === 1) return toChoice(exact[0]!);
  if (matches.length === 1) return toChoice(matches[0]!);
  if (!matches.length) throw new AppError("NOT_FOUND", `no account matches ${q}`, `No account matches “${q}”.`);
  const names = matches
    .slice(0, 10)
    .map((a) => `“${a.name}”`)
    .join(", ");
  throw new AppError(
    "INVALID_INPUT",
    `ambiguous account ${q}`,
    `Several accounts match “${q}”: ${names}${matches.length > 10 ? ", …" : ""}. Use the full name.`,
  );
}

export async function getAccountChoice(db: DbTx, workspaceId: number, accountId: number): Promise<AccountChoice> {
  const account = await db.account.findFirst({
    where: { workspaceId, id: accountId },
    select: { id: true, name: true, arr: true, currency: true, status: true },
  });
  if (!account)
    throw new AppError(
      "NOT_FOUND",
      `account ${accountId} not in workspace ${workspaceId}`,
      "That account does not exist (any more) in this workspace.",
    );
  return toChoice(account);
}

/**
 * Active accounts for the modal's picker, riskiest first (lowest latest score; unscored
 * after the scored, then by name): a churn is filed for an account at risk far more often
 * than for the first 100 alphabetically (issue 15). Slack allows 100 options.
 */
export async function listActiveAccountChoices(db: DbTx, workspaceId: number, limit = 100): Promise<AccountChoice[]> {
  const ranked = await db.$queryRaw<{ id: number }[]>`
    SELECT a."id"
      FROM "account" a
      LEFT JOIN LATERAL (
        SELECT h."score" FROM "health_snapshot" h
         WHERE h."workspaceId" = a."workspaceId" AND h."accountId" = a."id"
         ORDER BY h."scoredOn" DESC
         LIMIT 1
      ) latest ON true
     WHERE a."workspaceId" = ${workspaceId} AND a."status"::text = 'active'
     ORDER BY latest."score" ASC NULLS LAST, a."name" ASC, a."id" ASC
     LIMIT ${limit}`;
  const rows = await db.account.findMany({
    where: { workspaceId, id: { in: ranked.map((r) => r.id) } },
    select: { id: true, name: true, arr: true, currency: true, status: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ranked.flatMap((r) => {
    const row = byId.get(r.id);
    return row ? [toChoice(row)] : [];
  });
}

async function lockAccount(tx: DbTx, workspaceId: number, accountId: number): Promise<Account> {
  // Row lock: two filings (or a filing and a win-back) for one account serialise here.
  await tx.$queryRaw`SELECT id FROM "account" WHERE "workspaceId" = ${workspaceId} AND "id" = ${accountId} FOR UPDATE`;
  const account = await tx.account.findFirst({ where: { workspaceId, id: accountId } });
  if (!account)
    throw new AppError(
      "NOT_FOUND",
      `account ${accountId} not in workspace ${workspaceId}`,
      "That account does not exist (any more) in this workspace.",
    );
  return account;
}

export type FilePostMortemResult =
  | { ok: false; errors: Partial<Record<PostMortemField | "account", string>> }
  | { ok: true; churnEvent: ChurnEvent; account: Account };

export interface FilePostMortemInput {
  workspaceId: number;
  filer: Pick<User, "id" | "slackUserId">;
  accountId: number;
  draft: PostMortemDraft;
  now: Date;
  requestId?: string;
}

export async function filePostMortem(db: Db, input: FilePostMortemInput): Promise<FilePostMortemResult> {
  const { workspaceId } = input;
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, workspaceId, input.accountId);
    if (account.status === "churned") {
      return {
        ok: false,
        errors: {
          account: `${account.name} is already churned. Win it back first (/pulse churn winback) to file a new churn.`,
        },
      };
    }
    const accountArr = Number(account.arr.toString());
    const validation = validatePostMortem(input.draft, { accountArr, currency: account.currency, today: input.now });
    if (!validation.ok) return { ok: false, errors: validation.errors };
    const pm = validation.value;

    const snapshots = await tx.healthSnapshot.findMany({
      where: {
        workspaceId,
        accountId: account.id,
        scoredOn: { gte: addDays(pm.churnedOn, -(RETRO_HISTORY_DAYS - 1)), lte: pm.churnedOn },
      },
      select: { scoredOn: true, score: true, band: true },
      orderBy: { scoredOn: "asc" },
    });
    const warning = computeWarning(snapshots, pm.churnedOn);

    const churnEvent = await tx.churnEvent.create({
      data: {
        workspaceId,
        accountId: account.id,
        kind: pm.kind,
        churnedOn: pm.churnedOn,
        arrBefore: accountArr,
        arrLost: pm.arrLost,
        primaryReason: pm.primaryReason,
        reasonOther: pm.reasonOther,
        contributingFactors: pm.contributingFactors,
        warningSigns: pm.warningSigns,
        warningSeenOn: pm.warningSeenOn,
        couldHaveDone: pm.couldHaveDone,
        lessons: pm.lessons,
        preventable: pm.preventable,
        firstRedOn: warning.firstRedOn,
        daysOfWarning: warning.daysOfWarning,
        filedById: input.filer.id,
        filedAt: input.now,
      },
    });
    const arrAfter = accountArr - pm.arrLost;
    await tx.arrChange.create({
      data: {
        workspaceId,
        accountId: account.id,
        effectiveOn: pm.churnedOn,
        kind: pm.kind === "full" ? "churn" : "contraction",
        arrBefore: accountArr,
        arrAfter,
        currency: account.currency,
        churnEventId: churnEvent.id,
      },
    });
    const updated = await tx.account.update({
      where: { id: account.id },
      data: pm.kind === "full" ? { status: "churned", churnedAt: pm.churnedOn, arr: arrAfter } : { arr: arrAfter },
    });
    if (pm.kind === "full") await keepTasksWithAccounts(tx, workspaceId, [account.id]);
    await recordAudit(tx, {
      workspaceId,
      actorSlackId: input.filer.slackUserId,
      action: pm.kind === "full" ? "churn.file" : "churn.file_downgrade",
      entityType: "churn_event",
      entityId: churnEvent.id,
      accountId: account.id,
      details: {
        kind: pm.kind,
        churnedOn: isoDay(pm.churnedOn),
        arrLost: pm.arrLost,
        primaryReason: pm.primaryReason,
        daysOfWarning: warning.daysOfWarning,
      },
      requestId: input.requestId ?? null,
    });
    return { ok: true, churnEvent, account: updated };
  });
}

export interface WinBackResult {
  churnEvent: ChurnEvent;
  account: Account;
  arrRestored: number;
  summary: string;
  /** The summary without the account's name ("active again at $5,700 ARR"), for a sentence that names it itself. */
  outcome: string;
}

/**
 * Reverses the account's latest unreversed churn event: a full churn makes the account
 * active again at its ARR before churn; a downgrade adds the lost ARR back.
 */
export async function winBackAccount(
  db: Db,
  input: {
    workspaceId: number;
    actor: Pick<User, "id" | "slackUserId">;
    accountId: number;
    churnEventId?: number;
    now: Date;
    requestId?: string;
  },
): Promise<WinBackResult> {
  const { workspaceId } = input;
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, workspaceId, input.accountId);
    const event = await tx.churnEvent.findFirst({
      where: {
        workspaceId,
        accountId: account.id,
        reversedAt: null,
        ...(input.churnEventId ? { id: input.churnEventId } : {}),
      },
      orderBy: [{ churnedOn: "desc" }, { id: "desc" }],
    });
    if (!event) {
      throw new AppError(
        "CONFLICT",
        `no churn to reverse for account ${account.id}`,
        `${account.name} has no churn or downgrade to win back.`,
      );
    }
    const arrNow = Number(account.arr.toString());
    const arrLost = Number(event.arrLost.toString());
    const restored = event.kind === "full" ? Number(event.arrBefore.toString()) : arrNow + arrLost;
    const reversed = await tx.churnEvent.update({
      where: { id: event.id },
      data: { reversedAt: input.now, reversedById: input.actor.id },
    });
    await tx.arrChange.create({
      data: {
        workspaceId,
        accountId: account.id,
        effectiveOn: input.now,
        kind: "winback",
        arrBefore: arrNow,
        arrAfter: restored,
        currency: account.currency,
        churnEventId: event.id,
      },
    });
    const updated = await tx.account.update({
      where: { id: account.id },
      data: event.kind === "full" ? { status: "active", churnedAt: null, arr: restored } : { arr: restored },
    });
    await recordAudit(tx, {
      workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "churn.winback",
      entityType: "churn_event",
      entityId: event.id,
      accountId: account.id,
      details: { kind: event.kind, arrBefore: arrNow, arrAfter: restored },
      requestId: input.requestId ?? null,
    });
    return {
      churnEvent: reversed,
      account: updated,
      arrRestored: restored - arrNow,
      summary: `${account.name} is won back: ${event.kind === "full" ? "active again" : "downgrade reversed"} at ${formatMoney(restored, account.currency)} ARR.`,
      outcome: `${event.kind === "full" ? "active again" : "downgrade reversed"} at ${formatMoney(restored, account.currency)} ARR`,
    };
  });
}
