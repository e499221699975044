// Issue 14's edge defects, end to end through the real Bolt app: a payload without a team
// (11), double submissions (7), quick-survey values (13), Slack Connect channels (4),
// hostile text (5) and one user's slow Slack call (6).
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTION, BLOCK, CALLBACK, INPUT_ACTION } from "../../src/slack/ids.js";
import { resolveWorkspace } from "../../src/services/workspace-users.js";
import { runDigests } from "../../src/services/digests.js";
import { digestPosterFactory } from "../../src/services/digest-poster.js";
import { createWebSlackPorts } from "../../src/slack/slack-ports.js";
import {
  retroActionItemPostedMessage,
  retroParentMessage,
  retroSummaryMessage,
} from "../../src/slack/views/retro-thread.js";
import { taskRowBlocks } from "../../src/slack/views/tasks.js";
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
let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let acmeId: number;
let seq = 0;

/** Strings a hostile customer or CSV could carry into Pulse. */
const HOSTILE = ["<!channel>", "<!here>", "<@UEVIL>", "<http://evil.example|Acme>"];
const HOSTILE_NAME = `Acme ${HOSTILE.join(" ")}`;

/**
 * Every string Slack parses for mentions and links: a message's `text` (the fallback too)
 * and mrkdwn text objects. plain_text (headers, buttons, options) is shown as typed.
 */
function parsedStrings(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) parsedStrings(v, out);
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.type === "plain_text") return out;
    for (const [k, v] of Object.entries(o)) {
      if (k === "text" && typeof v === "string") out.push(v);
      else parsedStrings(v, out);
    }
  }
  return out;
}

/** Fails when any hostile control sequence survived in what Slack would parse. */
function expectNoControlSequences(sent: unknown): void {
  const strings = parsedStrings(sent);
  expect(strings.length).toBeGreaterThan(0);
  for (const text of strings) for (const h of HOSTILE) expect(text).not.toContain(h);
}

function blockAction(
  actionId: string,
  value: string,
  opts: { actionTs?: string; trigger?: string; user?: string } = {},
) {
  return {
    type: "block_actions",
    team: { id: "T111", domain: "test" },
    user: { id: opts.user ?? "UCSM", name: "c", team_id: "T111" },
    api_app_id: "A111",
    trigger_id: opts.trigger ?? `9.9.${++seq}`,
    response_url: `${SLACK_API_ORIGIN}/actions/edge`,
    container: { type: "message", channel_id: "C111", is_ephemeral: true },
    channel: { id: "C111", name: "cs" },
    actions: [
      { type: "button", action_id: actionId, block_id: "b", value, action_ts: opts.actionTs ?? `1700000000.${seq}` },
    ],
  };
}

