// A detractor answer (NPS 0-6) reaches the account's owner at once, with the comment, and
// only once: detractorAlertedAt is claimed before the message is sent.
import type { AppContext } from "../app-context.js";
import { addDays } from "../domain/dates.js";
import { escapeMrkdwn } from "../domain/mrkdwn.js";

export async function alertDetractor(
  ctx: Pick<AppContext, "db" | "slack" | "clock" | "logger">,
  surveyResponseId: number,
): Promise<boolean> {
  const now = ctx.clock();
  const claimed = await ctx.db.surveyResponse.updateMany({
    where: { id: surveyResponseId, kind: "nps", score: { lte: 6 }, detractorAlertedAt: null },
    data: { detractorAlertedAt: now },
  });
  if (claimed.count !== 1) return false;
  const answer = await ctx.db.surveyResponse.findUniqueOrThrow({
    where: { id: surveyResponseId },
    select: {
      workspaceId: true,
      score: true,
      comment: true,
      respondentName: true,
      account: { select: { name: true, owner: { select: { slackUserId: true } } } },
    },
  });
  const owner = answer.account.owner?.slackUserId;
  if (!owner) return false;
  const who = answer.respondentName ? ` from ${escapeMrkdwn(answer.respondentName)}` : "";
  const post = ctx.slack.forWorkspace(answer.workspaceId).dm(owner, {
    text:
      `:rotating_light: Detractor NPS *${answer.score}*${who} at *${escapeMrkdwn(answer.account.name)}*` +
      `${answer.comment ? `: “${escapeMrkdwn(answer.comment)}”` : " (no comment)"}\n` +
      "Call them within 48 hours to close the loop; `/pulse account " +
      escapeMrkdwn(answer.account.name) +
      "` shows the whole picture.",
  });
  try {
    await post;
  } catch (error) {
    // Not sent: release the claim so the sweep tries again.
    await ctx.db.surveyResponse.update({ where: { id: surveyResponseId }, data: { detractorAlertedAt: null } });
    throw error;
  }
  return true;
}

/** Detractors that arrived by import or API are swept up; old answers are left alone. */
export async function alertPendingDetractors(
  ctx: Pick<AppContext, "db" | "slack" | "clock" | "logger">,
  now: Date,
  workspaceIds?: number[],
): Promise<number> {
  const pending = await ctx.db.surveyResponse.findMany({
    where: {
      kind: "nps",
      score: { lte: 6 },
      detractorAlertedAt: null,
      respondedAt: { gte: addDays(now, -7) },
      workspace: { active: true },
      ...(workspaceIds && { workspaceId: { in: workspaceIds } }),
    },
    select: { id: true },
    take: 500,
  });
  let sent = 0;
  for (const p of pending) {
    const ok = await alertDetractor(ctx, p.id).catch((error: unknown) => {
      ctx.logger.warn({ err: error, surveyResponseId: p.id }, "could not alert a detractor answer");
      return false;
    });
    if (ok) sent++;
  }
  return sent;
}
