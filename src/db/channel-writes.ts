// Customer-channel events are written through a small pool of their own, outside Prisma's:
// a flood of them (1,000 busy customer channels) then never takes the connections the next
// deliveries' receipts need before they can be acknowledged, and each write is one round
// trip with synchronous_commit off (a crash may lose the last fraction of a second of
// counts; nothing waits for a disk flush per message).
//
// Each statement is prepared once per connection (named after its text): the message
// statement is a four-part CTE, and parsing and planning it for every message cost
// PostgreSQL more than running it. The statements are a fixed few, so the names are too.
import { createHash } from "node:crypto";
import pg from "pg";

export interface ChannelWriter {
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
}

export const CHANNEL_WRITE_CONNECTIONS = 6;

const writers = new Map<string, pg.Pool>();

export function channelWriter(databaseUrl: string): ChannelWriter {
  let pool = writers.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: CHANNEL_WRITE_CONNECTIONS,
      idleTimeoutMillis: 5_000,
      connectionTimeoutMillis: 5_000,
      allowExitOnIdle: true,
      options: "-c synchronous_commit=off",
    });
    // A connection that dies while idle (PostgreSQL restarted) is dropped from the pool; the next query gets a new one.
    pool.on("error", () => undefined);
    writers.set(databaseUrl, pool);
  }
  const p = pool;
  return {
    async query<T>(sql: string, params: unknown[]) {
      return (await p.query({ name: statementName(sql), text: sql, values: params })).rows as T[];
    },
  };
}

const names = new Map<string, string>();

function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `pulse_channel_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`));
  return name;
}

/** At shutdown: every channel-write pool of this process. */
export async function closeChannelWriters(): Promise<void> {
  const pools = [...writers.values()];
  writers.clear();
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
}
