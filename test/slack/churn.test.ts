// End to end through the real Bolt app: file a churn for a demo account whose health
// history is known, check the retrospective thread it seeds (chart upload or sparkline),
// capture replies, add an action item, close the retro, and win the account back.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDay } from "../../src/domain/dates.js";
import { PNG_SIGNATURE } from "../helpers/png.js";
import { listOpenRetroActionItems } from "../../src/services/retro.js";
import { ACTION, CALLBACK, POST_MORTEM_BLOCK as B, RETRO_ACTION_ITEM_BLOCK as R } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T12:00:00Z");
const TEAM = "T111";
const RETRO_CHANNEL = "CRETRO1";
const d = (s: string) => new Date(`${s}T00:00:00Z`);

interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

/** eventually() whose result is known to be set (it only resolves on a truthy value). */
const until = <T>(check: () => Promise<T> | T) => eventually(check) as Promise<NonNullable<T>>;

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let acmeId: number;
let globexId: number;
let uploadMode: "allow" | "missing_scope" = "allow";
const calls: SlackCall[] = [];
const uploads: Buffer[] = [];
const responses: { text?: string }[] = [];
let tsCounter = 0;

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return Object.fromEntries(new URLSearchParams(body));
    }
  }
  return (body ?? {}) as Record<string, unknown>;
}

function blocksText(call: SlackCall): string {
  const raw = call.body.blocks;
  const blocks = typeof raw === "string" ? raw : JSON.stringify(raw ?? []);
  return `${String(call.body.text ?? "")}\n${blocks}`;
}

function callsTo(method: string, where: (c: SlackCall) => boolean = () => true): SlackCall[] {
  return calls.filter((c) => c.method === method && where(c));
}

function stubSlack(): void {
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(
      /^\/api\/(chat\.postMessage|chat\.postEphemeral|views\.open|views\.update|files\.getUploadURLExternal|files\.completeUploadExternal)$/,
    )
    .reply((uri, body) => {
      const method = uri.replace("/api/", "");
      const parsed = parseBody(body);
      calls.push({ method, body: parsed });
      if (method === "chat.postMessage")
        return [200, { ok: true, channel: parsed.channel, ts: `1763900000.${String(++tsCounter).padStart(6, "0")}` }];
      if (method === "files.getUploadURLExternal") {
        return uploadMode === "allow"
          ? [200, { ok: true, upload_url: `${SLACK_API_ORIGIN}/upload/F${tsCounter}`, file_id: `F${tsCounter}` }]
          : [200, { ok: false, error: "missing_scope", needed: "files:write", provided: "chat:write" }];
      }
      if (method === "files.completeUploadExternal") return [200, { ok: true, files: [{ id: "F1" }] }];
      if (method === "views.open") return [200, { ok: true, view: { id: `VOPEN${tsCounter}` } }];
      return [200, { ok: true }];
    });
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(/^\/upload\//)
    .reply((_uri, body) => {
      uploads.push(
        typeof body === "string"
          ? /^[0-9a-f]+$/.test(body)
            ? Buffer.from(body, "hex")
            : Buffer.from(body, "binary")
          : Buffer.from(JSON.stringify(body)),
      );
      return [200, "OK"];
    });
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(/^\/(commands|actions)\//)
    .reply((_uri, body) => {
      responses.push(parseBody(body) as { text?: string });
      return [200, { ok: true }];
    });
}

// Every click and submission is a new one, as in Slack (repeats are deduplicated: see the idempotency tests).
let seq = 0;

function viewSubmission(
  callbackId: string,
  values: Record<string, Record<string, unknown>>,
  metadata: unknown,
  userId: string,
) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [blockId, value] of Object.entries(values)) state[blockId] = { [blockId]: value };
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "test" },
    user: { id: userId, name: userId.toLowerCase(), team_id: TEAM },
    api_app_id: "A111",
    trigger_id: `111.222.${++seq}`,
    view: {
      id: `V111${seq}`,
      type: "modal",
      callback_id: callbackId,
      private_metadata: JSON.stringify(metadata),
      state: { values: state },
      hash: "1.a",
      team_id: TEAM,
      app_id: "A111",
      bot_id: "BBOT",
    },
    response_urls: [],
  };
}

