// The QBR pack: built for one account and one quarter from stored evidence only (the plan,
// health snapshots, usage, touchpoints, surveys, ADKAR history, risk signals, tasks, the
// account's renewal and ARR), stored, and audited. Delivery (a canvas, or a markdown file)
// happens in src/slack; the customer version exists only once the CSM approves it.
import type { AppContext } from "../app-context.js";
import type { Db } from "../db/client.js";
import { addDays, displayDay, isoDay, startOfUtcDay } from "../domain/dates.js";
import { parseTrendPeriod, previousPeriod } from "../domain/period.js";
import { STAKEHOLDER_TYPES, type SurveyKind } from "../domain/vocabulary.js";
import {
  qbrPackContentSchema,
  toCustomerPack,
  type QbrPackContent,
  type QbrSurveyFigure,
} from "../domain/success-plan-qbr.js";
import { milestoneState, objectiveProgress, proposeNextQuarterGoals } from "../domain/success-plan.js";
import { computeCes, computeCsat, computeNps } from "../domain/voc.js";
import { AppError } from "../errors.js";
import { recordAudit } from "./audit.js";
import { loadPlanRows, type PlanActor } from "./success-plans.js";

export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/i;

/** The quarter asked for ("2026-Q4"), or the current one. */
export function parseQuarter(
  text: string | undefined,
  now: Date,
): { quarter: string; start: Date; end: Date; label: string } {
  const today = startOfUtcDay(now);
  const wanted = text?.trim() || `${today.getUTCFullYear()}-Q${Math.floor(today.getUTCMonth() / 3) + 1}`;
  const m = QUARTER_PATTERN.exec(wanted);
  const period = m ? parseTrendPeriod(`${m[1]}-q${m[2]}`, now) : undefined;
  if (!m || !period)
    throw new AppError(
      "INVALID_INPUT",
      `bad quarter ${wanted}`,
      `“${wanted.slice(0, 40)}” is not a quarter: write it like 2026-Q4.`,
    );
  if (period.start > today)
    throw new AppError(
      "INVALID_INPUT",
      `future quarter ${wanted}`,
      `${m[1]}-Q${m[2]} has not started yet: a QBR reports on evidence Pulse already holds.`,
    );
  return { quarter: `${m[1]}-Q${m[2]}`, start: period.start, end: period.end, label: period.label };
}

const pct1 = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

function surveyFigure(kind: SurveyKind, now: number[], before: number[]): QbrSurveyFigure {
  const f = kind === "nps" ? computeNps : kind === "csat" ? computeCsat : computeCes;
  const a = f(now);
  const b = f(before);
  return { value: a.value, responses: a.responses, previous: b.value, previousResponses: b.responses };
}

