// GET /healthz: 200 while the database answers, 503 while it does not. The probe has a
// connection of its own, so a process whose pool is busy with scoring still reports
// healthy (a load balancer must not drop it), and each probe recovers by itself once the
// database is back.
import pg from "pg";
import { sendJson, type Route } from "./server.js";

const PROBE_TIMEOUT_MS = 2_000;

export interface DatabaseProbe {
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

export function createDatabaseProbe(databaseUrl: string, timeoutMs = PROBE_TIMEOUT_MS): DatabaseProbe {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  // A dropped connection is reported by the next probe, not thrown at the process.
  pool.on("error", () => undefined);
  return {
    async reachable() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([
          pool.query("SELECT 1").then(
            () => true,
            () => false,
          ),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => pool.end(),
  };
}

export function healthRoute(probe: DatabaseProbe, info: { version: string; slackMode: string }): Route {
  return {
    method: "GET",
    path: "/healthz",
    async handler(_req, res) {
      const ok = await probe.reachable();
      sendJson(res, ok ? 200 : 503, {
        status: ok ? "ok" : "unavailable",
        database: ok ? "reachable" : "unreachable",
        slack: info.slackMode,
        version: info.version,
      });
    },
  };
}
