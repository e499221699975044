import { readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../../src/db/client.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";
import { startTcpProxy } from "../../helpers/tcp-proxy.js";
import { eventually, nockAuthTest, sign, startSlackTestApp, type SlackTestApp } from "../../helpers/slack.js";

// Real Slack payload shapes, copied from the shared fixtures into the repo so the suite
// runs from any checkout.
const fixtureDir = new URL("../../fixtures/slack/events/", import.meta.url);
function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, fixtureDir), "utf8")) as Record<string, unknown>;
}

const NOW = new Date("2026-11-23T10:00:00Z");
let t: TestDatabase;
let app: SlackTestApp;
const handled: string[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  app = await startSlackTestApp({
    db: t.db,
    databaseUrl: t.url,
    clock: () => NOW,
    env: { PULSE_RETENTION_DAYS_AFTER_UNINSTALL: "14" },
  });
  app.app.event("reaction_added", async ({ body }) => {
    handled.push((body as { event_id: string }).event_id);
  });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("event redelivery", () => {
  it("runs the handler once when Slack delivers the same event twice (X-Slack-Retry-Num)", async () => {
    nockAuthTest();
    const envelope = { ...fixture("event_callback.reaction_added.json"), event_id: "EvDEDUPE1", team_id: "T111" };
    expect((await app.event(envelope)).status).toBe(200);
    await eventually(() => handled.includes("EvDEDUPE1"));
    const retry = await app.event(envelope, {
      headers: { "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    const again = await app.event(envelope, {
      headers: { "X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout" },
    });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(handled.filter((id) => id === "EvDEDUPE1")).toHaveLength(1);
    const ws = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T111" } });
    expect(await t.db.slackEventReceipt.count({ where: { workspaceId: ws.id, eventId: "EvDEDUPE1" } })).toBe(1);
  });

  it("a different event id is handled", async () => {
    nockAuthTest();
    const envelope = { ...fixture("event_callback.reaction_added.json"), event_id: "EvDEDUPE2", team_id: "T111" };
    await app.event(envelope);
    await eventually(() => handled.includes("EvDEDUPE2"));
  });

  it("answers 2xx, not a redeliverable 500, for a team id Slack could not have sent, and records nothing", async () => {
    nockAuthTest();
    const before = { workspaces: await t.db.workspace.count(), receipts: await t.db.slackEventReceipt.count() };
    // PostgreSQL cannot hold U+0000: claiming this receipt once failed, which answered 500.
    const envelope = {
      ...fixture("event_callback.reaction_added.json"),
      event_id: "EvBADTEAM",
      team_id: "T111\u0000",
      authorizations: [{ team_id: "T111\u0000", user_id: "UBOT", is_bot: true }],
    };
    const res = await app.event(envelope);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect({ workspaces: await t.db.workspace.count(), receipts: await t.db.slackEventReceipt.count() }).toEqual(
      before,
    );
  });
});

describe("events while PostgreSQL is down", () => {
  it("answers non-2xx when the receipt cannot be recorded, so Slack redelivers; the redelivery is handled once", async () => {
    const target = new URL(t.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(t.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const db = createDb(viaProxy.toString(), { max: 2 });
    const cut = await startSlackTestApp({ db, databaseUrl: viaProxy.toString(), clock: () => NOW });
    const seen: string[] = [];
    cut.app.event("reaction_added", async ({ body }) => {
      seen.push((body as { event_id: string }).event_id);
    });
    try {
      nockAuthTest();
      const envelope = { ...fixture("event_callback.reaction_added.json"), event_id: "EvOUTAGE1", team_id: "T111" };
      proxy.cut();
      const during = await cut.event(envelope);
      expect(during.status).toBeGreaterThanOrEqual(500);
      expect(seen).toEqual([]);

      proxy.restore();
      const redelivery = await cut.event(envelope, {
        headers: { "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error" },
      });
      expect(redelivery.status).toBe(200);
      await eventually(() => seen.includes("EvOUTAGE1"));
      const again = await cut.event(envelope, {
        headers: { "X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error" },
      });
      expect(again.status).toBe(200);
      await cut.idle();
      expect(seen).toEqual(["EvOUTAGE1"]);
      const ws = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T111" } });
      expect(await t.db.slackEventReceipt.count({ where: { workspaceId: ws.id, eventId: "EvOUTAGE1" } })).toBe(1);
    } finally {
      proxy.restore();
      await cut.close();
      await db.$disconnect();
      await proxy.close();
    }
  });
});

describe("uninstall", () => {
  it("app_uninstalled deactivates the workspace with the configured retention", async () => {
    nockAuthTest("T222");
    await t.db.workspace.create({ data: { slackTeamId: "T222", name: "Two" } });
    const res = await app.event({
      ...fixture("event_callback.app_uninstalled.json"),
      team_id: "T222",
      event_id: "EvUNINSTALL",
    });
    expect(res.status).toBe(200);
    const ws = await eventually(async () => {
      const row = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T222" } });
      return row.active ? undefined : row;
    });
    expect(ws!.deactivatedAt).toEqual(NOW);
    expect(ws!.eraseAfter).toEqual(new Date(NOW.getTime() + 14 * 24 * 3600 * 1000));
  });

  it("tokens_revoked for the bot token deactivates; for user tokens only, it does not", async () => {
    nockAuthTest("T333");
    await t.db.workspace.create({ data: { slackTeamId: "T333", name: "Three" } });
    const base = fixture("event_callback.tokens_revoked.json");
    const userOnly = {
      ...base,
      team_id: "T333",
      event_id: "EvREVOKE1",
      event: { type: "tokens_revoked", tokens: { oauth: ["U1"] } },
    };
    await app.event(userOnly);
    await eventually(async () => (await t.db.slackEventReceipt.count({ where: { eventId: "EvREVOKE1" } })) === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T333" } })).active).toBe(true);
    await app.event({ ...base, team_id: "T333", event_id: "EvREVOKE2" });
    await eventually(async () => !(await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T333" } })).active);
  });
});

describe("signatures and malformed requests", () => {
  it("401 for a bad signature and for one older than five minutes", async () => {
    const envelope = { ...fixture("event_callback.reaction_added.json"), event_id: "EvSIG" };
    expect((await app.event(envelope, { secret: "0".repeat(32) })).status).toBe(401);
    expect((await app.event(envelope, { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 5 })).status).toBe(401);
    expect(await t.db.slackEventReceipt.count({ where: { eventId: "EvSIG" } })).toBe(0);
  });

  const garbage: [string, string, string][] = [
    ["not JSON", "application/json", "{{{ not json"],
    ["JSON null", "application/json", "null"],
    ["a JSON array", "application/json", "[1,2,3]"],
    ["a JSON number", "application/json", "42"],
    ["an empty body", "application/json", ""],
    ["a form with a broken payload", "application/x-www-form-urlencoded", "payload=%7Bnot-json"],
    ["a form payload that is null", "application/x-www-form-urlencoded", "payload=null"],
    ["a form with neither command nor payload", "application/x-www-form-urlencoded", "foo=bar"],
    ["text/plain", "text/plain", "hello"],
    ["XML", "application/xml", "<event/>"],
    ["no content type", "", "{}"],
    ["binary junk", "application/octet-stream", "\u0000\u0001\u00ff\u00fe"],
  ];
  it.each(garbage)(
    "400 for a signed request with %s, and the server keeps serving",
    async (_name, contentType, body) => {
      const headers: Record<string, string> = { ...sign(body) };
      if (contentType) headers["content-type"] = contentType;
      const res = await fetch(`${app.baseUrl}/slack/events`, { method: "POST", headers, body });
      expect(res.status).toBe(400);
      nockAuthTest();
      const ok = await app.command({ text: "help" });
      expect(ok.status).toBe(200);
    },
  );

  it("accepts a form whose content type carries a charset", async () => {
    nockAuthTest();
    nock("http://slack.test").post("/commands/T111/1/response").reply(200, { ok: true });
    const body = new URLSearchParams({
      team_id: "T111",
      user_id: "U111",
      channel_id: "C1",
      command: "/pulse",
      text: "help",
      response_url: "http://slack.test/commands/T111/1/response",
      trigger_id: "1.2",
    }).toString();
    const res = await fetch(`${app.baseUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...sign(body) },
      body,
    });
    expect(res.status).toBe(200);
  });

  it("404, not a crash, for methods and paths Bolt does not serve", async () => {
    expect((await fetch(`${app.baseUrl}/slack/events`)).status).toBe(404);
    expect((await fetch(`${app.baseUrl}/slack/nothing-here`, { method: "POST", body: "x" })).status).toBe(404);
    expect((await fetch(`${app.baseUrl}/slack/install`)).status).toBe(404);
  });
});
