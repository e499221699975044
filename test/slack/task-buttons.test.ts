// Tasks keep up (issue 15, item 8): Done and Snooze replace the row they were clicked on
// (chat.update in a DM), a second Done says it was already done and writes nothing, App
// Home and the card list open tasks with their buttons, a churned account's tasks close
// and a reassigned account's move, and a control-group account's card says so.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { getAccountCard } from "../../src/services/account-card.js";
import { filePostMortem } from "../../src/services/churn-post-mortem.js";
import { runPlaybooksForWorkspace } from "../../src/services/run-playbooks.js";
import { completeTask } from "../../src/services/task-actions.js";
import { upsertAccounts } from "../../src/services/upsert-accounts.js";
import { buildHome } from "../../src/slack/home.js";
import { createWebClient } from "../../src/slack/client.js";
import { ACTION } from "../../src/slack/ids.js";
import { ChannelGuardCache, createWebSlackPort } from "../../src/slack/slack-port.js";
import { accountCardBlocks } from "../../src/slack/views/account-card.js";
import { playbookTasksMessage } from "../../src/slack/views/playbook-tasks.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  eventually,
  nockAuthTest,
  SLACK_API_BASE,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = startOfUtcDay(NOW);

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let csmId: number;
let seq = 0;

interface Call {
  method: string;
  body: Record<string, unknown>;
}
let calls: Call[] = [];

function captureWebApi(): void {
  for (const method of ["chat.update", "views.update", "views.publish", "chat.postEphemeral", "views.open"])
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(`/api/${method}`, (body: Record<string, unknown>) => {
        const parsed: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(body))
          parsed[k] = typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
        calls.push({ method, body: parsed });
        return true;
      })
      .reply(200, { ok: true, view: { id: "VNEW" }, ts: "1.1" });
}

const responses: Record<string, unknown>[] = [];
function captureResponses(): void {
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/actions/response", (body: Record<string, unknown>) => {
      responses.push(body);
      return true;
    })
    .reply(200, { ok: true });
}

type AnyButton = { type?: string; action_id?: string; value?: string };
function buttonsOf(blocks: unknown[]): AnyButton[] {
  return (blocks as { elements?: AnyButton[]; accessory?: AnyButton }[]).flatMap((b) =>
    [...(b.elements ?? []), b.accessory].filter((e): e is AnyButton => e?.type === "button"),
  );
}

/** A click on a button of a DM Pulse posted: Slack echoes the message and its blocks. */
function dmClick(actionId: string, taskId: number, blocks: unknown[]) {
  seq += 1;
  return {
    type: "block_actions",
    team: { id: "T111", domain: "test" },
    user: { id: "UCSM", name: "chris", team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `555.666.${seq}`,
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    container: { type: "message", channel_id: "D111", message_ts: "1700000000.000100", is_ephemeral: false },
    channel: { id: "D111", name: "directmessage" },
    message: { type: "message", ts: "1700000000.000100", text: "2 new playbook tasks", blocks },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: `task_${taskId}_buttons`,
        value: String(taskId),
        action_ts: `1.${seq}`,
      },
    ],
  };
}

