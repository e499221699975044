// `npm run bench -- load [--rate 50] [--duration 60]`: an open-loop run against one Pulse
// process (HTTP mode, PostgreSQL in the loop): requests arrive at a fixed rate whatever
// Pulse's answers do (as Slack's users do), a mix of slash commands, button clicks and
// modal submissions, while every Slack call takes 50–300 ms and one in twenty 2 s. It
// measures each request's ack and its reply (the response_url post, chat.postEphemeral or
// views.open reaching Slack). Then the 400-request burst (200 commands and 200 modal
// submissions at once) against Pulse and against a bare Bolt app with the same receiver, in
// the same run. Slack's Web API is a fake server on loopback, in a process of its own.
// Prints one JSON line. errors counts open-loop requests whose ack failed (non-200, inline
// errors) or whose reply never came; reply_p99_ms is null when more than 1% never came
// (the 99th percentile was never reached).
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createDb } from "../src/db/client.js";
import { generateDemoPortfolio } from "../src/domain/demo-portfolio.js";
import { isoDay } from "../src/domain/dates.js";
import { median } from "../src/domain/statistics.js";
import { seedDemoPortfolio } from "../src/services/seed-demo.js";
import { ACTION, BLOCK, CALLBACK, INPUT_ACTION } from "../src/slack/ids.js";
import { createBenchDatabase, launcherNodeFlags, percentile, round } from "./_support.js";

const SIGNING_SECRET = "0123456789abcdef0123456789abcdef";
const BOT_TOKEN = "xoxb-1-2-benchtoken";
const TEAM = "TBENCH";
const COMMANDS = 200;
const SUBMISSIONS = 200;
const BURST_ROUNDS = 7;

function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  onLine?: (line: string) => void,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (!m) return;
      // Ready: from now on the child's output is only drained, never searched, so a slow
      // reader here cannot block the child's writes (its logs) and slow it down.
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      if (onLine) {
        let partial = "";
        child.stdout!.on("data", (c: Buffer) => {
          const lines = (partial + c.toString()).split("\n");
          partial = lines.pop()!;
          for (const line of lines) onLine(line);
        });
      }
      child.stdout!.resume();
      out = "";
      resolve({ child, port: Number(m[1]) });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => {
      if (process.env.BENCH_DEBUG) process.stderr.write(c);
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code}: ${out.slice(-2000)}`)));
  });
}

function signed(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`,
  };
}

async function timedPost(
  url: string,
  body: string,
  contentType: string,
): Promise<{ ms: number; ok: boolean; detail: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": contentType, ...signed(body) }, body });
    const text = await res.text();
    // A modal answered with inline errors is a failed submission, whatever the status.
    const ok = res.status === 200 && !text.includes('"response_action":"errors"');
    return { ms: performance.now() - started, ok, detail: ok ? "" : `${res.status} ${text.slice(0, 200)}` };
  } catch (error) {
    return { ms: performance.now() - started, ok: false, detail: String(error) };
  }
}

export function commandBody(text: string, i: number, slackOrigin: string): string {
  return new URLSearchParams({
    team_id: TEAM,
    team_domain: "bench",
    channel_id: "C1",
    channel_name: "cs",
    user_id: `UCSM${i % 5}`,
    user_name: "csm",
    command: "/pulse",
    text,
    response_url: `${slackOrigin}/r/${i}`,
    trigger_id: `${i}.1.trigger`,
    api_app_id: "A1",
  }).toString();
}

