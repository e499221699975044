// Writes the demo portfolio (src/domain/demo-portfolio.ts) into its own workspace, in one
// transaction: a half-seeded demo would tell a false story.
import type { AppContext } from "../app-context.js";
import type { Db } from "../db/client.js";
import { upsertUsageDaily } from "../db/usage-daily.js";
import { computeWarning } from "../domain/churn-post-mortem.js";
import { ensureDefaultPlaybooks } from "./run-playbooks.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import {
  DEMO_HISTORY_DAYS,
  DEMO_TEAM_ID,
  generateDemoPortfolio,
  type DemoPortfolio,
} from "../domain/demo-portfolio.js";
import { backfillScores, type BackfillResult, type ScoringRunSummary } from "./score-accounts.js";

export interface SeedDemoResult {
  workspaceId: number;
  accounts: number;
  usageDays: number;
  touchpoints: number;
  surveys: number;
  churned: number;
}

const CHUNK = 5_000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

export async function seedDemoPortfolio(
  db: Db,
  options: { now: Date; seed?: number; teamId?: string; reset?: boolean },
): Promise<SeedDemoResult> {
  const portfolio: DemoPortfolio = generateDemoPortfolio(options.now, options.seed);
  const teamId = options.teamId ?? portfolio.teamId;
  const result = await db.$transaction(
    async (tx) => {
      const existing = await tx.workspace.findUnique({ where: { slackTeamId: teamId } });
      if (existing && !options.reset) {
        throw new Error(
          `Workspace ${teamId} already exists; pass --reset to replace its data with the demo portfolio.`,
        );
      }
      if (existing) await tx.workspace.delete({ where: { id: existing.id } });
      const workspace = await tx.workspace.create({
        data: { slackTeamId: teamId, name: portfolio.workspaceName, settings: { demo: true } },
      });
      const workspaceId = workspace.id;
      await tx.user.createMany({ data: portfolio.users.map((u) => ({ workspaceId, ...u })) });
      const users = await tx.user.findMany({ where: { workspaceId } });
      const userId = new Map(users.map((u) => [u.slackUserId, u.id]));

      await tx.account.createMany({
        data: portfolio.accounts.map((a) => ({
          workspaceId,
          externalId: a.externalId,
          name: a.name,
          domain: a.domain,
          segment: a.segment,
          ownerId: userId.get(a.ownerSlackId)!,
          arr: a.arr,
          seats: a.seats,
          contractStart: a.contractStart,
          renewalDate: a.renewalDate,
          stage: a.stage,
          stageSince: a.createdAt,
          status: a.status,
          churnedAt: a.churn?.churnedOn ?? null,
          createdAt: a.createdAt,
        })),
      });
      const accounts = await tx.account.findMany({ where: { workspaceId }, select: { id: true, externalId: true } });
      const accountId = new Map(accounts.map((a) => [a.externalId!, a.id]));

      const contactRows = portfolio.accounts.flatMap((a) =>
        a.contacts.map((c, i) => ({
          workspaceId,
          accountId: accountId.get(a.externalId)!,
          externalId: `${a.externalId}-C${i + 1}`,
          name: c.name,
          email: c.email,
          title: c.title,
          stakeholderType: c.stakeholderType,
          leftAt: c.leftAt ?? null,
        })),
      );
      await inChunks(contactRows, (chunk) => tx.contact.createMany({ data: chunk }));
      const contacts = await tx.contact.findMany({ where: { workspaceId }, select: { id: true, externalId: true } });
      const contactId = new Map(contacts.map((c) => [c.externalId!, c.id]));

      const usageRows = portfolio.accounts.flatMap((a) =>
        a.usage.map((u) => ({ workspaceId, accountId: accountId.get(a.externalId)!, ...u, source: "demo" as const })),
      );
      await upsertUsageDaily(tx, usageRows);

      const touchpointRows = portfolio.accounts.flatMap((a) =>
        a.touchpoints.map((t) => ({
          workspaceId,
          accountId: accountId.get(a.externalId)!,
          ...t,
          source: "demo" as const,
          loggedById: userId.get(a.ownerSlackId)!,
        })),
      );
      await inChunks(touchpointRows, (chunk) => tx.touchpoint.createMany({ data: chunk }));

      const surveyRows = portfolio.accounts.flatMap((a) =>
        a.surveys.map((s) => ({
          workspaceId,
          accountId: accountId.get(a.externalId)!,
          contactId: contactId.get(`${a.externalId}-C${s.contactIndex + 1}`)!,
          kind: s.kind,
          score: s.score,
          comment: s.comment ?? null,
          respondedAt: s.respondedAt,
          stakeholderType: s.stakeholderType,
          source: "demo" as const,
          // Old answers were handled long ago; only new ones alert their owner.
          detractorAlertedAt: s.respondedAt,
        })),
      );
      await inChunks(surveyRows, (chunk) => tx.surveyResponse.createMany({ data: chunk }));

      const churned = portfolio.accounts.filter((a) => a.churn);
      const churnEvents = await tx.churnEvent.createManyAndReturn({
        data: churned.map((a) => ({
          workspaceId,
          accountId: accountId.get(a.externalId)!,
          kind: "full" as const,
          churnedOn: a.churn!.churnedOn,
          arrBefore: a.arr,
          arrLost: a.arr,
          primaryReason: a.churn!.primaryReason,
          contributingFactors: a.churn!.contributingFactors,
          warningSigns: a.churn!.warningSigns,
          lessons: a.churn!.lessons,
          preventable: a.churn!.preventable,
          filedById: userId.get(a.ownerSlackId)!,
          filedAt: a.churn!.churnedOn,
        })),
        select: { id: true, accountId: true },
      });
      const churnEventOf = new Map(churnEvents.map((e) => [e.accountId, e.id]));
      await tx.arrChange.createMany({
        data: portfolio.accounts.flatMap((a) => {
          const id = accountId.get(a.externalId)!;
          return a.arrChanges.map((c) => ({
            workspaceId,
            accountId: id,
            ...c,
            churnEventId: c.kind === "churn" ? churnEventOf.get(id)! : null,
          }));
        }),
      });
      await tx.stageChange.createMany({
        data: portfolio.accounts.map((a) => ({
          workspaceId,
          accountId: accountId.get(a.externalId)!,
          fromStage: null,
          toStage: a.stage,
          changedAt: a.createdAt,
          source: "demo",
        })),
      });

      await tx.auditLog.create({
        data: {
          workspaceId,
          action: "demo.seed",
          entityType: "workspace",
          entityId: String(workspaceId),
          details: { accounts: accounts.length },
        },
      });
      return {
        workspaceId,
        accounts: accounts.length,
        usageDays: usageRows.length,
        touchpoints: touchpointRows.length,
        surveys: surveyRows.length,
        churned: portfolio.accounts.filter((a) => a.churn).length,
      };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  // Fresh statistics after a bulk load, so the planner aggregates the new rows with hash
  // joins at once instead of waiting for autovacuum to notice them.
  await db.$executeRawUnsafe(
    `ANALYZE "account", "usage_daily", "touchpoint", "contact", "survey_response", "health_snapshot"`,
  );
  return result;
}

export interface SeedDemoWithHistoryResult extends SeedDemoResult {
  history: BackfillResult;
  today: ScoringRunSummary;
  /** The tasks the first night left open. */
  openTasks: number;
}

/**
 * The nightly pipeline (scores, then playbooks and stage suggestions, then App Home) for one
 * workspace, as the score-accounts job runs it. Handed in by the caller: the job lives in
 * src/jobs, which services do not import.
 */
export type NightlyRun = (workspaceId: number, now: Date) => Promise<ScoringRunSummary>;

/**
 * Seeds the demo and gives it a health history: a snapshot for each of the last 180 days,
 * each computed with only the evidence known that day, then tonight's run for today, so a
 * new user finds the tasks, suggestions and App Home a night of Pulse leaves behind.
 */
export async function seedDemoWithHistory(
  ctx: Pick<AppContext, "db" | "logger" | "config" | "databaseUrl">,
  options: {
    now: Date;
    nightly: NightlyRun;
    seed?: number;
    teamId?: string;
    reset?: boolean;
    onDay?: (done: number, total: number) => void;
  },
): Promise<SeedDemoWithHistoryResult> {
  const seeded = await seedDemoPortfolio(ctx.db, options);
  const today = startOfUtcDay(options.now);
  const history = await backfillScores(ctx, seeded.workspaceId, {
    from: addDays(today, -DEMO_HISTORY_DAYS),
    to: addDays(today, -1),
    onDay: options.onDay,
  });
  // The demo measures its playbooks: a fifth of triggered accounts form the control group
  // (set before tonight's run, which is the first to evaluate them).
  await ensureDefaultPlaybooks(ctx, seeded.workspaceId);
  await ctx.db.playbook.updateMany({
    where: { workspaceId: seeded.workspaceId },
    data: { controlShare: DEMO_CONTROL_SHARE },
  });
  const todayRun = await options.nightly(seeded.workspaceId, options.now);
  await recordDemoWarnings(ctx.db, seeded.workspaceId);
  const openTasks = await ctx.db.playbookTask.count({ where: { workspaceId: seeded.workspaceId, status: "open" } });
  return { ...seeded, history, today: todayRun, openTasks };
}

export const DEMO_CONTROL_SHARE = 0.2;

/** The demo's churns were filed before their history existed: date their warnings now. */
async function recordDemoWarnings(db: Db, workspaceId: number): Promise<void> {
  const events = await db.churnEvent.findMany({
    where: { workspaceId },
    select: { id: true, accountId: true, churnedOn: true },
  });
  for (const event of events) {
    const history = await db.healthSnapshot.findMany({
      where: { workspaceId, accountId: event.accountId },
      select: { scoredOn: true, band: true, score: true },
      orderBy: { scoredOn: "asc" },
    });
    const warning = computeWarning(history, event.churnedOn);
    await db.churnEvent.update({
      where: { id: event.id },
      data: { firstRedOn: warning.firstRedOn, daysOfWarning: warning.daysOfWarning },
    });
  }
}

/**
 * At start: seed when PULSE_SEED_DEMO=always (and no demo yet), or when it is "auto" and
 * this is the embedded database's first start (no workspace at all).
 */
export async function seedDemoIfWanted(
  ctx: AppContext,
  options: { embedded: boolean; nightly: NightlyRun },
): Promise<SeedDemoResult | undefined> {
  const mode = ctx.config.seedDemo;
  if (mode === "never") return undefined;
  if (mode === "auto") {
    if (!options.embedded || (await ctx.db.workspace.count()) > 0) return undefined;
  } else if (await ctx.db.workspace.findUnique({ where: { slackTeamId: DEMO_TEAM_ID } })) {
    return undefined;
  }
  const { history, today, openTasks, ...result } = await seedDemoWithHistory(ctx, {
    now: ctx.clock(),
    nightly: options.nightly,
  });
  ctx.logger.info(
    {
      ...result,
      historySnapshots: history.snapshots,
      historyMs: history.durationMs,
      scoredToday: today.accountsScored,
      openTasks,
    },
    "seeded the demo portfolio",
  );
  return result;
}
