// Success plans and ADKAR: writing objectives and milestones, setting where each
// stakeholder group stands, the evidence behind a suggested stage, and the nightly risk
// check (a group stuck at its stage, milestones overdue). Every read and write is scoped to
// the asking workspace; every change is audited in its own transaction.
import { z } from "zod";
import type { AppContext } from "../app-context.js";
import type { Db, DbTx } from "../db/client.js";
import {
  ADKAR_STAGES,
  actionDedupeKey,
  STAGE_ACTIONS,
  STAGE_ALLOWED_DAYS,
  isTrainingNote,
  stuckAtStage,
  suggestAdkarStage,
  type AdkarStage,
  type AdkarSuggestion,
  type GroupEvidence,
  type UsageEvidence,
  ADKAR_RULES,
} from "../domain/adkar.js";
import { isStakeholderGroup, STAKEHOLDER_TYPES, type StakeholderType } from "../domain/vocabulary.js";
import { addDays, daysBetween, startOfUtcDay } from "../domain/dates.js";
import {
  milestoneState,
  OBJECTIVE_STATUSES,
  overdueMilestones,
  summarisePlan,
  type MilestoneFacts,
  type MilestoneState,
  type ObjectiveFacts,
  type PlanSummary,
} from "../domain/success-plan.js";
import { AppError, ValidationError } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";

export interface PlanActor {
  workspaceId: number;
  slackUserId: string;
  requestId?: string | null;
}

export const ADKAR_STUCK = "adkar_stuck";
export const MILESTONE_OVERDUE = "milestone_overdue";

const stakeholderTypesSchema = z
  .array(z.enum(STAKEHOLDER_TYPES, { message: "choose end users, sponsors or implementers" }))
  .default([]);
const measure = z.number({ message: "must be a number" }).finite().min(-1e12).max(1e12).nullable().default(null);

export const objectiveInputSchema = z
  .object({
    title: z
      .string({ message: "Give the objective in the customer's words." })
      .trim()
      .min(1, "Give the objective in the customer's words.")
      .max(200, "Keep it under 200 characters."),
    metric: z.string().trim().max(120, "Keep the metric under 120 characters.").nullable().default(null),
    unit: z.string().trim().max(30, "Keep the unit under 30 characters.").nullable().default(null),
    baseline: measure,
    target: measure,
    current: measure,
    measuredOn: z.date().nullable().default(null),
    targetDate: z.date().nullable().default(null),
    status: z.enum(OBJECTIVE_STATUSES).default("active"),
    stakeholderTypes: stakeholderTypesSchema,
    notes: z.string().max(2000, "Keep the notes under 2,000 characters.").nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.target !== null && !v.metric)
      ctx.addIssue({
        code: "custom",
        path: ["metric"],
        message: "Say what the target measures (e.g. days to prepare the report).",
      });
    if (v.current !== null && v.baseline === null)
      ctx.addIssue({
        code: "custom",
        path: ["baseline"],
        message: "Give the starting value the progress is measured from.",
      });
  });
export type ObjectiveInput = z.input<typeof objectiveInputSchema>;

export const milestoneInputSchema = z.object({
  title: z
    .string({ message: "Name the milestone." })
    .trim()
    .min(1, "Name the milestone.")
    .max(200, "Keep it under 200 characters."),
  owner: z.string().trim().max(120, "Keep the owner under 120 characters.").nullable().default(null),
  dueOn: z.date({ message: "Give the due date." }),
  completedOn: z.date().nullable().default(null),
  objectiveId: z.number().int().positive().nullable().default(null),
  stakeholderTypes: stakeholderTypesSchema,
});
export type MilestoneInput = z.input<typeof milestoneInputSchema>;

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "title")] ??= issue.message;
  return out;
}

async function accountIn(db: Db | DbTx, workspaceId: number, accountId: number) {
  const account = await db.account.findFirst({
    where: { id: accountId, workspaceId },
    select: { id: true, name: true, ownerId: true, owner: { select: { slackUserId: true } } },
  });
  // Another workspace's account answers exactly like a missing one.
  if (!account)
    throw new AppError(
      "NOT_FOUND",
      `account ${accountId} not in workspace ${workspaceId}`,
      "That account does not exist in this workspace.",
    );
  return account;
}

const num = (d: Prisma.Decimal | null) => (d === null ? null : Number(d.toString()));