export function submissionBody(accountId: number, i: number, today: string, channelId = "C1"): string {
  const payload = {
    type: "view_submission",
    team: { id: TEAM, domain: "bench" },
    user: { id: `UCSM${i % 5}`, name: "csm", team_id: TEAM },
    api_app_id: "A1",
    trigger_id: `${i}.2.trigger`,
    view: {
      id: `V${i}`,
      team_id: TEAM,
      type: "modal",
      callback_id: CALLBACK.logTouchpoint,
      private_metadata: JSON.stringify({ channelId }),
      hash: "h",
      state: {
        values: {
          [BLOCK.account]: {
            [ACTION.accountSelect]: { type: "external_select", selected_option: { value: String(accountId) } },
          },
          [BLOCK.kind]: { [INPUT_ACTION]: { type: "static_select", selected_option: { value: "call" } } },
          [BLOCK.date]: { [INPUT_ACTION]: { type: "datepicker", selected_date: today } },
          [BLOCK.notes]: { [INPUT_ACTION]: { type: "plain_text_input", value: `Load test call ${i}` } },
        },
      },
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * Opens `count` keep-alive connections to `baseUrl` (any answer will do, a 404 included),
 * so a burst measures how the server answers, not how fast this process, which shares the
 * machine's two cores with it, sets up 400 TCP connections: in a round on cold connections
 * the requests trickled in while the client was still connecting, and the server's own
 * follow-up work then took the processor from the client, a contest no real Slack client
 * is part of. Both apps get the same treatment before every burst.
 */
async function openConnections(baseUrl: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, () =>
      fetch(`${baseUrl}/bench-connection`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined),
    ),
  );
}

/** Ids a burst's requests carry (commands idBase+i, submissions idBase+SUBMISSION_ID_OFFSET+i). */
const SUBMISSION_ID_OFFSET = 100_000;

async function fire(
  baseUrl: string,
  names: string[],
  accountIds: number[],
  slackOrigin: string,
  idBase = 0,
): Promise<{ latencies: number[]; errors: number; ids: string[] }> {
  const today = isoDay(new Date());
  const requests = [
    ...Array.from(
      { length: COMMANDS },
      (_, i) => () =>
        timedPost(
          `${baseUrl}/slack/events`,
          commandBody(`account ${names[i % names.length]}`, idBase + i, slackOrigin),
          "application/x-www-form-urlencoded",
        ),
    ),
    ...Array.from({ length: SUBMISSIONS }, (_, i) => () => {
      const id = idBase + SUBMISSION_ID_OFFSET + i;
      return timedPost(
        `${baseUrl}/slack/events`,
        submissionBody(accountIds[i % accountIds.length]!, id, today, `CB${id}`),
        "application/x-www-form-urlencoded",
      );
    }),
  ];
  // BENCH_ONLY=commands or =submissions fires one kind alone, to see which one costs what.
  const only = process.env.BENCH_ONLY;
  const chosen =
    only === "commands" ? requests.slice(0, COMMANDS) : only === "submissions" ? requests.slice(COMMANDS) : requests;
  const results = await Promise.all(chosen.map((r) => r()));
  const p99Of = (list: typeof results) =>
    Math.round(
      percentile(
        list.map((r) => r.ms).sort((a, b) => a - b),
        99,
      ),
    );
  console.error(
    `p99: slash commands ${p99Of(results.slice(0, COMMANDS))} ms, modal submissions ${p99Of(results.slice(COMMANDS))} ms`,
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length)
    console.error(
      `slowest failure ${Math.round(Math.max(...failed.map((f) => f.ms)))} ms, fastest ${Math.round(Math.min(...failed.map((f) => f.ms)))} ms`,
    );
  if (failed.length)
    console.error(
      `${failed.length} of ${results.length} failed: commands ${results.slice(0, COMMANDS).filter((r) => !r.ok).length}, submissions ${results.slice(COMMANDS).filter((r) => !r.ok).length}; e.g. ${failed[0]!.detail}`,
    );
  const ids = [
    ...(only === "submissions" ? [] : Array.from({ length: COMMANDS }, (_, i) => String(idBase + i))),
    ...(only === "commands"
      ? []
      : Array.from({ length: SUBMISSIONS }, (_, i) => String(idBase + SUBMISSION_ID_OFFSET + i))),
  ];
  return { latencies: results.map((r) => r.ms).sort((a, b) => a - b), errors: failed.length, ids };
}

/** Waits until Pulse has replied to every request of a burst (its queued work is done), or gives up. */
async function drained(replies: Map<string, number>, ids: string[], label: string, limitMs = 180_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < limitMs && ids.some((id) => !replies.has(id)))
    await new Promise((r) => setTimeout(r, 100));
  const missing = ids.filter((id) => !replies.has(id)).length;
  console.error(`${label}: drained in ${Date.now() - started} ms${missing ? `, ${missing} replies never came` : ""}`);
}

export interface LoadOptions {
  rate: number;
  durationS: number;
}

export function parseLoadArgs(args: string[]): LoadOptions {
  const value = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const raw = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`--${name} must be a positive number, not ${JSON.stringify(raw)}`);
    return n;
  };
  return { rate: value("rate", 50), durationS: value("duration", 60) };
}

