// Every button the demo's messages carry (the first night's task and stage DMs, the digest,
// a shared channel's link suggestion)
// answers the person who clicks it where they clicked it: each distinct button is clicked
// once with a message's payload (a response_url, a channel), and Pulse must answer through
// one of them without an error. App Home and the card modal have their own test
// (app-home-buttons.test.ts); the card's buttons for classifying customer people are clicked
// here on each surface the card appears on (a message, an ephemeral card, the card's modal).
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountCard } from "../../src/services/account-card.js";
import { ACTION } from "../../src/slack/ids.js";
import { accountCardBlocks } from "../../src/slack/views/account-card.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { renderDemo, type Rendered } from "../helpers/demo-renders.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-12-03T07:40:00Z");

let t: TestDatabase;
let app: SlackTestApp;
let rendered: Rendered[];
const calls: { method: string; body: unknown }[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  rendered = await renderDemo(t.db, t.url, NOW);
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW, teamId: "T0DEMO" });
  nockAuthTest("T0DEMO");
  for (const method of [
    "views.open",
    "views.push",
    "views.update",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
  ])
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(`/api/${method}`, (body) => {
        calls.push({ method, body });
        return true;
      })
      .reply(200, { ok: true, view: { id: "VOPENED" }, channel: "D0", ts: "2.2" });
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/actions/response", (body) => {
      calls.push({ method: "response_url", body });
      return true;
    })
    .reply(200, { ok: true });
}, 180_000);
afterAll(async () => {
  await app?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  await t.drop();
});

type Element = { type?: string; action_id?: string; value?: string; text?: { text: string } };

let seq = 0;
function messageClick(button: Element, user: string, channel: string) {
  seq += 1;
  return {
    type: "block_actions",
    team: { id: "T0DEMO", domain: "demo" },
    user: { id: user, name: user, team_id: "T0DEMO" },
    api_app_id: "A111",
    trigger_id: `999.111.${seq}`,
    container: { type: "message", message_ts: "1.1", channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: "demo" },
    message: { ts: "1.1", type: "message", blocks: [] },
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    actions: [
      {
        type: "button",
        action_id: button.action_id,
        block_id: `b${seq}`,
        text: button.text,
        ...(button.value !== undefined ? { value: button.value } : {}),
        action_ts: `1700000300.${seq}`,
      },
    ],
  };
}

describe("every button on the demo's messages", () => {
  it("answers the person who clicked it, where they clicked it", async () => {
    const admin = "U0DEMOADMIN";
    const clicks: { button: Element; user: string; channel: string; surface: string }[] = [];
    const seen = new Set<string>();
    for (const r of rendered.filter((x) => x.surface.startsWith("message to "))) {
      const channel = r.surface.slice("message to ".length);
      // A DM is clicked by its recipient; a channel post (the digest) by the admin.
      const user = channel.startsWith("U") ? channel : admin;
      for (const b of r.blocks as { type?: string; elements?: Element[]; accessory?: Element }[])
        for (const e of [...(b.type === "actions" ? (b.elements ?? []) : []), ...(b.accessory ? [b.accessory] : [])])
          if (e.type === "button" && e.action_id && !seen.has(e.action_id)) {
            seen.add(e.action_id);
            clicks.push({ button: e, user, channel: channel.startsWith("U") ? "D0DEMO" : channel, surface: r.surface });
          }
    }
    expect(clicks.length).toBeGreaterThanOrEqual(3);
    // The owner's DM asking to link a shared channel (test/helpers/demo-renders.ts).
    expect([...seen]).toEqual(expect.arrayContaining([ACTION.channelLinkAccept, ACTION.channelLinkDismiss]));
    const problems: string[] = [];
    for (const c of clicks) {
      const before = calls.length;
      const res = await app.interaction(messageClick(c.button, c.user, c.channel));
      await app.idle();
      const answered = await eventually(() => calls.length > before, 5_000).catch(() => false);
      const answer = JSON.stringify(calls.slice(before).map((x) => x.body));
      if (res.status !== 200) problems.push(`${c.surface}: ${c.button.action_id} got HTTP ${res.status}`);
      else if (!answered) problems.push(`${c.surface}: ${c.button.action_id} was not answered`);
      else if (/Sorry|went wrong/.test(answer))
        problems.push(`${c.surface}: ${c.button.action_id} answered ${answer.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });
});

function surfaceClick(button: Element, user: string, blocks: unknown[], surface: "message" | "ephemeral" | "modal") {
  const click = messageClick(button, user, "C0DEMOCS");
  if (surface === "message") return { ...click, message: { ...click.message, blocks } };
  if (surface === "ephemeral")
    return {
      ...click,
      container: { ...click.container, is_ephemeral: true },
      message: { ...click.message, blocks },
    };
  const { response_url: _url, channel: _channel, message: _message, ...rest } = click;
  return {
    ...rest,
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
  };
}

describe("the card's buttons for customer people to classify", () => {
  it("answer on every surface the card is shown on, first click and stale click alike", async () => {
    const account = await t.db.account.findFirstOrThrow({
      where: { workspace: { slackTeamId: "T0DEMO" }, status: "active" },
      orderBy: { id: "asc" },
    });
    for (const [i, surface] of (["message", "ephemeral", "modal"] as const).entries()) {
      await t.db.contact.create({
        data: {
          workspaceId: account.workspaceId,
          accountId: account.id,
          slackUserId: `W0DEMO${i}`,
          stakeholderType: "unknown",
        },
      });
      const blocks = accountCardBlocks(await getAccountCard(t.db, account.workspaceId, account.id, NOW));
      const buttons = (blocks as { type?: string; elements?: Element[] }[])
        .flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : []))
        .filter((e) => e.action_id?.startsWith(ACTION.contactType));
      // This surface's person is the newest, listed last (the card shows three).
      const theirs = buttons.slice(-3);
      expect(theirs.map((b) => b.text?.text)).toEqual(["End user", "Manager / sponsor", "Implementer / admin"]);
      const problems: string[] = [];
      for (const button of theirs) {
        const before = calls.length;
        const res = await app.interaction(surfaceClick(button, "U0DEMOADMIN", blocks, surface));
        await app.idle();
        const answered = await eventually(() => calls.length > before, 5_000).catch(() => false);
        const answer = JSON.stringify(calls.slice(before).map((x) => x.body));
        if (res.status !== 200) problems.push(`${surface}: ${button.action_id} got HTTP ${res.status}`);
        else if (!answered) problems.push(`${surface}: ${button.action_id} was not answered`);
        else if (/Sorry|went wrong|Only /.test(answer))
          problems.push(`${surface}: ${button.action_id} answered ${answer.slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
    }
  });
});
