// GET /healthz: 200 while the database answers, 503 while it does not. It recovers by
// itself: each probe is a fresh query through the pool.
import type { Db } from "../db/client.js";
import { sendJson, type Route } from "./server.js";

const PROBE_TIMEOUT_MS = 2_000;

export async function databaseIsReachable(db: Db, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoute(db: Db, info: { version: string; slackMode: string }): Route {
  return {
    method: "GET",
    path: "/healthz",
    async handler(_req, res) {
      const ok = await databaseIsReachable(db);
      sendJson(res, ok ? 200 : 503, {
        status: ok ? "ok" : "unavailable",
        database: ok ? "reachable" : "unreachable",
        slack: info.slackMode,
        version: info.version,
      });
    },
  };
}
