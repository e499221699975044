// Nightly health scoring of every active workspace, then the playbooks (which read the fresh
// scores), then a refresh of the App Home of everyone who owns accounts there. The scheduler makes sure one process runs each slot
// and that runs never overlap.
import type { AppContext } from "../app-context.js";
import { publishHome } from "../slack/home.js";
import { runPlaybooks } from "../services/run-playbooks.js";
import { runChannelRollup } from "./channel-rollup.js";
import { scoreAllWorkspaces, type ScoringRunSummary } from "../services/score-accounts.js";

export async function runScoreAccounts(
  ctx: Pick<AppContext, "db" | "logger" | "config" | "clock" | "slack" | "databaseUrl">,
  now: Date,
): Promise<ScoringRunSummary[]> {
  // The score reads customer-channel activity: roll today up first.
  await runChannelRollup(ctx, now);
  const summaries = await scoreAllWorkspaces(ctx, now, { trigger: "schedule" });
  const playbooks = await runPlaybooks(ctx, now);
  ctx.logger.info({ playbooks }, "playbooks evaluated");
  if (ctx.config.slack.mode !== "local")
    await refreshHomes(
      ctx,
      summaries.map((s) => s.workspaceId),
    );
  return summaries;
}

/** Republishes App Home for account owners, so what CSMs see matches tonight's scores. */
export async function refreshHomes(
  ctx: Pick<AppContext, "db" | "logger" | "config" | "clock" | "slack">,
  workspaceIds: number[],
): Promise<number> {
  let published = 0;
  for (const workspaceId of workspaceIds) {
    const owners = await ctx.db.user.findMany({
      where: { workspaceId, ownedAccounts: { some: { status: "active" } } },
      select: { slackUserId: true },
    });
    if (!owners.length) continue;
    const slack = ctx.slack.forWorkspace(workspaceId);
    for (const owner of owners) {
      await publishHome(ctx, slack, workspaceId, owner.slackUserId).then(
        () => published++,
        (error: unknown) => ctx.logger.warn({ err: error, workspaceId }, "could not refresh an App Home"),
      );
    }
  }
  return published;
}