/** Builds the internal pack's content for one account and quarter; reads only. */
export async function composeQbrPack(
  db: Db,
  workspaceId: number,
  accountId: number,
  quarterText: string | undefined,
  now: Date,
): Promise<QbrPackContent> {
  const q = parseQuarter(quarterText, now);
  const account = await db.account.findFirst({
    where: { id: accountId, workspaceId },
    select: { id: true, name: true, currency: true, arr: true, renewalDate: true, seats: true },
  });
  if (!account)
    throw new AppError(
      "NOT_FOUND",
      `account ${accountId} not in workspace ${workspaceId}`,
      "That account does not exist in this workspace.",
    );
  const today = startOfUtcDay(now);
  // A quarter still running is reported up to today.
  const end = q.end > addDays(today, 1) ? addDays(today, 1) : q.end;
  const start = q.start;
  const prev = previousPeriod({ label: q.label, unit: "quarter", start: q.start, end: q.end });
  const periodText = `${displayDay(start)} to ${displayDay(addDays(end, -1))}`;
  const prevText = `${displayDay(prev.start)} to ${displayDay(addDays(prev.end, -1))}`;
  const where = { workspaceId, accountId };

  const [plan, snapshots, usage, prevUsage, modules, touchpoints, surveys, statuses, changes, signals, tasks] =
    await Promise.all([
      loadPlanRows(db, workspaceId, accountId),
      db.healthSnapshot.findMany({
        where: { ...where, scoredOn: { gte: start, lt: end } },
        orderBy: { scoredOn: "asc" },
        select: { scoredOn: true, score: true, band: true },
      }),
      usageShare(db, workspaceId, accountId, start, end),
      usageShare(db, workspaceId, accountId, prev.start, prev.end),
      db.$queryRaw<{ name: string; uses: bigint }[]>`
      SELECT m.key AS "name", sum(m.value::bigint) AS "uses"
        FROM "usage_daily" u, jsonb_each_text(u."modules") m
       WHERE u."workspaceId" = ${workspaceId} AND u."accountId" = ${accountId} AND u."day" >= ${start}::date AND u."day" < ${end}::date AND m.value ~ '^[0-9]+$'
       GROUP BY m.key HAVING sum(m.value::bigint) > 0 ORDER BY 2 DESC, 1`,
      db.touchpoint.findMany({
        where: { ...where, occurredAt: { gte: start, lt: end } },
        orderBy: { occurredAt: "asc" },
        select: { occurredAt: true, kind: true, stakeholderTypes: true, sentiment: true, notes: true },
      }),
      db.surveyResponse.findMany({
        where: { ...where, respondedAt: { gte: prev.start, lt: end } },
        select: { kind: true, score: true, respondedAt: true },
      }),
      db.adkarStatus.findMany({ where }),
      db.adkarChange.findMany({
        where: { ...where, changedAt: { gte: start, lt: end } },
        orderBy: { changedAt: "asc" },
      }),
      db.riskSignal.findMany({
        where: { ...where, resolvedAt: null, kind: { not: "stage_suggestion" } },
        orderBy: { detectedOn: "desc" },
        take: 20,
        select: { kind: true, detectedOn: true },
      }),
      db.playbookTask.findMany({
        where: { ...where, status: { in: ["open", "snoozed"] } },
        orderBy: { dueOn: "asc" },
        take: 20,
        select: { title: true, dueOn: true },
      }),
    ]);

  const milestones = plan.milestones.map((m) => ({ ...m, state: milestoneState(m, today) }));
  const bandChanges: { day: string; from: string; to: string }[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    if (snapshots[i]!.band !== snapshots[i - 1]!.band)
      bandChanges.push({ day: isoDay(snapshots[i]!.scoredOn), from: snapshots[i - 1]!.band, to: snapshots[i]!.band });
  }
  const scores = snapshots.map((s) => s.score);
  const inQuarter = (d: Date) => d >= start && d < end;
  const scoresOf = (kind: string, current: boolean) =>
    surveys
      .filter((s) => s.kind === kind && (current ? inQuarter(s.respondedAt) : s.respondedAt < prev.end))
      .map((s) => s.score);
  const byKind: Record<string, number> = {};
  for (const t of touchpoints) byKind[t.kind] = (byKind[t.kind] ?? 0) + 1;
  const statusOf = new Map(statuses.map((s) => [s.group, s]));
  const nextQuarterStart = q.end;
  const nextQuarterEnd = new Date(Date.UTC(q.end.getUTCFullYear(), q.end.getUTCMonth() + 3, 1));

  return {
    version: 1,
    audience: "internal",
    account: { id: account.id, name: account.name, currency: account.currency },
    quarter: q.quarter,
    period: { label: q.label, start: isoDay(start), end: isoDay(addDays(end, -1)), asOf: isoDay(today) },
    previousPeriod: { start: isoDay(prev.start), end: isoDay(addDays(prev.end, -1)) },
    builtAt: now.toISOString(),
    objectives: {
      items: plan.objectives.map((o) => {
        const mine = milestones.filter((m) => m.objectiveId === o.id);
        const progress = objectiveProgress(o);
        return {
          id: o.id,
          title: o.title,
          metric: o.metric,
          unit: o.unit,
          baseline: o.baseline,
          target: o.target,
          current: o.current,
          measuredOn: o.measuredOn ? isoDay(o.measuredOn) : null,
          targetDate: o.targetDate ? isoDay(o.targetDate) : null,
          status: o.status,
          progressPct: progress === null ? null : Math.round(progress * 100),
          milestonesDone: mine.filter((m) => m.state === "done").length,
          milestonesTotal: mine.length,
          stakeholderTypes: o.stakeholderTypes,
          notes: o.notes,
        };
      }),
      cite: { source: "success plan (objectives, measured by the CSM)", period: `as of ${displayDay(today)}` },
    },
    milestones: {
      items: milestones.map((m) => ({
        id: m.id,
        title: m.title,
        owner: m.owner,
        dueOn: isoDay(m.dueOn),
        completedOn: m.completedOn ? isoDay(m.completedOn) : null,
        state: m.state,
      })),
      cite: { source: "success plan (milestones)", period: `as of ${displayDay(today)}` },
    },
    health: snapshots.length
      ? {
          points: snapshots.map((s) => ({ day: isoDay(s.scoredOn), score: s.score, band: s.band })),
          first: scores[0]!,
          last: scores.at(-1)!,
          min: Math.min(...scores),
          max: Math.max(...scores),
          bandChanges,
          cite: { source: `health snapshots (${snapshots.length} days scored)`, period: periodText },
        }
      : null,
    adoption: {
      activeSharePct: pct1(usage.share),
      previousActiveSharePct: pct1(prevUsage.share),
      usageDays: usage.days,
      modules: modules.map((m) => ({ name: m.name, uses: Number(m.uses) })),
      cite: {
        source: `product usage (${usage.days} days; active users ÷ seats, daily mean)`,
        period: `${periodText}; previous quarter ${prevText}`,
      },
      groups: STAKEHOLDER_TYPES.map((group) => {
        const s = statusOf.get(group);
        return {
          group,
          stage: s?.stage ?? null,
          since: s ? isoDay(s.since) : null,
          changes: changes
            .filter((c) => c.group === group)
            .map((c) => ({ day: isoDay(c.changedAt), from: c.fromStage, to: c.toStage })),
        };
      }),
      groupsCite: {
        source: "ADKAR status and history, set by the CSM",
        period: `changes ${periodText}; stage as of ${displayDay(today)}`,
      },
    },
    touchpoints: {
      total: touchpoints.length,
      byKind,
      items: touchpoints.map((t) => ({
        day: isoDay(t.occurredAt),
        kind: t.kind,
        stakeholderTypes: t.stakeholderTypes,
        sentiment: t.sentiment,
        notes: t.notes,
      })),
      cite: { source: "touchpoints logged in Pulse", period: periodText },
    },
    surveys: {
      nps: surveyFigure("nps", scoresOf("nps", true), scoresOf("nps", false)),
      csat: surveyFigure("csat", scoresOf("csat", true), scoresOf("csat", false)),
      ces: surveyFigure("ces", scoresOf("ces", true), scoresOf("ces", false)),
      cite: {
        source: "survey answers (NPS: % promoters − % detractors; CSAT: % 4–5; CES: mean 1–7)",
        period: `${periodText}; trend against ${prevText}`,
      },
    },
    risks: {
      signals: signals.map((s) => ({ kind: s.kind, detectedOn: isoDay(s.detectedOn) })),
      openTasks: tasks.map((t) => ({ title: t.title, dueOn: isoDay(t.dueOn) })),
      cite: { source: "open risk signals and playbook tasks", period: `as of ${displayDay(today)}` },
    },
    renewal: {
      renewalDate: account.renewalDate ? isoDay(account.renewalDate) : null,
      arr: account.arr.toFixed(2),
      currency: account.currency,
      cite: { source: "account record (CRM import)", period: `as of ${displayDay(today)}` },
    },
    nextQuarterGoals: {
      items: proposeNextQuarterGoals({
        objectives: plan.objectives,
        milestones: plan.milestones,
        adkar: STAKEHOLDER_TYPES.map((group) => ({ group, stage: statusOf.get(group)?.stage ?? null })),
        activeShare: usage.share,
        nextQuarterStart,
        nextQuarterEnd,
        today,
      }),
      cite: {
        source: "proposed from the open objectives, milestones and ADKAR stages above",
        period: `for ${displayDay(nextQuarterStart)} to ${displayDay(addDays(nextQuarterEnd, -1))}`,
      },
    },
  };
}

