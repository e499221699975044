// GET /metrics: the registry in Prometheus' text format.
import { PROMETHEUS_CONTENT_TYPE, registry, type MetricsRegistry } from "../observability/metrics.js";
import type { Route } from "./server.js";

export function metricsRoute(source: MetricsRegistry = registry): Route {
  return {
    method: "GET",
    path: "/metrics",
    handler(_req, res) {
      const body = source.render();
      res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE, "content-length": Buffer.byteLength(body) });
      res.end(body);
    },
  };
}
