// /pulse plan and /pulse qbr end to end through Bolt, with Slack's Web API on nock: the plan
// modal and its one-click ADKAR stages, the objective form's inline errors, the QBR pack as
// a canvas (and, when the canvas API fails, as a markdown file), and the approval button.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTION, CALLBACK, PLAN_BLOCK } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";
import { createSmallWorkspace, type SmallWorkspace } from "../helpers/small-workspace.js";

const TEAM = "T111";
const NOW = new Date("2026-11-20T12:00:00Z");
let t: TestDatabase;
let app: SlackTestApp;
let ws: SmallWorkspace;

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

/** Records every call to a Web API method. */
function capture(
  method: string,
  reply: Record<string, unknown> | ((body: Record<string, unknown>) => Record<string, unknown>),
  times = 1,
): Record<string, unknown>[] {
  const calls: Record<string, unknown>[] = [];
  nock(SLACK_API_ORIGIN)
    .post(`/api/${method}`)
    .times(times)
    .reply(200, (_uri, body) => {
      const parsed = parseBody(body);
      calls.push(parsed);
      return typeof reply === "function" ? reply(parsed) : reply;
    });
  return calls;
}

function captureReply(): Record<string, unknown>[] {
  const replies: Record<string, unknown>[] = [];
  nock(SLACK_API_ORIGIN)
    .post(`/commands/${TEAM}/1/response`)
    .reply(200, (_uri, body) => {
      replies.push(parseBody(body));
      return { ok: true };
    });
  return replies;
}

function buttonClick(actionId: string, value: string, view?: { id: string }) {
  return {
    type: "block_actions",
    team: { id: TEAM, domain: "test" },
    user: { id: "UADMIN", name: "ada", team_id: TEAM },
    api_app_id: "A111",
    trigger_id: "111.222.trigger",
    ...(view
      ? {
          container: { type: "view", view_id: view.id },
          view: {
            id: view.id,
            type: "modal",
            callback_id: CALLBACK.successPlan,
            private_metadata: "{}",
            state: { values: {} },
            hash: "1.a",
          },
        }
      : {
          container: { type: "message", message_ts: "1.1", channel_id: "DADMIN" },
          channel: { id: "DADMIN" },
          // Slack gives a response_url for clicks in messages only, not in modals or App Home.
          response_url: `${SLACK_API_ORIGIN}/actions/${TEAM}/1/x`,
        }),
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b",
        value,
        action_ts: "1763900001.0001",
        text: { type: "plain_text", text: "b" },
      },
    ],
  };
}

function viewSubmission(callbackId: string, values: Record<string, Record<string, unknown>>, metadata: unknown) {
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "test" },
    user: { id: "UADMIN", name: "ada", team_id: TEAM },
    api_app_id: "A111",
    trigger_id: "111.222.trigger",
    view: {
      id: "VFORM",
      type: "modal",
      callback_id: callbackId,
      private_metadata: JSON.stringify(metadata),
      state: { values },
      hash: "1.a",
      team_id: TEAM,
      app_id: "A111",
      bot_id: "BBOT",
    },
    response_urls: [],
  };
}