function buttonClick(actionId: string, value: string, userId: string, channel = RETRO_CHANNEL) {
  return {
    type: "block_actions",
    team: { id: TEAM, domain: "test" },
    user: { id: userId, name: userId.toLowerCase(), team_id: TEAM },
    api_app_id: "A111",
    trigger_id: `111.222.${++seq}`,
    container: { type: "message", message_ts: "1763900000.000001", channel_id: channel },
    channel: { id: channel, name: "cs-retros" },
    response_url: `${SLACK_API_ORIGIN}/actions/${TEAM}/1/x`,
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b",
        value,
        action_ts: `1763900001.${seq}`,
        text: { type: "plain_text", text: "b" },
      },
    ],
  };
}

function messageEvent(eventId: string, event: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  return {
    ...envelope,
    token: "t",
    team_id: TEAM,
    api_app_id: "A111",
    type: "event_callback",
    event_id: eventId,
    event_time: 1763900100,
    event: { type: "message", channel_type: "channel", ...event },
  };
}

const validPostMortem = {
  [B.churnedOn]: { type: "datepicker", selected_date: "2026-11-20" },
  [B.kind]: { type: "radio_buttons", selected_option: { value: "full" } },
  [B.arrLost]: { type: "plain_text_input", value: null },
  [B.primaryReason]: { type: "static_select", selected_option: { value: "competitor" } },
  [B.reasonOther]: { type: "plain_text_input", value: null },
  [B.contributingFactors]: { type: "multi_static_select", selected_options: [{ value: "low_adoption" }] },
  [B.warningSigns]: { type: "plain_text_input", value: "Weekly actives halved after the reorg" },
  [B.warningSeenOn]: { type: "datepicker", selected_date: "2026-09-25" },
  [B.couldHaveDone]: { type: "plain_text_input", value: "Exec sponsor meeting in September" },
  [B.lessons]: { type: "plain_text_input", value: "Treat a reorg as a risk signal" },
  [B.preventable]: { type: "radio_buttons", selected_option: { value: "yes" } },
};

/** 180 days to 2026-11-20: green to Aug 31, yellow Sep 1-19, red from Sep 20 (61 days of warning). */
async function seedHistory(accountId: number): Promise<void> {
  const rows = [];
  for (
    let day = d("2026-05-25");
    day.getTime() <= d("2026-11-20").getTime();
    day = new Date(day.getTime() + 86_400_000)
  ) {
    const iso = isoDay(day);
    const [score, band] = iso < "2026-09-01" ? [76, "green"] : iso < "2026-09-20" ? [55, "yellow"] : [28, "red"];
    rows.push({
      workspaceId,
      accountId,
      scoredOn: day,
      score: score as number,
      band: band as "green",
      components: {},
      reasons: [],
      modelVersion: "test",
    });
  }
  await t.db.healthSnapshot.createMany({ data: rows });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: TEAM, name: "Test" } });
  workspaceId = ws.id;
  await t.db.user.createMany({
    data: [
      { workspaceId, slackUserId: "UADMIN", role: "admin", name: "admin" },
      { workspaceId, slackUserId: "UMGR", role: "manager", name: "manager" },
      { workspaceId, slackUserId: "UCSM", role: "csm", name: "csm" },
    ],
  });
  const csm = await t.db.user.findFirstOrThrow({ where: { workspaceId, slackUserId: "UCSM" } });
  const acme = await t.db.account.create({
    data: { workspaceId, name: "Acme Analytics", arr: 48_000, ownerId: csm.id, contractStart: d("2025-01-01") },
  });
  const globex = await t.db.account.create({
    data: { workspaceId, name: "Globex", arr: 20_000, ownerId: csm.id, contractStart: d("2025-01-01") },
  });
  acmeId = acme.id;
  globexId = globex.id;
  await t.db.arrChange.createMany({
    data: [
      {
        workspaceId,
        accountId: acmeId,
        effectiveOn: d("2025-01-01"),
        kind: "new_business",
        arrBefore: 0,
        arrAfter: 48_000,
      },
      {
        workspaceId,
        accountId: globexId,
        effectiveOn: d("2025-01-01"),
        kind: "new_business",
        arrBefore: 0,
        arrAfter: 20_000,
      },
    ],
  });
  await seedHistory(acmeId);
  await seedHistory(globexId);
  await t.db.touchpoint.createMany({
    data: [
      {
        workspaceId,
        accountId: acmeId,
        kind: "call",
        occurredAt: new Date("2026-10-02T15:00:00Z"),
        stakeholderTypes: ["sponsor"],
        sentiment: "negative",
        notes: "Sponsor says budget moved to a competitor pilot",
        loggedById: csm.id,
      },
      {
        workspaceId,
        accountId: acmeId,
        kind: "qbr",
        occurredAt: new Date("2026-08-10T15:00:00Z"),
        stakeholderTypes: ["sponsor"],
        sentiment: "neutral",
        notes: "QBR: adoption flat",
        loggedById: csm.id,
      },
    ],
  });
  await t.db.surveyResponse.create({
    data: {
      workspaceId,
      accountId: acmeId,
      kind: "nps",
      score: 3,
      comment: "Too slow for our analysts",
      respondedAt: new Date("2026-09-28T10:00:00Z"),
    },
  });
  await t.db.playbookTask.createMany({
    data: [
      {
        workspaceId,
        accountId: acmeId,
        ownerId: csm.id,
        dedupeKey: "low_usage",
        title: "Run an adoption workshop",
        dueOn: d("2026-10-01"),
        status: "done",
        completedAt: new Date("2026-09-30T10:00:00Z"),
        createdAt: new Date("2026-09-21T02:00:00Z"),
      },
      {
        workspaceId,
        accountId: acmeId,
        ownerId: csm.id,
        dedupeKey: "detractor_nps",
        title: "Call the detractor",
        dueOn: d("2026-10-05"),
        status: "open",
        createdAt: new Date("2026-09-29T02:00:00Z"),
      },
    ],
  });
  stubSlack();
  nockAuthTest(TEAM);
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW, teamId: TEAM });
});

