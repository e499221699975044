// Nightly lifecycle suggestions: the rules in src/domain/lifecycle.ts propose, the owner
// confirms or dismisses from a DM. A suggestion is a risk_signal of kind "stage_suggestion"
// (one per account per day; not repeated for 30 days once made).
import type { AppContext } from "../app-context.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import { suggestStage, type StageSuggestion } from "../domain/lifecycle.js";
import type { LifecycleStage } from "../domain/vocabulary.js";
import { AppError } from "../errors.js";
import { escapeMrkdwn } from "../domain/mrkdwn.js";
import { setStage } from "./stages.js";

export const STAGE_SUGGESTION = "stage_suggestion";
const RESUGGEST_AFTER_DAYS = 30;

interface EvidenceRow {
  accountId: number;
  name: string;
  ownerSlackId: string | null;
  stage: LifecycleStage;
  daysInStage: number;
  activeDays: number;
  share14: number | null;
  modules30: number;
  tenureDays: number;
  expanded: boolean;
}

export async function suggestStages(
  ctx: Pick<AppContext, "db" | "slack" | "logger">,
  workspaceId: number,
  now: Date,
): Promise<number> {
  const today = startOfUtcDay(now);
  const rows = await ctx.db.$queryRaw<EvidenceRow[]>`
    SELECT a."id" AS "accountId", a."name", u."slackUserId" AS "ownerSlackId", a."stage"::text AS "stage",
           (${today}::date - a."stageSince"::date)::int AS "daysInStage",
           coalesce(d."activeDays", 0)::int AS "activeDays", d."share14", coalesce(d."modules30", 0)::int AS "modules30",
           (${today}::date - coalesce(a."contractStart", a."createdAt"::date))::int AS "tenureDays",
           EXISTS (SELECT 1 FROM "arr_change" c WHERE c."workspaceId" = a."workspaceId" AND c."accountId" = a."id"
                     AND c."kind" = 'expansion' AND c."effectiveOn" > ${addDays(today, -90)}::date) AS "expanded"
      FROM "account" a
      LEFT JOIN "app_user" u ON u."workspaceId" = a."workspaceId" AND u."id" = a."ownerId"
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE x."activeUsers" > 0) AS "activeDays",
               avg(x."activeUsers"::float8 / nullif(coalesce(x."seats", a."seats"), 0)) FILTER (WHERE x."day" > ${addDays(today, -14)}::date) AS "share14",
               (SELECT count(DISTINCT k) FROM "usage_daily" y, jsonb_object_keys(y."modules") k
                 WHERE y."workspaceId" = a."workspaceId" AND y."accountId" = a."id" AND y."day" > ${addDays(today, -30)}::date) AS "modules30"
          FROM "usage_daily" x WHERE x."workspaceId" = a."workspaceId" AND x."accountId" = a."id") d ON true
     WHERE a."workspaceId" = ${workspaceId} AND a."status" = 'active'
       AND NOT EXISTS (SELECT 1 FROM "risk_signal" r WHERE r."workspaceId" = a."workspaceId" AND r."accountId" = a."id"
                         AND r."kind" = ${STAGE_SUGGESTION} AND r."detectedOn" > ${addDays(today, -RESUGGEST_AFTER_DAYS)}::date)`;
  const made: { row: EvidenceRow; suggestion: StageSuggestion; signalId: number }[] = [];
  for (const row of rows) {
    const suggestion = suggestStage({
      stage: row.stage,
      daysInStage: row.daysInStage,
      activeDays: row.activeDays,
      activeSeatShare14d: row.share14,
      modules30d: row.modules30,
      tenureDays: row.tenureDays,
      expandedRecently: row.expanded,
    });
    if (!suggestion) continue;
    const signal = await ctx.db.riskSignal.create({
      data: {
        workspaceId,
        accountId: row.accountId,
        kind: STAGE_SUGGESTION,
        detectedOn: today,
        details: { ...suggestion },
      },
    });
    made.push({ row, suggestion, signalId: signal.id });
  }
  const byOwner = new Map<string, typeof made>();
  for (const m of made) {
    if (!m.row.ownerSlackId) continue;
    byOwner.set(m.row.ownerSlackId, [...(byOwner.get(m.row.ownerSlackId) ?? []), m]);
  }
  for (const [owner, list] of byOwner) {
    const suggestions = list.map((m) => ({
      signalId: m.signalId,
      accountName: m.row.name,
      from: m.suggestion.from,
      to: m.suggestion.to,
      reason: m.suggestion.reason,
    }));
    await ctx.slack
      .forWorkspace(workspaceId)
      .dm(owner, { view: { kind: "stage-suggestions", suggestions } })
      .catch((error: unknown) => ctx.logger.warn({ err: error }, "could not DM stage suggestions"));
  }
  return made.length;
}

/** Confirm (apply) or dismiss a suggestion; either way it is resolved. */
export async function answerStageSuggestion(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  signalId: number,
  confirm: boolean,
): Promise<string> {
  const signal = await ctx.db.riskSignal.findFirst({
    where: { id: signalId, workspaceId: actor.workspaceId, kind: STAGE_SUGGESTION },
  });
  if (!signal)
    throw new AppError("NOT_FOUND", `suggestion ${signalId}`, "That suggestion does not exist in this workspace.");
  if (signal.resolvedAt) return "That suggestion was already answered.";
  const details = signal.details as unknown as StageSuggestion;
  await ctx.db.riskSignal.update({ where: { id: signal.id }, data: { resolvedAt: ctx.clock() } });
  if (!confirm) return `Dismissed: the stage stays ${details.from}.`;
  const r = await setStage(ctx, actor, signal.accountId, details.to, `rule:${details.rule}`, details.reason);
  return `*${escapeMrkdwn(r.name)}* moved from ${r.from} to *${r.to}*.`;
}
