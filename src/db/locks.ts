// Cross-process mutual exclusion on PostgreSQL advisory locks. A lock is held by a
// dedicated connection (not a pooled one), so it is released if the process dies.
import { createHash } from "node:crypto";
import pg from "pg";

/** A stable 63-bit key for a lock name. */
export function lockKey(name: string): bigint {
  return createHash("sha256").update(name).digest().readBigInt64BE(0);
}

/**
 * Runs `fn` while holding the named lock; if another process holds it, returns
 * `{ acquired: false }` at once without running `fn`.
 */
export async function withTryAdvisoryLock<T>(
  databaseUrl: string,
  name: string,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const key = lockKey(name).toString();
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
    if (!rows[0]?.locked) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
