// The Slack surface end to end: signed requests into the real Bolt app, Slack's Web API
// on nock, and the rows written in PostgreSQL.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, isoDay, startOfUtcDay } from "../../src/domain/dates.js";
import { ACTION, BLOCK, CALLBACK, INPUT_ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = startOfUtcDay(NOW);

let t: TestDatabase;
let app: SlackTestApp;
let acmeId: number;
let acmeFoodsId: number;
let globexId: number;
let otherAcmeId: number;
let acmeWorkspaceId: number;

interface Captured {
  bodies: Record<string, unknown>[];
}

/** Records every call to a Web API method (parsing the JSON-encoded fields Slack takes). */
function capture(method: string, reply: Record<string, unknown> = { ok: true }): Captured {
  const captured: Captured = { bodies: [] };
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(`/api/${method}`, (body: Record<string, unknown>) => {
      const parsed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) {
        parsed[k] = typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
      }
      captured.bodies.push(parsed);
      return true;
    })
    .reply(200, reply);
  return captured;
}

/** Records replies to response URLs (slash commands and block actions). */
function captureResponses(path: string): Captured {
  return { bodies: captureReplies(path) };
}

const text = (body: Record<string, unknown> | undefined): string => JSON.stringify(body ?? {});

async function seed(): Promise<void> {
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  acmeWorkspaceId = ws.id;
  const other = await t.db.workspace.create({ data: { slackTeamId: "T222", name: "Other" } });
  const admin = await t.db.user.create({
    data: { workspaceId: ws.id, slackUserId: "UADMIN", name: "Ada Admin", role: "admin" },
  });
  const csm = await t.db.user.create({
    data: { workspaceId: ws.id, slackUserId: "UCSM", name: "Chris CSM", role: "csm" },
  });
  await t.db.user.create({ data: { workspaceId: other.id, slackUserId: "UOTHER", name: "Olga", role: "admin" } });
  const mk = (workspaceId: number, name: string, domain: string, ownerId: number | null, arr: number) =>
    t.db.account.create({
      data: {
        workspaceId,
        name,
        domain,
        ownerId,
        arr,
        segment: "mid-market",
        stage: "maturity",
        renewalDate: addDays(TODAY, 40),
        createdAt: addDays(TODAY, -400),
      },
    });
  acmeId = (await mk(ws.id, "Acme Analytics", "acmeanalytics.com", csm.id, 52000)).id;
  acmeFoodsId = (await mk(ws.id, "Acme Foods", "acmefoods.com", csm.id, 12000)).id;
  globexId = (await mk(ws.id, "Globex", "globex.com", admin.id, 90000)).id;
  otherAcmeId = (await mk(other.id, "Acme Secret Corp", "acmesecret.com", null, 1)).id;
  const reasons = [
    {
      component: "usage",
      impact: -18,
      text: "Weekly active users fell 42% against the previous 30 days",
      code: "usage.wau_drop",
    },
    { component: "engagement", impact: -9, text: "No CSM touchpoint in 41 days", code: "engagement.no_touch" },
  ];
  const components = {
    usage: { score: 38, weight: 0.45, details: {} },
    engagement: { score: 45, weight: 0.3, details: {} },
    perception: { score: 60, weight: 0.25, details: {} },
  };
  for (let d = 30; d >= 0; d -= 1) {
    await t.db.healthSnapshot.create({
      data: {
        workspaceId: ws.id,
        accountId: acmeId,
        scoredOn: addDays(TODAY, -d),
        score: 42 + Math.floor(d / 2),
        band: "red",
        components,
        reasons,
        modelVersion: "test-1",
      },
    });
  }
  await t.db.healthSnapshot.create({
    data: {
      workspaceId: ws.id,
      accountId: globexId,
      scoredOn: TODAY,
      score: 81,
      band: "green",
      components,
      reasons: [],
      modelVersion: "test-1",
    },
  });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  await seed();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
beforeEach(() => {
  nockAuthTest();
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

// Every click and submission is a new one, as in Slack (repeats are deduplicated: see idempotency.test.ts).
let seq = 0;

function blockActions(actionId: string, value: string, user = "UCSM", team = "T111") {
  return {
    type: "block_actions",
    team: { id: team, domain: "test" },
    user: { id: user, name: "someone", team_id: team },
    api_app_id: "A111",
    trigger_id: `222.333.${++seq}`,
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    container: { type: "message", channel_id: "C111", is_ephemeral: true },
    channel: { id: "C111", name: "cs-team" },
    actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: `1700000000.${seq}` }],
  };
}

function viewSubmission(
  callbackId: string,
  values: Record<string, Record<string, unknown>>,
  metadata: Record<string, unknown> = { channelId: "C111" },
  user = "UCSM",
) {
  return {
    type: "view_submission",
    team: { id: "T111", domain: "test" },
    user: { id: user, name: "someone", team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `333.444.${++seq}`,
    view: {
      id: `V${seq}`,
      team_id: "T111",
      type: "modal",
      callback_id: callbackId,
      private_metadata: JSON.stringify(metadata),
      state: { values },
      hash: "h",
    },
  };
}

const accountValue = (id: number) => ({
  [ACTION.accountSelect]: {
    type: "external_select",
    selected_option: { text: { type: "plain_text", text: "x" }, value: String(id) },
  },
});
const selectValue = (v: string) => ({
  [INPUT_ACTION]: { type: "static_select", selected_option: { text: { type: "plain_text", text: v }, value: v } },
});
const dateValue = (d: string) => ({ [INPUT_ACTION]: { type: "datepicker", selected_date: d } });
const textValue = (v: string | null) => ({ [INPUT_ACTION]: { type: "plain_text_input", value: v } });

describe("/pulse account", () => {
  it("shows the card of the one account a query means, with score, trend, reasons and buttons", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "account acme analytics", user_id: "UCSM" });
    const reply = await eventually(() => replies.bodies[0]);
    const body = text(reply);
    expect(body).toContain("Acme Analytics");
    expect(body).toContain("Health 42/100");
    expect(body).toContain("Weekly active users fell 42% against the previous 30 days");
    expect(body).toContain("7d -3");
    expect(body).toContain(ACTION.openLogTouchpoint);
    expect(body).toContain(ACTION.recomputeScore);
    expect(reply).toMatchObject({ response_type: "ephemeral" });
    expect(await t.db.auditLog.count({ where: { action: "account.view", accountId: acmeId } })).toBe(1);
  });

  it("finds by domain and forgives case", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "account GLOBEX.com", user_id: "UCSM" });
    expect(text(await eventually(() => replies.bodies[0]))).toContain("Health 81/100");
  });

  it("offers a pick list when several accounts match, and the pick shows the card", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "account acme", user_id: "UCSM" });
    const list = text(await eventually(() => replies.bodies[0]));
    expect(list).toContain("Several accounts match");
    expect(list).toContain("Acme Foods");
    expect(list).not.toContain("Acme Secret");

    const picked = captureResponses("/actions/response");
    await app.interaction(blockActions(ACTION.pickAccount, String(acmeFoodsId)));
    const card = text(await eventually(() => picked.bodies[0]));
    expect(card).toContain("Acme Foods");
    expect(card).toContain("Not scored yet");
  });

  it("says so when nothing matches", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "account initech", user_id: "UCSM" });
    expect(text(await eventually(() => replies.bodies[0]))).toContain("No account matches *initech*");
  });

  it("shows a user of another workspace none of this workspace's accounts", async () => {
    const replies = captureResponses("/commands/T222/1/response");
    await app.command({ text: "account acme", user_id: "UOTHER", team_id: "T222" });
    const body = text(await eventually(() => replies.bodies[0]));
    expect(body).toContain("Acme Secret Corp");
    expect(body).not.toContain("Acme Analytics");
    await app.command({ text: "account globex", user_id: "UOTHER", team_id: "T222" });
    expect(text(await eventually(() => replies.bodies[1]))).toContain("No account matches");
    const picked = captureResponses("/actions/response");
    await app.interaction(blockActions(ACTION.pickAccount, String(acmeId), "UOTHER", "T222"));
    expect(text(await eventually(() => picked.bodies[0]))).toContain("does not exist in this workspace");
  });

  it.each([
    ["pick", ACTION.pickAccount],
    ["recompute", ACTION.recomputeScore],
    ["task done", ACTION.taskDone],
  ])("answers a %s button whose value is not a row id with a plain message", async (_label, actionId) => {
    const answered = captureResponses("/actions/response");
    const values = ["99999999999", "abc", "0"];
    for (const [n, value] of values.entries()) {
      await app.interaction(blockActions(actionId, value));
      expect(text(await eventually(() => answered.bodies[n]))).toContain(
        "That button no longer points at anything in Pulse.",
      );
    }
  });
});

