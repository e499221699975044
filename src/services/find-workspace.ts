// Resolves the workspace a CLI command or an API key acts on, by Slack team id.
import type { Db } from "../db/client.js";
import { AppError } from "../errors.js";

export interface WorkspaceRef {
  id: number;
  slackTeamId: string;
  name: string;
}

/**
 * The workspace with this team id; without one, the only workspace there is. `create`
 * makes it (for a local trial before Slack is connected).
 */
export async function findWorkspace(db: Db, options: { teamId?: string; create?: boolean }): Promise<WorkspaceRef> {
  const select = { id: true, slackTeamId: true, name: true } as const;
  if (!options.teamId) {
    const all = await db.workspace.findMany({ where: { active: true }, select, take: 2, orderBy: { id: "asc" } });
    if (all.length === 1) return all[0]!;
    throw new AppError(
      "INVALID_INPUT",
      all.length === 0
        ? "Pulse has no workspace yet: install it in Slack first, or pass --workspace <team id> --create-workspace for a local trial."
        : "Pulse serves several workspaces: pass --workspace <team id> (Slack team id, such as T0123ABCD).",
    );
  }
  const found = await db.workspace.findUnique({ where: { slackTeamId: options.teamId }, select });
  if (found) return found;
  if (options.create)
    return db.workspace.create({ data: { slackTeamId: options.teamId, name: options.teamId }, select });
  throw new AppError(
    "NOT_FOUND",
    `No workspace with team id ${options.teamId}: install Pulse in that Slack workspace first, or add --create-workspace for a local trial.`,
  );
}
