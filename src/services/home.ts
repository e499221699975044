// App Home data and publishing: the CSM's own portfolio and open tasks.
import type { HomeView } from "@slack/types";
import type { AppContext } from "../app-context.js";
import { homeView } from "../slack/views/portfolio.js";
import { retroActionItemsHomeSection } from "../slack/views/retro-action-items-home.js";
import { homePlansSection } from "../slack/views/success-plan.js";
import { getPortfolio } from "./portfolio.js";
import { listOpenRetroActionItems } from "./retro.js";
import { listPlansForOwner } from "./success-plans.js";
import { readModelStatus } from "./health-models.js";
import { modelCheckContext } from "../slack/views/model-admin.js";
import type { SlackPort } from "./slack-port.js";

export async function buildHome(ctx: Pick<AppContext, "db" | "clock">, workspaceId: number, userSlackId: string): Promise<HomeView> {
  const user = await ctx.db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId: userSlackId } } });
  const now = ctx.clock();
  if (!user) return homeView({ userSlackId, portfolio: { rows: [], counts: { green: 0, yellow: 0, red: 0, unscored: 0 } }, tasks: [], now });
  const [portfolio, tasks, actionItems, plans, model] = await Promise.all([
    getPortfolio(ctx.db, workspaceId, user.id),
    ctx.db.playbookTask.findMany({
      where: { workspaceId, ownerId: user.id, status: "open" },
      orderBy: { dueOn: "asc" },
      take: 30,
      select: { id: true, title: true, dueOn: true, account: { select: { name: true } } },
    }),
    listOpenRetroActionItems(ctx.db, workspaceId, user.id),
    listPlansForOwner(ctx.db, workspaceId, user.id, now),
    readModelStatus(ctx.db, workspaceId),
  ]);
  return homeView({
    userSlackId,
    portfolio,
    tasks: tasks.map((t) => ({ id: t.id, title: t.title, dueOn: t.dueOn, accountName: t.account.name })),
    now,
    extraSections: [...(actionItems.length ? retroActionItemsHomeSection(actionItems, { today: now }) : []), ...homePlansSection(plans), ...modelCheckContext(model)],
  });
}

/** Publishes a user's App Home; jobs call it after scoring runs to refresh what CSMs see. */
export async function publishHome(ctx: Pick<AppContext, "db" | "clock">, slack: SlackPort, workspaceId: number, userSlackId: string): Promise<void> {
  await slack.publishHome(userSlackId, await buildHome(ctx, workspaceId, userSlackId));
}
