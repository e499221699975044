// The guard in front of Bolt: a request it refuses never reaches Bolt, and no signed body,
// however odd, gets a 500, a hang or a dead process.
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { slackBodyProblem } from "../../src/http/slack-payload-shape.js";
import { slackSignatureProblem } from "../../src/http/slack-request-guard.js";
import { ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  sign,
  SIGNING_SECRET,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";
import { createSmallWorkspace, type SmallWorkspace } from "../helpers/small-workspace.js";

let t: TestDatabase;
let app: SlackTestApp;
let ws: SmallWorkspace;
/** Requests that got past the guard into Bolt's middleware. */
let reachedBolt = 0;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  ws = await createSmallWorkspace(t.db, "T111", { adminSlackId: "U111" });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
  app.app.use(async ({ next }) => {
    reachedBolt++;
    await next();
  });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

const now = () => Math.floor(Date.now() / 1000);
const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
const user = { id: "U111", name: "csm", team_id: "T111" };
const team = { id: "T111", domain: "test" };

async function stillServes(): Promise<void> {
  nockAuthTest();
  const replies = captureReplies();
  expect((await app.command({ text: "help" })).status).toBe(200);
  await eventually(() => replies.length > 0);
}

describe("signature timestamps", () => {
  it.each([
    [-300, undefined],
    [300, undefined],
    [-301, "stale"],
    [301, "future"],
    [10 * 365 * 86_400, "future"],
  ])("at %i s from now the signature check answers %s (the bound, exactly)", (offset, problem) => {
    const nowSeconds = 1_800_000_000;
    const body = Buffer.from("command=%2Fpulse");
    const req = { headers: sign(body.toString(), nowSeconds + offset) } as unknown as IncomingMessage;
    expect(slackSignatureProblem(req, body, SIGNING_SECRET, nowSeconds)).toBe(problem);
  });

  // Over HTTP a second may tick between signing and checking: these stay clear of the bound.
  it.each([
    ["303 s in the future", 303],
    ["an hour in the future", 3600],
    ["ten years in the future", 10 * 365 * 86_400],
    ["303 s in the past", -303],
  ])("refuses a correctly signed request %s with 401, before Bolt", async (_name, offset) => {
    const before = reachedBolt;
    const res = await app.command({ text: "help" }, { timestamp: now() + offset });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/five minutes/);
    expect(reachedBolt).toBe(before);
  });

  it("a future-signed null body neither reaches Bolt nor stops the process", async () => {
    const before = reachedBolt;
    const res = await app.event(null as never, { timestamp: now() + 10 * 365 * 86_400 });
    expect(res.status).toBe(401);
    expect(reachedBolt).toBe(before);
    await stillServes();
  });

  it("accepts a timestamp within five minutes either way", async () => {
    nockAuthTest();
    expect((await app.command({ text: "help" }, { timestamp: now() + 240 })).status).toBe(200);
    expect((await app.command({ text: "help" }, { timestamp: now() - 240 })).status).toBe(200);
  });
});

