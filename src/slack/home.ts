// App Home: the data from src/services/home.ts rendered with the view builders and published
// through the Slack port. The app_home_opened listener and the nightly refresh both call it.
import type { HomeView } from "@slack/types";
import type { AppContext } from "../app-context.js";
import { readHomeData, type HomeData } from "../services/home.js";
import type { SlackPort } from "../services/slack-port.js";
import { modelCheckContext } from "./views/model-admin.js";
import { homeView } from "./views/portfolio.js";
import { retroActionItemsHomeSection } from "./views/retro-action-items-home.js";
import { homePlansSection } from "./views/success-plan.js";

export function renderHome(data: HomeData): HomeView {
  const { userSlackId, portfolio, tasks, taskCount, now, timeZone, areas } = data;
  if (!areas) return homeView({ userSlackId, portfolio, tasks, taskCount, now, timeZone });
  return homeView({
    userSlackId,
    portfolio,
    tasks,
    taskCount,
    now,
    timeZone,
    extraSections: [
      ...(areas.actionItems.length ? retroActionItemsHomeSection(areas.actionItems, { today: now }) : []),
      ...homePlansSection(areas.plans),
      ...modelCheckContext(areas.model),
    ],
  });
}

export async function buildHome(
  ctx: Pick<AppContext, "db" | "clock">,
  workspaceId: number,
  userSlackId: string,
): Promise<HomeView> {
  return renderHome(await readHomeData(ctx, workspaceId, userSlackId));
}

/** Publishes a user's App Home; jobs call it after scoring runs to refresh what CSMs see. */
export async function publishHome(
  ctx: Pick<AppContext, "db" | "clock">,
  slack: SlackPort,
  workspaceId: number,
  userSlackId: string,
): Promise<void> {
  await slack.publishHome(userSlackId, await buildHome(ctx, workspaceId, userSlackId));
}