async function task(title: string, accountId: number, over: Record<string, unknown> = {}) {
  return t.db.playbookTask.create({
    data: { workspaceId, accountId, ownerId: csmId, dedupeKey: `k${++seq}`, title, dueOn: addDays(TODAY, 3), ...over },
  });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } })).id;
  csmId = (await t.db.user.create({ data: { workspaceId, slackUserId: "UCSM", role: "csm" } })).id;
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
beforeEach(() => {
  calls = [];
  responses.length = 0;
  nockAuthTest();
  captureWebApi();
  captureResponses();
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("Done and Snooze in the task DM", () => {
  it("Done updates the DM in place: that row says done, the other keeps its buttons", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Acme", arr: 1, ownerId: csmId } });
    const first = await task("Call the sponsor", account.id);
    const second = await task("Send the QBR deck", account.id);
    const dm = playbookTasksMessage([
      { id: first.id, title: first.title, accountName: "Acme", dueOn: first.dueOn },
      { id: second.id, title: second.title, accountName: "Acme", dueOn: second.dueOn },
    ]);
    await app.interaction(dmClick(ACTION.taskDone, first.id, dm.blocks));
    const update = await eventually(() => calls.find((c) => c.method === "chat.update"));
    expect(update.body).toMatchObject({ channel: "D111", ts: "1700000000.000100" });
    const blocks = update.body.blocks as unknown[];
    const text = JSON.stringify(blocks);
    // The row keeps its account: a DM lists the same task title for many accounts.
    expect(text).toContain("~Call the sponsor~ — Acme — :white_check_mark: done by <@UCSM>");
    expect(buttonsOf(blocks).map((b) => b.value)).toEqual([String(second.id), String(second.id)]);
    expect(blocks).toHaveLength(dm.blocks.length - 1);
    expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("done");
    expect(responses).toHaveLength(0);

    // Clicked again (an older copy of the DM, say): nothing is written, and it says who did it.
    calls = [];
    await app.interaction(dmClick(ACTION.taskDone, first.id, dm.blocks));
    const said = await eventually(() => responses[0]);
    expect(String(said.text)).toContain("*Call the sponsor* was already done by <@UCSM> on");
    expect(said.replace_original).toBe(false);
    expect(await t.db.auditLog.count({ where: { action: "task.done", entityId: String(first.id) } })).toBe(1);
  });

  it("two Done clicks at once write once", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Twice", arr: 1, ownerId: csmId } });
    const one = await task("Only once", account.id);
    const actor = { workspaceId, userId: csmId, slackUserId: "UCSM" };
    const ctx = { db: t.db, clock: () => NOW };
    const outcomes = await Promise.all([completeTask(ctx, actor, one.id), completeTask(ctx, actor, one.id)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["already-done", "done"]);
    expect(await t.db.auditLog.count({ where: { action: "task.done", entityId: String(one.id) } })).toBe(1);
  });

  it("Snooze updates the row to say until when", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Initech", arr: 1, ownerId: csmId } });
    const one = await task("Check usage", account.id);
    const dm = playbookTasksMessage([{ id: one.id, title: one.title, accountName: "Initech", dueOn: one.dueOn }]);
    await app.interaction(dmClick(ACTION.taskSnooze, one.id, dm.blocks));
    const update = await eventually(() => calls.find((c) => c.method === "chat.update"));
    expect(JSON.stringify(update.body.blocks)).toContain(":zzz: snoozed until");
    expect(buttonsOf(update.body.blocks as unknown[])).toHaveLength(0);
    expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: one.id } })).status).toBe("snoozed");
  });
});

describe("Done and Snooze on the card", () => {
  it("in the card's modal (opened from App Home) replace the row in that modal", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Wonka", arr: 1, ownerId: csmId } });
    const one = await task("Taste the bars", account.id);
    const blocks = accountCardBlocks(await getAccountCard(t.db, workspaceId, account.id, NOW));
    seq += 1;
    await app.interaction({
      type: "block_actions",
      team: { id: "T111", domain: "test" },
      user: { id: "UCSM", name: "chris", team_id: "T111" },
      api_app_id: "A111",
      trigger_id: `777.999.${seq}`,
      container: { type: "view", view_id: "VCARD" },
      view: {
        id: "VCARD",
        type: "modal",
        blocks,
        private_metadata: "",
        callback_id: "",
        hash: "h",
        title: { type: "plain_text", text: "Account" },
        close: { type: "plain_text", text: "Close" },
        submit: null,
      },
      actions: [
        {
          type: "button",
          action_id: ACTION.taskDone,
          block_id: `task_${one.id}_buttons`,
          value: String(one.id),
          action_ts: "4.1",
        },
      ],
    });
    const update = await eventually(() => calls.find((c) => c.method === "views.update"));
    expect(update.body.view_id).toBe("VCARD");
    const view = update.body.view as { title: { text: string }; blocks: unknown[] };
    expect(view.title.text).toBe("Account");
    expect(JSON.stringify(view.blocks)).toContain("~Taste the bars~ — Wonka — :white_check_mark: done by <@UCSM>");
    expect(buttonsOf(view.blocks).filter((b) => b.action_id === ACTION.taskDone)).toHaveLength(0);
    // The rest of the card is still there.
    expect(buttonsOf(view.blocks).map((b) => b.action_id)).toContain(ACTION.openLogTouchpoint);
  });

  it("in an ephemeral card replace it through its response_url", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Gringotts", arr: 1, ownerId: csmId } });
    const one = await task("Count the gold", account.id);
    const blocks = accountCardBlocks(await getAccountCard(t.db, workspaceId, account.id, NOW));
    const click = dmClick(ACTION.taskSnooze, one.id, blocks);
    await app.interaction({
      ...click,
      container: { type: "message", channel_id: "C111", message_ts: "1.2", is_ephemeral: true },
      channel: { id: "C111", name: "cs" },
    });
    const replaced = await eventually(() => responses[0]);
    expect(replaced.replace_original).toBe(true);
    expect(JSON.stringify(replaced.blocks)).toContain("~Count the gold~ — Gringotts — :zzz: snoozed until");
    expect(calls.filter((c) => c.method === "chat.update")).toHaveLength(0);
  });
});