const text = (v: string) => ({ value: { type: "plain_text_input", value: v } });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  ws = await createSmallWorkspace(t.db, TEAM);
  await createSmallWorkspace(t.db, "T222", { adminSlackId: "UADMIN", accountName: "Zeta Hidden" });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("/pulse plan", () => {
  it("opens the plan modal with the three groups and one-click stages", async () => {
    nockAuthTest();
    const opened = capture("views.open", { ok: true, view: { id: "VPLAN" } });
    await app.command({ text: "plan acme" });
    await eventually(() => opened.length === 1);
    const view = JSON.parse(String(opened[0]!.view)) as {
      callback_id: string;
      blocks: { type: string; elements?: { action_id: string }[] }[];
    };
    expect(view.callback_id).toBe(CALLBACK.successPlan);
    const ids = view.blocks.flatMap((b) => b.elements?.map((e) => e.action_id) ?? []);
    for (const stage of ["awareness", "desire", "knowledge", "ability", "reinforcement"])
      expect(ids.filter((id) => id === `${ACTION.adkarSet}_${stage}`)).toHaveLength(3);
    expect(JSON.stringify(view)).toContain("Managers / sponsors");
  });

  it("sets a group's stage in one click and refreshes the modal in place", async () => {
    nockAuthTest();
    const updated = capture("views.update", { ok: true });
    await app.interaction(
      buttonClick(`${ACTION.adkarSet}_desire`, JSON.stringify({ a: ws.accountId, g: "implementer", s: "desire" }), {
        id: "VPLAN",
      }),
    );
    await eventually(() => updated.length === 1);
    expect(updated[0]!.view_id).toBe("VPLAN");
    expect(
      await t.db.adkarStatus.findFirst({ where: { workspaceId: ws.workspaceId, group: "implementer" } }),
    ).toMatchObject({ stage: "desire", setBySlackId: "UADMIN" });
    expect(await t.db.auditLog.count({ where: { workspaceId: ws.workspaceId, action: "adkar.set" } })).toBe(1);
  });

  it("refuses a stage button whose value does not match its action, changing nothing", async () => {
    nockAuthTest();
    const told = capture("chat.postMessage", { ok: true, ts: "1.2" });
    await app.interaction(
      buttonClick(
        `${ACTION.adkarSet}_reinforcement`,
        JSON.stringify({ a: ws.accountId, g: "implementer", s: "awareness" }),
        { id: "VPLAN" },
      ),
    );
    await eventually(() => told.length === 1);
    expect(String(told[0]!.text)).toContain("out of date");
    expect(
      (await t.db.adkarStatus.findFirst({ where: { workspaceId: ws.workspaceId, group: "implementer" } }))?.stage,
    ).toBe("desire");
  });

  it("answers the objective form's mistakes inline, then saves and refreshes the plan", async () => {
    nockAuthTest();
    const meta = { accountId: ws.accountId, parentViewId: "VPLAN" };
    const bad = await app.interaction(
      viewSubmission(
        CALLBACK.planObjective,
        {
          [PLAN_BLOCK.title]: text("Faster reports"),
          [PLAN_BLOCK.target]: text("one"),
          [PLAN_BLOCK.status]: { value: { type: "static_select", selected_option: { value: "active" } } },
        },
        meta,
      ),
    );
    expect(await bad.json()).toEqual({
      response_action: "errors",
      errors: { [PLAN_BLOCK.target]: expect.stringContaining("is not a number") },
    });
    const noMetric = await app.interaction(
      viewSubmission(
        CALLBACK.planObjective,
        { [PLAN_BLOCK.title]: text("Faster reports"), [PLAN_BLOCK.target]: text("1") },
        meta,
      ),
    );
    expect(await noMetric.json()).toEqual({
      response_action: "errors",
      errors: { [PLAN_BLOCK.metric]: expect.stringContaining("measures") },
    });
    const updated = capture("views.update", { ok: true });
    const good = await app.interaction(
      viewSubmission(
        CALLBACK.planObjective,
        {
          [PLAN_BLOCK.title]: text("Faster reports"),
          [PLAN_BLOCK.metric]: text("days to prepare"),
          [PLAN_BLOCK.baseline]: text("3"),
          [PLAN_BLOCK.target]: text("1"),
          [PLAN_BLOCK.current]: text("2"),
        },
        meta,
      ),
    );
    expect(good.status).toBe(200);
    await eventually(() => updated.length === 1);
    expect(String(updated[0]!.view)).toContain("Faster reports");
    expect(await t.db.successObjective.count({ where: { workspaceId: ws.workspaceId, title: "Faster reports" } })).toBe(
      1,
    );
  });

  it("shows the plan in two lines on the account card, with a button to open it", async () => {
    nockAuthTest();
    const replies = captureReply();
    await app.command({ text: "account acme" });
    await eventually(() => replies.length === 1);
    const blocks = typeof replies[0]!.blocks === "string" ? replies[0]!.blocks : JSON.stringify(replies[0]!.blocks);
    const section = (JSON.parse(blocks) as { text?: { text?: string } }[])
      .map((b) => b.text?.text ?? "")
      .find((x) => x.startsWith("*Success plan*"));
    expect(section).toBe(
      "*Success plan*: 1 objective · no milestones\n*ADKAR*: End users not set · Managers / sponsors not set · Implementers / admins Desire",
    );
    expect(blocks).toContain(ACTION.openSuccessPlan);
  });

  it("answers a refused plan click where it was made: beside a message, in a DM from App Home or a modal", async () => {
    nockAuthTest();
    const hidden = await t.db.account.findFirstOrThrow({ where: { name: "Zeta Hidden" } });
    const opened = capture("views.open", { ok: true, view: { id: "VNO" } });
    const beside: Record<string, unknown>[] = [];
    nock(SLACK_API_ORIGIN)
      .post(`/actions/${TEAM}/1/x`)
      .reply(200, (_uri, body) => {
        beside.push(parseBody(body));
        return { ok: true };
      });
    await app.interaction(buttonClick(ACTION.openSuccessPlan, String(hidden.id)));
    await eventually(() => beside.length === 1);
    expect(beside[0]).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(beside[0]!.text)).toContain(":warning:");

    // App Home: no channel, no response_url. The translator DMs the person.
    const dms = capture("chat.postMessage", { ok: true, ts: "1.7" }, 2);
    const home = buttonClick(ACTION.openSuccessPlan, String(hidden.id));
    delete (home as Record<string, unknown>).container;
    delete (home as Record<string, unknown>).channel;
    delete (home as Record<string, unknown>).response_url;
    Object.assign(home, {
      container: { type: "view", view_id: "VHOME" },
      view: { id: "VHOME", type: "home", callback_id: "home", private_metadata: "", state: { values: {} }, hash: "h" },
    });
    await app.interaction(home);
    await eventually(() => dms.length === 1);
    expect(dms[0]!.channel).toBe("UADMIN");
    expect(String(dms[0]!.text)).toContain(":warning:");

    // In the plan modal: the same, and nothing is opened for another workspace's account.
    await app.interaction(buttonClick(ACTION.planAddObjective, JSON.stringify({ a: hidden.id }), { id: "VPLAN" }));
    await eventually(() => dms.length === 2);
    expect(dms[1]!.channel).toBe("UADMIN");
    expect(String(dms[1]!.text)).toContain(":warning:");
    expect(opened).toHaveLength(0);
  });

  it("keeps a form it cannot read open with the reason, and saves a submission sent twice once", async () => {
    nockAuthTest();
    const unreadable = await app.interaction(
      viewSubmission(CALLBACK.planMilestone, { [PLAN_BLOCK.title]: text("Go live") }, { accountId: "x" }),
    );
    expect(await unreadable.json()).toEqual({
      response_action: "errors",
      errors: { [PLAN_BLOCK.title]: expect.stringContaining("could not read this form") },
    });
    const values = {
      [PLAN_BLOCK.title]: text("SSO live"),
      [PLAN_BLOCK.dueOn]: { value: { type: "datepicker", selected_date: "2026-12-15" } },
    };
    const first = await app.interaction(viewSubmission(CALLBACK.planMilestone, values, { accountId: ws.accountId }));
    const again = await app.interaction(viewSubmission(CALLBACK.planMilestone, values, { accountId: ws.accountId }));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await t.db.successMilestone.count({ where: { workspaceId: ws.workspaceId, title: "SSO live" } })).toBe(1);
  });

  it("will not edit another workspace's account from a forged form", async () => {
    nockAuthTest();
    const hidden = await t.db.account.findFirstOrThrow({ where: { name: "Zeta Hidden" } });
    const r = await app.interaction(
      viewSubmission(CALLBACK.planObjective, { [PLAN_BLOCK.title]: text("hijack") }, { accountId: hidden.id }),
    );
    expect(JSON.stringify(await r.json())).toContain("does not exist in this workspace");
    expect(await t.db.successObjective.count({ where: { accountId: hidden.id } })).toBe(0);
  });
});