afterAll(async () => {
  await app.close();
  await t.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("retro channel setting", () => {
  it("refuses a CSM and lets a manager set it from a #channel reference", async () => {
    await app.command({ text: "admin retro-channel <#CRETRO1|cs-retros>", user_id: "UCSM" });
    await until(() => responses.some((r) => r.text?.includes("Only manager or admin users can set the retro channel")));
    expect((await t.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).retroChannelId).toBeNull();

    await app.command({ text: "admin retro-channel cs-retros", user_id: "UMGR" });
    await until(() => responses.some((r) => r.text?.includes("is not a channel")));

    await app.command({ text: "admin retro-channel <#CRETRO1|cs-retros>", user_id: "UMGR" });
    await until(
      async () =>
        (await t.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).retroChannelId === RETRO_CHANNEL,
    );
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "workspace.retro_channel" } })).toBe(1);
  });
});

describe("filing a post-mortem", () => {
  it("/pulse churn <account> opens the post-mortem modal for that account", async () => {
    await app.command({ text: "churn acme", user_id: "UCSM" });
    const open = await until(() => callsTo("views.update").at(-1)); // filled in after a loading view opened at once
    const view = JSON.parse(String(open.body.view)) as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string }[];
    };
    expect(view.callback_id).toBe(CALLBACK.churnPostMortem);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ accountId: acmeId });
    expect(view.blocks.map((b) => b.block_id)).toEqual(
      expect.arrayContaining([B.churnedOn, B.kind, B.arrLost, B.primaryReason, B.preventable]),
    );
  });

  it("answers bad fields with inline errors and saves nothing", async () => {
    const res = await app.interaction(
      viewSubmission(
        CALLBACK.churnPostMortem,
        {
          ...validPostMortem,
          [B.churnedOn]: { type: "datepicker", selected_date: "2026-11-30" },
          [B.kind]: { type: "radio_buttons", selected_option: { value: "downgrade" } },
          [B.arrLost]: { type: "plain_text_input", value: "60000" },
          [B.preventable]: { type: "radio_buttons", selected_option: null },
        },
        { accountId: acmeId },
        "UCSM",
      ),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors[B.churnedOn]).toMatch(/cannot be in the future/);
    expect(body.errors[B.arrLost]).toMatch(/cannot be more than the account's ARR \(\$48,000\)/);
    expect(body.errors[B.preventable]).toMatch(/preventable/);
    expect(await t.db.churnEvent.count()).toBe(0);
    expect((await t.db.account.findUniqueOrThrow({ where: { id: acmeId } })).status).toBe("active");
  });

  it("marks the account churned, keeps history, and seeds the retro thread with the evidence", async () => {
    calls.length = 0;
    uploadMode = "allow";
    const res = await app.interaction(
      viewSubmission(CALLBACK.churnPostMortem, validPostMortem, { accountId: acmeId }, "UCSM"),
    );
    expect(res.status).toBe(200);

    const event = await until(() =>
      t.db.churnEvent.findFirst({ where: { workspaceId, accountId: acmeId, retroThreadTs: { not: null } } }),
    );
    // Red from 2026-09-20 to the churn on 2026-11-20: 61 days of warning.
    expect(isoDay(event.firstRedOn!)).toBe("2026-09-20");
    expect(event.daysOfWarning).toBe(61);
    expect(event).toMatchObject({
      kind: "full",
      primaryReason: "competitor",
      contributingFactors: ["low_adoption"],
      preventable: true,
      retroStatus: "open",
      retroChannelId: RETRO_CHANNEL,
    });
    expect(Number(event.arrLost)).toBe(48_000);
    const account = await t.db.account.findUniqueOrThrow({ where: { id: acmeId } });
    expect([account.status, Number(account.arr), isoDay(account.churnedAt!)]).toEqual(["churned", 0, "2026-11-20"]);
    const change = await t.db.arrChange.findFirstOrThrow({ where: { workspaceId, accountId: acmeId, kind: "churn" } });
    expect([Number(change.arrBefore), Number(change.arrAfter), change.churnEventId]).toEqual([48_000, 0, event.id]);
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "churn.file", accountId: acmeId } })).toBe(1);

    // Parent, then chart, health, touchpoints, surveys, tasks in the thread.
    await until(() => callsTo("chat.postMessage", (c) => c.body.thread_ts === event.retroThreadTs).length >= 4);
    const parent = callsTo("chat.postMessage", (c) => c.body.channel === RETRO_CHANNEL && !c.body.thread_ts);
    expect(parent).toHaveLength(1);
    expect(blocksText(parent[0]!)).toContain("Churn post-mortem: Acme Analytics");
    expect(blocksText(parent[0]!)).toContain(ACTION.retroAddActionItem);
    expect(blocksText(parent[0]!)).toContain(ACTION.retroClose);

    const getUrl = callsTo("files.getUploadURLExternal");
    expect(getUrl).toHaveLength(1);
    expect(String(getUrl[0]!.body.filename)).toBe("health-2026-05-25-2026-11-20.png");
    expect(uploads).toHaveLength(1);
    // The external upload is multipart form data with the PNG as its file part.
    expect(uploads[0]!.indexOf(PNG_SIGNATURE)).toBeGreaterThan(0);
    expect(uploads[0]!.indexOf(Buffer.from("IHDR"))).toBeGreaterThan(uploads[0]!.indexOf(PNG_SIGNATURE));
    const complete = callsTo("files.completeUploadExternal");
    expect(complete).toHaveLength(1);
    expect(complete[0]!.body).toMatchObject({ channel_id: RETRO_CHANNEL, thread_ts: event.retroThreadTs });

    const thread = callsTo("chat.postMessage", (c) => c.body.thread_ts === event.retroThreadTs).map(blocksText);
    const health = thread.find((m) => m.includes("Band changes"))!;
    expect(health).toContain("20 Sep 2026");
    expect(health).toContain("61 days of warning");
    expect(health).toContain("green → *yellow*");
    expect(health).not.toContain("chart not uploaded");
    expect(thread.find((m) => m.includes("Last touchpoints"))).toContain("budget moved to a competitor pilot");
    expect(thread.find((m) => m.includes("Survey history"))).toContain("NPS 3");
    const tasks = thread.find((m) => m.includes("Playbook tasks raised"))!;
    expect(tasks).toContain("1 of 2 done");
    expect(tasks).toContain("Call the detractor");
  });

  it("falls back to a text sparkline when the token may not upload (missing_scope)", async () => {
    calls.length = 0;
    uploadMode = "missing_scope";
    const uploadsBefore = uploads.length;
    await app.interaction(
      viewSubmission(
        CALLBACK.churnPostMortem,
        {
          ...validPostMortem,
          [B.kind]: { type: "radio_buttons", selected_option: { value: "downgrade" } },
          [B.arrLost]: { type: "plain_text_input", value: "5,000" },
        },
        { accountId: globexId },
        "UCSM",
      ),
    );
    const event = await until(() =>
      t.db.churnEvent.findFirst({ where: { workspaceId, accountId: globexId, retroThreadTs: { not: null } } }),
    );
    const health = await until(() =>
      callsTo("chat.postMessage", (c) => c.body.thread_ts === event.retroThreadTs)
        .map(blocksText)
        .find((m) => m.includes("Band changes")),
    );
    expect(health).toContain("chart not uploaded: missing_scope");
    expect(health).toMatch(/[▁▂▃▄▅▆▇█]{20,}/);
    expect(uploads.length).toBe(uploadsBefore);
    expect(callsTo("files.completeUploadExternal")).toHaveLength(0);
    // A downgrade lowers ARR and keeps the account active.
    const globex = await t.db.account.findUniqueOrThrow({ where: { id: globexId } });
    expect([globex.status, Number(globex.arr)]).toEqual(["active", 15_000]);
    expect(await t.db.arrChange.count({ where: { workspaceId, accountId: globexId, kind: "contraction" } })).toBe(1);
    uploadMode = "allow";
  });
});

