// The request log line: answered Slack deliveries are debug (hundreds a second from busy
// customer channels), refused ones and every other route stay at info.
import type { Server } from "node:http";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createHttpServer, listen } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";

async function logLinesFor(requests: { path: string; slackStatus?: number }[]) {
  const lines: { level: number; route?: string; status?: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  let nextStatus = 200;
  const server: Server = createHttpServer({
    routes: [{ method: "GET", path: "/api/v1/ping", handler: async (_req, res) => void res.end("pong") }],
    logger: createLogger("info", sink),
    slackListener: (_req, res) => {
      res.statusCode = nextStatus;
      res.end();
    },
  });
  const port = await listen(server, 0, "127.0.0.1");
  try {
    for (const r of requests) {
      nextStatus = r.slackStatus ?? 200;
      await (
        await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.slackStatus ? "POST" : "GET" })
      ).arrayBuffer();
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return lines.filter((l) => l.msg === "request");
}

describe("the request log", () => {
  it("leaves answered Slack deliveries to debug and logs refused ones and other routes at info", async () => {
    const lines = await logLinesFor([
      { path: "/slack/events", slackStatus: 200 },
      { path: "/slack/events", slackStatus: 401 },
      { path: "/slack/events", slackStatus: 500 },
      { path: "/api/v1/ping" },
    ]);
    expect(lines.map((l) => [l.route, l.status])).toEqual([
      ["/slack/events", 401],
      ["/slack/events", 500],
      ["/api/v1/ping", 200],
    ]);
  });
});
