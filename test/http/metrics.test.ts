import type { Server } from "node:http";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { createHttpServer, listen } from "../../src/http/server.js";
import {
  metrics,
  metricsRoute,
  PROMETHEUS_CONTENT_TYPE,
  registry,
  type OpenClaims,
} from "../../src/observability/metrics.js";
import { createWebClient } from "../../src/slack/client.js";
import { createWorkQueue } from "../../src/slack/work-queue.js";
import { SLACK_API_BASE, SLACK_API_ORIGIN } from "../helpers/slack.js";

async function counterValue(
  counter: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> },
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await counter.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

async function scrape(
  openClaims?: () => Promise<OpenClaims>,
): Promise<{ status: number; type: string | null; text: string }> {
  const server: Server = createHttpServer({ routes: [metricsRoute({ openClaims })], logger: createLogger("silent") });
  const port = await listen(server, 0);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("/metrics (prom-client)", () => {
  it("keeps Pulse's series names, labels and escaping", async () => {
    metrics.slackApiErrors.inc({ method: "chat.postMessage", code: 'a"b\\c\nd' });
    metrics.jobDuration.observe({ job: "score", outcome: "succeeded" }, 0.05);
    const text = await registry.metrics();
    expect(text).toContain("# TYPE pulse_http_requests_total counter");
    expect(text).toContain("# TYPE pulse_http_request_duration_seconds histogram");
    expect(text).toMatch(/^pulse_digests_posted_total \d+$/m); // unlabelled: 0 before the first post
    expect(text).toContain('pulse_slack_api_errors_total{method="chat.postMessage",code="a\\"b\\\\c\\nd"} 1');
    // Buckets are cumulative: 0.05 is under 0.1 and every larger bound.
    expect(text).toMatch(/^pulse_job_duration_seconds_bucket\{le="0\.1",job="score",outcome="succeeded"\} [1-9]\d*$/m);
    expect(text).toMatch(/^pulse_job_duration_seconds_bucket\{le="\+Inf",job="score",outcome="succeeded"\} [1-9]\d*$/m);
    expect(text).toMatch(/^pulse_job_duration_seconds_count\{job="score",outcome="succeeded"\} [1-9]\d*$/m);
  });

  it("serves default process, GC and event-loop metrics with the open claims read at scrape time", async () => {
    let reads = 0;
    const page = await scrape(async () => ({ digestRuns: 2, jobRuns: ++reads }));
    expect(page.status).toBe(200);
    expect(page.type).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(page.text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(page.text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    expect(page.text).toContain("# TYPE nodejs_gc_duration_seconds histogram");
    expect(page.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(page.text).toContain('pulse_open_claims{kind="digest_run"} 2');
    expect(page.text).toContain('pulse_open_claims{kind="job_run"} 1');
    expect(reads).toBe(1);
  });

  it("still answers when the open claims cannot be read", async () => {
    const page = await scrape(async () => {
      throw new Error("database is down");
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain("# TYPE pulse_open_claims gauge");
    expect(page.text).not.toMatch(/^pulse_open_claims\{/m);
    expect(page.text).toContain("# TYPE pulse_http_requests_total counter");
  });

  it("counts work waiting for a slot in a work queue, by queue", async () => {
    const queue = createWorkQueue({ concurrency: 1, perKey: 1, name: "metrics_test" });
    let release!: () => void;
    const first = queue("U1", () => new Promise<void>((resolve) => (release = resolve)));
    const waiting = [queue("U1", async () => undefined), queue("U2", async () => undefined)];
    await new Promise((r) => setImmediate(r));
    expect(await counterValue(metrics.workQueueDepth, { queue: "metrics_test" })).toBe(2);
    release();
    await Promise.all([first, ...waiting]);
    expect(await counterValue(metrics.workQueueDepth, { queue: "metrics_test" })).toBe(0);
  });
});

describe("Slack API errors", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("counts failed Web API calls by method and Slack's error code", async () => {
    const labels = { method: "chat.postMessage", code: "channel_not_found" };
    const before = await counterValue(metrics.slackApiErrors, labels);
    nock(SLACK_API_ORIGIN).post("/api/chat.postMessage").reply(200, { ok: false, error: "channel_not_found" });
    const client = createWebClient("xoxb-1-metrics", { apiUrl: SLACK_API_BASE, retries: 0 });
    await expect(client.chat.postMessage({ channel: "C404", text: "hi" })).rejects.toThrow();
    expect(await counterValue(metrics.slackApiErrors, labels)).toBe(before + 1);
  });
});
