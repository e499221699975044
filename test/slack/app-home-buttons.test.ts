// Every button on App Home answers (issue 15, blocker 2). App Home's payloads carry no
// response_url and no channel: the answer has to come through the port (a modal with the
// trigger, or a message). Each button is clicked with App Home's real payload shape, then
// each button of the card it opens with a modal's payload shape.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = startOfUtcDay(NOW);

let t: TestDatabase;
let app: SlackTestApp;
let acmeId: number;

interface Call {
  method: string;
  body: Record<string, unknown>;
}
let calls: Call[] = [];
let viewSeq = 0;

/** Records every Web API call Pulse makes in answer to a click. */
function captureWebApi(): void {
  for (const method of [
    "views.open",
    "views.push",
    "views.update",
    "views.publish",
    "chat.postMessage",
    "chat.postEphemeral",
  ])
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(`/api/${method}`, (body: Record<string, unknown>) => {
        const parsed: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(body))
          parsed[k] = typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
        calls.push({ method, body: parsed });
        return true;
      })
      .reply(200, () => ({ ok: true, view: { id: `VOPENED${++viewSeq}` }, channel: "D111", ts: "1.1" }));
}

type Button = { action_id: string; value?: string; text: { text: string } };

function buttonsOf(blocks: Record<string, unknown>[]): Button[] {
  return blocks.flatMap((b) => {
    const accessory = b.accessory as { type?: string } | undefined;
    const elements = (b.elements as { type?: string }[] | undefined) ?? [];
    return [accessory, ...elements].filter((e): e is Button & { type: string } => e?.type === "button");
  });
}

let seq = 0;
/** A click as Slack sends it from a view: App Home or a modal. No response_url, no channel. */
function viewClick(button: Button, view: { id: string; type: "home" | "modal"; blocks: unknown[] }) {
  seq += 1;
  return {
    type: "block_actions",
    user: { id: "UCSM", username: "chris", name: "chris", team_id: "T111" },
    api_app_id: "A111",
    token: "legacy",
    container: { type: "view", view_id: view.id },
    trigger_id: `444.555.${seq}`,
    team: { id: "T111", domain: "test" },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: view.id,
      team_id: "T111",
      type: view.type,
      blocks: view.blocks,
      private_metadata: "",
      callback_id: "",
      state: { values: {} },
      hash: `1700000000.${seq}`,
      title: { type: "plain_text", text: "Pulse" },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: view.id,
      app_id: "A111",
      external_id: "",
      app_installed_team_id: "T111",
      bot_id: "BBOT",
    },
    actions: [
      {
        type: "button",
        action_id: button.action_id,
        block_id: `blk${seq}`,
        text: button.text,
        ...(button.value !== undefined ? { value: button.value } : {}),
        action_ts: `1700000100.${seq}`,
      },
    ],
  };
}

const answered = (from: number) => calls.slice(from).filter((c) => c.method !== "views.publish");
const json = (c: Call[]) => JSON.stringify(c.map((x) => x.body));

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UADMIN", role: "admin" } });
  const csm = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UCSM", name: "Chris", role: "csm" } });
  const acme = await t.db.account.create({
    data: {
      workspaceId: ws.id,
      name: "Acme Analytics",
      ownerId: csm.id,
      arr: 52000,
      stage: "maturity",
      renewalDate: addDays(TODAY, 40),
      createdAt: addDays(TODAY, -400),
    },
  });
  acmeId = acme.id;
  await t.db.healthSnapshot.create({
    data: {
      workspaceId: ws.id,
      accountId: acme.id,
      scoredOn: TODAY,
      score: 42,
      band: "red",
      components: { usage: { score: 38, weight: 0.45, details: {} } },
      reasons: [{ component: "usage", impact: -18, text: "Weekly active users fell 42%", code: "usage.wau_drop" }],
      modelVersion: "test-1",
    },
  });
  await t.db.successObjective.create({ data: { workspaceId: ws.id, accountId: acme.id, title: "Cut report prep" } });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
