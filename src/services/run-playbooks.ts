// The nightly playbook run: gather every active account's trigger inputs in one query,
// evaluate the rules, and turn each firing into tasks for the owner (or into a recorded
// control-group firing with no tasks). A task still open (or snoozed) is never duplicated;
// each owner gets one DM listing all of their new tasks.
import type { AppContext } from "../app-context.js";
import { addDays, isoDay, startOfUtcDay } from "../domain/dates.js";
import type { HealthBand } from "../domain/vocabulary.js";
import {
  assignGroup,
  DEFAULT_PLAYBOOKS,
  playbookConfigSchema,
  thresholdsFor,
  type PlaybookDefinition,
  type PlaybookInputs,
} from "../domain/playbooks/rules.js";
import type { Playbook } from "../generated/prisma/client.js";
import { type ChannelAttention, channelAttention } from "./channel-signals.js";
import { suggestStages } from "./stage-suggestions.js";
import { keepTasksWithAccounts } from "./task-actions.js";
import { detectPlanRisks } from "./success-plans.js";

type Ctx = Pick<AppContext, "db" | "logger" | "slack">;

/** Firing again within this many days is noise (it matters for the control group, which has no task to dedupe on). */
const REFIRE_AFTER_DAYS = 30;

export interface PlaybookRunSummary {
  workspaceId: number;
  fired: number;
  treated: number;
  control: number;
  tasksCreated: number;
  ownersNotified: number;
}

/** Creates the default playbooks a workspace does not have yet. */
export async function ensureDefaultPlaybooks(ctx: Pick<AppContext, "db">, workspaceId: number): Promise<Playbook[]> {
  await ctx.db.playbook.createMany({
    data: DEFAULT_PLAYBOOKS.map((p) => ({
      workspaceId,
      key: p.key,
      name: p.name,
      config: playbookConfigSchema.parse({}),
    })),
    skipDuplicates: true,
  });
  return ctx.db.playbook.findMany({ where: { workspaceId } });
}

interface InputRow {
  accountId: number;
  ownerId: number | null;
  name: string;
  segment: string | null;
  stage: string;
  ageDays: number;
  score: number | null;
  band: HealthBand | null;
  share14: number | null;
  bestShare: number | null;
  lastLoginDaysAgo: number | null;
  hasUsage: boolean;
  detractor: number | null;
  lowCsat: number | null;
  scoreDrop: boolean;
  renewalInDays: number | null;
  sponsorLeftDaysAgo: number | null;
}

export async function gatherPlaybookInputs(
  ctx: Pick<AppContext, "db">,
  workspaceId: number,
  now: Date,
): Promise<InputRow[]> {
  const today = startOfUtcDay(now);
  const weekAgo = addDays(now, -7);
  return ctx.db.$queryRaw<InputRow[]>`
    SELECT a."id" AS "accountId", a."ownerId", a."name", a."segment", a."stage"::text AS "stage",
           (${today}::date - least(a."createdAt"::date, coalesce(a."contractStart", a."createdAt"::date)))::int AS "ageDays",
           s."score", s."band"::text AS "band",
           u."share14", u."bestShare", u."lastLoginDaysAgo", coalesce(u."hasUsage", false) AS "hasUsage",
           n."score" AS "detractor", c."score" AS "lowCsat",
           EXISTS (SELECT 1 FROM "risk_signal" r WHERE r."workspaceId" = a."workspaceId" AND r."accountId" = a."id"
                     AND r."kind" = 'score_drop' AND r."resolvedAt" IS NULL AND r."detectedOn" > ${addDays(today, -7)}::date) AS "scoreDrop",
           (a."renewalDate" - ${today}::date)::int AS "renewalInDays",
           sp."leftDaysAgo" AS "sponsorLeftDaysAgo"
      FROM "account" a
      LEFT JOIN LATERAL (
        SELECT h."score", h."band" FROM "health_snapshot" h
         WHERE h."workspaceId" = a."workspaceId" AND h."accountId" = a."id" ORDER BY h."scoredOn" DESC LIMIT 1) s ON true
      LEFT JOIN LATERAL (
        SELECT avg(d."activeUsers"::float8 / nullif(coalesce(d."seats", a."seats"), 0)) FILTER (WHERE d."day" > ${addDays(today, -14)}::date) AS "share14",
               max(d."activeUsers"::float8 / nullif(coalesce(d."seats", a."seats"), 0)) AS "bestShare",
               (${today}::date - max(d."day") FILTER (WHERE d."logins" > 0))::int AS "lastLoginDaysAgo",
               count(*) > 0 AS "hasUsage"
          FROM "usage_daily" d WHERE d."workspaceId" = a."workspaceId" AND d."accountId" = a."id") u ON true
      LEFT JOIN LATERAL (
        SELECT r."score" FROM "survey_response" r
         WHERE r."workspaceId" = a."workspaceId" AND r."accountId" = a."id" AND r."kind" = 'nps' AND r."score" <= 6 AND r."respondedAt" > ${weekAgo}
         ORDER BY r."respondedAt" DESC LIMIT 1) n ON true
      LEFT JOIN LATERAL (
        SELECT r."score" FROM "survey_response" r
         WHERE r."workspaceId" = a."workspaceId" AND r."accountId" = a."id" AND r."kind" = 'csat' AND r."score" <= 2 AND r."respondedAt" > ${weekAgo}
         ORDER BY r."respondedAt" DESC LIMIT 1) c ON true
      LEFT JOIN LATERAL (
        SELECT min(${today}::date - ct."leftAt")::int AS "leftDaysAgo" FROM "contact" ct
         WHERE ct."workspaceId" = a."workspaceId" AND ct."accountId" = a."id" AND (ct."stakeholderType" = 'sponsor' OR ct."likelyChampion") AND ct."leftAt" IS NOT NULL) sp ON true
     WHERE a."workspaceId" = ${workspaceId} AND a."status" = 'active'`;
}

