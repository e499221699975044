// `npm run bench -- channels [--events 200000] [--rate 1000]`: 1,000 customer channels
// linked to accounts, and a simulated day of their traffic (customer questions, internal
// replies in thread, plain messages from both sides, Slack Connect shaped: user_team is the
// customer's organisation) sent to one Pulse process (HTTP mode, PostgreSQL in the loop) at a
// fixed rate, open loop, each delivery signed as Slack signs it. Slack's Web API is a fake
// server in a process of its own. Measures each delivery's ack, waits until every message is
// recorded, then times the day's roll-up (and the champions' marking). Prints one JSON line.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createDb } from "../src/db/client.js";
import { startOfUtcDay } from "../src/domain/dates.js";
import { markLikelyChampions } from "../src/services/channel-people.js";
import { rollUpChannelDay } from "../src/services/channel-signals.js";
import { createBenchDatabase, launcherNodeFlags, percentile, round } from "./_support.js";

const SIGNING_SECRET = "0123456789abcdef0123456789abcdef";
const BOT_TOKEN = "xoxb-1-2-benchtoken";
const TEAM = "TBENCH";
const CHANNELS = 1_000;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const raw = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (!m) return;
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      child.stdout!.resume();
      child.stderr!.resume();
      out = "";
      resolve({ child, port: Number(m[1]) });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`child exited ${code}: ${out.slice(-2000)}`)));
  });
}

const channelId = (c: number) => `CB${String(c).padStart(5, "0")}`;
const tsOf = (seconds: number) => seconds.toFixed(6);

/** Event k of the day: channel k mod 1,000, its (k div 1,000)-th event, a ten-step conversation pattern. */
function eventOf(k: number, dayStart: number): Record<string, unknown> {
  const c = k % CHANNELS;
  const j = Math.floor(k / CHANNELS);
  const step = j % 10;
  const at = dayStart + j * 400 + (c % 300) * 0.5 + 0.000001 * (c + 1);
  const customer = (n: number) => ({
    user: `W${c}X${n % 5}`,
    team: `TC${c}`,
    user_team: `TC${c}`,
    source_team: `TC${c}`,
  });
  const internal = { user: `UV${j % 7}`, team: TEAM, user_team: TEAM, source_team: TEAM };
  const base = { type: "message", channel: channelId(c), channel_type: "channel", ts: tsOf(at), event_ts: tsOf(at) };
  const previous = tsOf(dayStart + (j - 1) * 400 + (c % 300) * 0.5 + 0.000001 * (c + 1));
  switch (step) {
    case 0:
    case 3:
    case 6:
      return { ...base, ...customer(j), text: "Could you look at the export for our EU team?" };
    case 1:
    case 4:
      return { ...base, ...internal, text: "On it", thread_ts: previous, parent_user_id: `W${c}X${(j - 1) % 5}` };
    case 2:
    case 5:
      return { ...base, ...customer(j), text: "Thanks, that works" };
    case 9:
      return {
        ...base,
        ...customer(j),
        text: "Any news",
        thread_ts: tsOf(dayStart + (j - 3) * 400 + (c % 300) * 0.5 + 0.000001 * (c + 1)),
        parent_user_id: `W${c}X${(j - 3) % 5}`,
      };
    default:
      return { ...base, ...internal, text: "Release notes are out" };
  }
}

function signedBody(event: Record<string, unknown>, k: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    token: "t",
    team_id: TEAM,
    api_app_id: "A1",
    event,
    type: "event_callback",
    event_id: `EvB${k}`,
    event_time: Math.floor(Number(event.ts)),
    authorizations: [{ team_id: TEAM, user_id: "UBOT", is_bot: true }],
    is_ext_shared_channel: true,
  });
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signature,
    },
  };
}