function touchpointSubmission(viewId: string, notes: string) {
  return {
    type: "view_submission",
    team: { id: "T111", domain: "test" },
    user: { id: "UCSM", name: "c", team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `8.8.${++seq}`,
    view: {
      id: viewId,
      team_id: "T111",
      type: "modal",
      callback_id: CALLBACK.logTouchpoint,
      private_metadata: JSON.stringify({ channelId: "C111" }),
      hash: "h",
      state: {
        values: {
          [BLOCK.account]: {
            [ACTION.accountSelect]: { type: "external_select", selected_option: { value: String(acmeId) } },
          },
          [BLOCK.kind]: { [INPUT_ACTION]: { type: "static_select", selected_option: { value: "call" } } },
          [BLOCK.date]: { [INPUT_ACTION]: { type: "datepicker", selected_date: "2026-11-20" } },
          [BLOCK.notes]: { [INPUT_ACTION]: { type: "plain_text_input", value: notes } },
        },
      },
    },
  };
}

/** Records Web API calls of these methods, in order. */
function recordCalls(
  methods: string[],
  reply: (method: string, body: Record<string, unknown>) => Record<string, unknown> = () => ({ ok: true }),
) {
  const calls: { method: string; body: Record<string, unknown> }[] = [];
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(new RegExp(`^/api/(${methods.map((m) => m.replace(".", "\\.")).join("|")})$`))
    .reply((uri, body) => {
      const method = uri.replace("/api/", "");
      const parsed =
        typeof body === "string" ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, unknown>);
      calls.push({ method, body: parsed });
      return [200, reply(method, parsed)];
    });
  return calls;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  workspaceId = ws.id;
  const admin = await t.db.user.create({ data: { workspaceId, slackUserId: "UADMIN", role: "admin" } });
  await t.db.user.create({ data: { workspaceId, slackUserId: "UCSM", role: "csm" } });
  acmeId = (
    await t.db.account.create({
      data: {
        workspaceId,
        name: HOSTILE_NAME,
        domain: "acme.test",
        segment: "<!channel> mid-market",
        ownerId: admin.id,
        arr: 1000,
      },
    })
  ).id;
  app = await startSlackTestApp({
    db: t.db,
    databaseUrl: t.url,
    clock: () => NOW,
    env: { SLACK_API_TIMEOUT_MS: "2500" },
  });
});
beforeEach(() => nockAuthTest());
afterEach(async () => {
  await app.idle();
  nock.cleanAll();
});
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("a payload without a team (defect 11)", () => {
  it("never becomes a workspace, and resolveWorkspace refuses an empty team id", async () => {
    await expect(resolveWorkspace(t.db, "")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const replies = captureReplies("/commands//1/response");
    const payload = blockAction(ACTION.digestSnooze, String(acmeId));
    await app.interaction({ ...payload, team: null, user: { id: "UNEW", name: "n" } });
    await app.command({ text: "digest list", team_id: "", user_id: "UNEW2" });
    await app.idle();
    expect(await t.db.workspace.count({ where: { slackTeamId: "" } })).toBe(0);
    // The command came from the bot's own workspace (the team Bolt authorised), so UNEW2 is
    // a member there, never an admin of a new workspace.
    expect(await t.db.user.findMany({ where: { slackUserId: { in: ["UNEW", "UNEW2"] }, role: "admin" } })).toEqual([]);
    void replies;
  });
});

describe("double submissions write once (defect 7)", () => {
  it("the same touchpoint submission twice makes one touchpoint", async () => {
    recordCalls(["chat.postEphemeral", "chat.postMessage"]);
    const notes = `double ${Math.random()}`;
    const first = await app.interaction(touchpointSubmission("VDOUBLE", notes));
    const second = await app.interaction(touchpointSubmission("VDOUBLE", notes));
    expect([first.status, second.status]).toEqual([200, 200]);
    await app.idle();
    expect(await t.db.touchpoint.count({ where: { workspaceId, notes } })).toBe(1);
    // A corrected resubmission (other values) is a new submission.
    await app.interaction(touchpointSubmission("VDOUBLE", `${notes} (fixed)`));
    await app.idle();
    expect(await t.db.touchpoint.count({ where: { workspaceId, notes: { startsWith: notes } } })).toBe(2);
  });

  it("the same Snooze click twice makes one snooze", async () => {
    captureReplies("/actions/edge");
    const click = blockAction(ACTION.digestSnooze, String(acmeId), { actionTs: "1700000999.1", trigger: "7.7.7" });
    await app.interaction(click);
    await app.interaction(click);
    await app.idle();
    expect(await t.db.digestSnooze.count({ where: { workspaceId, accountId: acmeId } })).toBe(1);
  });

  it("the same command twice (one trigger_id) makes one digest subscription and one API key", async () => {
    recordCalls(["conversations.info"], () => ({ ok: true, channel: { id: "CSUB", is_ext_shared: false } }));
    captureReplies();
    const before = await t.db.digestSubscription.count({ where: { workspaceId } });
    for (let i = 0; i < 2; i++)
      await app.command({
        text: "digest subscribe tz=UTC",
        user_id: "UADMIN",
        channel_id: "CSUB",
        trigger_id: "5.5.subscribe",
      });
    for (let i = 0; i < 2; i++)
      await app.command({ text: "admin api-key create twice", user_id: "UADMIN", trigger_id: "5.5.apikey" });
    await app.idle();
    await eventually(async () => (await t.db.apiKey.count({ where: { workspaceId, name: "twice" } })) >= 1);
    expect(await t.db.digestSubscription.count({ where: { workspaceId } })).toBe(before + 1);
    expect(await t.db.apiKey.count({ where: { workspaceId, name: "twice" } })).toBe(1);
  });
});

describe("quick-survey button values (defect 13)", () => {
  it.each([
    ["a fractional score", { a: 0, k: "nps", s: 1.5 }],
    ["an off-scale score", { a: 0, k: "csat", s: 9 }],
    ["a 100,000-character comment", { a: 0, k: "nps", s: 9, c: "x".repeat(100_000) }],
    ["an unknown kind", { a: 0, k: "xyz", s: 3 }],
  ])("refuses %s and stores nothing", async (_label, value) => {
    const replies = captureReplies("/actions/edge");
    const before = await t.db.surveyResponse.count({ where: { workspaceId } });
    await app.interaction(blockAction(ACTION.quickSurveyConfirm, JSON.stringify({ ...value, a: acmeId })));
    await eventually(() => replies.length > 0);
    expect(String(replies[0]!.text)).toContain("no longer valid");
    expect(await t.db.surveyResponse.count({ where: { workspaceId } })).toBe(before);
  });

  it("records a valid value, once", async () => {
    captureReplies("/actions/edge");
    const before = await t.db.surveyResponse.count({ where: { workspaceId } });
    await app.interaction(
      blockAction(ACTION.quickSurveyConfirm, JSON.stringify({ a: acmeId, k: "nps", s: 9, c: "good" })),
    );
    await app.idle();
    expect(await t.db.surveyResponse.count({ where: { workspaceId } })).toBe(before + 1);
  });
});

describe("Slack Connect channels (defect 4)", () => {
  it.each([
    ["shared with another organisation", () => ({ ok: true, channel: { id: "CEXT", is_ext_shared: true } })],
    ["that Pulse cannot inspect (fails closed)", () => ({ ok: false, error: "channel_not_found" })],
  ])("digest subscribe and retro-channel refuse a channel %s", async (_label, info) => {
    nock.cleanAll();
    recordCalls(["conversations.info"], info);
    nockAuthTest();
    const replies = captureReplies();
    const subs = await t.db.digestSubscription.count({ where: { workspaceId } });
    await app.command({ text: "digest subscribe tz=UTC", user_id: "UADMIN", channel_id: "CEXT" });
    await app.command({ text: "admin retro-channel <#CEXT|customer-shared>", user_id: "UADMIN" });
    await eventually(() => replies.length >= 2);
    expect(replies.map((r) => String(r.text)).every((text) => text.includes("shared with another organisation"))).toBe(
      true,
    );
    expect(await t.db.digestSubscription.count({ where: { workspaceId } })).toBe(subs);
    expect((await t.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).retroChannelId).toBeNull();
  });

  it("a subscription whose channel became shared is turned off, and its subscriber told once", async () => {
    const sub = await t.db.digestSubscription.create({
      data: {
        workspaceId,
        channelId: "CLATER",
        createdById: (await t.db.user.findFirstOrThrow({ where: { workspaceId, slackUserId: "UADMIN" } })).id,
        bands: ["red", "yellow", "green"],
        postAtMinutes: 9 * 60,
        timezone: "UTC",
        quietDay: "all_clear",
        noTouchDays: 30,
      },
    });
    nock.cleanAll();
    const calls = recordCalls(["conversations.info", "chat.postMessage"], (method) =>
      method === "conversations.info"
        ? { ok: true, channel: { id: "CLATER", is_ext_shared: true } }
        : { ok: true, channel: "UADMIN", ts: "1.2" },
    );
    nockAuthTest();
    const ctx = { ...app.ctx, slack: createWebSlackPorts(app.ctx) };
    const deps = { posterFor: digestPosterFactory(ctx), instanceId: "edge" };
    await runDigests(ctx, deps, new Date("2026-11-23T09:01:00Z"));
    await runDigests(ctx, deps, new Date("2026-11-24T09:01:00Z"));
    const off = await t.db.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } });
    expect(off.active).toBe(false);
    expect(off.disabledReason).toContain("shared");
    // Nothing was posted in the channel; one DM about it, though two ticks ran.
    expect(calls.filter((c) => c.method === "chat.postMessage" && c.body.channel === "CLATER")).toEqual([]);
    const posts = calls.filter((c) => c.method === "chat.postMessage" && String(c.body.text).includes("CLATER"));
    expect(posts.map((p) => p.body.channel)).toEqual(["UADMIN"]);
    expect(String(posts[0]!.body.text)).toContain("shared with another organisation");
  });
});