/** Daily mean of active users ÷ seats (the day's seats, else the account's) over [start, end). */
async function usageShare(
  db: Db,
  workspaceId: number,
  accountId: number,
  start: Date,
  end: Date,
): Promise<{ share: number | null; days: number }> {
  const [row] = await db.$queryRaw<{ share: number | null; days: number }[]>`
    SELECT avg(u."activeUsers"::float8 / nullif(coalesce(u."seats", a."seats"), 0)) AS "share", count(*)::int AS "days"
      FROM "usage_daily" u JOIN "account" a ON a."workspaceId" = u."workspaceId" AND a."id" = u."accountId"
     WHERE u."workspaceId" = ${workspaceId} AND u."accountId" = ${accountId} AND u."day" >= ${start}::date AND u."day" < ${end}::date`;
  return { share: row?.share ?? null, days: row?.days ?? 0 };
}

export interface BuiltPack {
  packId: number;
  content: QbrPackContent;
}

/** Builds and stores the internal pack, with its audit row. */
export async function buildQbrPack(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: PlanActor,
  accountId: number,
  quarter: string | undefined,
): Promise<BuiltPack> {
  const now = ctx.clock();
  const content = await composeQbrPack(ctx.db, actor.workspaceId, accountId, quarter, now);
  return ctx.db.$transaction(async (tx) => {
    const pack = await tx.qbrPack.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId,
        quarter: content.quarter,
        builtBySlackId: actor.slackUserId,
        builtAt: now,
        content: content as never,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "qbr.build",
      entityType: "qbr_pack",
      entityId: pack.id,
      accountId,
      details: { quarter: content.quarter },
      requestId: actor.requestId ?? null,
    });
    return { packId: pack.id, content };
  });
}

