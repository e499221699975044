// A pg connection of Pulse's own, outside Prisma's pool: for a lock held through a job, an
// import's transaction, migrations, or a probe.
import pg from "pg";

/**
 * pg reports a connection that dies between queries (PostgreSQL restarted, the backend was
 * terminated) as an "error" event, and an unheard "error" event ends the process. Heard
 * here, it only marks the client unusable: the next query on it fails, and that failure
 * is what the caller handles.
 */
export function dedicatedClient(config: pg.ClientConfig, onLost: (error: Error) => void = () => undefined): pg.Client {
  const client = new pg.Client(config);
  client.on("error", onLost);
  return client;
}