describe("the port's updateMessage", () => {
  const port = () =>
    createWebSlackPort({
      client: () => createWebClient("xoxb-1-2-test", { apiUrl: SLACK_API_BASE, retries: 0 }),
      scope: "update-test",
      guard: new ChannelGuardCache(),
    });

  it("renders a view model and escapes what it carries", async () => {
    await port().updateMessage({
      channel: "D111",
      ts: "1.5",
      view: { kind: "account-reassigned", accountName: "<!channel> & Co", newOwnerSlackId: "UNEW", tasksMoved: 1 },
    });
    const update = await eventually(() => calls.find((c) => c.method === "chat.update"));
    expect(update.body).toMatchObject({ channel: "D111", ts: "1.5" });
    expect(String(update.body.text)).toContain("&lt;!channel&gt; &amp; Co");
  });

  it("refuses to rewrite a message in a channel shared with another organisation", async () => {
    // Without the test app's answer that every channel is internal.
    nock.cleanAll();
    captureWebApi();
    nock(SLACK_API_ORIGIN)
      .post("/api/conversations.info")
      .reply(200, { ok: true, channel: { id: "CSHARED", is_ext_shared: true } });
    await expect(port().updateMessage({ channel: "CSHARED", ts: "1.6", text: "x" })).rejects.toMatchObject({
      code: "EXTERNAL_CHANNEL",
    });
    expect(calls.filter((c) => c.method === "chat.update")).toHaveLength(0);
  });
});

describe("App Home and the card list open tasks with their buttons", () => {
  it("App Home shows each open task with Done and Snooze, and says how many it leaves out", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Hooli", arr: 1, ownerId: csmId } });
    for (let i = 0; i < 12; i++) await task(`Hooli step ${i}`, account.id, { dueOn: addDays(TODAY, 20 + i) });
    const open = await t.db.playbookTask.count({ where: { workspaceId, ownerId: csmId, status: "open" } });
    const home = await buildHome({ db: t.db, clock: () => NOW }, workspaceId, "UCSM");
    const buttons = buttonsOf(home.blocks);
    expect(buttons.filter((b) => b.action_id === ACTION.taskDone)).toHaveLength(10);
    expect(buttons.filter((b) => b.action_id === ACTION.taskSnooze)).toHaveLength(10);
    const text = JSON.stringify(home.blocks);
    expect(text).toContain(`*Open tasks* (${open})`);
    expect(text).toContain(`Showing the 10 due soonest of ${open}`);
  });

  it("Done on App Home publishes it again without the task", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Vandelay", arr: 1, ownerId: csmId } });
    const one = await task("Import the latex", account.id, { dueOn: addDays(TODAY, -5) });
    seq += 1;
    await app.interaction({
      type: "block_actions",
      team: { id: "T111", domain: "test" },
      user: { id: "UCSM", name: "chris", team_id: "T111" },
      api_app_id: "A111",
      trigger_id: `777.888.${seq}`,
      container: { type: "view", view_id: "VHOME" },
      view: { id: "VHOME", type: "home", blocks: [], private_metadata: "", callback_id: "", hash: "h" },
      actions: [{ type: "button", action_id: ACTION.taskDone, block_id: "x", value: String(one.id), action_ts: "2.1" }],
    });
    const published = await eventually(() => calls.find((c) => c.method === "views.publish"));
    expect(published.body.user_id).toBe("UCSM");
    expect(JSON.stringify(published.body.view)).not.toContain("Import the latex");
    expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: one.id } })).status).toBe("done");
  });

  it("the card lists the account's tasks with their buttons, snoozed ones marked", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Umbrella", arr: 1, ownerId: csmId } });
    const open = await task("Book the review", account.id);
    const snoozed = await task("Ask for a reference", account.id, {
      status: "snoozed",
      snoozedUntil: addDays(TODAY, 4),
    });
    const card = accountCardBlocks(await getAccountCard(t.db, workspaceId, account.id, NOW));
    const ids = buttonsOf(card)
      .filter((b) => b.action_id === ACTION.taskDone || b.action_id === ACTION.taskSnooze)
      .map((b) => b.value);
    expect(ids).toEqual([String(open.id), String(open.id), String(snoozed.id), String(snoozed.id)]);
    expect(JSON.stringify(card)).toContain(":zzz: snoozed until");
  });

  it("the card names every task: the first 5 with buttons, the rest as lines", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Many Tasks", arr: 1, ownerId: csmId } });
    for (let i = 1; i <= 7; i++) await task(`Step ${i}`, account.id, { dueOn: addDays(TODAY, i) });
    const card = accountCardBlocks(await getAccountCard(t.db, workspaceId, account.id, NOW));
    expect(buttonsOf(card).filter((b) => b.action_id === ACTION.taskDone)).toHaveLength(5);
    const text = JSON.stringify(card);
    expect(text).toContain("*Open tasks* (7)");
    expect(text).toContain("• Step 6 — due");
    expect(text).toContain("• Step 7 — due");
  });

  it("a control-group account's card says so in one line", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Soylent", arr: 1, ownerId: csmId } });
    const playbook = await t.db.playbook.create({ data: { workspaceId, key: "low_usage", name: "Low usage" } });
    const before = JSON.stringify(accountCardBlocks(await getAccountCard(t.db, workspaceId, account.id, NOW)));
    expect(before).not.toContain("control group");
    await t.db.playbookFiring.create({
      data: {
        workspaceId,
        playbookId: playbook.id,
        accountId: account.id,
        firedOn: addDays(TODAY, -2),
        group: "control",
      },
    });
    const card = accountCardBlocks(await getAccountCard(t.db, workspaceId, account.id, NOW));
    const lines = JSON.stringify(card).match(/control group[^"]*/g) ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("*Low usage* playbook since");
  });
});

