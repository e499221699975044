// Ports by workspace for jobs and services: each acts with its workspace's own client
// (workspace-clients.ts refuses an inactive workspace), behind one shared-channel cache.
import type { AppContext } from "../app-context.js";
import type { SlackPorts } from "../services/slack-port.js";
import { ChannelGuardCache, createWebSlackPort } from "./slack-port.js";
import { slackClientFor } from "./workspace-clients.js";

export function createWebSlackPorts(
  ctx: Pick<AppContext, "config" | "db">,
  guard: ChannelGuardCache = new ChannelGuardCache(),
): SlackPorts {
  return {
    forWorkspace: (workspaceId) =>
      createWebSlackPort({ client: () => slackClientFor(ctx, workspaceId), scope: `w${workspaceId}`, guard }),
  };
}