describe("hostile text (defect 5)", () => {
  it("never reaches Slack as a mention, a broadcast or a disguised link", async () => {
    const replies = captureReplies();
    recordCalls(["chat.postEphemeral", "chat.postMessage"]);
    await app.command({ text: "account acme.test", user_id: "UCSM" });
    await app.command({ text: `account ${HOSTILE.join(" ")}`, user_id: "UCSM" });
    await app.command({ text: `admin retro-channel ${HOSTILE[0]}`, user_id: "UADMIN" });
    await eventually(() => replies.length >= 3);
    expect(JSON.stringify(replies)).toContain("Acme");
    expectNoControlSequences(replies);
  });

  it("is escaped in every retro message and task row, fallback text included", () => {
    const event = {
      id: 1,
      accountName: HOSTILE_NAME,
      currency: "USD",
      kind: "full" as const,
      churnedOn: NOW,
      arrBefore: 10,
      arrLost: 10,
      primaryReason: "other" as const,
      reasonOther: HOSTILE.join(" "),
      contributingFactors: [],
      warningSigns: HOSTILE.join(" "),
      warningSeenOn: null,
      couldHaveDone: HOSTILE.join(" "),
      lessons: HOSTILE.join(" "),
      preventable: true,
      firstRedOn: null,
      daysOfWarning: null,
      filedBySlackId: "UCSM",
      retroStatus: "open" as const,
      reversedAt: null,
    };
    expectNoControlSequences(retroParentMessage(event));
    expectNoControlSequences(
      retroSummaryMessage({
        event,
        closedBySlackId: "UADMIN",
        notes: [{ authorSlackId: "UCSM", text: HOSTILE.join(" ") }],
        actionItems: [{ title: HOSTILE.join(" "), ownerSlackId: "UCSM", dueOn: NOW, status: "open" }],
      }),
    );
    expectNoControlSequences(
      retroActionItemPostedMessage({
        title: HOSTILE.join(" "),
        ownerSlackId: "UCSM",
        dueOn: NOW,
        createdBySlackId: "UADMIN",
      }),
    );
    expectNoControlSequences(
      taskRowBlocks({
        id: 1,
        title: HOSTILE.join(" "),
        accountName: HOSTILE_NAME,
        dueOn: NOW,
        detail: HOSTILE.join(" "),
      }),
    );
  });
});

