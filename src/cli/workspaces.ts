// Resolving `--workspace T…` options for CLI commands.
import type { Db } from "../db/client.js";
import { UsageError } from "./command.js";

export interface CliWorkspace {
  id: number;
  slackTeamId: string;
  name: string;
}

/** The named workspaces, or every active one when none is named. */
export async function resolveWorkspaces(db: Db, teamIds: string[] | undefined): Promise<CliWorkspace[]> {
  const select = { id: true, slackTeamId: true, name: true } as const;
  if (!teamIds?.length) return db.workspace.findMany({ where: { active: true }, select, orderBy: { id: "asc" } });
  for (const t of teamIds)
    if (!/^[TE][A-Z0-9]+$/.test(t))
      throw new UsageError(`--workspace must be a Slack team id such as T0123ABCD (got "${t}")`);
  const found = await db.workspace.findMany({
    where: { slackTeamId: { in: teamIds } },
    select,
    orderBy: { id: "asc" },
  });
  const missing = teamIds.filter((t) => !found.some((w) => w.slackTeamId === t));
  if (missing.length) throw new UsageError(`no workspace with team id ${missing.join(", ")}`);
  return found;
}

/** Exactly one workspace: the named one, or the only active one. */
export async function resolveOneWorkspace(db: Db, teamIds: string[] | undefined): Promise<CliWorkspace> {
  const list = await resolveWorkspaces(db, teamIds);
  if (list.length === 1) return list[0]!;
  if (!list.length) throw new UsageError("there is no active workspace (run `pulse seed-demo` for a demo)");
  throw new UsageError(
    `several workspaces match; choose one with --workspace (${list.map((w) => w.slackTeamId).join(", ")})`,
  );
}