export async function run(args: string[] = []): Promise<void> {
  const events = option(args, "events", 200_000);
  const rate = option(args, "rate", 1_000);
  const database = await createBenchDatabase("channels");
  const children: ChildProcess[] = [];
  const db = createDb(database.url);
  try {
    const fakeSlack = await startChild(
      ["--import", "tsx", fileURLToPath(new URL("./_fake-slack.ts", import.meta.url))],
      { PATH: process.env.PATH, BENCH_TEAM: TEAM },
      /PORT (\d+)/,
    );
    children.push(fakeSlack.child);
    const ws = await db.workspace.create({ data: { slackTeamId: TEAM, name: "Bench" } });
    await db.account.createMany({
      data: Array.from({ length: CHANNELS }, (_, c) => ({ workspaceId: ws.id, name: `Customer ${c}` })),
    });
    const accounts = await db.account.findMany({
      where: { workspaceId: ws.id },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    await db.channelLink.createMany({
      data: accounts.map((a, c) => ({
        workspaceId: ws.id,
        channelId: channelId(c),
        accountId: a.id,
        linkedBySlackId: "UV0",
      })),
    });

    const pulse = await startChild(
      [
        ...launcherNodeFlags(),
        // BENCH_PULSE_PROFILE=<dir> writes Pulse's CPU profile there.
        ...(process.env.BENCH_PULSE_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PULSE_PROFILE}`] : []),
        fileURLToPath(new URL("../bin/pulse.js", import.meta.url)),
        "start",
      ],
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `http://127.0.0.1:${fakeSlack.port}/api/`,
        PORT: "0",
        PULSE_SEED_DEMO: "never",
        LOG_LEVEL: "info",
      },
      /"port":(\d+),[^\n]*"msg":"Pulse is running"/,
    );
    children.push(pulse.child);
    const url = `http://127.0.0.1:${pulse.port}/slack/events`;

    const url0 = `http://127.0.0.1:${pulse.port}/slack/events`;
    // Warm-up (JIT, connection pools), on the day before, not measured nor rolled up.
    const warmDay = startOfUtcDay(new Date()).getTime() / 1000 - 86_400;
    for (let k = 0; k < 500; k += 25)
      await Promise.all(
        Array.from({ length: 25 }, (_, i) => {
          const { body, headers } = signedBody(eventOf(k + i, warmDay), 10_000_000 + k + i);
          return fetch(url0, { method: "POST", headers, body }).then((r) => r.arrayBuffer());
        }),
      );
    const dayStart = startOfUtcDay(new Date()).getTime() / 1000;
    const acks: number[] = [];
    let errors = 0;
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    const started = performance.now();
    const send = (k: number) => {
      const { body, headers } = signedBody(eventOf(k, dayStart), k);
      const t0 = performance.now();
      const p = fetch(url, { method: "POST", headers, body })
        .then(async (res) => {
          await res.arrayBuffer();
          acks.push(performance.now() - t0);
          if (res.status !== 200) errors++;
        })
        .catch(() => void errors++)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    // Open loop: deliveries leave on schedule whatever the acks do, as Slack sends them.
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(events, Math.floor(((performance.now() - started) / 1000) * rate));
        while (sent < due) send(sent++);
        if (sent >= events) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    await Promise.all(inFlight);
    const sendSeconds = (performance.now() - started) / 1000;

    // Every message recorded (listeners run after the ack), then the day's roll-up.
    const deadline = Date.now() + 600_000;
    let recorded = 0;
    while (Date.now() < deadline) {
      const [row] = await db.$queryRaw<
        { n: number }[]
      >`SELECT coalesce(sum("messages"), 0)::int AS n FROM "channel_person_daily" WHERE "day" = ${new Date(dayStart * 1000)}::date`;
      recorded = row!.n;
      if (recorded >= events - errors) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const processedSeconds = (performance.now() - started) / 1000;
    const now = new Date((dayStart + 86_400) * 1000);
    const r0 = performance.now();
    const rolledUp = await rollUpChannelDay(db, { day: new Date(dayStart * 1000), now });
    const rollupSeconds = (performance.now() - r0) / 1000;
    const c0 = performance.now();
    await markLikelyChampions(db, now);
    const championSeconds = (performance.now() - c0) / 1000;
    const [totals] = await db.$queryRaw<{ messages: number; answered: number }[]>`
      SELECT sum("customerMessages" + "vendorReplies")::int AS messages, sum("firstResponseCount")::int AS answered
        FROM "channel_activity_daily"`;

    acks.sort((a, b) => a - b);
    const ackP99 = percentile(acks, 99);
    console.log(
      JSON.stringify({
        scenario: "channels",
        channels: CHANNELS,
        events,
        rate_per_s: rate,
        send_s: round(sendSeconds, 1),
        achieved_per_s: round(recorded / processedSeconds, 1),
        all_recorded_s: round(processedSeconds, 1),
        recorded_messages: recorded,
        errors,
        ack_p50_ms: round(percentile(acks, 50), 1),
        ack_p99_ms: round(ackP99, 1),
        ack_p99_target_ms: 100,
        rollup_channels: rolledUp,
        rollup_messages: totals?.messages ?? 0,
        rollup_answered_questions: totals?.answered ?? 0,
        rollup_s: round(rollupSeconds, 3),
        rollup_target_s: 5,
        champions_s: round(championSeconds, 3),
        ok: ackP99 < 100 && rollupSeconds < 5 && errors === 0 && recorded === events,
      }),
    );
  } finally {
    await db.$disconnect();
    for (const child of children) child.kill();
    await database.drop();
  }
}