export async function saveObjective(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: PlanActor,
  accountId: number,
  objectiveId: number | null,
  raw: ObjectiveInput,
): Promise<{ id: number; accountName: string; created: boolean }> {
  const parsed = objectiveInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  const today = startOfUtcDay(ctx.clock());
  const measuredOn = input.current !== null ? (input.measuredOn ?? today) : input.measuredOn;
  if (measuredOn && measuredOn > today)
    throw new ValidationError({ measuredOn: "A measurement cannot be dated in the future." });
  return ctx.db.$transaction(async (tx) => {
    const account = await accountIn(tx, actor.workspaceId, accountId);
    const data = { ...input, measuredOn };
    let id: number;
    if (objectiveId === null) {
      id = (
        await tx.successObjective.create({
          data: { workspaceId: actor.workspaceId, accountId, ...data, source: "slack" },
          select: { id: true },
        })
      ).id;
    } else {
      const { count } = await tx.successObjective.updateMany({
        where: { id: objectiveId, workspaceId: actor.workspaceId, accountId },
        data,
      });
      if (!count)
        throw new AppError("NOT_FOUND", `objective ${objectiveId}`, "That objective does not exist in this workspace.");
      id = objectiveId;
    }
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: objectiveId === null ? "plan.objective.create" : "plan.objective.update",
      entityType: "success_objective",
      entityId: id,
      accountId,
      // Field names and figures only: the notes are the CSM's and stay out of the trail.
      details: {
        fields: Object.keys(raw).filter((k) => k !== "notes"),
        status: input.status,
        target: input.target,
        current: input.current,
      },
      requestId: actor.requestId ?? null,
    });
    return { id, accountName: account.name, created: objectiveId === null };
  });
}

export async function saveMilestone(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: PlanActor,
  accountId: number,
  milestoneId: number | null,
  raw: MilestoneInput,
): Promise<{ id: number; accountName: string; created: boolean }> {
  const parsed = milestoneInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  if (input.completedOn && input.completedOn > startOfUtcDay(ctx.clock()))
    throw new ValidationError({ completedOn: "A milestone cannot be completed in the future." });
  return ctx.db.$transaction(async (tx) => {
    const account = await accountIn(tx, actor.workspaceId, accountId);
    if (input.objectiveId !== null) {
      const objective = await tx.successObjective.findFirst({
        where: { id: input.objectiveId, workspaceId: actor.workspaceId, accountId },
        select: { id: true },
      });
      if (!objective) throw new ValidationError({ objectiveId: "That objective is not in this account's plan." });
    }
    let id: number;
    if (milestoneId === null) {
      id = (
        await tx.successMilestone.create({
          data: { workspaceId: actor.workspaceId, accountId, ...input, source: "slack" },
          select: { id: true },
        })
      ).id;
    } else {
      const { count } = await tx.successMilestone.updateMany({
        where: { id: milestoneId, workspaceId: actor.workspaceId, accountId },
        data: input,
      });
      if (!count)
        throw new AppError("NOT_FOUND", `milestone ${milestoneId}`, "That milestone does not exist in this workspace.");
      id = milestoneId;
    }
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: milestoneId === null ? "plan.milestone.create" : "plan.milestone.update",
      entityType: "success_milestone",
      entityId: id,
      accountId,
      details: {
        dueOn: input.dueOn.toISOString().slice(0, 10),
        completed: input.completedOn !== null,
        objectiveId: input.objectiveId,
      },
      requestId: actor.requestId ?? null,
    });
    return { id, accountName: account.name, created: milestoneId === null };
  });
}

export interface PlanObjective extends ObjectiveFacts {
  stakeholderTypes: StakeholderType[];
  notes: string | null;
}

export interface PlanMilestone extends MilestoneFacts {
  stakeholderTypes: StakeholderType[];
  state: MilestoneState;
}

export interface AdkarGroupView {
  group: StakeholderType;
  stage: AdkarStage | null;
  since: Date | null;
  daysAtStage: number | null;
  allowedDays: number | null;
  stuck: boolean;
  suggestion: AdkarSuggestion;
  /** The first action of the stage set (or suggested, when none is set). */
  nextAction: string;
}

export interface SuccessPlanView {
  account: { id: number; name: string; ownerSlackId: string | null };
  objectives: PlanObjective[];
  milestones: PlanMilestone[];
  summary: PlanSummary;
  adkar: AdkarGroupView[];
}

