// Cross-process mutual exclusion on PostgreSQL advisory locks. A lock is held by a
// dedicated connection (not a pooled one), so it is released if the process dies.
import { createHash } from "node:crypto";
import { dedicatedClient } from "./dedicated-client.js";

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
  onLost: (error: Error) => void = () => undefined,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  // The connection sits idle while `fn` runs, possibly for minutes: if it dies meanwhile
  // (PostgreSQL restarted), the lock went with it and `fn` is left to finish or fail alone.
  let lost = false;
  const client = dedicatedClient({ connectionString: databaseUrl }, (error) => {
    // PostgreSQL's reason comes first; the socket closing after it says nothing more.
    if (!lost) onLost(error);
    lost = true;
  });
  await client.connect();
  try {
    const key = lockKey(name).toString();
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [
      key,
    ]);
    if (!rows[0]?.locked) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      if (!lost) await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