function toInputs(r: InputRow, channel: ChannelAttention | undefined): PlaybookInputs {
  return {
    accountId: r.accountId,
    segment: r.segment,
    stage: r.stage,
    ageDays: r.ageDays,
    band: r.band,
    score: r.score,
    activeSeatShare14d: r.share14,
    bestActiveSeatShare: r.bestShare,
    daysSinceLastLogin: r.lastLoginDaysAgo,
    hasUsageData: r.hasUsage,
    latestDetractorNps: r.detractor,
    latestLowCsat: r.lowCsat,
    scoreDropSignal: r.scoreDrop,
    renewalInDays: r.renewalInDays,
    sponsorLeftDaysAgo: r.sponsorLeftDaysAgo,
    oldestUnansweredQuestionHours: channel?.oldestUnansweredHours ?? null,
    customerQuietDays: channel?.weeklyBefore ? channel.daysSinceCustomerMessage : null,
  };
}

export async function runPlaybooksForWorkspace(ctx: Ctx, workspaceId: number, now: Date): Promise<PlaybookRunSummary> {
  const today = startOfUtcDay(now);
  const firedOn = isoDay(today);
  // Owners and churns changed elsewhere (the API, a CRM sync) since: tasks follow their accounts.
  await keepTasksWithAccounts(ctx.db, workspaceId);
  const playbooks = (await ensureDefaultPlaybooks(ctx, workspaceId)).filter((p) => p.enabled);
  const definitions = new Map<string, PlaybookDefinition>(DEFAULT_PLAYBOOKS.map((d) => [d.key, d]));
  const rows = await gatherPlaybookInputs(ctx, workspaceId, now);
  const [openTasks, recentFirings, channels] = await Promise.all([
    ctx.db.playbookTask.findMany({
      where: { workspaceId, status: { in: ["open", "snoozed"] } },
      select: { accountId: true, dedupeKey: true },
    }),
    ctx.db.playbookFiring.findMany({
      where: { workspaceId, firedOn: { gt: addDays(today, -REFIRE_AFTER_DAYS) } },
      select: { accountId: true, playbookId: true },
    }),
    channelAttention(ctx.db, workspaceId, now),
  ]);
  const open = new Set(openTasks.map((t) => `${t.accountId}:${t.dedupeKey}`));
  const recent = new Set(recentFirings.map((f) => `${f.accountId}:${f.playbookId}`));

  interface Planned {
    playbook: Playbook;
    def: PlaybookDefinition;
    row: InputRow;
    why: string;
    group: "treated" | "control";
  }
  const planned: Planned[] = [];
  for (const playbook of playbooks) {
    const def = definitions.get(playbook.key);
    if (!def) continue;
    const parsed = playbookConfigSchema.safeParse(playbook.config);
    const config = parsed.success ? parsed.data : playbookConfigSchema.parse({});
    if (!parsed.success)
      ctx.logger.warn({ workspaceId, playbook: playbook.key }, "invalid playbook config: using the defaults");
    for (const row of rows) {
      if (open.has(`${row.accountId}:${playbook.key}`) || recent.has(`${row.accountId}:${playbook.id}`)) continue;
      const why = def.evaluate(toInputs(row, channels.get(row.accountId)), thresholdsFor(config, row.segment));
      if (!why) continue;
      planned.push({
        playbook,
        def,
        row,
        why,
        group: assignGroup(playbook.key, row.accountId, firedOn, Number(playbook.controlShare)),
      });
    }
  }

  const created = await ctx.db.$transaction(async (tx) => {
    if (!planned.length) return [];
    const firings = await tx.playbookFiring.createManyAndReturn({
      data: planned.map((p) => ({
        workspaceId,
        playbookId: p.playbook.id,
        accountId: p.row.accountId,
        firedOn: today,
        group: p.group,
        scoreAtFiring: p.row.score,
        details: { why: p.why },
      })),
      select: { id: true, playbookId: true, accountId: true },
    });
    const firingOf = new Map(firings.map((f) => [`${f.playbookId}:${f.accountId}`, f.id]));
    // Onboarding is the most critical stage: a stall is also a risk signal digests can show.
    await tx.riskSignal.createMany({
      data: planned
        .filter((p) => p.playbook.key === "stalled_onboarding")
        .map((p) => ({
          workspaceId,
          accountId: p.row.accountId,
          kind: "stalled_onboarding",
          detectedOn: today,
          details: { why: p.why },
        })),
      skipDuplicates: true,
    });
    const tasks = planned
      .filter((p) => p.group === "treated")
      .flatMap((p) =>
        p.def.tasks.map((task, i) => ({
          workspaceId,
          accountId: p.row.accountId,
          playbookId: p.playbook.id,
          firingId: firingOf.get(`${p.playbook.id}:${p.row.accountId}`)!,
          ownerId: p.row.ownerId,
          // One open task per (account, playbook, step): the partial unique index enforces it.
          dedupeKey: i === 0 ? p.playbook.key : `${p.playbook.key}:${i + 1}`,
          title: task.title,
          detail: `${p.def.name}: ${p.why}`,
          dueOn: addDays(today, task.dueInDays),
        })),
      );
    return tx.playbookTask.createManyAndReturn({
      data: tasks,
      skipDuplicates: true,
      select: { id: true, ownerId: true, title: true, dueOn: true, accountId: true, detail: true },
    });
  });

  // One DM per owner, after the tasks are committed.
  const names = new Map(rows.map((r) => [r.accountId, r.name]));
  const byOwner = new Map<number, typeof created>();
  for (const t of created) {
    if (t.ownerId === null) continue;
    const list = byOwner.get(t.ownerId);
    if (list) list.push(t);
    else byOwner.set(t.ownerId, [t]);
  }
  let notified = 0;
  if (byOwner.size) {
    const owners = await ctx.db.user.findMany({
      where: { workspaceId, id: { in: [...byOwner.keys()] } },
      select: { id: true, slackUserId: true },
    });
    for (const owner of owners) {
      const tasks = byOwner.get(owner.id)!;
      const rows = tasks.map((t) => ({
        id: t.id,
        title: t.title,
        accountName: names.get(t.accountId) ?? "",
        dueOn: t.dueOn,
        detail: t.detail,
      }));
      try {
        await ctx.slack
          .forWorkspace(workspaceId)
          .dm(owner.slackUserId, { view: { kind: "playbook-tasks", tasks: rows } });
        await ctx.db.playbookTask.updateMany({
          where: { workspaceId, id: { in: tasks.map((t) => t.id) } },
          data: { notifiedAt: now },
        });
        notified++;
      } catch (error) {
        ctx.logger.warn({ err: error, workspaceId }, "could not DM an owner their new tasks");
      }
    }
  }
  return {
    workspaceId,
    fired: planned.length,
    treated: planned.filter((p) => p.group === "treated").length,
    control: planned.filter((p) => p.group === "control").length,
    tasksCreated: created.length,
    ownersNotified: notified,
  };
}

