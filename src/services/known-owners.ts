// Which workspace a Slack team and an account belong to, remembered per database client.
// A modal submission is checked against these before it is acknowledged (a forged account
// id is refused on the form), and in a burst those checks must not wait on the database
// behind everyone else's writes. Both facts never change once true: a team keeps its
// workspace row and an account never moves to another workspace. What can change (a
// workspace turned inactive, an account erased) is checked again by the write itself.
import type { Db } from "../db/client.js";
import { resolveWorkspace } from "./workspace-users.js";

/** Enough for every account of a large Pulse; beyond it the oldest entries are forgotten. */
const LIMIT = 100_000;

interface Owners {
  workspaceByTeam: Map<string, number>;
  workspaceByAccount: Map<number, number>;
}

const ownersByDb = new WeakMap<Db, Owners>();

function ownersOf(db: Db): Owners {
  let owners = ownersByDb.get(db);
  if (!owners) ownersByDb.set(db, (owners = { workspaceByTeam: new Map(), workspaceByAccount: new Map() }));
  return owners;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= LIMIT) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** The workspace id of a Slack team (resolving, and so creating, it on first contact). */
export async function workspaceIdOfTeam(db: Db, teamId: string, teamName?: string): Promise<number> {
  const owners = ownersOf(db);
  const known = owners.workspaceByTeam.get(teamId);
  if (known !== undefined) return known;
  const workspace = await resolveWorkspace(db, teamId, teamName);
  remember(owners.workspaceByTeam, teamId, workspace.id);
  return workspace.id;
}

/** Whether the account belongs to the workspace; only a yes is remembered (an account may be created later). */
export async function accountBelongsTo(db: Db, workspaceId: number, accountId: number): Promise<boolean> {
  const owners = ownersOf(db);
  const known = owners.workspaceByAccount.get(accountId);
  if (known !== undefined) return known === workspaceId;
  const account = await db.account.findFirst({ where: { id: accountId, workspaceId }, select: { id: true } });
  if (!account) return false;
  remember(owners.workspaceByAccount, accountId, workspaceId);
  return true;
}

/** Told by whoever lists accounts to a person (the type-ahead): their owners are then known. */
export function rememberAccountOwners(db: Db, workspaceId: number, accountIds: readonly number[]): void {
  const owners = ownersOf(db);
  for (const id of accountIds) remember(owners.workspaceByAccount, id, workspaceId);
}
