import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricsRegistry, metrics } from "../../src/observability/metrics.js";
import { createWebClient } from "../../src/slack/client.js";
import { SLACK_API_BASE, SLACK_API_ORIGIN } from "../helpers/slack.js";

describe("metrics registry", () => {
  it("renders counters with labels, escaping label values", () => {
    const r = new MetricsRegistry();
    const c = r.counter("t_total", "A test counter.", ["code"]);
    c.inc({ code: 'a"b\\c\nd' });
    c.inc({ code: "ok" }, 2);
    expect(r.render()).toBe(['# HELP t_total A test counter.', "# TYPE t_total counter", 't_total{code="a\\"b\\\\c\\nd"} 1', 't_total{code="ok"} 2', ""].join("\n"));
  });

  it("renders an unlabelled counter as 0 before its first increment", () => {
    const r = new MetricsRegistry();
    r.counter("empty_total", "Nothing yet.");
    expect(r.render()).toContain("\nempty_total 0\n");
  });

  it.each([
    [[0.05], ["0.1", 1], ["1", 1], ["+Inf", 1], 0.05],
    [[0.5, 2], ["0.1", 0], ["1", 1], ["+Inf", 2], 2.5],
    [[0.1, 1], ["0.1", 1], ["1", 2], ["+Inf", 2], 1.1],
  ] as const)("histogram of %o has cumulative buckets", (values, b1, b2, inf, sum) => {
    const r = new MetricsRegistry();
    const h = r.histogram("lat_seconds", "Latency.", ["route"], [0.1, 1]);
    for (const v of values) h.observe({ route: "/x" }, v);
    const text = r.render();
    for (const [le, n] of [b1, b2, inf]) expect(text).toContain(`lat_seconds_bucket{route="/x",le="${le}"} ${n}\n`);
    expect(text).toContain(`lat_seconds_sum{route="/x"} ${sum}\n`);
    expect(text).toContain(`lat_seconds_count{route="/x"} ${values.length}\n`);
  });

  it("refuses invalid or duplicate names and decreasing counters", () => {
    const r = new MetricsRegistry();
    expect(() => r.counter("bad-name", "x")).toThrow();
    r.counter("dup_total", "x");
    expect(() => r.counter("dup_total", "x")).toThrow();
    expect(() => r.counter("c_total", "x").inc({}, -1)).toThrow();
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
    const before = metrics.slackApiErrors.get({ method: "chat.postMessage", code: "channel_not_found" });
    nock(SLACK_API_ORIGIN).post("/api/chat.postMessage").reply(200, { ok: false, error: "channel_not_found" });
    const client = createWebClient("xoxb-1-metrics", { apiUrl: SLACK_API_BASE, retries: 0 });
    await expect(client.chat.postMessage({ channel: "C404", text: "hi" })).rejects.toThrow();
    expect(metrics.slackApiErrors.get({ method: "chat.postMessage", code: "channel_not_found" })).toBe(before + 1);
  });
});
