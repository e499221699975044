// Prometheus metrics through prom-client: Pulse's own series, Node's default process, GC
// and event-loop metrics, and gauges for the work waiting on Slack and the claims held
// open in the database. Other areas record through the `metrics` object:
//   metrics.digestsPosted.inc();  metrics.slackApiErrors.inc({ method, code });
// The series names and labels are a contract with operators' dashboards: keep them.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Route } from "../http/server.js";

export const registry = new Registry();

/** Pulse's metrics, for any area to record into. */
export const metrics = {
  httpRequests: new Counter({
    name: "pulse_http_requests_total",
    help: "HTTP requests answered, by route, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: "pulse_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by route.",
    labelNames: ["route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  jobDuration: new Histogram({
    name: "pulse_job_duration_seconds",
    help: "Scheduled job run time, by job and outcome.",
    labelNames: ["job", "outcome"] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600],
    registers: [registry],
  }),
  digestsPosted: new Counter({
    name: "pulse_digests_posted_total",
    help: "At-risk digests posted to Slack channels.",
    registers: [registry],
  }),
  slackApiErrors: new Counter({
    name: "pulse_slack_api_errors_total",
    help: "Slack Web API calls that failed, by method and Slack error code.",
    labelNames: ["method", "code"] as const,
    registers: [registry],
  }),
  workQueueDepth: new Gauge({
    name: "pulse_work_queue_depth",
    help: "Work acknowledged to Slack and waiting for a slot (src/slack/work-queue.ts), by queue.",
    labelNames: ["queue"] as const,
    registers: [registry],
  }),
};

let defaultMetricsStarted = false;

/**
 * Node's process, heap, GC and event-loop metrics. Started by the server only: a one-shot
 * CLI command has no scraper, and the GC observer and event-loop histogram are work it
 * would do for nobody.
 */
export function startDefaultMetrics(): void {
  if (defaultMetricsStarted) return;
  defaultMetricsStarted = true;
  collectDefaultMetrics({ register: registry });
}

export interface OpenClaims {
  /** digest_run rows still `claimed` (a digest being posted, or one whose poster died). */
  digestRuns: number;
  /** job_run rows still `running`. */
  jobRuns: number;
}

export interface MetricsRouteOptions {
  /** Read at each scrape, so the gauge is never stale; a failure leaves the gauge empty. */
  openClaims?: () => Promise<OpenClaims>;
  source?: Registry;
}

/** Gauges read from the database at scrape time, in a registry of the route's own. */
function scrapeTimeRegistry(openClaims: () => Promise<OpenClaims>): Registry {
  const local = new Registry();
  new Gauge({
    name: "pulse_open_claims",
    help: "Claims held open in the database at scrape time, by kind (digest_run claimed, job_run running).",
    labelNames: ["kind"] as const,
    registers: [local],
    async collect() {
      this.reset();
      try {
        const claims = await openClaims();
        this.set({ kind: "digest_run" }, claims.digestRuns);
        this.set({ kind: "job_run" }, claims.jobRuns);
      } catch {
        // The database is down: /healthz says so; /metrics still answers with the rest.
      }
    },
  });
  return local;
}

export const PROMETHEUS_CONTENT_TYPE = registry.contentType;

export function metricsRoute(options: MetricsRouteOptions = {}): Route {
  const source = options.source ?? registry;
  if (source === registry) startDefaultMetrics();
  const local = options.openClaims ? scrapeTimeRegistry(options.openClaims) : undefined;
  return {
    method: "GET",
    path: "/metrics",
    async handler(_req, res) {
      const body = (await source.metrics()) + (local ? await local.metrics() : "");
      res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE, "content-length": Buffer.byteLength(body) });
      res.end(body);
    },
  };
}
