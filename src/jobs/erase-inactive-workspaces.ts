// Daily: erase the workspaces whose post-uninstall retention ran out (every row they own
// goes with them through the workspace's cascading foreign keys).
import type { AppContext } from "../app-context.js";
import { eraseExpiredWorkspaces } from "../services/workspace-lifecycle.js";

export async function runEraseInactiveWorkspaces(ctx: Pick<AppContext, "db" | "logger">, now: Date): Promise<number> {
  const { erased } = await eraseExpiredWorkspaces(ctx.db, now);
  for (const workspace of erased)
    ctx.logger.info(
      { workspaceId: workspace.id, teamId: workspace.slackTeamId },
      "erased an uninstalled workspace's data",
    );
  return erased.length;
}
