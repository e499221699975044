// Privacy requests: everything Pulse holds on an account (export), erasing one person's
// personal data (erase), and reading the audit trail. Each is scoped to the workspace that
// asked and leaves an audit row in the same transaction.
import { createHash } from "node:crypto";
import type { Db, DbTx } from "../db/client.js";
import { lockKey } from "../db/locks.js";
import { AppError } from "../errors.js";
import type { Account, AuditLog } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";

export interface Actor {
  workspaceId: number;
  slackUserId: string;
  requestId?: string;
}

/** An account named by its CRM id, its Pulse id ("#12") or its name (case-insensitive). */
export async function findAccountByRef(db: Db, workspaceId: number, ref: string): Promise<Account> {
  const wanted = ref.trim();
  if (!wanted)
    throw new AppError("INVALID_INPUT", "empty account reference", "Name the account: its name, CRM id, or #id.");
  const byId = /^#(\d{1,9})$/.exec(wanted);
  if (byId) {
    const account = await db.account.findFirst({ where: { workspaceId, id: Number(byId[1]) } });
    if (account) return account;
  }
  const byExternal = await db.account.findFirst({ where: { workspaceId, externalId: wanted } });
  if (byExternal) return byExternal;
  // lower() = lower(), not Prisma's case-insensitive equals: that becomes ILIKE, where a
  // typed "%" or "_" matches other accounts.
  const nameMatches = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM account WHERE "workspaceId" = ${workspaceId} AND lower(name) = lower(${wanted}) ORDER BY id LIMIT 5`;
  const byName = nameMatches.length
    ? await db.account.findMany({
        where: { workspaceId, id: { in: nameMatches.map((m) => m.id) } },
        orderBy: { id: "asc" },
      })
    : [];
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new AppError(
      "INVALID_INPUT",
      `account name "${wanted}" is ambiguous`,
      `Several accounts are called “${wanted}”: use one of ${byName.map((a) => `#${a.id}`).join(", ")}.`,
    );
  }
  throw new AppError(
    "NOT_FOUND",
    `no account "${wanted}" in workspace ${workspaceId}`,
    `No account called “${wanted}” (by name, CRM id or #id).`,
  );
}

/** JSON that survives BigInt ids; Decimals serialise themselves as strings. */
export function toExportJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export interface AccountExport {
  account: Account;
  json: string;
  /** Rows per section, for the summary when the file cannot be delivered. */
  counts: Record<string, number>;
}

/** The account's linked channels and everything recorded from them (ids, counts, timings; never text). */
async function channelSections(tx: DbTx, workspaceId: number, accountId: number) {
  const channelLinks = await tx.channelLink.findMany({
    where: { workspaceId, accountId },
    orderBy: { linkedAt: "asc" },
  });
  const inChannels = { workspaceId, channelId: { in: channelLinks.map((l) => l.channelId) } };
  return {
    channelLinks,
    channelActivityDays: await tx.channelActivityDaily.findMany({
      where: { workspaceId, accountId },
      orderBy: [{ day: "asc" }, { channelId: "asc" }],
    }),
    channelPeople: await tx.channelPerson.findMany({ where: inChannels, orderBy: { firstSeenAt: "asc" } }),
    channelPersonDays: await tx.channelPersonDaily.findMany({
      where: inChannels,
      orderBy: [{ day: "asc" }, { slackUserId: "asc" }],
    }),
    channelThreads: await tx.channelThread.findMany({ where: inChannels, orderBy: { askedAt: "asc" } }),
    channelLinkSuggestions: await tx.channelLinkSuggestion.findMany({
      where: { workspaceId, accountId },
      orderBy: { suggestedAt: "asc" },
    }),
  };
}

