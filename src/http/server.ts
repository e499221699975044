// Pulse's one HTTP server: health, Slack's HTTP endpoints (in HTTP mode) and the
// ingestion API. Routes are plain (req, res) handlers; a route that throws answers 500
// with a JSON error and a log line, never a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Logger } from "../log.js";
import { metrics } from "../observability/metrics.js";

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { requestId: string; url: URL },
) => Promise<void> | void;

export interface Route {
  method: string;
  /** Exact path, or a prefix ending in "*" ("/api/v1/*"). */
  path: string;
  handler: Handler;
}

export interface HttpServerOptions {
  routes: Route[];
  logger: Logger;
  /** Handles Slack's requests (/slack/*) in HTTP mode. */
  slackListener?: (req: IncomingMessage, res: ServerResponse) => void;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function matches(route: Route, method: string, pathname: string): boolean {
  if (route.method !== method && !(route.method === "GET" && method === "HEAD")) return false;
  return route.path.endsWith("*") ? pathname.startsWith(route.path.slice(0, -1)) : pathname === route.path;
}

const SLACK_ROUTES = new Set(["/slack/events", "/slack/install", "/slack/oauth_redirect"]);
// Logged at debug: probes, and Slack's answered deliveries (a workspace with a thousand busy
// customer channels sends hundreds a second; /metrics counts them, and what a delivery does
// is logged by its listener). A refused or failed delivery is still logged at info.
const QUIET_ROUTES = new Set(["/healthz", "/metrics"]);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The route label for metrics and logs: a declared path, never the raw URL, so series stay
 * few and query strings (OAuth codes and states) never reach a log line.
 */
function routeLabel(routes: Route[], pathname: string, slack: boolean): string {
  if (slack && pathname.startsWith("/slack/")) return SLACK_ROUTES.has(pathname) ? pathname : "/slack/*";
  return routes.find((r) => matches({ ...r, method: "GET" }, "GET", pathname))?.path ?? "unmatched";
}

export function createHttpServer(options: HttpServerOptions): Server {
  const { routes, logger, slackListener } = options;
  const server = createServer((req, res) => {
    const offered = req.headers["x-request-id"];
    const requestId = typeof offered === "string" && REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader("x-request-id", requestId);
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const label = routeLabel(routes, url.pathname, Boolean(slackListener));
    const stopTimer = metrics.httpDuration.startTimer({ route: label });
    res.once("finish", () => {
      const seconds = stopTimer();
      metrics.httpRequests.inc({ route: label, method, status: String(res.statusCode) });
      const line = { requestId, method, route: label, status: res.statusCode, durationMs: Math.round(seconds * 1000) };
      if (QUIET_ROUTES.has(label) || (label === "/slack/events" && res.statusCode < 300)) logger.debug(line, "request");
      else logger.info(line, "request");
    });
    if (slackListener && url.pathname.startsWith("/slack/")) {
      try {
        slackListener(req, res);
      } catch (error) {
        logger.error({ err: error, requestId, route: label }, "Slack listener failed");
        sendJson(res, 500, { error: { code: "internal", message: "Something went wrong on our side.", requestId } });
      }
      return;
    }
    const route = routes.find((r) => matches(r, method, url.pathname));
    if (!route) {
      const pathKnown = routes.some((r) => matches({ ...r, method }, method, url.pathname));
      sendJson(res, pathKnown ? 405 : 404, {
        error: {
          code: pathKnown ? "method_not_allowed" : "not_found",
          message: `${method} ${url.pathname} is not a Pulse endpoint`,
        },
      });
      return;
    }
    Promise.resolve()
      .then(() => route.handler(req, res, { requestId, url }))
      .catch((error: unknown) => {
        logger.error({ err: error, requestId, path: url.pathname }, "HTTP handler failed");
        sendJson(res, 500, {
          error: {
            code: "internal",
            message: "Something went wrong on our side; nothing was recorded. Try again.",
            requestId,
          },
        });
      });
  });
  // Slack and load balancers keep connections alive; keep our timeout above theirs.
  server.keepAliveTimeout = 65_000;
  return server;
}

export function listen(server: Server, port: number, host = "0.0.0.0"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/**
 * Stops accepting connections and resolves once in-flight requests have finished. A
 * keep-alive connection that was busy when close() was called turns idle only after its
 * response, so idle connections are swept until the server is closed; after `graceMs`
 * the stragglers are cut.
 */
export function closeServer(server: Server, graceMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