describe("signed bodies Bolt cannot take", () => {
  const cases: [string, () => Promise<Response>][] = [
    ["JSON null", () => app.event(null as never)],
    [
      "an event_callback whose event is null",
      () => app.event({ type: "event_callback", team_id: "T111", event_id: "Ev1", event: null }),
    ],
    [
      "an event whose channel is null",
      () =>
        app.event({
          type: "event_callback",
          team_id: "T111",
          event_id: "Ev2",
          event: { type: "message", channel: null, user: "U111", ts: "1.1" },
        }),
    ],
    ["an envelope of an unknown type", () => app.event({ type: "mystery", team_id: "T111" })],
    [
      "a block action whose user is null",
      () =>
        app.interaction({
          type: "block_actions",
          team,
          user: null,
          actions: [{ action_id: ACTION.pickAccount, value: "1" }],
        }),
    ],
    [
      "a block action whose view is null",
      () =>
        app.interaction({
          type: "block_actions",
          team,
          user,
          view: null,
          actions: [{ action_id: ACTION.pickAccount, value: "1" }],
        }),
    ],
    [
      "a block action whose channel is null",
      () =>
        app.interaction({
          type: "block_actions",
          team,
          user,
          channel: null,
          actions: [{ action_id: ACTION.pickAccount, value: "1" }],
        }),
    ],
    ["a block action without actions", () => app.interaction({ type: "block_actions", team, user, actions: [] })],
    [
      "a view submission whose view is null",
      () => app.interaction({ type: "view_submission", team, user, view: null }),
    ],
    [
      "a view submission without state.values",
      () =>
        app.interaction({
          type: "view_submission",
          team,
          user,
          view: { id: "V1", callback_id: "pulse_log_touchpoint", state: {}, private_metadata: "{}", hash: "h" },
        }),
    ],
    [
      "a shortcut whose user is null",
      () =>
        app.interaction({
          type: "shortcut",
          team,
          user: null,
          callback_id: "pulse_global_log_touchpoint",
          trigger_id: "1.2",
        }),
    ],
    ["a payload field that is not JSON", () => postForm(form([["payload", "{not json"]]))],
    ["a payload field that is JSON null", () => postForm(form([["payload", "null"]]))],
    [
      "a repeated payload field",
      () =>
        postForm(
          form([
            ["payload", "{}"],
            ["payload", "{}"],
          ]),
        ),
    ],
    [
      "a slash command with a repeated text field",
      () =>
        postForm(
          form([
            ["command", "/pulse"],
            ["text", "help"],
            ["text", "account acme"],
            ["user_id", "U111"],
            ["team_id", "T111"],
            ["channel_id", "C111"],
          ]),
        ),
    ],
    [
      "a slash command without user_id",
      () =>
        postForm(
          form([
            ["command", "/pulse"],
            ["text", "help"],
            ["team_id", "T111"],
          ]),
        ),
    ],
  ];

  async function postForm(body: string): Promise<Response> {
    return fetch(`${app.baseUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...sign(body) },
      body,
    });
  }

  it.each(cases)("%s gets a 400 naming the problem, before Bolt", async (_name, send) => {
    const before = reachedBolt;
    const res = await send();
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Malformed request: /);
    expect(reachedBolt).toBe(before);
  });

  it("and the process still answers afterwards", async () => {
    await stillServes();
  });

  it("lets every payload Slack really sends through (the shared fixtures)", () => {
    const root = "/work/shared/fixtures/http";
    const interactivity = readdirSync(`${root}/interactivity`).filter(
      (f) => f.endsWith(".json") && !/legacy/.test(f) && f !== "view_submission.response_urls.json",
    );
    const events = readdirSync(`${root}/events`).filter(
      (f) => f.startsWith("event_callback") || f === "url_verification.json",
    );
    expect(interactivity.length).toBeGreaterThan(5);
    expect(events.length).toBeGreaterThan(10);
    for (const f of interactivity) {
      const body = Buffer.from(form([["payload", readFileSync(`${root}/interactivity/${f}`, "utf8")]]));
      expect(slackBodyProblem("application/x-www-form-urlencoded", body), f).toBeUndefined();
    }
    for (const f of events)
      expect(slackBodyProblem("application/json", readFileSync(`${root}/events/${f}`)), f).toBeUndefined();
    for (const f of ["slash_command.form.txt", "ssl_check.form.txt"]) {
      expect(
        slackBodyProblem(
          "application/x-www-form-urlencoded",
          Buffer.from(readFileSync(`${root}/commands/${f}`, "utf8").trim()),
        ),
        f,
      ).toBeUndefined();
    }
  });
});

describe("forged huge ids in button values", () => {
  const HUGE = "99999999999999999999";
  function click(actionId: string, value: string) {
    return app.interaction({
      type: "block_actions",
      team,
      user,
      api_app_id: "A111",
      trigger_id: "222.333.trigger",
      response_url: `${SLACK_API_ORIGIN}/actions/T111/1/response`,
      channel: { id: "C111", name: "cs" },
      container: { type: "message", message_ts: "1.1", channel_id: "C111" },
      actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1.2" }],
    });
  }

  it("an account id past int32 opens the form without an account instead of failing in the database", async () => {
    nockAuthTest();
    let opened: { view?: string } | undefined;
    nock(SLACK_API_ORIGIN)
      .post("/api/views.open", (body: { view?: string }) => ((opened = body), true))
      .reply(200, { ok: true, view: { id: "V1" } });
    expect((await click(ACTION.openLogTouchpoint, HUGE)).status).toBe(200);
    await eventually(() => opened);
    expect(opened!.view).not.toContain(HUGE);
  });

  it("churn and digest buttons with a huge id answer that the button is out of date", async () => {
    nockAuthTest();
    // The post-mortem button opens its modal first (the trigger_id lives 3 s) and shows
    // why it cannot be filled in it; every refusal is also told on the button's response_url.
    const modals: string[] = [];
    nock(SLACK_API_ORIGIN)
      .post("/api/views.open")
      .reply(200, { ok: true, view: { id: "VHUGE" } });
    nock(SLACK_API_ORIGIN)
      .post(
        "/api/views.update",
        (body: { view_id?: string; view?: string }) => (
          body.view_id === "VHUGE" && modals.push(String(body.view)), true
        ),
      )
      .reply(200, { ok: true, view: { id: "VHUGE" } });
    const replies = captureReplies("/actions/T111/1/response");
    await click(ACTION.openChurnPostMortem, HUGE);
    await click(ACTION.digestSnooze, HUGE);
    await eventually(() => modals.length === 1 && replies.length === 2);
    expect(modals[0]).toContain("This button is out of date");
    const texts = replies.map((r) => String(r.text));
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringContaining("This button is out of date"),
        expect.stringContaining("That button no longer points at anything in Pulse"),
      ]),
    );
    expect(texts.join("\n")).not.toContain(HUGE);
  });

  it("a quick-survey confirmation is held to the survey schema: huge id, fractional score, huge comment", async () => {
    nockAuthTest();
    const replies = captureReplies("/actions/T111/1/response");
    const surveys = () => t.db.surveyResponse.count({ where: { workspaceId: ws.workspaceId } });
    const before = await surveys();
    await click(ACTION.quickSurveyConfirm, JSON.stringify({ a: Number(HUGE), k: "nps", s: 9 }));
    await click(ACTION.quickSurveyConfirm, JSON.stringify({ a: ws.accountId, k: "csat", s: 1.5 }));
    await click(ACTION.quickSurveyConfirm, JSON.stringify({ a: ws.accountId, k: "nps", s: 9, c: "x".repeat(100_000) }));
    await eventually(() => replies.length === 3);
    const texts = replies.map((r) => String(r.text));
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringContaining("no longer valid"),
        expect.stringContaining("The score must be a whole number"),
        expect.stringContaining("3,000 characters or fewer"),
      ]),
    );
    expect(await surveys()).toBe(before);
  });
});