describe("touchpoint modal", () => {
  it("opens with the account preselected", async () => {
    const opened = capture("views.open", { ok: true, view: { id: "V1" } });
    const updated = capture("views.update", { ok: true, view: { id: "V1" } });
    await app.command({ text: "log acme analytics", user_id: "UCSM" });
    // The modal opens at once (a loading view, inside the trigger_id's three seconds) and is
    // filled in once the account is found.
    const body = await eventually(() => updated.bodies[0]);
    expect(opened.bodies[0]!.trigger_id).toMatch(/^111\.222\./);
    expect(JSON.stringify(opened.bodies[0]!.view)).toContain("Loading");
    expect(body.view_id).toBe("V1");
    const view = body.view as {
      callback_id: string;
      blocks: { block_id: string; element: { initial_option?: { value: string } } }[];
    };
    expect(view.callback_id).toBe(CALLBACK.logTouchpoint);
    expect(view.blocks.find((b) => b.block_id === BLOCK.account)!.element.initial_option!.value).toBe(String(acmeId));
  });

  it("saves a valid submission with its audit row, and confirms privately", async () => {
    const confirmed = capture("chat.postEphemeral");
    const res = await app.interaction(
      viewSubmission(CALLBACK.logTouchpoint, {
        [BLOCK.account]: accountValue(acmeId),
        [BLOCK.kind]: selectValue("qbr"),
        [BLOCK.date]: dateValue(isoDay(addDays(TODAY, -1))),
        [BLOCK.stakeholders]: {
          [INPUT_ACTION]: { type: "checkboxes", selected_options: [{ value: "sponsor" }, { value: "end_user" }] },
        },
        [BLOCK.sentiment]: { [INPUT_ACTION]: { type: "radio_buttons", selected_option: { value: "positive" } } },
        [BLOCK.notes]: textValue("Reviewed adoption; sponsor happy."),
      }),
    );
    expect(res.status).toBe(200);
    // Acknowledged first, written in the follow-up queue.
    await app.idle();
    const tp = await t.db.touchpoint.findFirstOrThrow({ where: { accountId: acmeId, kind: "qbr" } });
    expect(tp).toMatchObject({
      stakeholderTypes: ["sponsor", "end_user"],
      sentiment: "positive",
      notes: "Reviewed adoption; sponsor happy.",
    });
    expect(
      await t.db.auditLog.count({
        where: { action: "touchpoint.create", entityId: String(tp.id), actorSlackId: "UCSM" },
      }),
    ).toBe(1);
    const body = await eventually(() => confirmed.bodies[0]);
    expect(body).toMatchObject({ channel: "C111", user: "UCSM" });
    expect(String(body.text)).toContain("Logged a QBR with *Acme Analytics*");
  });

  it("answers bad fields inline and saves nothing", async () => {
    const before = await t.db.touchpoint.count();
    const res = await app.interaction(
      viewSubmission(CALLBACK.logTouchpoint, {
        [BLOCK.account]: { [ACTION.accountSelect]: { type: "external_select", selected_option: null } },
        [BLOCK.kind]: selectValue("call"),
        [BLOCK.date]: dateValue(isoDay(addDays(TODAY, 3))),
        [BLOCK.notes]: textValue(null),
      }),
    );
    expect(await res.json()).toEqual({
      response_action: "errors",
      errors: { [BLOCK.date]: "The date cannot be in the future.", [BLOCK.account]: "Choose an account." },
    });
    expect(await t.db.touchpoint.count()).toBe(before);
  });

  it("refuses an account of another workspace, inline", async () => {
    const res = await app.interaction(
      viewSubmission(CALLBACK.logTouchpoint, {
        [BLOCK.account]: accountValue(otherAcmeId),
        [BLOCK.kind]: selectValue("call"),
        [BLOCK.date]: dateValue(isoDay(TODAY)),
      }),
    );
    expect(await res.json()).toEqual({
      response_action: "errors",
      errors: { [BLOCK.account]: "That account does not exist in this workspace." },
    });
    expect(await t.db.touchpoint.count({ where: { accountId: otherAcmeId } })).toBe(0);
  });

  it("a write that fails after the ack is told to the person with what they wrote", async () => {
    // Checked once (the account is then known to be this workspace's), then erased before
    // the next submission is written: the form was fine, the write cannot be.
    const doomed = await t.db.account.create({ data: { workspaceId: acmeWorkspaceId, name: "Doomed Ltd" } });
    const submitted = (notes: string) =>
      app.interaction(
        viewSubmission(CALLBACK.logTouchpoint, {
          [BLOCK.account]: accountValue(doomed.id),
          [BLOCK.kind]: selectValue("email"),
          [BLOCK.date]: dateValue(isoDay(TODAY)),
          [BLOCK.notes]: textValue(notes),
        }),
      );
    await submitted("first");
    await app.idle();
    await t.db.touchpoint.deleteMany({ where: { accountId: doomed.id } });
    await t.db.auditLog.deleteMany({ where: { entityId: String(doomed.id) } });
    await t.db.account.delete({ where: { id: doomed.id } });
    const told = capture("chat.postEphemeral");
    const res = await submitted("Renewal risk <!channel> & pricing");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await app.idle();
    const body = await eventually(() => told.bodies[0]);
    expect(body).toMatchObject({ channel: "C111", user: "UCSM" });
    expect(String(body.text)).toBe(
      ":warning: Pulse could not record your email: That account does not exist in this workspace. Nothing was recorded.\n" +
        "What you wrote, to submit it again:\n> Renewal risk &lt;!channel&gt; &amp; pricing",
    );
    expect(await t.db.touchpoint.count({ where: { accountId: doomed.id } })).toBe(0);
  });

  it("type-ahead offers only this workspace's accounts", async () => {
    const res = await app.interaction({
      type: "block_suggestion",
      team: { id: "T111" },
      user: { id: "UCSM" },
      api_app_id: "A111",
      action_id: ACTION.accountSelect,
      block_id: BLOCK.account,
      value: "acme",
      view: { id: "V1", callback_id: CALLBACK.logTouchpoint, team_id: "T111" },
    });
    const body = (await res.json()) as { options: { value: string; text: { text: string } }[] };
    expect(body.options.map((o) => o.text.text).sort()).toEqual([
      "Acme Analytics (acmeanalytics.com)",
      "Acme Foods (acmefoods.com)",
    ]);
  });
});

