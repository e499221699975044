// The weekly check of the adopted churn model: back-test it on the newest outcomes (the
// last four as-of days whose horizon has ended), record what it caught, and tell the
// workspace's admins once when it has become clearly less accurate than when it was fitted.
import type { Prisma } from "../generated/prisma/client.js";
import { addDays, isoDay, startOfUtcDay } from "../domain/dates.js";
import {
  isAccuracyDrop,
  modelCheckLine,
  modelCheckSchema,
  shouldAlert,
  type ModelCheck,
} from "../domain/health/model-check.js";
import type { SlackPorts } from "./slack-port.js";
import { runBacktest } from "./backtest.js";
import { loadAdoptedModel } from "./health-models.js";
import type { ScoringContext } from "./score-accounts.js";

export type ModelCheckContext = ScoringContext & { slack: SlackPorts };

const CHECK_AS_OF_DAYS = 4;
const CHECK_STEP_DAYS = 28;

export async function checkAdoptedModel(
  ctx: ModelCheckContext,
  workspaceId: number,
  now: Date,
): Promise<ModelCheck | null> {
  const adopted = await loadAdoptedModel(ctx.db, workspaceId);
  if (!adopted) return null;
  const to = addDays(startOfUtcDay(now), -adopted.horizonDays);
  const from = addDays(to, -CHECK_STEP_DAYS * (CHECK_AS_OF_DAYS - 1));
  const report = await runBacktest(ctx, workspaceId, {
    asOf: from,
    to,
    every: { days: CHECK_STEP_DAYS },
    horizonDays: adopted.horizonDays,
    model: adopted.version,
  });
  const previousRaw = adopted.lastCheck ? modelCheckSchema.safeParse(adopted.lastCheck) : null;
  const previous = previousRaw?.success ? previousRaw.data : null;
  const validationAuc = adopted.validation.learned.auc ?? null;
  const check: ModelCheck = {
    checkedAt: now.toISOString(),
    version: adopted.version,
    from: isoDay(from),
    to: isoDay(to),
    churns: report.churned,
    caught: report.churnersWarned,
    medianDaysOfWarning: report.medianDaysOfWarning,
    falseAlarms: report.survivorsFlagged,
    survivors: report.survivors,
    auc: report.auc === null ? null : Math.round(report.auc * 1000) / 1000,
    validationAuc,
    dropped: isAccuracyDrop(report.auc, validationAuc, report.churned),
    alertedAt: null,
  };
  if (shouldAlert(previous, check)) {
    const admins = await ctx.db.user.findMany({ where: { workspaceId, role: "admin" }, select: { slackUserId: true } });
    // Plain words and numbers only: nothing a user typed goes into this message.
    const text =
      `Pulse's churn model ${check.version} has become less accurate: on the latest outcomes (${check.from} to ${check.to}) it ${modelCheckLine(check)}; ` +
      `AUC ${check.auc?.toFixed(2)} against ${validationAuc?.toFixed(2)} when it was fitted. Refit it with \`pulse model fit\`, or see \`/pulse admin model\`.`;
    for (const admin of admins) {
      await ctx.slack
        .forWorkspace(workspaceId)
        .dm(admin.slackUserId, { text })
        .catch((error: unknown) =>
          ctx.logger.warn({ err: error, workspaceId }, "could not tell an admin of the model's drop"),
        );
    }
    check.alertedAt = now.toISOString();
  } else if (check.dropped && previous?.dropped && previous.version === check.version) {
    check.alertedAt = previous.alertedAt;
  }
  await ctx.db.healthModelVersion.update({
    where: { workspaceId_version: { workspaceId, version: adopted.version } },
    data: { lastCheck: check as unknown as Prisma.InputJsonValue },
  });
  ctx.logger.info(
    {
      workspaceId,
      version: check.version,
      auc: check.auc,
      churns: check.churns,
      caught: check.caught,
      dropped: check.dropped,
    },
    "churn model checked",
  );
  return check;
}

/** Every active workspace with an adopted model; one failure does not stop the others. */
export async function checkAllAdoptedModels(
  ctx: ModelCheckContext,
  now: Date,
  workspaceIds?: number[],
): Promise<ModelCheck[]> {
  const workspaces = await ctx.db.workspace.findMany({
    where: {
      active: true,
      ...(workspaceIds && { id: { in: workspaceIds } }),
      healthModelVersions: { some: { adoptedAt: { not: null }, retiredAt: null } },
    },
    select: { id: true },
  });
  const checks: ModelCheck[] = [];
  for (const w of workspaces) {
    try {
      const check = await checkAdoptedModel(ctx, w.id, now);
      if (check) checks.push(check);
    } catch (error) {
      ctx.logger.error({ err: error, workspaceId: w.id }, "checking the churn model failed");
    }
  }
  return checks;
}
