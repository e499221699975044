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
  options: { workspaceIds?: number[]; trigger?: string } = {},
): Promise<ScoringRunSummary[]> {
  const { workspaceIds, trigger = "schedule" } = options;
  // The score reads customer-channel activity: roll today up first.
  await runChannelRollup(ctx, now);
  const summaries = await scoreAllWorkspaces(ctx, now, { trigger }, workspaceIds);
  const playbooks = await runPlaybooks(ctx, now, workspaceIds);
  ctx.logger.info({ playbooks }, "playbooks evaluated");
  if (ctx.config.slack.mode !== "local")
    await refreshHomes(
      ctx,
      summaries.map((s) => s.workspaceId),
    );
  return summaries;
}

/** The nightly run for one workspace, off schedule: the seeded demo's first night. */
export function nightlyRunFor(
  ctx: Pick<AppContext, "db" | "logger" | "config" | "clock" | "slack" | "databaseUrl">,
  trigger: string,
): (workspaceId: number, now: Date) => Promise<ScoringRunSummary> {
  return async (workspaceId, now) => {
    const [summary] = await runScoreAccounts(ctx, now, { workspaceIds: [workspaceId], trigger });
    if (!summary) throw new Error(`workspace ${workspaceId} is not active: nothing was scored`);
    return summary;
  };
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