export async function loadPlanRows(
  db: Db | DbTx,
  workspaceId: number,
  accountId: number,
): Promise<{ objectives: PlanObjective[]; milestones: Omit<PlanMilestone, "state">[] }> {
  const [objectives, milestones] = await Promise.all([
    db.successObjective.findMany({ where: { workspaceId, accountId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.successMilestone.findMany({ where: { workspaceId, accountId }, orderBy: [{ dueOn: "asc" }, { id: "asc" }] }),
  ]);
  return {
    objectives: objectives.map((o) => ({
      id: o.id,
      title: o.title,
      metric: o.metric,
      unit: o.unit,
      baseline: num(o.baseline),
      target: num(o.target),
      current: num(o.current),
      measuredOn: o.measuredOn,
      targetDate: o.targetDate,
      status: o.status,
      stakeholderTypes: o.stakeholderTypes.filter(isStakeholderGroup),
      notes: o.notes,
    })),
    milestones: milestones.map((m) => ({
      id: m.id,
      title: m.title,
      owner: m.owner,
      dueOn: m.dueOn,
      completedOn: m.completedOn,
      objectiveId: m.objectiveId,
      stakeholderTypes: m.stakeholderTypes.filter(isStakeholderGroup),
    })),
  };
}

/** The evidence the ADKAR rules read, for one account. */
export async function gatherAdkarEvidence(
  db: Db | DbTx,
  workspaceId: number,
  accountId: number,
  now: Date,
): Promise<{ groups: GroupEvidence[]; usage: UsageEvidence }> {
  const today = startOfUtcDay(now);
  const weeks = ADKAR_RULES.sustainedWeeks;
  const [touchpoints, nps, usage] = await Promise.all([
    db.touchpoint.findMany({
      where: { workspaceId, accountId, occurredAt: { lte: now } },
      orderBy: { occurredAt: "desc" },
      select: { occurredAt: true, kind: true, stakeholderTypes: true, sentiment: true, notes: true },
    }),
    db.$queryRaw<{ group: StakeholderType; score: number }[]>`
      SELECT DISTINCT ON (g) g::text AS "group", r."score"
        FROM "survey_response" r
        LEFT JOIN "contact" c ON c."workspaceId" = r."workspaceId" AND c."id" = r."contactId"
        CROSS JOIN LATERAL coalesce(r."stakeholderType", c."stakeholderType") g
       WHERE r."workspaceId" = ${workspaceId} AND r."accountId" = ${accountId} AND r."kind" = 'nps'
         AND r."respondedAt" > ${addDays(today, -90)} AND r."respondedAt" <= ${now} AND g IS NOT NULL
       ORDER BY g, r."respondedAt" DESC`,
    db.$queryRaw<{ share14: number | null; weekly: (number | null)[]; modules30: number }[]>`
      WITH d AS (
        SELECT u."day", u."activeUsers"::float8 / nullif(coalesce(u."seats", a."seats"), 0) AS share, u."modules"
          FROM "usage_daily" u JOIN "account" a ON a."workspaceId" = u."workspaceId" AND a."id" = u."accountId"
         WHERE u."workspaceId" = ${workspaceId} AND u."accountId" = ${accountId}
           AND u."day" > ${addDays(today, -7 * weeks)}::date AND u."day" <= ${today}::date)
      SELECT (SELECT avg(share) FROM d WHERE "day" > ${addDays(today, -14)}::date) AS "share14",
             (SELECT coalesce(array_agg(w ORDER BY k DESC), '{}') FROM (
                SELECT ((${today}::date - "day") / 7) AS k, avg(share) AS w FROM d GROUP BY 1) x) AS "weekly",
             (SELECT count(DISTINCT m.key)::int FROM d, jsonb_each_text(d."modules") m
               WHERE d."day" > ${addDays(today, -30)}::date AND m.value ~ '^[0-9]+$' AND m.value::bigint > 0) AS "modules30"`,
  ]);
  const u = usage[0];
  const npsOf = new Map(nps.map((n) => [n.group, n.score]));
  const groups = STAKEHOLDER_TYPES.map((group): GroupEvidence => {
    const reached = touchpoints.filter((t) => t.stakeholderTypes.includes(group));
    const last = reached[0];
    return {
      group,
      touchpointsReached: reached.length,
      lastReachedOn: last ? startOfUtcDay(last.occurredAt) : null,
      lastSentiment: last?.sentiment ?? null,
      lastTrainingOn: ((t) => (t ? startOfUtcDay(t.occurredAt) : null))(reached.find((t) => isTrainingNote(t.notes))),
      qbrWithGroup180d: reached.some((t) => t.kind === "qbr" && t.occurredAt > addDays(now, -180)),
      latestNps90d: npsOf.get(group) ?? null,
    };
  });
  return {
    groups,
    usage: {
      activeShare14d: u?.share14 ?? null,
      // A week without a share (no usage rows, no seats) breaks "sustained": keep it as 0.
      weeklyShares: (u?.weekly ?? []).map((w) => w ?? 0),
      modules30d: u?.modules30 ?? 0,
    },
  };
}

export async function getSuccessPlan(
  db: Db,
  workspaceId: number,
  accountId: number,
  now: Date,
): Promise<SuccessPlanView> {
  const account = await accountIn(db, workspaceId, accountId);
  const today = startOfUtcDay(now);
  const [rows, statuses, evidence] = await Promise.all([
    loadPlanRows(db, workspaceId, accountId),
    db.adkarStatus.findMany({ where: { workspaceId, accountId } }),
    gatherAdkarEvidence(db, workspaceId, accountId, now),
  ]);
  const statusOf = new Map(statuses.map((s) => [s.group, s]));
  const adkar = STAKEHOLDER_TYPES.map((group): AdkarGroupView => {
    const status = statusOf.get(group);
    const suggestion = suggestAdkarStage(evidence.groups.find((g) => g.group === group)!, evidence.usage, now);
    const stage = status?.stage ?? null;
    return {
      group,
      stage,
      since: status?.since ?? null,
      daysAtStage: status ? daysBetween(status.since, now) : null,
      allowedDays: stage ? STAGE_ALLOWED_DAYS[stage] : null,
      stuck: Boolean(status && stuckAtStage(group, status.stage, status.since, now)),
      suggestion,
      nextAction: STAGE_ACTIONS[stage ?? suggestion.stage][group][0]!.title,
    };
  });
  const milestones = rows.milestones.map((m) => ({ ...m, state: milestoneState(m, today) }));
  return {
    account: { id: account.id, name: account.name, ownerSlackId: account.owner?.slackUserId ?? null },
    objectives: rows.objectives,
    milestones,
    summary: summarisePlan(rows.objectives, milestones, today),
    adkar,
  };
}

/** Opens the owner's tasks for a group's stage (skipped where the same task is still open). */
async function openStageTasks(
  tx: DbTx,
  workspaceId: number,
  accountId: number,
  ownerId: number | null,
  group: StakeholderType,
  stage: AdkarStage,
  today: Date,
  why: string,
): Promise<number> {
  const { count } = await tx.playbookTask.createMany({
    data: STAGE_ACTIONS[stage][group].map((a, i) => ({
      workspaceId,
      accountId,
      ownerId,
      dedupeKey: actionDedupeKey(group, stage, i),
      title: a.title,
      detail: why,
      dueOn: addDays(today, a.dueInDays),
    })),
    skipDuplicates: true,
  });
  return count;
}

export async function setAdkarStage(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: PlanActor,
  accountId: number,
  group: string,
  stage: string,
  source = "manual",
  evidence: string[] = [],
): Promise<{
  accountName: string;
  group: StakeholderType;
  from: AdkarStage | null;
  to: AdkarStage;
  tasksCreated: number;
}> {
  if (!(STAKEHOLDER_TYPES as readonly string[]).includes(group))
    throw new ValidationError({ group: `must be one of ${STAKEHOLDER_TYPES.join(", ")}` });
  if (!(ADKAR_STAGES as readonly string[]).includes(stage))
    throw new ValidationError({ stage: `must be one of ${ADKAR_STAGES.join(", ")}` });
  const g = group as StakeholderType;
  const to = stage as AdkarStage;
  const now = ctx.clock();
  return ctx.db.$transaction(async (tx) => {
    const account = await accountIn(tx, actor.workspaceId, accountId);
    const key = { workspaceId_accountId_group: { workspaceId: actor.workspaceId, accountId, group: g } };
    const current = await tx.adkarStatus.findUnique({ where: key });
    const from = current?.stage ?? null;
    if (from === to) return { accountName: account.name, group: g, from, to, tasksCreated: 0 };
    await tx.adkarStatus.upsert({
      where: key,
      create: {
        workspaceId: actor.workspaceId,
        accountId,
        group: g,
        stage: to,
        since: now,
        setBySlackId: actor.slackUserId,
      },
      update: { stage: to, since: now, setBySlackId: actor.slackUserId },
    });
    await tx.adkarChange.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId,
        group: g,
        fromStage: from,
        toStage: to,
        changedAt: now,
        changedBySlackId: actor.slackUserId,
        source,
        evidence,
      },
    });
    const tasksCreated = await openStageTasks(
      tx,
      actor.workspaceId,
      accountId,
      account.ownerId,
      g,
      to,
      startOfUtcDay(now),
      `ADKAR: ${g} at ${to}`,
    );
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "adkar.set",
      entityType: "adkar_status",
      entityId: `${accountId}:${g}`,
      accountId,
      details: { group: g, from, to, source },
      requestId: actor.requestId ?? null,
    });
    return { accountName: account.name, group: g, from, to, tasksCreated };
  });
}

