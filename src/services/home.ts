// App Home's data: the CSM's own portfolio, open tasks, retro action items, success plans
// and what the weekly model check found. Plain data; src/slack/home.ts renders and publishes it.
import type { AppContext } from "../app-context.js";
import { readModelStatus, type ModelStatus } from "./health-models.js";
import { getPortfolio, type Portfolio } from "./portfolio.js";
import { listOpenRetroActionItems, type OpenRetroActionItem } from "./retro.js";
import type { TaskRow } from "./message-views.js";
import { listPlansForOwner, type HomePlanRow } from "./success-plans.js";

export type HomeTask = TaskRow;

/** Open tasks App Home shows as rows with their buttons (two blocks each, of Home's 100). */
export const HOME_TASKS_SHOWN = 10;

export interface HomeData {
  userSlackId: string;
  now: Date;
  /** The reader's Slack time zone (`tz`), when Pulse has it. */
  timeZone?: string | null;
  portfolio: Portfolio;
  /** The first open tasks, soonest due first. */
  tasks: HomeTask[];
  /** All of the person's open tasks, shown or not. */
  taskCount: number;
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
      taskCount: 0,
      areas: null,
    };
  const openTasks = { workspaceId, ownerId: user.id, status: "open" as const };
  const [portfolio, tasks, taskCount, actionItems, plans, model] = await Promise.all([
    getPortfolio(ctx.db, workspaceId, user.id),
    ctx.db.playbookTask.findMany({
      where: openTasks,
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      take: HOME_TASKS_SHOWN,
      select: { id: true, title: true, dueOn: true, account: { select: { name: true } } },
    }),
    ctx.db.playbookTask.count({ where: openTasks }),
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
    taskCount,
    areas: { actionItems, plans, model },
  };
}