describe("one slow Slack call never delays another user's reply (defect 6)", () => {
  it("answers /pulse help while another user's views.open calls are rate-limited and hanging", async () => {
    // USLOW's modals: Slack answers 429 with Retry-After 20, or hangs (longer than the timeout).
    let opens = 0;
    nock(SLACK_API_ORIGIN)
      .persist()
      .post("/api/views.open")
      .reply(async () => {
        opens++;
        if (opens % 2 === 1) return [429, { ok: false, error: "ratelimited" }, { "retry-after": "20" }];
        await new Promise((r) => setTimeout(r, 8_000));
        return [200, { ok: true, view: { id: "VSLOW" } }];
      });
    const slowReplies: string[] = [];
    let slowRepliesWhenHelpArrived: number | undefined;
    nock(SLACK_API_ORIGIN)
      .persist()
      .post("/commands/T111/1/response", (body: { text?: string }) => {
        if (String(body.text).includes("Pulse keeps your accounts")) slowRepliesWhenHelpArrived ??= slowReplies.length;
        else slowReplies.push(String(body.text));
        return true;
      })
      .reply(200, { ok: true });
    for (let i = 0; i < 4; i++) await app.command({ text: "log", user_id: "USLOW" });
    await eventually(() => opens >= 2, 5_000); // the slow user's calls are under way
    await app.command({ text: "help", user_id: "UQUICK" });
    await eventually(() => slowRepliesWhenHelpArrived !== undefined, 5_000);
    // Relative, not wall-clock: help was answered while the slow user's hung calls were
    // still waiting on Slack, i.e. before all four of their commands had been answered.
    expect(slowRepliesWhenHelpArrived!).toBeLessThan(4);
    // Every slow call ends (Retry-After beyond the budget fails at once; a hang is cut by
    // the timeout), and each of the slow user's commands gets its apology.
    await eventually(() => slowReplies.length === 4, 15_000);
    expect(slowReplies.every((r) => r.includes("Sorry, something went wrong"))).toBe(true);
  });
});