describe("the retrospective thread", () => {
  it("keeps human replies in that thread as notes, once each, and ignores everything else", async () => {
    const event = await t.db.churnEvent.findFirstOrThrow({ where: { workspaceId, accountId: acmeId } });
    const threadTs = event.retroThreadTs!;
    const reply = {
      user: "UMGR",
      text: "We never met their new VP after the reorg.",
      ts: "1763900200.000100",
      thread_ts: threadTs,
      channel: RETRO_CHANNEL,
    };
    await app.event(messageEvent("Ev1", reply));
    await app.event(messageEvent("Ev2", reply)); // redelivered under a new event id: same ts
    await app.event(
      messageEvent("Ev3", { ...reply, ts: "1763900201.000100", thread_ts: "1763899999.000001", text: "other thread" }),
    );
    await app.event(
      messageEvent("Ev4", {
        ...reply,
        ts: "1763900202.000100",
        thread_ts: undefined,
        text: "in channel, not threaded",
      }),
    );
    await app.event(
      messageEvent("Ev5", { ...reply, ts: "1763900203.000100", bot_id: "B999", user: "UB111", text: "a bot" }),
    );
    await app.event(
      messageEvent("Ev6", {
        subtype: "message_changed",
        channel: RETRO_CHANNEL,
        ts: "1763900204.000100",
        message: { ...reply, text: "edited" },
        hidden: true,
      }),
    );
    await app.event(
      messageEvent("Ev7", { ...reply, channel: "COTHER1", ts: "1763900205.000100", text: "same ts elsewhere" }),
    );
    // The thread's channel, as it reads once shared with another organisation: not a retro's.
    await app.event(
      messageEvent(
        "Ev9",
        { ...reply, ts: "1763900207.000100", text: "from a shared channel" },
        { is_ext_shared_channel: true },
      ),
    );
    await app.event(
      messageEvent("Ev8", {
        user: "UCSM",
        text: "And the champion left in August.",
        ts: "1763900206.000100",
        thread_ts: threadTs,
        channel: RETRO_CHANNEL,
      }),
    );
    const notes = await until(async () => {
      const rows = await t.db.retroNote.findMany({
        where: { workspaceId, churnEventId: event.id },
        orderBy: { slackTs: "asc" },
      });
      return rows.length >= 2 ? rows : undefined;
    });
    await new Promise((r) => setTimeout(r, 300)); // let any stray event finish
    const final = await t.db.retroNote.findMany({ where: { workspaceId }, orderBy: { slackTs: "asc" } });
    expect(final.map((n) => [n.authorSlackId, n.text])).toEqual([
      ["UMGR", "We never met their new VP after the reorg."],
      ["UCSM", "And the champion left in August."],
    ]);
    expect(notes.every((n) => n.churnEventId === event.id)).toBe(true);
  });

  it("adds an action item: the owner gets a DM and sees it in their open items", async () => {
    const event = await t.db.churnEvent.findFirstOrThrow({ where: { workspaceId, accountId: acmeId } });
    calls.length = 0;
    await app.interaction(buttonClick(ACTION.retroAddActionItem, String(event.id), "UMGR"));
    const open = await until(() => callsTo("views.update").at(-1)); // filled in after a loading view opened at once
    expect(JSON.parse(String(open.body.view))).toMatchObject({ callback_id: CALLBACK.retroActionItem });

    const bad = await app.interaction(
      viewSubmission(
        CALLBACK.retroActionItem,
        {
          [R.title]: { type: "plain_text_input", value: "" },
          [R.owner]: { type: "users_select", selected_user: "UCSM" },
          [R.dueOn]: { type: "datepicker", selected_date: "2026-11-01" },
        },
        { churnEventId: event.id },
        "UMGR",
      ),
    );
    const badBody = (await bad.json()) as { errors: Record<string, string> };
    expect(badBody.errors[R.title]).toMatch(/title/);
    expect(badBody.errors[R.dueOn]).toMatch(/cannot be in the past/);
    expect(await t.db.retroActionItem.count()).toBe(0);

    // A forged owner (not a Slack user id) is refused on its field and creates no user.
    const usersBefore = await t.db.user.count({ where: { workspaceId } });
    const forged = await app.interaction(
      viewSubmission(
        CALLBACK.retroActionItem,
        {
          [R.title]: { type: "plain_text_input", value: "Forged" },
          [R.owner]: { type: "users_select", selected_user: "<script>" },
          [R.dueOn]: { type: "datepicker", selected_date: "2026-12-15" },
        },
        { churnEventId: event.id },
        "UMGR",
      ),
    );
    expect(((await forged.json()) as { errors: Record<string, string> }).errors).toEqual({
      [R.owner]: "Choose the owner from the list of people in this workspace.",
    });
    expect(await t.db.user.count({ where: { workspaceId } })).toBe(usersBefore);
    expect(await t.db.retroActionItem.count()).toBe(0);

    const res = await app.interaction(
      viewSubmission(
        CALLBACK.retroActionItem,
        {
          [R.title]: { type: "plain_text_input", value: "Add a sponsor check to every QBR" },
          [R.owner]: { type: "users_select", selected_user: "UCSM" },
          [R.dueOn]: { type: "datepicker", selected_date: "2026-12-15" },
        },
        { churnEventId: event.id },
        "UMGR",
      ),
    );
    expect(res.status).toBe(200);
    const dm = await until(() => callsTo("chat.postMessage", (c) => c.body.channel === "UCSM").at(-1));
    expect(blocksText(dm)).toContain("Add a sponsor check to every QBR");
    await until(
      () =>
        callsTo(
          "chat.postMessage",
          (c) => c.body.thread_ts === event.retroThreadTs && blocksText(c).includes("Action item"),
        ).length === 1,
    );
    const csm = await t.db.user.findFirstOrThrow({ where: { workspaceId, slackUserId: "UCSM" } });
    const items = await listOpenRetroActionItems(t.db, workspaceId, csm.id);
    expect(items.map((i) => [i.title, i.accountName, isoDay(i.dueOn)])).toEqual([
      ["Add a sponsor check to every QBR", "Acme Analytics", "2026-12-15"],
    ]);
    const mgr = await t.db.user.findFirstOrThrow({ where: { workspaceId, slackUserId: "UMGR" } });
    expect(await listOpenRetroActionItems(t.db, workspaceId, mgr.id)).toEqual([]);
  });

  it("only a manager or admin closes the retro; closing posts the summary in the thread", async () => {
    const event = await t.db.churnEvent.findFirstOrThrow({ where: { workspaceId, accountId: acmeId } });
    calls.length = 0;
    await app.interaction(buttonClick(ACTION.retroClose, String(event.id), "UCSM"));
    // The refusal is ephemeral, through the button's response_url.
    await until(() => responses.some((r) => r.text?.includes("Only manager or admin users can close a retrospective")));
    expect((await t.db.churnEvent.findUniqueOrThrow({ where: { id: event.id } })).retroStatus).toBe("open");

    await app.interaction(buttonClick(ACTION.retroClose, String(event.id), "UMGR"));
    const summary = await until(() =>
      callsTo(
        "chat.postMessage",
        (c) => c.body.thread_ts === event.retroThreadTs && blocksText(c).includes("Retro closed"),
      ).at(-1),
    );
    const text = blocksText(summary);
    expect(text).toContain("Competitor (primary)");
    expect(text).toContain("We never met their new VP after the reorg.");
    expect(text).toContain("Add a sponsor check to every QBR");
    const closed = await t.db.churnEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(closed.retroStatus).toBe("closed");
    expect(closed.retroClosedAt).toEqual(NOW);
  });
});