describe("message shortcut: Save as touchpoint", () => {
  it("prefills the modal from the message and keeps its permalink", async () => {
    const permalink = "https://test.slack.com/archives/C111/p1700000000000100";
    capture("chat.getPermalink", { ok: true, permalink });
    capture("views.open", { ok: true, view: { id: "V2" } });
    const opened = capture("views.update", { ok: true, view: { id: "V2" } });
    await app.interaction({
      type: "message_action",
      callback_id: CALLBACK.messageSaveTouchpoint,
      team: { id: "T111", domain: "test" },
      user: { id: "UCSM", name: "c" },
      channel: { id: "C111", name: "cs" },
      message: { type: "message", user: "U9", ts: "1763800000.000100", text: "Call summary: Acme wants SSO by Q1." },
      trigger_id: "444.555.trigger",
      response_url: `${SLACK_API_ORIGIN}/actions/response`,
      message_ts: "1763800000.000100",
    });
    const view = (await eventually(() => opened.bodies[0])).view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string; element: { initial_value?: string; initial_date?: string } }[];
    };
    expect(view.callback_id).toBe(CALLBACK.messageSaveTouchpoint);
    expect(view.blocks.find((b) => b.block_id === BLOCK.notes)!.element.initial_value).toBe(
      "Call summary: Acme wants SSO by Q1.",
    );
    expect(view.blocks.find((b) => b.block_id === BLOCK.date)!.element.initial_date).toBe("2025-11-22");
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: "C111", permalink });

    capture("chat.postEphemeral");
    await app.interaction(
      viewSubmission(
        CALLBACK.messageSaveTouchpoint,
        {
          [BLOCK.account]: accountValue(acmeId),
          [BLOCK.kind]: selectValue("call"),
          [BLOCK.date]: dateValue("2025-11-22"),
          [BLOCK.notes]: textValue("Call summary: Acme wants SSO by Q1."),
        },
        JSON.parse(view.private_metadata) as Record<string, unknown>,
      ),
    );
    await app.idle();
    const tp = await t.db.touchpoint.findFirstOrThrow({ where: { permalink } });
    expect(tp.occurredAt.toISOString()).toBe("2025-11-22T12:00:00.000Z");
  });
});