describe("tasks follow their account", () => {
  it("close when the account churns and move when it changes owner (an accounts import)", async () => {
    const other = await t.db.user.create({ data: { workspaceId, slackUserId: "UOTHER", role: "csm" } });
    const churning = await t.db.account.create({
      data: { workspaceId, externalId: "ext-churn", name: "Churning", arr: 1, ownerId: csmId },
    });
    const moving = await t.db.account.create({
      data: { workspaceId, externalId: "ext-move", name: "Moving", arr: 1, ownerId: csmId },
    });
    const gone = await task("Save the account", churning.id);
    const moved = await task("Onboard the new team", moving.id, { status: "snoozed", snoozedUntil: addDays(TODAY, 2) });
    const done = await task("Already done", moving.id, { status: "done", completedAt: NOW });
    await t.db.$transaction((tx) =>
      upsertAccounts(tx, {
        workspaceId,
        now: NOW,
        rows: [
          { externalId: "ext-churn", status: "churned" },
          { externalId: "ext-move", ownerId: other.id },
        ],
      }),
    );
    const reread = async (id: number) => t.db.playbookTask.findUniqueOrThrow({ where: { id } });
    expect((await reread(gone.id)).status).toBe("cancelled");
    expect(await reread(moved.id)).toMatchObject({ ownerId: other.id, status: "snoozed" });
    expect((await reread(done.id)).ownerId).toBe(csmId);
  });

  it("close when a full churn is filed from Slack (the post-mortem)", async () => {
    const account = await t.db.account.create({ data: { workspaceId, name: "Pied Piper", arr: 500, ownerId: csmId } });
    const open = await task("Renewal call", account.id);
    const result = await filePostMortem(t.db, {
      workspaceId,
      filer: { id: csmId, slackUserId: "UCSM" },
      accountId: account.id,
      draft: {
        churnedOn: "2026-11-20",
        kind: "full",
        primaryReason: "competitor",
        contributingFactors: [],
        preventable: "no",
      },
      now: NOW,
    });
    expect(result.ok).toBe(true);
    expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("cancelled");
  });

  it("catch up in the nightly run when an owner or a churn was changed elsewhere", async () => {
    const third = await t.db.user.create({ data: { workspaceId, slackUserId: "UTHIRD", role: "csm" } });
    const a = await t.db.account.create({ data: { workspaceId, name: "Elsewhere", arr: 1, ownerId: csmId } });
    const b = await t.db.account.create({ data: { workspaceId, name: "Quietly gone", arr: 1, ownerId: csmId } });
    const moves = await task("Follow up", a.id);
    const closes = await task("Rescue", b.id);
    await t.db.account.update({ where: { id: a.id }, data: { ownerId: third.id } });
    await t.db.account.update({ where: { id: b.id }, data: { status: "churned", churnedAt: NOW } });
    await runPlaybooksForWorkspace(app.ctx, workspaceId, NOW);
    expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: moves.id } })).ownerId).toBe(third.id);
    expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: closes.id } })).status).toBe("cancelled");
  });
});
