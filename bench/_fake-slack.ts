// Slack's Web API and response URLs for `bench load`, in a process of its own: Pulse's
// calls to Slack must not queue behind the load generator's work (or it behind them), or
// the latency measured would be the bench's own. Answers every call with ok; prints its port.
// With BENCH_SLACK_LATENCY=1 each call takes 50–300 ms, and one in twenty 2 s, as a busy
// Slack does. Every call that carries a request id (a response URL /r/<id>, a trigger_id
// "<id>.…" or a channel "CB<id>") is reported on stdout as "R <id> <epoch ms>" the moment it
// arrives, so the load generator can time each request's reply.
import { createServer } from "node:http";

const TEAM = process.env.BENCH_TEAM ?? "TBENCH";
const SLOW = process.env.BENCH_SLACK_LATENCY === "1";

function latencyMs(): number {
  if (!SLOW) return 0;
  return Math.random() < 0.05 ? 2_000 : 50 + Math.random() * 250;
}

function requestId(url: string, body: string): string | undefined {
  const path = /^\/r\/(\d+)/.exec(url);
  if (path) return path[1];
  const fields = new URLSearchParams(body);
  const trigger = /^(\d+)\./.exec(fields.get("trigger_id") ?? "");
  if (trigger) return trigger[1];
  const channel = /^CB(\d+)$/.exec(fields.get("channel") ?? "");
  return channel?.[1];
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const arrived = Date.now();
    const id = requestId(req.url ?? "", Buffer.concat(chunks).toString("utf8"));
    if (id) process.stdout.write(`R ${id} ${arrived}\n`);
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      const body = req.url?.includes("auth.test")
        ? { ok: true, team_id: TEAM, team: "Bench", user_id: "UBOT", bot_id: "BBOT" }
        : { ok: true, channel: "C1", ts: "1.1", message_ts: "1.1", view: { id: "V1" } };
      res.end(JSON.stringify(body));
    }, latencyMs());
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === "object" && address ? address.port : 0}\n`);
});