describe("surveys", () => {
  it("opens the NPS modal with the survey's own scale", async () => {
    capture("views.open", { ok: true, view: { id: "V3" } });
    const opened = capture("views.update", { ok: true, view: { id: "V3" } });
    await app.command({ text: "nps globex", user_id: "UCSM" });
    const view = (await eventually(() => opened.bodies[0])).view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string; element: { options?: { value: string }[] } }[];
    };
    expect(view.callback_id).toBe(CALLBACK.recordSurvey);
    expect(view.blocks.find((b) => b.block_id === BLOCK.score)!.element.options!.map((o) => o.value)).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
    ]);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ kind: "nps" });
  });

  it("records a modal answer; refuses a future date and an off-scale score inline", async () => {
    capture("chat.postEphemeral");
    const bad = await app.interaction(
      viewSubmission(
        CALLBACK.recordSurvey,
        {
          [BLOCK.account]: accountValue(globexId),
          [BLOCK.score]: selectValue("6"),
          [BLOCK.date]: dateValue(isoDay(addDays(TODAY, 5))),
        },
        { channelId: "C111", kind: "csat" },
      ),
    );
    expect(await bad.json()).toEqual({
      response_action: "errors",
      errors: { [BLOCK.date]: "The date cannot be in the future.", [BLOCK.score]: "CSAT scores run from 1 to 5." },
    });
    const ok = await app.interaction(
      viewSubmission(
        CALLBACK.recordSurvey,
        {
          [BLOCK.account]: accountValue(globexId),
          [BLOCK.score]: selectValue("4"),
          [BLOCK.date]: dateValue(isoDay(TODAY)),
          [BLOCK.comment]: textValue("Quick support answer"),
          [BLOCK.respondent]: textValue("Kim"),
        },
        { channelId: "C111", kind: "csat" },
      ),
    );
    expect(ok.status).toBe(200);
    await app.idle();
    expect(await t.db.surveyResponse.findFirstOrThrow({ where: { accountId: globexId, kind: "csat" } })).toMatchObject({
      score: 4,
      comment: "Quick support answer",
      respondentName: "Kim",
    });
  });

  it("a form whose metadata lost its survey kind says so on the score field and records nothing", async () => {
    const before = await t.db.surveyResponse.count();
    const res = await app.interaction(
      viewSubmission(
        CALLBACK.recordSurvey,
        {
          [BLOCK.account]: accountValue(globexId),
          [BLOCK.score]: selectValue("4"),
          [BLOCK.date]: dateValue(isoDay(TODAY)),
          [BLOCK.comment]: textValue("no kind"),
        },
        { channelId: "C111" },
      ),
    );
    expect(await res.json()).toEqual({
      response_action: "errors",
      errors: {
        [BLOCK.score]:
          "This form lost its survey kind (NPS, CSAT or CES): open it again with /pulse nps, /pulse csat or /pulse ces.",
      },
    });
    expect(await t.db.surveyResponse.count()).toBe(before);
  });

  it("quick form: confirms the matched account, then records on Record", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: 'nps acme analytics 9 "great onboarding"', user_id: "UCSM" });
    const confirm = (await eventually(() => replies.bodies[0])) as {
      blocks: { elements?: { action_id: string; value: string }[] }[];
    };
    expect(text(confirm)).toContain("Record *NPS 9* for *Acme Analytics* with “great onboarding”?");
    expect(await t.db.surveyResponse.count({ where: { accountId: acmeId, kind: "nps" } })).toBe(0);
    const record = confirm.blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.quickSurveyConfirm)!;

    const done = captureResponses("/actions/response");
    await app.interaction(blockActions(ACTION.quickSurveyConfirm, record.value));
    expect(text(await eventually(() => done.bodies[0]))).toContain("Recorded NPS 9 for *Acme Analytics*");
    expect(await t.db.surveyResponse.findFirstOrThrow({ where: { accountId: acmeId, kind: "nps" } })).toMatchObject({
      score: 9,
      comment: "great onboarding",
      respondedAt: NOW,
    });
  });

  it("quick form: an off-scale score records nothing and says why", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "nps globex 11", user_id: "UCSM" });
    expect(text(await eventually(() => replies.bodies[0]))).toContain(
      "NPS scores run from 0 to 10; 11 is out of range. Nothing was recorded.",
    );
  });

  it("cancel records nothing", async () => {
    const done = captureResponses("/actions/response");
    const before = await t.db.surveyResponse.count();
    await app.interaction(blockActions(ACTION.quickSurveyCancel, "cancel"));
    expect(text(await eventually(() => done.bodies[0]))).toContain("Cancelled");
    expect(await t.db.surveyResponse.count()).toBe(before);
  });
});

