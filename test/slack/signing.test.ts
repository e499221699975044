import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import nock from "nock";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { nockAuthTest, sign, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const vector = JSON.parse(
  readFileSync(new URL("../fixtures/slack/signing-official-vector.json", import.meta.url), "utf8"),
) as {
  signing_secret: string;
  raw_body: string;
  clock_now_for_valid: number;
  expected_signature: string;
};

let t: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("request signing", () => {
  it("signs as Slack does (official test vector)", () => {
    expect(sign(vector.raw_body, vector.clock_now_for_valid, vector.signing_secret)["x-slack-signature"]).toBe(
      vector.expected_signature,
    );
  });

  it("answers a correctly signed command", async () => {
    nockAuthTest();
    const res = await app.command({ text: "help" });
    expect(res.status).toBe(200);
  });

  it("rejects a bad signature with 401 and does nothing", async () => {
    const res = await app.command({ text: "help" }, { secret: "0".repeat(32) });
    expect(res.status).toBe(401);
    expect(await t.db.auditLog.count()).toBe(0);
  });

  it("rejects a stale signature (older than five minutes) with 401", async () => {
    const res = await app.command({ text: "help" }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });
});

describe("/pulse routing", () => {
  it("answers unknown input with usage help, never an error", async () => {
    nockAuthTest();
    let replied: { text?: string } | undefined;
    nock("http://slack.test")
      .post("/commands/T111/1/response", (body: { text?: string }) => {
        replied = body;
        return true;
      })
      .reply(200, { ok: true });
    const res = await app.command({ text: "frobnicate the widgets" });
    expect(res.status).toBe(200);
    const { eventually } = await import("../helpers/slack.js");
    await eventually(() => replied);
    expect(replied!.text).toContain("I don't understand `/pulse frobnicate the widgets`");
    expect(replied!.text).toContain("/pulse help");
  });
});