/** Applies the stage the evidence suggests now (recomputed: a button's value is never trusted for it). */
export async function acceptAdkarSuggestion(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: PlanActor,
  accountId: number,
  group: string,
) {
  if (!(STAKEHOLDER_TYPES as readonly string[]).includes(group))
    throw new ValidationError({ group: `must be one of ${STAKEHOLDER_TYPES.join(", ")}` });
  await accountIn(ctx.db, actor.workspaceId, accountId);
  const evidence = await gatherAdkarEvidence(ctx.db, actor.workspaceId, accountId, ctx.clock());
  const suggestion = suggestAdkarStage(evidence.groups.find((g) => g.group === group)!, evidence.usage, ctx.clock());
  return setAdkarStage(
    ctx,
    actor,
    accountId,
    group,
    suggestion.stage,
    `suggestion:${suggestion.rule}`,
    suggestion.evidence,
  );
}

export interface PlanCardSummary {
  summary: PlanSummary;
  adkar: { group: StakeholderType; stage: AdkarStage | null; stuck: boolean }[];
}

/** What the account card shows of the plan; null when the account has no plan and no ADKAR yet. */
export async function getPlanCardSummary(
  db: Db,
  workspaceId: number,
  accountId: number,
  now: Date,
): Promise<PlanCardSummary | null> {
  const [objectives, milestones, statuses] = await Promise.all([
    db.successObjective.findMany({ where: { workspaceId, accountId }, select: { status: true } }),
    db.successMilestone.findMany({
      where: { workspaceId, accountId },
      select: { title: true, dueOn: true, completedOn: true },
    }),
    db.adkarStatus.findMany({ where: { workspaceId, accountId } }),
  ]);
  if (!objectives.length && !milestones.length && !statuses.length) return null;
  const statusOf = new Map(statuses.map((s) => [s.group, s]));
  return {
    summary: summarisePlan(objectives, milestones, startOfUtcDay(now)),
    adkar: STAKEHOLDER_TYPES.map((group) => {
      const s = statusOf.get(group);
      return { group, stage: s?.stage ?? null, stuck: Boolean(s && stuckAtStage(group, s.stage, s.since, now)) };
    }),
  };
}

