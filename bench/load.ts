// `npm run bench -- load`: 200 concurrent slash commands and 200 concurrent modal
// submissions over HTTP against one Pulse process (HTTP mode, PostgreSQL in the loop),
// beside a bare Bolt app acknowledging the same requests. Slack's Web API is a fake
// server on loopback, in a process of its own. Prints one JSON line.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createDb } from "../src/db/client.js";
import { generateDemoPortfolio } from "../src/domain/demo-portfolio.js";
import { isoDay } from "../src/domain/dates.js";
import { seedDemoPortfolio } from "../src/services/seed-demo.js";
import { ACTION, BLOCK, CALLBACK, INPUT_ACTION } from "../src/slack/ids.js";
import { createBenchDatabase, launcherNodeFlags, percentile, round } from "./_support.js";

const SIGNING_SECRET = "0123456789abcdef0123456789abcdef";
const BOT_TOKEN = "xoxb-1-2-benchtoken";
const TEAM = "TBENCH";
const COMMANDS = 200;
const SUBMISSIONS = 200;

function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
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
      child.stdout!.resume();
      out = "";
      resolve({ child, port: Number(m[1]) });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => { if (process.env.BENCH_DEBUG) process.stderr.write(c); });
    child.on("exit", (code) => reject(new Error(`child exited ${code}: ${out.slice(-2000)}`)));
  });
}

function signed(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return { "x-slack-request-timestamp": String(ts), "x-slack-signature": `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${body}`).digest("hex")}` };
}

async function timedPost(url: string, body: string, contentType: string): Promise<{ ms: number; ok: boolean; detail: string }> {
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
    response_url: `${slackOrigin}/commands/${i}`,
    trigger_id: `${i}.1.trigger`,
    api_app_id: "A1",
  }).toString();
}

export function submissionBody(accountId: number, i: number, today: string): string {
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
      private_metadata: JSON.stringify({ channelId: "C1" }),
      hash: "h",
      state: {
        values: {
          [BLOCK.account]: { [ACTION.accountSelect]: { type: "external_select", selected_option: { value: String(accountId) } } },
          [BLOCK.kind]: { [INPUT_ACTION]: { type: "static_select", selected_option: { value: "call" } } },
          [BLOCK.date]: { [INPUT_ACTION]: { type: "datepicker", selected_date: today } },
          [BLOCK.notes]: { [INPUT_ACTION]: { type: "plain_text_input", value: `Load test call ${i}` } },
        },
      },
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

async function fire(baseUrl: string, names: string[], accountIds: number[], slackOrigin: string): Promise<{ latencies: number[]; errors: number }> {
  const today = isoDay(new Date());
  const requests = [
    ...Array.from({ length: COMMANDS }, (_, i) => () => timedPost(`${baseUrl}/slack/events`, commandBody(`account ${names[i % names.length]}`, i, slackOrigin), "application/x-www-form-urlencoded")),
    ...Array.from({ length: SUBMISSIONS }, (_, i) => () => timedPost(`${baseUrl}/slack/events`, submissionBody(accountIds[i % accountIds.length]!, i, today), "application/x-www-form-urlencoded")),
  ];
  // BENCH_ONLY=commands or =submissions fires one kind alone, to see which one costs what.
  const only = process.env.BENCH_ONLY;
  const chosen = only === "commands" ? requests.slice(0, COMMANDS) : only === "submissions" ? requests.slice(COMMANDS) : requests;
  const results = await Promise.all(chosen.map((r) => r()));
  const p99Of = (list: typeof results) => Math.round(percentile(list.map((r) => r.ms).sort((a, b) => a - b), 99));
  console.error(`p99: slash commands ${p99Of(results.slice(0, COMMANDS))} ms, modal submissions ${p99Of(results.slice(COMMANDS))} ms`);
  const failed = results.filter((r) => !r.ok);
  if (failed.length) console.error(`slowest failure ${Math.round(Math.max(...failed.map((f) => f.ms)))} ms, fastest ${Math.round(Math.min(...failed.map((f) => f.ms)))} ms`);
  if (failed.length) console.error(`${failed.length} of ${results.length} failed: commands ${results.slice(0, COMMANDS).filter((r) => !r.ok).length}, submissions ${results.slice(COMMANDS).filter((r) => !r.ok).length}; e.g. ${failed[0]!.detail}`);
  return { latencies: results.map((r) => r.ms).sort((a, b) => a - b), errors: failed.length };
}

export async function run(): Promise<void> {
  const database = await createBenchDatabase("load");
  const children: ChildProcess[] = [];
  const fakeSlack = await startChild(["--import", "tsx", fileURLToPath(new URL("./_fake-slack.ts", import.meta.url))], { PATH: process.env.PATH, BENCH_TEAM: TEAM }, /PORT (\d+)/);
  children.push(fakeSlack.child);
  const slackOrigin = `http://127.0.0.1:${fakeSlack.port}`;
  try {
    const db = createDb(database.url);
    await seedDemoPortfolio(db, { now: new Date(), teamId: TEAM });
    const accounts = await db.account.findMany({ select: { id: true, name: true }, take: 200 });
    await db.$disconnect();
    const names = generateDemoPortfolio(new Date()).accounts.slice(0, 50).map((a) => a.name);

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
    const pulse = await startChild([...launcherNodeFlags(), ...(process.env.BENCH_PULSE_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PULSE_PROFILE}`] : []), fileURLToPath(new URL("../bin/pulse.js", import.meta.url)), "start"], env, /"port":(\d+),[^\n]*"msg":"Pulse is running"/);
    children.push(pulse.child);
    const bare = await startChild(["--import", "tsx", fileURLToPath(new URL("./_bare-bolt.ts", import.meta.url))], env, /PORT (\d+)/);
    children.push(bare.child);

    // Warm both (JIT, connection pools, Bolt's auth.test) before measuring.
    await fire(`http://127.0.0.1:${pulse.port}`, names, accounts.map((a) => a.id), slackOrigin);
    await fire(`http://127.0.0.1:${bare.port}`, names, accounts.map((a) => a.id), slackOrigin);

    const measured = await fire(`http://127.0.0.1:${pulse.port}`, names, accounts.map((a) => a.id), slackOrigin);
    const baseline = await fire(`http://127.0.0.1:${bare.port}`, names, accounts.map((a) => a.id), slackOrigin);
    const p99 = percentile(measured.latencies, 99);
    const bareP99 = percentile(baseline.latencies, 99);
    console.log(
      JSON.stringify({
        scenario: "load",
        requests: COMMANDS + SUBMISSIONS,
        p50_ms: round(percentile(measured.latencies, 50), 1),
        p99_ms: round(p99, 1),
        errors: measured.errors,
        bare_bolt_p99_ms: round(bareP99, 1),
        ratio_vs_bare: round(p99 / bareP99, 2),
      }),
    );
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await database.drop();
  }
}
