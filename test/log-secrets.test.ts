// No secret ever reaches the logs: a whole Pulse (OAuth mode, every secret configured) is
// started, installed into a workspace, sent requests good and bad, made to fail, and
// stopped, with its pino destination captured at trace level.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { createLogger, redactSecrets } from "../src/log.js";
import { startPulse } from "../src/main.js";
import { createTestDatabase, type TestDatabase } from "./helpers/db.js";
import { completeInstall, OAUTH_ENV } from "./helpers/oauth.js";
import { BOT_TOKEN, eventually, sign, SIGNING_SECRET, SLACK_API_BASE, SLACK_API_ORIGIN } from "./helpers/slack.js";

const INSTALLED_TOKEN = "xoxb-4242-installed-secret-token";
let t: TestDatabase;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await t.drop();
});

describe("secrets never reach the logs", () => {
  it("across start, install, requests, failures and stop", async () => {
    const lines: string[] = [];
    const logger = createLogger("trace", { write: (line: string) => void lines.push(line) });
    const env = {
      DATABASE_URL: t.url,
      PORT: "0",
      PULSE_SEED_DEMO: "never",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: SLACK_API_BASE,
      ...OAUTH_ENV,
    };
    const pulse = await startPulse(parseConfig(env), logger, { handleSignals: false });
    const base = `http://127.0.0.1:${pulse.port}`;
    try {
      // Install: the client secret goes to oauth.v2.access, the new token into the database.
      expect((await completeInstall(base, "T4242", INSTALLED_TOKEN)).status).toBe(200);

      // A good command, authorized with the decrypted token.
      let replied = false;
      nock(SLACK_API_ORIGIN)
        .post("/commands/T4242/1/response")
        .reply(200, () => ((replied = true), { ok: true }));
      const body = new URLSearchParams({
        team_id: "T4242",
        user_id: "U1",
        channel_id: "C1",
        command: "/pulse",
        text: "help",
        response_url: `${SLACK_API_ORIGIN}/commands/T4242/1/response`,
        trigger_id: "1.2",
      }).toString();
      const ok = await fetch(`${base}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...sign(body) },
        body,
      });
      expect(ok.status).toBe(200);
      await eventually(() => replied);

      // Failures: a forged signature, a malformed signed body, a Slack API error, a thrown error.
      expect(
        (
          await fetch(`${base}/slack/events`, {
            method: "POST",
            headers: { "content-type": "application/json", ...sign("{}", undefined, "0".repeat(32)) },
            body: "{}",
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await fetch(`${base}/slack/events`, {
            method: "POST",
            headers: { "content-type": "application/json", ...sign("null") },
            body: "null",
          })
        ).status,
      ).toBe(400);
      nock(SLACK_API_ORIGIN).post("/api/chat.postMessage").reply(200, { ok: false, error: "invalid_auth" });
      const workspace = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T4242" } });
      const failure = await pulse.ctx.slack
        .forWorkspace(workspace.id)
        .dm("U1", { text: "hello" })
        .catch((e: unknown) => e);
      pulse.ctx.logger.error({ err: failure }, "posting failed");
      pulse.ctx.logger.error(
        { err: new Error(`token ${INSTALLED_TOKEN} was refused`), botToken: BOT_TOKEN },
        "a careless error",
      );
    } finally {
      await pulse.stop();
    }

    const text = lines.join("");
    expect(lines.length).toBeGreaterThan(10);
    expect(text).toContain('"requestId"');
    const secrets = {
      installedBotToken: INSTALLED_TOKEN,
      envBotToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      encryptionKey: OAUTH_ENV.PULSE_ENCRYPTION_KEY,
      clientSecret: OAUTH_ENV.SLACK_CLIENT_SECRET,
      stateSecret: OAUTH_ENV.SLACK_STATE_SECRET,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(text.includes(secret), `${name} appeared in the logs`).toBe(false);
    }
    // Query strings (OAuth codes and state) are not logged either.
    expect(text).not.toContain("the-code");
  });
});

describe("redactSecrets", () => {
  it.each([
    [
      '{"code":"abc","client_id":"1.2","client_secret":"deadbeef"}',
      '{"code":"[redacted]","client_id":"1.2","client_secret":"[redacted]"}',
    ],
    ['body: {\\"client_secret\\":\\"deadbeef\\"}', 'body: {\\"client_secret\\":\\"[redacted]\\"}'],
    ["client_secret=deadbeef&code=xyz", "client_secret=[redacted]&code=[redacted]"],
    ["/slack/oauth_redirect?code=abc&state=def", "/slack/oauth_redirect?code=[redacted]&state=[redacted]"],
    ["token xoxb-1-2-abc refused", "token [redacted] refused"],
    ["postgresql://pulse:hunter2@db:5432/pulse", "postgresql://pulse:[redacted]@db:5432/pulse"],
    [
      '{"code":"channel_not_found","method":"chat.postMessage"}',
      '{"code":"channel_not_found","method":"chat.postMessage"}',
    ],
  ])("%s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});