export type Audience = "internal" | "customer";

/** Records where a version of the pack was delivered ("canvas" or "markdown", and its Slack id). */
export async function recordQbrDelivery(
  db: Db,
  actor: PlanActor,
  packId: number,
  audience: Audience,
  delivery: { kind: "canvas" | "markdown"; ref: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const data =
      audience === "internal"
        ? { internalDelivery: delivery.kind, internalRef: delivery.ref }
        : { customerDelivery: delivery.kind, customerRef: delivery.ref };
    const { count } = await tx.qbrPack.updateMany({ where: { id: packId, workspaceId: actor.workspaceId }, data });
    if (!count)
      throw new AppError("NOT_FOUND", `qbr pack ${packId}`, "That QBR pack does not exist in this workspace.");
    const pack = await tx.qbrPack.findFirstOrThrow({
      where: { id: packId, workspaceId: actor.workspaceId },
      select: { accountId: true },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: `qbr.deliver.${audience}`,
      entityType: "qbr_pack",
      entityId: packId,
      accountId: pack.accountId,
      details: { delivery: delivery.kind, ref: delivery.ref },
      requestId: actor.requestId ?? null,
    });
  });
}

/**
 * The CSM approves the customer version: only whoever built the pack, the account's owner,
 * or a manager or admin may. Answers the customer version of the stored content, so what
 * the customer sees is what the CSM reviewed, not a rebuild.
 */
export async function approveCustomerPack(
  db: Db,
  actor: PlanActor & { role: "csm" | "manager" | "admin" },
  packId: number,
  now: Date,
): Promise<{ content: QbrPackContent; alreadyApproved: boolean }> {
  return db.$transaction(async (tx) => {
    const pack = await tx.qbrPack.findFirst({
      where: { id: packId, workspaceId: actor.workspaceId },
      include: { account: { select: { owner: { select: { slackUserId: true } } } } },
    });
    if (!pack) throw new AppError("NOT_FOUND", `qbr pack ${packId}`, "That QBR pack does not exist in this workspace.");
    const allowed =
      actor.role !== "csm" ||
      pack.builtBySlackId === actor.slackUserId ||
      pack.account.owner?.slackUserId === actor.slackUserId;
    if (!allowed)
      throw new AppError(
        "FORBIDDEN",
        `user ${actor.slackUserId} may not approve pack ${packId}`,
        "Only the CSM who built this pack, the account's owner, or a manager can approve the customer version.",
      );
    const parsed = qbrPackContentSchema.safeParse(pack.content);
    if (!parsed.success)
      throw new AppError(
        "INTERNAL",
        `qbr pack ${packId} content unreadable`,
        "This QBR pack cannot be read any more; build it again with /pulse qbr.",
      );
    const alreadyApproved = pack.approvedAt !== null;
    if (!alreadyApproved) {
      await tx.qbrPack.update({
        where: { id: pack.id },
        data: { approvedAt: now, approvedBySlackId: actor.slackUserId },
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorSlackId: actor.slackUserId,
        action: "qbr.approve",
        entityType: "qbr_pack",
        entityId: pack.id,
        accountId: pack.accountId,
        details: { quarter: pack.quarter },
        requestId: actor.requestId ?? null,
      });
    }
    return { content: toCustomerPack(parsed.data), alreadyApproved };
  });
}