describe("portfolio, roles and App Home", () => {
  it("lists a CSM's accounts riskiest first, unscored flagged", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "portfolio", user_id: "UCSM" });
    const body = text(await eventually(() => replies.bodies[0]));
    expect(body).toContain("Your portfolio");
    expect(body.indexOf("Acme Foods")).toBeLessThan(body.indexOf("Acme Analytics")); // unscored first, then red
    expect(body).not.toContain("Globex");
  });

  it("shows someone else's portfolio by mention", async () => {
    const replies = captureResponses("/commands/T111/1/response");
    await app.command({ text: "portfolio <@UADMIN|ada>", user_id: "UCSM" });
    const body = text(await eventually(() => replies.bodies[0]));
    expect(body).toContain("Portfolio of Ada Admin");
    expect(body).toContain("Globex");
  });

  it("lets an admin change a role, and refuses others", async () => {
    const refused = captureResponses("/commands/T111/1/response");
    await app.command({ text: "admin role <@UADMIN> csm", user_id: "UCSM" });
    expect(text(await eventually(() => refused.bodies[0]))).toContain("Only admin users can change roles");
    nock.cleanAll();
    nockAuthTest();
    const ok = captureResponses("/commands/T111/1/response");
    await app.command({ text: "admin role <@UCSM|chris> manager", user_id: "UADMIN" });
    expect(text(await eventually(() => ok.bodies[0]))).toContain("<@UCSM> is now a manager");
    expect(
      (await t.db.user.findFirstOrThrow({ where: { slackUserId: "UCSM", workspace: { slackTeamId: "T111" } } })).role,
    ).toBe("manager");
    expect(await t.db.auditLog.count({ where: { action: "user.role" } })).toBe(1);
  });

  it("publishes App Home with counts, riskiest accounts and renewals when opened", async () => {
    const published = capture("views.publish");
    await app.event({
      token: "x",
      team_id: "T111",
      api_app_id: "A111",
      type: "event_callback",
      event_id: "EvHome1",
      event_time: 1700000000,
      event: { type: "app_home_opened", user: "UCSM", channel: "D111", tab: "home", event_ts: "1700000000.1" },
    });
    const body = await eventually(() => published.bodies[0]);
    expect(body.user_id).toBe("UCSM");
    const view = text(body.view as Record<string, unknown>);
    expect(view).toContain("Your portfolio");
    expect(view).toContain("Acme Analytics");
    expect(view).toContain("Renewals in the next 90 days");
    expect((body.view as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(100);
  });
});