export interface HomePlanRow {
  accountId: number;
  accountName: string;
  summary: PlanSummary;
}

/** The plans of a CSM's accounts, most overdue first, for App Home. */
export async function listPlansForOwner(
  db: Db,
  workspaceId: number,
  ownerId: number,
  now: Date,
  take = 15,
): Promise<HomePlanRow[]> {
  const accounts = await db.account.findMany({
    where: {
      workspaceId,
      ownerId,
      status: "active",
      OR: [{ successObjectives: { some: {} } }, { successMilestones: { some: {} } }],
    },
    select: {
      id: true,
      name: true,
      successObjectives: { select: { status: true } },
      successMilestones: { select: { title: true, dueOn: true, completedOn: true } },
    },
  });
  const today = startOfUtcDay(now);
  return accounts
    .map((a) => ({
      accountId: a.id,
      accountName: a.name,
      summary: summarisePlan(a.successObjectives, a.successMilestones, today),
    }))
    .sort((x, y) => y.summary.overdue - x.summary.overdue || x.accountName.localeCompare(y.accountName))
    .slice(0, take);
}

export interface PlanRiskSummary {
  stuckSignals: number;
  overdueSignals: number;
  resolved: number;
  tasksCreated: number;
}

/**
 * The nightly check: a group held at its stage longer than the stage allows, and milestones
 * past due, each become an open risk signal (one per account and kind while it lasts,
 * resolved once it no longer holds) and tasks for the owner.
 */