export async function exportAccountData(db: Db, actor: Actor, accountRef: string): Promise<AccountExport> {
  const account = await findAccountByRef(db, actor.workspaceId, accountRef);
  const where = { workspaceId: actor.workspaceId, accountId: account.id };
  return db.$transaction(async (tx) => {
    const sections = {
      contacts: await tx.contact.findMany({ where, orderBy: { id: "asc" } }),
      usageDays: await tx.usageDaily.findMany({ where, orderBy: { day: "asc" } }),
      usageEvents: await tx.usageEvent.findMany({ where, orderBy: { occurredAt: "asc" } }),
      touchpoints: await tx.touchpoint.findMany({
        where,
        orderBy: { occurredAt: "asc" },
        include: { contacts: { select: { contactId: true } } },
      }),
      surveyResponses: await tx.surveyResponse.findMany({ where, orderBy: { respondedAt: "asc" } }),
      healthSnapshots: await tx.healthSnapshot.findMany({ where, orderBy: { scoredOn: "asc" } }),
      riskSignals: await tx.riskSignal.findMany({ where, orderBy: { detectedOn: "asc" } }),
      stageChanges: await tx.stageChange.findMany({ where, orderBy: { changedAt: "asc" } }),
      arrChanges: await tx.arrChange.findMany({ where, orderBy: { effectiveOn: "asc" } }),
      playbookFirings: await tx.playbookFiring.findMany({ where, orderBy: { firedOn: "asc" } }),
      playbookTasks: await tx.playbookTask.findMany({ where, orderBy: { createdAt: "asc" } }),
      churnEvents: await tx.churnEvent.findMany({
        where,
        orderBy: { churnedOn: "asc" },
        include: { notes: true, actionItems: true },
      }),
      digestSnoozes: await tx.digestSnooze.findMany({ where, orderBy: { createdAt: "asc" } }),
      sentimentOverrides: await tx.sentimentOverride.findMany({ where, orderBy: { createdAt: "asc" } }),
      successObjectives: await tx.successObjective.findMany({ where, orderBy: { id: "asc" } }),
      successMilestones: await tx.successMilestone.findMany({ where, orderBy: { id: "asc" } }),
      adkarStatuses: await tx.adkarStatus.findMany({ where, orderBy: { group: "asc" } }),
      adkarChanges: await tx.adkarChange.findMany({ where, orderBy: { changedAt: "asc" } }),
      qbrPacks: await tx.qbrPack.findMany({ where, orderBy: { builtAt: "asc" } }),
      auditLog: await tx.auditLog.findMany({ where, orderBy: { at: "asc" } }),
      ...(await channelSections(tx, actor.workspaceId, account.id)),
    };
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "account.view",
      entityType: "account",
      entityId: account.id,
      accountId: account.id,
      details: { purpose: "export" },
      requestId: actor.requestId ?? null,
    });
    const counts = Object.fromEntries(Object.entries(sections).map(([name, rows]) => [name, rows.length]));
    const json = toExportJson({
      exportedAt: new Date().toISOString(),
      workspaceId: actor.workspaceId,
      account,
      ...sections,
    });
    return { account, json, counts };
  });
}