/** Snoozed tasks whose snooze ended are open again. */
export async function reopenSnoozedTasks(
  ctx: Pick<AppContext, "db">,
  now: Date,
  workspaceIds?: number[],
): Promise<number> {
  const { count } = await ctx.db.playbookTask.updateMany({
    where: {
      status: "snoozed",
      snoozedUntil: { lte: startOfUtcDay(now) },
      ...(workspaceIds && { workspaceId: { in: workspaceIds } }),
    },
    data: { status: "open", snoozedUntil: null },
  });
  return count;
}

export async function runPlaybooks(ctx: Ctx, now: Date, workspaceIds?: number[]): Promise<PlaybookRunSummary[]> {
  await reopenSnoozedTasks(ctx, now, workspaceIds);
  const workspaces = await ctx.db.workspace.findMany({
    where: { active: true, ...(workspaceIds && { id: { in: workspaceIds } }) },
    select: { id: true },
  });
  const out: PlaybookRunSummary[] = [];
  for (const w of workspaces) {
    out.push(await runPlaybooksForWorkspace(ctx, w.id, now));
    await suggestStages(ctx, w.id, now).catch((error: unknown) =>
      ctx.logger.warn({ err: error, workspaceId: w.id }, "stage suggestions failed"),
    );
    await detectPlanRisks(ctx, w.id, now).catch((error: unknown) =>
      ctx.logger.warn({ err: error, workspaceId: w.id }, "success plan risk check failed"),
    );
  }
  return out;
}
