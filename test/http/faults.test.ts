import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { startPulse, type RunningPulse } from "../../src/main.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually } from "../helpers/slack.js";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

let t: TestDatabase;
let proxy: TcpProxy;

beforeAll(async () => {
  t = await createTestDatabase();
  const target = new URL(t.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
});
afterAll(async () => {
  await proxy.close();
  await t.drop();
});

function throughProxy(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  return u.toString();
}

async function start(extraRoutes: Parameters<typeof startPulse>[2] = {}): Promise<RunningPulse> {
  const config = parseConfig({
    DATABASE_URL: throughProxy(t.url, proxy.port),
    PORT: "0",
    PULSE_SEED_DEMO: "never",
    LOG_LEVEL: "silent",
  });
  const originalWrite = process.stdout.write;
  // Local mode prints a notice to stdout; keep test output clean.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await startPulse(config, createLogger("silent"), { handleSignals: false, ...extraRoutes });
  } finally {
    process.stdout.write = originalWrite;
  }
}

describe("database outage", () => {
  it("/healthz answers 503 while PostgreSQL is unreachable and 200 again once it is back, by itself", async () => {
    const pulse = await start();
    try {
      const health = () => fetch(`http://127.0.0.1:${pulse.port}/healthz`);
      expect((await health()).status).toBe(200);
      proxy.cut();
      const down = await health();
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: "unavailable", database: "unreachable" });
      // Still down on a second probe: not a one-off.
      expect((await health()).status).toBe(503);
      proxy.restore();
      await eventually(async () => (await health()).status === 200);
    } finally {
      proxy.restore();
      await pulse.stop();
    }
  });
});

describe("graceful shutdown", () => {
  it("lets a slow in-flight request finish during stop()", async () => {
    let started!: () => void;
    const requestStarted = new Promise<void>((resolve) => (started = resolve));
    const pulse = await start({
      routes: () => [
        {
          method: "GET",
          path: "/slow",
          async handler(_req, res) {
            started();
            await new Promise((r) => setTimeout(r, 400));
            res.writeHead(200, { "content-type": "text/plain" });
            res.end("finished");
          },
        },
      ],
    });
    const response = fetch(`http://127.0.0.1:${pulse.port}/slow`);
    await requestStarted;
    const stopping = pulse.stop();
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("finished");
    await stopping;
    await pulse.stopped;
    await expect(fetch(`http://127.0.0.1:${pulse.port}/healthz`)).rejects.toThrow();
  });
});

describe("/metrics", () => {
  it("exposes request counts by route and status, and latency, in Prometheus text format", async () => {
    const pulse = await start();
    try {
      await fetch(`http://127.0.0.1:${pulse.port}/healthz`);
      await fetch(`http://127.0.0.1:${pulse.port}/no-such-thing?token=xoxb-should-not-appear`);
      const res = await fetch(`http://127.0.0.1:${pulse.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
      const text = await res.text();
      expect(text).toMatch(/^pulse_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+$/m);
      expect(text).toMatch(/^pulse_http_requests_total\{route="unmatched",method="GET",status="404"\} \d+$/m);
      // prom-client writes `le` first among a bucket's labels.
      expect(text).toMatch(/^pulse_http_request_duration_seconds_bucket\{le="\+Inf",route="\/healthz"\} \d+$/m);
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^pulse_open_claims\{kind="job_run"\} \d+$/m);
      expect(text).toContain("# TYPE pulse_job_duration_seconds histogram");
      expect(text).toMatch(/^pulse_digests_posted_total \d+$/m);
      expect(text).toContain("# TYPE pulse_slack_api_errors_total counter");
      expect(text).not.toContain("xoxb-");
    } finally {
      await pulse.stop();
    }
  });
});