/** The audit trail's fingerprint of an email: lets an admin check "was X erased?" without storing X. */
export function emailHash(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const ERASED = "[erased]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces whole-word occurrences of each term, case-insensitively. */
export function scrubText(text: string, terms: string[]): string {
  let out = text;
  for (const term of terms.filter((t) => t.trim().length > 0)) {
    out = out.replace(
      new RegExp(`(?<![\\p{L}\\p{N}._%+-])${escapeRegExp(term.trim())}(?![\\p{L}\\p{N}])`, "giu"),
      ERASED,
    );
  }
  return out;
}

export interface EraseResult {
  contacts: number;
  surveyResponses: number;
  touchpoints: number;
  /** Rows of the person's activity in linked customer channels, deleted. */
  channelActivity: number;
  emailHash: string;
}

type ContactMatch = { id: number; accountId: number; name: string | null; slackUserId: string | null };

function parseEmail(rawEmail: string): string {
  const email = rawEmail.trim().replace(/^mailto:/i, "");
  if (!EMAIL.test(email))
    throw new AppError("INVALID_INPUT", "not an email address", `“${email.slice(0, 100)}” is not an email address.`);
  return email;
}

/**
 * The contacts holding exactly this address, case-folded. Never LIKE/ILIKE with the typed
 * text: `%` and `_` are wildcards there, and "%@%s.com" once erased 468 of 800 contacts.
 */
async function findContactsByEmail(db: DbTx, workspaceId: number, email: string): Promise<ContactMatch[]> {
  return db.$queryRaw<ContactMatch[]>`
    SELECT id, "accountId", name, "slackUserId" FROM contact
    WHERE "workspaceId" = ${workspaceId} AND lower(email) = lower(${email})
    ORDER BY id`;
}

export interface ErasePreview {
  email: string;
  /** Contact rows holding the address (one person may be a contact of several accounts). */
  contacts: number;
  accounts: { id: number; name: string }[];
}

/** What erasing this address would touch, so an admin can confirm before anything changes. */
export async function previewContactErasure(db: Db, workspaceId: number, rawEmail: string): Promise<ErasePreview> {
  const email = parseEmail(rawEmail);
  const contacts = await findContactsByEmail(db, workspaceId, email);
  const accountIds = [...new Set(contacts.map((c) => c.accountId))];
  const accounts = accountIds.length
    ? await db.account.findMany({
        where: { workspaceId, id: { in: accountIds } },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  return { email, contacts: contacts.length, accounts };
}

export interface EraseConfirmation {
  /** Issued with the preview; an erasure runs at most once per token. */
  token: string;
  /** The number of contacts the admin was shown. */
  contacts: number;
}

/**
 * Erases a person's personal data everywhere Pulse keeps it: the contact rows (name, email,
 * title nulled, erasedAt set; the rows stay so history keeps its shape), their survey
 * answers' name and comment, and the email and full name inside touchpoint notes. The email
 * is scrubbed from every note in the workspace; the name only from notes of the person's
 * own accounts, where it can only mean them. The audit row holds a hash of the email.
 *
 * With a confirmation (the Slack button), it erases only what the admin was shown, and only
 * once: a second click of the same button, or one after the matches changed, erases nothing.
 */
export async function eraseContact(
  db: Db,
  actor: Actor,
  rawEmail: string,
  now: Date,
  confirmation?: EraseConfirmation,
): Promise<EraseResult> {
  const email = parseEmail(rawEmail);
  const hash = emailHash(email);
  return db.$transaction(
    async (tx) => {
      if (confirmation) {
        // Two clicks arriving together: the second waits here, then sees the first's audit row.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${lockKey(`contact.erase:${actor.workspaceId}:${confirmation.token}`)})`;
        const done = await tx.auditLog.findFirst({
          where: {
            workspaceId: actor.workspaceId,
            action: "contact.erase",
            details: { path: ["confirmation"], equals: confirmation.token },
          },
          select: { id: true },
        });
        if (done)
          throw new AppError(
            "CONFLICT",
            "erasure already confirmed",
            "This erasure was already done; nothing more was erased.",
          );
      }
      const contacts = await findContactsByEmail(tx, actor.workspaceId, email);
      if (confirmation && contacts.length !== confirmation.contacts) {
        throw new AppError(
          "CONFLICT",
          `erasure preview showed ${confirmation.contacts} contacts, ${contacts.length} match now`,
          `${contacts.length} contact record${contacts.length === 1 ? "" : "s"} ${contacts.length === 1 ? "holds" : "hold"} that email now, not the ${confirmation.contacts} you confirmed; nothing was erased. Run the command again to see who it would erase.`,
        );
      }
      const contactIds = contacts.map((c) => c.id);
      const names = [
        ...new Set(contacts.map((c) => c.name).filter((n): n is string => Boolean(n && n.trim().length >= 3))),
      ];
      const accountIds = [...new Set(contacts.map((c) => c.accountId))];

      if (contactIds.length) {
        await tx.contact.updateMany({
          where: { workspaceId: actor.workspaceId, id: { in: contactIds } },
          data: { name: null, email: null, title: null, slackUserId: null, likelyChampion: false, erasedAt: now },
        });
      }
      const channelActivity = await eraseChannelActivity(
        tx,
        actor.workspaceId,
        contacts.map((c) => c.slackUserId).filter((id): id is string => id !== null),
      );
      const surveys = contactIds.length
        ? await tx.surveyResponse.updateMany({
            where: { workspaceId: actor.workspaceId, contactId: { in: contactIds } },
            data: { respondentName: null, comment: null },
          })
        : { count: 0 };

      // Candidate notes by plain substring (strpos, no wildcards); scrubText decides what goes.
      const candidates = await tx.$queryRaw<{ id: number; accountId: number; notes: string | null }[]>`
        SELECT id, "accountId", notes FROM touchpoint
        WHERE "workspaceId" = ${actor.workspaceId} AND notes IS NOT NULL
          AND (strpos(lower(notes), lower(${email})) > 0
               OR ("accountId" = ANY(${accountIds}::int[]) AND EXISTS (SELECT 1 FROM unnest(${names}::text[]) AS n(name) WHERE strpos(lower(notes), lower(n.name)) > 0)))`;
      let touchpoints = 0;
      for (const tp of candidates) {
        if (!tp.notes) continue;
        const terms = accountIds.includes(tp.accountId) ? [email, ...names] : [email];
        const scrubbed = scrubText(tp.notes, terms);
        if (scrubbed === tp.notes) continue;
        await tx.touchpoint.update({ where: { id: tp.id }, data: { notes: scrubbed } });
        touchpoints++;
      }

      const result = {
        contacts: contactIds.length,
        surveyResponses: surveys.count,
        touchpoints,
        channelActivity,
        emailHash: hash,
      };
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorSlackId: actor.slackUserId,
        action: "contact.erase",
        entityType: "contact",
        entityId: contactIds.length === 1 ? contactIds[0]! : null,
        accountId: accountIds.length === 1 ? accountIds[0]! : null,
        details: {
          emailSha256: hash,
          contactIds,
          contacts: result.contacts,
          surveyResponses: result.surveyResponses,
          touchpoints,
          channelActivity,
          ...(confirmation ? { confirmation: confirmation.token } : {}),
        },
        requestId: actor.requestId ?? null,
      });
      return result;
    },
    { timeout: 60_000 },
  );
}

/**
 * A person's rows in linked customer channels: who they were, their days, the questions
 * they asked; departure signals keep the date, not the Slack id. Channel totals stay.
 */
async function eraseChannelActivity(tx: DbTx, workspaceId: number, slackUserIds: string[]): Promise<number> {
  if (!slackUserIds.length) return 0;
  const where = { workspaceId, slackUserId: { in: slackUserIds } };
  const [people, days, threads] = [
    await tx.channelPerson.deleteMany({ where }),
    await tx.channelPersonDaily.deleteMany({ where }),
    await tx.channelThread.deleteMany({ where: { workspaceId, askerSlackId: { in: slackUserIds } } }),
  ];
  await tx.$executeRaw`
    UPDATE "risk_signal" SET "details" = "details" - 'slackUserId'
     WHERE "workspaceId" = ${workspaceId} AND "details" ->> 'slackUserId' = ANY(${slackUserIds}::text[])`;
  return people.count + days.count + threads.count;
}

export const AUDIT_PAGE = 50;

/** The newest audit rows of the workspace, or of one account. */
export async function listAudit(
  db: Db,
  workspaceId: number,
  accountRef?: string,
): Promise<{ account?: Account; rows: AuditLog[] }> {
  const account = accountRef ? await findAccountByRef(db, workspaceId, accountRef) : undefined;
  const rows = await db.auditLog.findMany({
    where: { workspaceId, ...(account ? { accountId: account.id } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE,
  });
  return { account, rows };
}
