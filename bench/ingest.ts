// Ingestion API throughput: 1,000,000 Segment-style track events posted over loopback in
// batches of 5,000, against the floor of the same rows written by a bare PostgreSQL COPY
// into the same table (same indexes).
//
// The events arrive in time order, as a live Segment/RudderStack stream does: 30 days, 200
// accounts of 25 users each. Each batch therefore recomputes the roll-ups of the current
// day of every account, which is the API's real steady-state cost.
import type { Server } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { AppContext } from "../src/app-context.js";
import { parseConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { ingestionRoutes } from "../src/http/ingestion-routes.js";
import { closeServer, createHttpServer, listen } from "../src/http/server.js";
import { createLogger } from "../src/log.js";
import { createApiKey } from "../src/services/api-keys.js";
import { createTerminalSlackPorts } from "../src/slack/local-slack-port.js";
import { createBenchDatabase } from "./_support.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = 5_000;
const ACCOUNTS = 200;
const USERS_PER_ACCOUNT = 25;
const DAYS = 30;
const CONCURRENCY = 4;
const END = new Date("2026-03-31T00:00:00Z");
const START = END.getTime() - DAYS * 86_400_000;
const NAMES = [
  { event: "Logged In", module: undefined },
  { event: "Report Viewed", module: "reports" },
  { event: "Dashboard Opened", module: "dashboards" },
  { event: "Invoice Sent", module: "billing" },
  { event: "Search Performed", module: undefined },
];

interface BenchEvent {
  messageId: string;
  account: number;
  userId: string;
  event: string;
  module: string | undefined;
  timestamp: string;
}

function eventAt(i: number): BenchEvent {
  const account = (i * 7919) % ACCOUNTS;
  const user = (i * 104729) % USERS_PER_ACCOUNT;
  const name = NAMES[(i * 31) % NAMES.length]!;
  return {
    messageId: `bench-${i}`,
    account,
    userId: `u-${account}-${user}`,
    event: name.event,
    module: name.module,
    timestamp: new Date(START + Math.floor((i / EVENTS) * DAYS * 86_400_000)).toISOString(),
  };
}

function segmentMessage(e: BenchEvent): unknown {
  return {
    type: "track",
    messageId: e.messageId,
    userId: e.userId,
    event: e.event,
    timestamp: e.timestamp,
    context: { groupId: `acct-${e.account}`, library: { name: "analytics-node", version: "6.0.0" } },
    properties: e.module ? { module: e.module, plan: "enterprise" } : { plan: "enterprise" },
  };
}

async function copyFloor(url: string, workspaceId: number, accountIds: number[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const receivedAt = END.toISOString();
    function* lines(): Generator<string> {
      let chunk = "";
      for (let i = 0; i < EVENTS; i++) {
        const e = eventAt(i);
        const properties = JSON.stringify(e.module ? { module: e.module, plan: "enterprise" } : { plan: "enterprise" });
        chunk += `${workspaceId}\t${accountIds[e.account]}\t${e.messageId}\ttrack\t${e.event}\t${e.userId}\t${e.module ?? "\\N"}\t${e.timestamp}\t${receivedAt}\t${properties}\n`;
        if (chunk.length > 1 << 20) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    }
    const started = performance.now();
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          `COPY usage_event ("workspaceId", "accountId", "messageId", type, event, "userKey", module, "occurredAt", "receivedAt", properties) FROM STDIN`,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query("TRUNCATE usage_event");
    await client.query("VACUUM ANALYZE usage_event");
    // Start the measured run from a quiet server: no checkpoint of the floor's writes pending.
    await client.query("CHECKPOINT");
    return EVENTS / seconds;
  } finally {
    await client.end();
  }
}

export async function run(): Promise<void> {
  const database = await createBenchDatabase("ingest");
  const db = createDb(database.url, { max: 10 });
  let server: Server | undefined;
  try {
    const config = parseConfig({ PULSE_API_RATE_PER_SECOND: "100000", PULSE_API_BURST: "100000", LOG_LEVEL: "warn" });
    const ctx: AppContext = {
      config,
      db,
      databaseUrl: database.url,
      logger: createLogger("warn"),
      slack: createTerminalSlackPorts(() => undefined),
      clock: () => END,
    };
    const workspace = await db.workspace.create({ data: { slackTeamId: "TBENCH", name: "Bench" } });
    await db.account.createMany({
      data: Array.from({ length: ACCOUNTS }, (_, a) => ({
        workspaceId: workspace.id,
        externalId: `acct-${a}`,
        name: `Account ${a}`,
      })),
    });
    const accounts = await db.account.findMany({
      where: { workspaceId: workspace.id },
      select: { id: true, externalId: true },
    });
    const accountIds = accounts
      .sort((x, y) => Number(x.externalId!.slice(5)) - Number(y.externalId!.slice(5)))
      .map((a) => a.id);
    const { key } = await createApiKey(db, { workspaceId: workspace.id, name: "bench", now: END });

    const floor = await copyFloor(database.url, workspace.id, accountIds);

    server = createHttpServer({ routes: ingestionRoutes(ctx), logger: ctx.logger });
    const port = await listen(server, 0, "127.0.0.1");
    // Bodies are built before the clock starts: the sender's JSON work is not Pulse's.
    const bodies: Buffer[] = [];
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch = [];
      for (let i = start; i < Math.min(EVENTS, start + BATCH); i++) batch.push(segmentMessage(eventAt(i)));
      bodies.push(Buffer.from(JSON.stringify({ batch, sentAt: END.toISOString() })));
    }

    let next = 0;
    let stored = 0;
    const started = performance.now();
    // Batches go out in order, a few in flight, as a forwarding pipeline sends them.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body,
          });
          const json = (await res.json()) as { stored?: number };
          if (res.status !== 200)
            throw new Error(`batch failed with ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
          stored += json.stored ?? 0;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (stored !== EVENTS) throw new Error(`stored ${stored} of ${EVENTS} events`);
    const eventsPerSecond = EVENTS / seconds;
    process.stdout.write(
      JSON.stringify({
        scenario: "ingest",
        events: EVENTS,
        events_per_s: Math.round(eventsPerSecond),
        copy_floor_events_per_s: Math.round(floor),
        ratio_vs_floor: Number((floor / eventsPerSecond).toFixed(2)),
      }) + "\n",
    );
  } finally {
    if (server) await closeServer(server);
    await db.$disconnect();
    await database.drop();
  }
}