export async function detectPlanRisks(
  ctx: Pick<AppContext, "db">,
  workspaceId: number,
  now: Date,
): Promise<PlanRiskSummary> {
  const today = startOfUtcDay(now);
  const [statuses, milestones, open] = await Promise.all([
    ctx.db.adkarStatus.findMany({
      where: { workspaceId, account: { status: "active" } },
      include: { account: { select: { ownerId: true } } },
    }),
    ctx.db.successMilestone.findMany({
      where: { workspaceId, completedOn: null, dueOn: { lt: today }, account: { status: "active" } },
      select: {
        id: true,
        accountId: true,
        title: true,
        owner: true,
        dueOn: true,
        completedOn: true,
        objectiveId: true,
        account: { select: { ownerId: true } },
      },
    }),
    ctx.db.riskSignal.findMany({
      where: { workspaceId, kind: { in: [ADKAR_STUCK, MILESTONE_OVERDUE] }, resolvedAt: null },
      select: { id: true, accountId: true, kind: true },
    }),
  ]);
  const stuckByAccount = new Map<
    number,
    { ownerId: number | null; groups: NonNullable<ReturnType<typeof stuckAtStage>>[] }
  >();
  for (const s of statuses) {
    if (!isStakeholderGroup(s.group)) continue;
    const stuck = stuckAtStage(s.group, s.stage, s.since, now);
    if (!stuck) continue;
    const entry = stuckByAccount.get(s.accountId) ?? { ownerId: s.account.ownerId, groups: [] };
    entry.groups.push(stuck);
    stuckByAccount.set(s.accountId, entry);
  }
  const overdueByAccount = new Map<number, { ownerId: number | null; milestones: MilestoneFacts[] }>();
  for (const m of milestones) {
    const entry = overdueByAccount.get(m.accountId) ?? { ownerId: m.account.ownerId, milestones: [] };
    entry.milestones.push(m);
    overdueByAccount.set(m.accountId, entry);
  }
  const openKey = new Set(open.map((o) => `${o.kind}:${o.accountId}`));
  const toResolve = open
    .filter((o) => !(o.kind === ADKAR_STUCK ? stuckByAccount : overdueByAccount).has(o.accountId))
    .map((o) => o.id);

  return ctx.db.$transaction(async (tx) => {
    let tasksCreated = 0;
    let stuckSignals = 0;
    let overdueSignals = 0;
    for (const [accountId, entry] of stuckByAccount) {
      if (!openKey.has(`${ADKAR_STUCK}:${accountId}`)) {
        await tx.riskSignal.create({
          data: {
            workspaceId,
            accountId,
            kind: ADKAR_STUCK,
            detectedOn: today,
            details: { groups: entry.groups } as never,
          },
        });
        stuckSignals++;
      }
      for (const g of entry.groups) {
        tasksCreated += await openStageTasks(
          tx,
          workspaceId,
          accountId,
          entry.ownerId,
          g.group,
          g.stage,
          today,
          `ADKAR: ${g.group} at ${g.stage} for ${g.daysAtStage} days (the stage allows ${g.allowedDays})`,
        );
      }
    }
    for (const [accountId, entry] of overdueByAccount) {
      const overdue = overdueMilestones(entry.milestones, today);
      if (!openKey.has(`${MILESTONE_OVERDUE}:${accountId}`)) {
        await tx.riskSignal.create({
          data: {
            workspaceId,
            accountId,
            kind: MILESTONE_OVERDUE,
            detectedOn: today,
            details: { milestones: overdue } as never,
          },
        });
        overdueSignals++;
      }
      const { count } = await tx.playbookTask.createMany({
        data: overdue.map((m) => ({
          workspaceId,
          accountId,
          ownerId: entry.ownerId,
          dedupeKey: `milestone_overdue:${m.id}`,
          title: `Unblock the overdue milestone “${m.title.slice(0, 150)}” with its owner`,
          detail: `Success plan: ${m.daysOverdue} days overdue`,
          dueOn: addDays(today, 3),
        })),
        skipDuplicates: true,
      });
      tasksCreated += count;
    }
    if (toResolve.length)
      await tx.riskSignal.updateMany({ where: { workspaceId, id: { in: toResolve } }, data: { resolvedAt: now } });
    return { stuckSignals, overdueSignals, resolved: toResolve.length, tasksCreated };
  });
}
