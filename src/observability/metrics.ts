// Prometheus metrics: a small registry (counters and histograms with labels) and the text
// exposition format, version 0.0.4. Written here rather than taken from prom-client because
// Pulse needs five metrics and no process collectors, and this is ~100 lines with no
// dependency to audit. Other areas record through the `metrics` object:
//   metrics.digestsPosted.inc();  metrics.slackApiErrors.inc({ method, code });
// It lives outside src/http so services and jobs can record without importing the HTTP layer;
// src/http/metrics-route.ts serves it.

type Labels = Record<string, string>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function renderLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (!entries.length) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** Stable key for a label set: the same labels in any order are the same series. */
function keyOf(labelNames: readonly string[], labels: Labels): string {
  return JSON.stringify(labelNames.map((n) => labels[n] ?? ""));
}

function pick(labelNames: readonly string[], labels: Labels): Labels {
  const out: Labels = {};
  for (const name of labelNames) out[name] = labels[name] ?? "";
  return out;
}

function formatNumber(n: number): string {
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return Number.isNaN(n) ? "NaN" : String(n);
}

interface Metric {
  readonly name: string;
  render(): string;
}

export class Counter implements Metric {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`);
    const key = keyOf(this.labelNames, labels);
    const entry = this.series.get(key) ?? { labels: pick(this.labelNames, labels), value: 0 };
    entry.value += by;
    this.series.set(key, entry);
  }

  get(labels: Labels = {}): number {
    return this.series.get(keyOf(this.labelNames, labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    // A counter without labels is exported as 0 before its first increment.
    if (!this.series.size && !this.labelNames.length) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.series.values()) lines.push(`${this.name}${renderLabels(labels)} ${formatNumber(value)}`);
    return lines.join("\n");
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  readonly buckets: number[];
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
    buckets: number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ) {
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    const key = keyOf(this.labelNames, labels);
    const entry = this.series.get(key) ?? { labels: pick(this.labelNames, labels), counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i]!++;
    });
    entry.sum += value;
    entry.count++;
    this.series.set(key, entry);
  }

  /** Starts a timer; calling the result observes the seconds elapsed. */
  startTimer(labels: Labels = {}): (more?: Labels) => number {
    const started = process.hrtime.bigint();
    return (more = {}) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observe({ ...labels, ...more }, seconds);
      return seconds;
    };
  }

  count(labels: Labels = {}): number {
    return this.series.get(keyOf(this.labelNames, labels))?.count ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      // Buckets are cumulative in the exposition format; `observe` already counts each
      // value in every bucket whose bound it is under.
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${renderLabels({ ...labels, le: formatNumber(bound) })} ${counts[i]}`));
      lines.push(`${this.name}_bucket${renderLabels({ ...labels, le: "+Inf" })} ${count}`);
      lines.push(`${this.name}_sum${renderLabels(labels)} ${formatNumber(sum)}`);
      lines.push(`${this.name}_count${renderLabels(labels)} ${count}`);
    }
    return lines.join("\n");
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  register<T extends Metric>(metric: T): T {
    if (!NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(new Counter(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: number[]): Histogram {
    return this.register(new Histogram(name, help, labelNames, buckets));
  }

  render(): string {
    return `${[...this.metrics.values()].map((m) => m.render()).join("\n")}\n`;
  }
}

export const registry = new MetricsRegistry();

/** Pulse's metrics, for any area to record into. */
export const metrics = {
  httpRequests: registry.counter("pulse_http_requests_total", "HTTP requests answered, by route, method and status.", ["route", "method", "status"]),
  httpDuration: registry.histogram("pulse_http_request_duration_seconds", "Time to answer an HTTP request, by route.", ["route"]),
  jobDuration: registry.histogram("pulse_job_duration_seconds", "Scheduled job run time, by job and outcome.", ["job", "outcome"], [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600]),
  digestsPosted: registry.counter("pulse_digests_posted_total", "At-risk digests posted to Slack channels."),
  slackApiErrors: registry.counter("pulse_slack_api_errors_total", "Slack Web API calls that failed, by method and Slack error code.", ["method", "code"]),
};

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
