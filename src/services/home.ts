// App Home's data: the CSM's own portfolio, open tasks, retro action items, success plans
// and what the weekly model check found. Plain data; src/slack/home.ts renders and publishes it.
import type { AppContext } from "../app-context.js";
import { readModelStatus, type ModelStatus } from "./health-models.js";
import { getPortfolio, type Portfolio } from "./portfolio.js";
import { listOpenRetroActionItems, type OpenRetroActionItem } from "./retro.js";
import { listPlansForOwner, type HomePlanRow } from "./success-plans.js";

export interface HomeTask {
  id: number;
  title: string;
  dueOn: Date;
  accountName: string;
}

export interface HomeData {
  userSlackId: string;
  now: Date;
  /** The reader's Slack time zone (`tz`), when Pulse has it. */
  timeZone?: string | null;
  portfolio: Portfolio;
  tasks: HomeTask[];
  /** The other areas' data; null for someone Pulse does not know yet (a bare Home). */
  areas: { actionItems: OpenRetroActionItem[]; plans: HomePlanRow[]; model: ModelStatus } | null;
}

export async function readHomeData(
  ctx: Pick<AppContext, "db" | "clock">,
  workspaceId: number,
  userSlackId: string,
): Promise<HomeData> {
  const user = await ctx.db.user.findUnique({
    where: { workspaceId_slackUserId: { workspaceId, slackUserId: userSlackId } },
  });
  const now = ctx.clock();
  if (!user)
    return {
      userSlackId,
      now,
      portfolio: { rows: [], counts: { green: 0, yellow: 0, red: 0, unscored: 0 } },
      tasks: [],
      areas: null,
    };
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
  return {
    userSlackId,
    now,
    timeZone: user.timezone,
    portfolio,
    tasks: tasks.map((t) => ({ id: t.id, title: t.title, dueOn: t.dueOn, accountName: t.account.name })),
    areas: { actionItems, plans, model },
  };
}