describe("recompute and home refresh", () => {
  it("recomputes an account's score from the card's button and shows the new card", async () => {
    const replies = captureResponses("/actions/response");
    expect(await t.db.healthSnapshot.count({ where: { accountId: acmeFoodsId } })).toBe(0);
    await app.interaction(blockActions(ACTION.recomputeScore, String(acmeFoodsId)));
    const body = text(await eventually(() => replies.bodies[0]));
    expect(body).toContain("Recomputed.");
    expect(body).toMatch(/Health \d+\/100/);
    const snapshot = await t.db.healthSnapshot.findFirstOrThrow({ where: { accountId: acmeFoodsId } });
    expect(snapshot.scoredOn.toISOString().slice(0, 10)).toBe("2026-11-23");
    expect(body).toContain(`Health ${snapshot.score}/100`);
  });

  it("republishes the App Home of every account owner after a scoring run", async () => {
    const ws = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "T111" } });
    const { refreshHomes } = await import("../../src/jobs/score-accounts.js");
    const before = app.notifier.homes.length;
    expect(await refreshHomes(app.ctx, [ws.id])).toBe(2);
    expect(
      app.notifier.homes
        .slice(before)
        .map((h) => h.userSlackId)
        .sort(),
    ).toEqual(["UADMIN", "UCSM"]);
    expect(app.notifier.homes.slice(before).every((h) => h.workspaceId === ws.id && h.view.type === "home")).toBe(true);
  });
});