function blockActionBody(accountId: number, i: number, slackOrigin: string): string {
  const payload = {
    type: "block_actions",
    team: { id: TEAM, domain: "bench" },
    user: { id: `UCSM${i % 5}`, username: "csm", name: "csm", team_id: TEAM },
    api_app_id: "A1",
    trigger_id: `${i}.3.trigger`,
    response_url: `${slackOrigin}/r/${i}`,
    container: { type: "message", channel_id: "C1", is_ephemeral: true, message_ts: "1.1" },
    channel: { id: "C1", name: "cs" },
    actions: [
      { type: "button", action_id: ACTION.pickAccount, block_id: "b", value: String(accountId), action_ts: `${i}.4` },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

interface Arrival {
  kind: string;
  sentAt: number;
  ack?: { ms: number; ok: boolean; detail: string };
}

/**
 * The open-loop phase: request i is sent at start + i/rate whether or not earlier ones
 * were answered. Commands and clicks reply through /r/<i>, a modal submission's
 * confirmation goes to channel CB<i>, `/pulse log` opens a modal with trigger_id "<i>.…".
 */
async function openLoop(
  baseUrl: string,
  options: LoadOptions,
  names: string[],
  accountIds: number[],
  slackOrigin: string,
  replies: Map<string, number>,
): Promise<{ ackP99: number; replyP99: number; errors: number }> {
  const today = isoDay(new Date());
  const total = Math.round(options.rate * options.durationS);
  const arrivals: Arrival[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  // Ids above any the burst uses, so a late reply from one phase is never taken for another's.
  const base = 1_000_000;
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = base + n;
    const pick = n % 20;
    // 8 in 20 account lookups, 2 modal opens, 5 button clicks, 5 modal submissions.
    const [kind, body] =
      pick < 8
        ? ["command:account", commandBody(`account ${names[n % names.length]}`, i, slackOrigin)]
        : pick < 10
          ? ["command:log", commandBody(`log ${names[n % names.length]}`, i, slackOrigin)]
          : pick < 15
            ? ["click", blockActionBody(accountIds[n % accountIds.length]!, i, slackOrigin)]
            : ["submission", submissionBody(accountIds[n % accountIds.length]!, i, today, `CB${i}`)];
    const arrival: Arrival = { kind, sentAt: Date.now() };
    arrivals[n] = arrival;
    pending.push(
      timedPost(`${baseUrl}/slack/events`, body, "application/x-www-form-urlencoded").then(
        (r) => void (arrival.ack = r),
      ),
    );
  }
  await Promise.all(pending);
  // Replies still on their way (a 2 s Slack call, a queue): give them time before counting one lost.
  const lastSent = Date.now();
  while (Date.now() - lastSent < 30_000 && arrivals.some((_, n) => !replies.has(String(base + n))))
    await new Promise((r) => setTimeout(r, 100));

  const acks = arrivals.map((a) => a.ack!.ms).sort((a, b) => a - b);
  const replyMs = arrivals
    .flatMap((a, n) => {
      const at = replies.get(String(base + n));
      return at === undefined ? [] : [at - a.sentAt];
    })
    .sort((a, b) => a - b);
  const failedAcks = arrivals.filter((a) => !a.ack!.ok);
  const lost = arrivals.filter((_, n) => !replies.has(String(base + n)));
  const byKind = (list: Arrival[]) =>
    Object.entries(list.reduce<Record<string, number>>((m, a) => ((m[a.kind] = (m[a.kind] ?? 0) + 1), m), {}))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  console.error(
    `open loop: ${total} requests at ${options.rate}/s; ack p50 ${round(percentile(acks, 50), 1)} ms p99 ${round(percentile(acks, 99), 1)} ms; reply p50 ${round(percentile(replyMs, 50), 1)} ms p99 ${round(percentile(replyMs, 99), 1)} ms`,
  );
  if (failedAcks.length)
    console.error(`failed acks: ${failedAcks.length} (${byKind(failedAcks)}); e.g. ${failedAcks[0]!.ack!.detail}`);
  if (lost.length) console.error(`no reply within 30 s of the last request: ${lost.length} (${byKind(lost)})`);
  for (const kind of ["command:account", "command:log", "click", "submission"]) {
    const mine = arrivals
      .flatMap((a, n) =>
        a.kind === kind && replies.has(String(base + n)) ? [replies.get(String(base + n))! - a.sentAt] : [],
      )
      .sort((a, b) => a - b);
    console.error(`  ${kind}: reply p99 ${round(percentile(mine, 99), 1)} ms over ${mine.length}`);
  }
  // A request whose ack failed and whose reply never came counts once.
  const errors = new Set([...failedAcks, ...lost]).size;
  // A lost reply counts as never arriving: the p99 must not improve by dropping it.
  const replyP99 =
    lost.length / total > 0.01
      ? Number.POSITIVE_INFINITY
      : percentile(
          replyMs.concat(lost.map(() => Number.POSITIVE_INFINITY)).sort((a, b) => a - b),
          99,
        );
  return { ackP99: percentile(acks, 99), replyP99, errors };
}

export async function run(args: string[] = []): Promise<void> {
  const options = parseLoadArgs(args);
  const database = await createBenchDatabase("load");
  const children: ChildProcess[] = [];
  const replies = new Map<string, number>();
  const fakeSlack = await startChild(
    ["--import", "tsx", fileURLToPath(new URL("./_fake-slack.ts", import.meta.url))],
    { PATH: process.env.PATH, BENCH_TEAM: TEAM, BENCH_SLACK_LATENCY: "1" },
    /PORT (\d+)/,
    (line) => {
      const m = /^R (\d+) (\d+)$/.exec(line);
      // The first call for a request is its reply; later ones (a retry) do not move it.
      if (m && !replies.has(m[1]!)) replies.set(m[1]!, Number(m[2]));
    },
  );
  children.push(fakeSlack.child);
  const slackOrigin = `http://127.0.0.1:${fakeSlack.port}`;
  try {
    const db = createDb(database.url);
    await seedDemoPortfolio(db, { now: new Date(), teamId: TEAM });
    const accounts = await db.account.findMany({ select: { id: true, name: true }, take: 200 });
    await db.$disconnect();
    const names = generateDemoPortfolio(new Date())
      .accounts.slice(0, 50)
      .map((a) => a.name);
    const accountIds = accounts.map((a) => a.id);

    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: database.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${slackOrigin}/api/`,
      PORT: "0",
      PULSE_SEED_DEMO: "never",
      LOG_LEVEL: "info",
    };
    const pulse = await startChild(
      [
        ...launcherNodeFlags(),
        ...(process.env.BENCH_PULSE_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PULSE_PROFILE}`] : []),
        fileURLToPath(new URL("../bin/pulse.js", import.meta.url)),
        "start",
      ],
      env,
      /"port":(\d+),[^\n]*"msg":"Pulse is running"/,
    );
    children.push(pulse.child);
    const bare = await startChild(
      ["--import", "tsx", fileURLToPath(new URL("./_bare-bolt.ts", import.meta.url))],
      env,
      /PORT (\d+)/,
    );
    children.push(bare.child);
    const pulseUrl = `http://127.0.0.1:${pulse.port}`;
    const bareUrl = `http://127.0.0.1:${bare.port}`;

    // Warm both (JIT, connection pools, Bolt's auth.test) before measuring.
    // Then let Pulse finish the warm-up's queued replies, so the open loop starts from idle.
    const warm = await fire(pulseUrl, names, accountIds, slackOrigin, 200_000);
    await fire(bareUrl, names, accountIds, slackOrigin, 400_000);
    await drained(replies, warm.ids, "warm-up");

    const load = await openLoop(pulseUrl, options, names, accountIds, slackOrigin, replies);

    // The burst, in alternating rounds against Pulse and the bare app: this machine's speed
    // drifts within seconds (other processes share its two cores), and one round each let
    // that drift decide the ratio. Each side's figure is the median of its rounds' p99s.
    const pulseP99s: number[] = [];
    const bareP99s: number[] = [];
    let burstErrors = 0;
    for (let round = 0; round < BURST_ROUNDS; round++) {
      const idBase = 10_000_000 * (round + 1);
      await openConnections(pulseUrl, COMMANDS + SUBMISSIONS);
      const burst = await fire(pulseUrl, names, accountIds, slackOrigin, idBase);
      // The bare app's burst must not share the CPU with Pulse's backlog from its own.
      await drained(replies, burst.ids, `Pulse burst ${round + 1}`);
      await openConnections(bareUrl, COMMANDS + SUBMISSIONS);
      const bareBurst = await fire(bareUrl, names, accountIds, slackOrigin, idBase + 5_000_000);
      const [pulseP99, bareP99] = [percentile(burst.latencies, 99), percentile(bareBurst.latencies, 99)];
      console.error(
        `burst round ${round + 1}: Pulse p99 ${Math.round(pulseP99)} ms, bare Bolt ${Math.round(bareP99)} ms (${(pulseP99 / bareP99).toFixed(2)}x); errors ${burst.errors}, ${bareBurst.errors}`,
      );
      pulseP99s.push(pulseP99);
      bareP99s.push(bareP99);
      burstErrors += burst.errors;
    }
    console.log(
      JSON.stringify({
        scenario: "load",
        rate: options.rate,
        ack_p99_ms: round(load.ackP99, 1),
        reply_p99_ms: Number.isFinite(load.replyP99) ? round(load.replyP99, 1) : null,
        errors: load.errors,
        burst_p99_ms: round(median(pulseP99s)!, 1),
        bare_bolt_burst_p99_ms: round(median(bareP99s)!, 1),
        burst_errors: burstErrors,
      }),
    );
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await database.drop();
  }
}
