// Forgiving account search: case-insensitive, by name or domain, partial words allowed.
// Ranked so the account a CSM most likely meant comes first: exact name, exact domain,
// name prefix, domain prefix, then any substring.
import type { Db } from "../db/client.js";
import { rememberAccountOwners } from "./known-owners.js";

export interface AccountMatch {
  id: number;
  name: string;
  domain: string | null;
  status: "active" | "churned";
}

function normaliseQuery(query: string): string {
  return query
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/.*$/, "")
    .replace(/\s+/g, " ");
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function findAccounts(db: Db, workspaceId: number, query: string, limit = 10): Promise<AccountMatch[]> {
  const q = normaliseQuery(query);
  if (!q) return [];
  const like = `%${escapeLike(q)}%`;
  const prefix = `${escapeLike(q)}%`;
  const matches = await db.$queryRaw<AccountMatch[]>`
    SELECT "id", "name", "domain", "status"::text AS "status"
      FROM "account"
     WHERE "workspaceId" = ${workspaceId}
       AND (lower("name") LIKE ${like} OR lower(coalesce("domain", '')) LIKE ${like})
     ORDER BY CASE
                WHEN lower("name") = ${q} THEN 0
                WHEN lower(coalesce("domain", '')) = ${q} THEN 1
                WHEN lower("name") LIKE ${prefix} THEN 2
                WHEN lower(coalesce("domain", '')) LIKE ${prefix} THEN 3
                ELSE 4
              END,
              ("status" = 'churned'),
              "name"
     LIMIT ${limit}`;
  // A person picks one of these in a modal next: its submission is then checked without a query.
  rememberAccountOwners(
    db,
    workspaceId,
    matches.map((m) => m.id),
  );
  return matches;
}

/** The single account a query means, or the candidates when it is ambiguous. */
export async function resolveAccountQuery(
  db: Db,
  workspaceId: number,
  query: string,
): Promise<{ kind: "one"; account: AccountMatch } | { kind: "many"; accounts: AccountMatch[] } | { kind: "none" }> {
  const matches = await findAccounts(db, workspaceId, query, 25);
  if (matches.length === 0) return { kind: "none" };
  const q = normaliseQuery(query);
  const exact = matches.filter((m) => m.name.toLowerCase() === q || m.domain?.toLowerCase() === q);
  if (exact.length === 1) return { kind: "one", account: exact[0]! };
  if (matches.length === 1) return { kind: "one", account: matches[0]! };
  return { kind: "many", accounts: matches };
}

/** One account of the workspace by id, as a modal prefill; undefined when it is not there. */
export async function findAccountRef(
  db: Db,
  workspaceId: number,
  accountId: number,
): Promise<{ id: number; name: string } | undefined> {
  return (
    (await db.account.findFirst({ where: { id: accountId, workspaceId }, select: { id: true, name: true } })) ??
    undefined
  );
}
