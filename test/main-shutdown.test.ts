// SIGTERM must not drop replies Slack is still owed: stop() drains the work listeners do
// after acknowledging, for a bounded time, and names what it had to drop.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { startPulse } from "../src/main.js";
import { createTestDatabase, type TestDatabase } from "./helpers/db.js";
import {
  BOT_TOKEN,
  eventually,
  nockAuthTest,
  sign,
  SIGNING_SECRET,
  SLACK_API_BASE,
  SLACK_API_ORIGIN,
} from "./helpers/slack.js";

let t: TestDatabase;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
});
afterEach(() => {
  nock.abortPendingRequests();
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await t.drop();
});

async function start(timeoutMs: number) {
  const lines: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
  const env = {
    DATABASE_URL: t.url,
    PORT: "0",
    PULSE_SEED_DEMO: "never",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: SLACK_API_BASE,
    PULSE_SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
  };
  nockAuthTest();
  const pulse = await startPulse(parseConfig(env), logger, { handleSignals: false });
  const command = (text: string, responsePath: string) => {
    const body = new URLSearchParams({
      team_id: "T111",
      team_domain: "t",
      user_id: "U1",
      channel_id: "C1",
      command: "/pulse",
      text,
      response_url: `${SLACK_API_ORIGIN}${responsePath}`,
      trigger_id: "1.2",
    }).toString();
    return fetch(`http://127.0.0.1:${pulse.port}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...sign(body) },
      body,
    });
  };
  const logged = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  return { pulse, command, logged };
}

describe("shutdown", () => {
  it("waits for replies still on their way to Slack before it stops", async () => {
    const { pulse, command, logged } = await start(20_000);
    const delivered: string[] = [];
    let asked = 0;
    for (const n of [1, 2, 3, 4]) {
      nock(SLACK_API_ORIGIN)
        .post(`/commands/T111/${n}/response`, () => (asked++, true))
        .delay(400)
        .reply(200, () => (delivered.push(String(n)), { ok: true }));
    }
    for (const n of [1, 2, 3, 4]) expect((await command("help", `/commands/T111/${n}/response`)).status).toBe(200);
    // Every reply is on its way to Slack (acknowledged, not yet delivered) when the signal comes.
    await eventually(() => asked >= 1);
    await pulse.stop();
    expect(delivered.sort()).toEqual(["1", "2", "3", "4"]);
    expect(logged().some((l) => l.msg === "shutdown: dropped work still waiting on Slack")).toBe(false);
  });

  it("stops after the timeout when Slack does not answer, and says what it dropped", async () => {
    const { pulse, command, logged } = await start(1_500);
    let asked = false;
    nock(SLACK_API_ORIGIN)
      .post("/commands/T111/9/response", () => ((asked = true), true))
      .delay(120_000)
      .reply(200, { ok: true });
    expect((await command("help", "/commands/T111/9/response")).status).toBe(200);
    await eventually(() => asked);
    await pulse.stop();
    const dropped = logged().find((l) => l.msg === "shutdown: dropped work still waiting on Slack");
    expect(dropped).toMatchObject({ level: 40, count: 1, dropped: ["command /pulse help"], timeoutMs: 1_500 });
  });
});