beforeEach(() => {
  calls = [];
  nockAuthTest();
  captureWebApi();
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

async function openHome(): Promise<{ id: string; type: "home"; blocks: Record<string, unknown>[] }> {
  await app.event({
    token: "x",
    team_id: "T111",
    api_app_id: "A111",
    type: "event_callback",
    event_id: `EvHome${++seq}`,
    event_time: 1700000000,
    event: { type: "app_home_opened", user: "UCSM", channel: "D111", tab: "home", event_ts: `1700000000.${seq}` },
  });
  const published = await eventually(() => calls.find((c) => c.method === "views.publish"));
  return { id: "VHOME", type: "home", blocks: (published.body.view as { blocks: Record<string, unknown>[] }).blocks };
}

describe("App Home buttons", () => {
  it("Open shows the account's card in a modal, opened at once and then filled", async () => {
    const home = await openHome();
    const open = buttonsOf(home.blocks).find((b) => b.action_id === ACTION.pickAccount && b.value === String(acmeId));
    expect(open?.text.text).toBe("Open");
    const before = calls.length;
    await app.interaction(viewClick(open!, home));
    const filled = await eventually(() => answered(before).find((c) => c.method === "views.update"));
    const opened = answered(before).find((c) => c.method === "views.open");
    expect(opened?.body.trigger_id).toMatch(/^444\.555\./);
    expect(filled.body.view_id).toMatch(/^VOPENED\d+$/);
    const card = JSON.stringify(filled.body.view);
    expect(card).toContain("Acme Analytics");
    expect(card).toContain("Health 42/100");
    expect(card).not.toContain("Sorry");
  });

  it("every button on App Home answers the person who clicked it", async () => {
    const home = await openHome();
    const buttons = buttonsOf(home.blocks);
    // Open (the account), Open (the success plan) and Log touchpoint at least.
    expect(buttons.map((b) => b.action_id)).toEqual(
      expect.arrayContaining([ACTION.pickAccount, ACTION.openSuccessPlan, ACTION.openLogTouchpoint]),
    );
    for (const button of buttons) {
      const before = calls.length;
      await app.interaction(viewClick(button, home));
      await app.idle();
      const answer = await eventually(() => answered(before).length > 0 && answered(before));
      expect(json(answer), `${button.action_id} answers`).not.toMatch(/Sorry|went wrong/);
      expect(
        answer.map((c) => c.method),
        `${button.action_id} answers in a modal`,
      ).toContain("views.open");
    }
  });

  it("every button of the card opened from App Home answers inside the modal", async () => {
    const home = await openHome();
    const open = buttonsOf(home.blocks).find((b) => b.action_id === ACTION.pickAccount)!;
    const before = calls.length;
    await app.interaction(viewClick(open, home));
    const filled = await eventually(() => answered(before).find((c) => c.method === "views.update"));
    const modal = {
      id: String(filled.body.view_id),
      type: "modal" as const,
      blocks: (filled.body.view as { blocks: Record<string, unknown>[] }).blocks,
    };
    const buttons = buttonsOf(modal.blocks);
    expect(buttons.map((b) => b.action_id)).toEqual(
      expect.arrayContaining([
        ACTION.openLogTouchpoint,
        ACTION.openRecordSurvey,
        ACTION.recomputeScore,
        ACTION.openSuccessPlan,
        ACTION.openChurnPostMortem,
      ]),
    );
    for (const button of buttons) {
      const start = calls.length;
      await app.interaction(viewClick(button, modal));
      await app.idle();
      const answer = await eventually(() => answered(start).length > 0 && answered(start));
      expect(json(answer), `${button.action_id} answers`).not.toMatch(/Sorry|went wrong/);
      if (button.action_id === ACTION.recomputeScore) {
        // The new card takes the old one's place in the same modal.
        const update = answer.find((c) => c.method === "views.update");
        expect(update?.body.view_id).toBe(modal.id);
        expect(JSON.stringify(update?.body.view)).toMatch(/Health \d+\/100/);
      } else {
        // Forms go on top of the card (views.open from inside a modal would fail).
        expect(
          answer.map((c) => c.method),
          `${button.action_id} pushes`,
        ).toContain("views.push");
        expect(answer.map((c) => c.method)).not.toContain("views.open");
      }
    }
  });
});
