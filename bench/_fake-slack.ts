// Slack's Web API and response URLs for `bench load`, in a process of its own: Pulse's
// calls to Slack must not queue behind the load generator's work (or it behind them), or
// the latency measured would be the bench's own. Answers every call with ok; prints its port.
import { createServer } from "node:http";

const TEAM = process.env.BENCH_TEAM ?? "TBENCH";
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    const body = req.url?.includes("auth.test")
      ? { ok: true, team_id: TEAM, team: "Bench", user_id: "UBOT", bot_id: "BBOT" }
      : { ok: true, channel: "C1", ts: "1.1", view: { id: "V1" } };
    res.end(JSON.stringify(body));
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === "object" && address ? address.port : 0}\n`);
});