describe("win-back", () => {
  it("/pulse churn winback restores the account to active at its ARR and keeps the history", async () => {
    await app.command({ text: "churn winback acme", user_id: "UCSM" });
    await until(() => responses.some((r) => r.text?.includes("*Acme Analytics* is won back: active again")));
    const account = await t.db.account.findUniqueOrThrow({ where: { id: acmeId } });
    expect([account.status, Number(account.arr), account.churnedAt]).toEqual(["active", 48_000, null]);
    const event = await t.db.churnEvent.findFirstOrThrow({ where: { workspaceId, accountId: acmeId } });
    expect(event.reversedAt).toEqual(NOW);
    const kinds = (
      await t.db.arrChange.findMany({ where: { workspaceId, accountId: acmeId }, orderBy: { id: "asc" } })
    ).map((c) => [c.kind, Number(c.arrAfter)]);
    expect(kinds).toEqual([
      ["new_business", 48_000],
      ["churn", 0],
      ["winback", 48_000],
    ]);
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "churn.winback" } })).toBe(1);
    // Winning back twice is refused: nothing left to reverse.
    await app.command({ text: "churn winback acme", user_id: "UCSM" });
    await until(() => responses.some((r) => r.text?.includes("has no churn or downgrade to win back")));
  });

  it("the Win back button reverses a downgrade", async () => {
    const event = await t.db.churnEvent.findFirstOrThrow({ where: { workspaceId, accountId: globexId } });
    await app.interaction(buttonClick(ACTION.churnWinBack, String(event.id), "UMGR"));
    await until(async () => (await t.db.churnEvent.findUniqueOrThrow({ where: { id: event.id } })).reversedAt !== null);
    expect(Number((await t.db.account.findUniqueOrThrow({ where: { id: globexId } })).arr)).toBe(20_000);
    // Said once in the retro thread: who won which account back, not "won this account back. X is won back".
    const said = await until(() =>
      callsTo("chat.postMessage", (c) => String(c.body.text).includes("won *Globex")).at(-1),
    );
    expect(String(said.body.text)).toMatch(
      /^:tada: <@UMGR> won \*Globex[^*]*\* back: downgrade reversed at \$20,000 ARR\.$/,
    );
  });
});

describe("no retro channel", () => {
  it("tells the filer how to set one", async () => {
    await t.db.workspace.update({ where: { id: workspaceId }, data: { retroChannelId: null } });
    calls.length = 0;
    await app.interaction(viewSubmission(CALLBACK.churnPostMortem, validPostMortem, { accountId: globexId }, "UCSM"));
    const dm = await until(() => callsTo("chat.postMessage", (c) => c.body.channel === "UCSM").at(-1));
    expect(String(dm.body.text)).toContain("/pulse admin retro-channel #channel");
    const event = await t.db.churnEvent.findFirstOrThrow({
      where: { workspaceId, accountId: globexId, reversedAt: null },
    });
    expect(event.retroStatus).toBe("pending");
  });
});