describe("/pulse qbr", () => {
  it("creates a canvas through the Web API, shares it with the CSM alone and DMs the approval button", async () => {
    nockAuthTest();
    const replies = captureReply();
    const created = capture("canvases.create", { ok: true, canvas_id: "F0CANVAS1" });
    const access = capture("canvases.access.set", { ok: true });
    capture("files.info", {
      ok: true,
      file: { id: "F0CANVAS1", permalink: "https://test.slack.com/docs/T111/F0CANVAS1" },
    });
    const dms = capture("chat.postMessage", { ok: true, ts: "1.3", channel: "DADMIN" });
    await app.command({ text: "qbr acme --quarter 2026-Q4", user_id: "UADMIN" });
    await eventually(() => replies.length === 1);
    expect(String(replies[0]!.text)).toContain("as a canvas");
    const doc = JSON.parse(String(created[0]!.document_content)) as { type: string; markdown: string };
    expect(doc.type).toBe("markdown");
    expect(doc.markdown).toContain("# Acme Corp — Business review 2026-Q4");
    expect(doc.markdown).toContain("Internal version");
    expect(doc.markdown).not.toContain("Zeta Hidden");
    expect(created[0]!.channel_id).toBeUndefined();
    expect(access[0]).toMatchObject({
      canvas_id: "F0CANVAS1",
      access_level: "write",
      user_ids: JSON.stringify(["UADMIN"]),
    });
    expect(dms[0]!.channel).toBe("UADMIN");
    expect(String(dms[0]!.blocks)).toContain(ACTION.qbrApprove);
    expect(String(dms[0]!.blocks)).toContain("https://test.slack.com/docs/T111/F0CANVAS1");
    const pack = await t.db.qbrPack.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
    expect(pack).toMatchObject({
      quarter: "2026-Q4",
      internalDelivery: "canvas",
      internalRef: "F0CANVAS1",
      approvedAt: null,
    });
  });

  it("falls back to a markdown file in the DM when the canvas API fails", async () => {
    nockAuthTest();
    const replies = captureReply();
    capture("canvases.create", { ok: false, error: "canvas_disabled_user_team" });
    capture("conversations.open", { ok: true, channel: { id: "DADMIN" } });
    const uploadUrl = capture("files.getUploadURLExternal", {
      ok: true,
      upload_url: `${SLACK_API_ORIGIN}/upload/F0MD`,
      file_id: "F0MD",
    });
    let uploaded = "";
    nock(SLACK_API_ORIGIN)
      .post("/upload/F0MD", (body: unknown) => {
        uploaded = typeof body === "string" ? body : JSON.stringify(body);
        return true;
      })
      .reply(200, "OK");
    const completed = capture("files.completeUploadExternal", { ok: true, files: [{ id: "F0MD" }] });
    capture("chat.postMessage", { ok: true, ts: "1.4", channel: "DADMIN" });
    await app.command({ text: "qbr acme", user_id: "UADMIN" });
    await eventually(() => replies.length === 1);
    expect(String(replies[0]!.text)).toContain(
      "as a markdown file (canvases were not available: canvas_disabled_user_team)",
    );
    expect(completed[0]!.channel_id).toBe("DADMIN");
    expect(uploadUrl[0]!.filename).toBe("qbr-acme-corp-2026-q4-internal.md");
    expect(uploaded).toContain("## Objectives and progress");
    const pack = await t.db.qbrPack.findFirstOrThrow({
      where: { workspaceId: ws.workspaceId },
      orderBy: { id: "desc" },
    });
    expect(pack).toMatchObject({ internalDelivery: "markdown", internalRef: "F0MD" });
  });

  it("sends the customer version, without score or internal notes, only when the CSM approves, to the DM only", async () => {
    nockAuthTest();
    await t.db.successObjective.updateMany({ where: { workspaceId: ws.workspaceId }, data: { notes: "SECRET-NOTE" } });
    const replies = captureReply();
    capture("canvases.create", { ok: true, canvas_id: "F0INT" });
    capture("canvases.access.set", { ok: true });
    capture("files.info", { ok: false, error: "file_not_found" });
    capture("chat.postMessage", { ok: true, ts: "1.5" });
    await app.command({ text: "qbr acme", user_id: "UADMIN" });
    await eventually(() => replies.length === 1);
    const pack = await t.db.qbrPack.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, internalRef: "F0INT" } });
    expect(JSON.stringify(pack.content)).toContain("SECRET-NOTE");

    const created = capture("canvases.create", { ok: true, canvas_id: "F0CUST" });
    const access = capture("canvases.access.set", { ok: true });
    capture("files.info", { ok: true, file: { permalink: "https://test.slack.com/docs/T111/F0CUST" } });
    const dms = capture("chat.postMessage", { ok: true, ts: "1.6" });
    await app.interaction(buttonClick(ACTION.qbrApprove, String(pack.id)));
    await eventually(() => dms.length === 1);
    const markdown = (JSON.parse(String(created[0]!.document_content)) as { markdown: string }).markdown;
    expect(markdown).toContain("Customer version");
    expect(markdown).not.toMatch(/SECRET-NOTE|Health trend|Risks and open tasks|Jane Doe \(jane|Zeta Hidden/);
    expect(access[0]).toMatchObject({ user_ids: JSON.stringify(["UADMIN"]) });
    expect(dms[0]!.channel).toBe("UADMIN");
    expect(String(dms[0]!.blocks)).not.toContain(ACTION.qbrApprove);
    expect(await t.db.qbrPack.findUniqueOrThrow({ where: { id: pack.id } })).toMatchObject({
      approvedBySlackId: "UADMIN",
      customerDelivery: "canvas",
      customerRef: "F0CUST",
    });
  });

  it("says plainly what is wrong with the command", async () => {
    nockAuthTest();
    let replies = captureReply();
    await app.command({ text: "qbr acme --quarter 2026Q4" });
    await eventually(() => replies.length === 1);
    expect(String(replies[0]!.text)).toContain("is not a quarter");
    replies = captureReply();
    await app.command({ text: "qbr zeta" });
    await eventually(() => replies.length === 1);
    expect(String(replies[0]!.text)).toContain("No account matches");
  });
});