describe("conversation", () => {
  const mention = (textValue: string, channel = "C111", id = "Ev" + Math.random()) => ({
    token: "x",
    team_id: "T111",
    api_app_id: "A111",
    type: "event_callback",
    event_id: id,
    event_time: 1700000000,
    event: {
      type: "app_mention",
      user: "UCSM",
      text: `<@UBOT> ${textValue}`,
      ts: "1700000001.000200",
      channel,
      event_ts: "1700000001.000200",
    },
  });

  it("answers 'how is Acme Analytics doing?' privately in the thread it was asked in", async () => {
    const ephemeral = capture("chat.postEphemeral");
    await app.event(mention("how is Acme Analytics doing?"));
    const body = await eventually(() => ephemeral.bodies[0]);
    expect(body).toMatchObject({ channel: "C111", user: "UCSM", thread_ts: "1700000001.000200" });
    expect(text(body)).toContain("Health 42/100");
  });

  it("answers help openly", async () => {
    const posted = capture("chat.postMessage", { ok: true, channel: "C111", ts: "1.1" });
    await app.event(mention("help"));
    const body = await eventually(() => posted.bodies[0]);
    expect(body).toMatchObject({ channel: "C111", thread_ts: "1700000001.000200" });
    expect(text(body)).toContain("/pulse account");
  });

  it("answers 'who is at risk?' in a DM", async () => {
    const posted = capture("chat.postMessage", { ok: true, channel: "D111", ts: "1.2" });
    await app.event({
      token: "x",
      team_id: "T111",
      api_app_id: "A111",
      type: "event_callback",
      event_id: "EvDm1",
      event_time: 1700000000,
      event: {
        type: "message",
        channel_type: "im",
        channel: "D111",
        user: "UCSM",
        text: "who is at risk?",
        ts: "1700000002.000300",
      },
    });
    const body = await eventually(() => posted.bodies[0]);
    expect(body).toMatchObject({ channel: "D111", thread_ts: "1700000002.000300" });
    expect(text(body)).toContain("at risk");
    expect(text(body)).toContain("Acme Analytics");
  });
});
