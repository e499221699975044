// Socket Mode end to end: Pulse's real Bolt app, built by createSlackApp from a config with
// SLACK_APP_TOKEN (and once by startPulse, as `pulse start` runs), connects to a fake Socket
// Mode server on loopback and gets the same surface as through HTTP: a command, a modal
// submission with inline errors, events, and a reconnect (refresh_requested) with no work
// lost or done twice. Slack's Web API and response URLs are a fake Slack on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { parseConfig } from "../../src/config.js";
import { addDays, isoDay, startOfUtcDay } from "../../src/domain/dates.js";
import { createLogger } from "../../src/log.js";
import { startPulse } from "../../src/main.js";
import { createSlackApp, type SlackApp } from "../../src/slack/app.js";
import { ACTION, BLOCK, CALLBACK, INPUT_ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { startFakeSlack, type FakeSlack, type SlackCall } from "../helpers/fake-slack.js";
import { startFakeSocketMode, type Ack, type FakeSocketMode } from "../helpers/fake-socket-mode.js";
import { BOT_TOKEN, eventually, RecordingSlack } from "../helpers/slack.js";
import { createSmallWorkspace, type SmallWorkspace } from "../helpers/small-workspace.js";

const APP_TOKEN = "xapp-1-A111-1111-socketmodetesttoken";
const TEAM = "T111";
/** Slack's limit for an ack; a late one is an error shown to the user. */
const SLACK_ACK_LIMIT_MS = 3_000;

let t: TestDatabase;
let small: SmallWorkspace;
let slack: FakeSlack;
let socket: FakeSocketMode;
let pulse: SlackApp;
let listening = 0;
const faults: unknown[] = [];
const onFault = (error: unknown) => faults.push(error);
const errorLogs: string[] = [];

function socketConfig(databaseUrl: string, apiUrl: string) {
  return parseConfig({
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: apiUrl,
    PORT: "0",
    PULSE_SEED_DEMO: "never",
  });
}

beforeAll(async () => {
  process.on("unhandledRejection", onFault);
  process.on("uncaughtException", onFault);
  t = await createTestDatabase();
  small = await createSmallWorkspace(t.db, TEAM, { adminSlackId: "UADMIN" });
  slack = await startFakeSlack({ teamId: TEAM });
  socket = await startFakeSocketMode(slack);
  const config = socketConfig(t.url, slack.apiUrl);
  expect(config.slack.mode).toBe("socket");
  const logger = createLogger("error", { write: (line: string) => void errorLogs.push(line) });
  const ctx: AppContext = {
    config,
    db: t.db,
    databaseUrl: t.url,
    logger,
    slack: new RecordingSlack(),
    clock: () => new Date(),
  };
  pulse = createSlackApp(ctx);
  pulse.app.use(async ({ next }) => {
    listening++;
    try {
      await next();
    } finally {
      listening--;
    }
  });
  await pulse.start();
});
afterEach(() => {
  expect(faults).toEqual([]);
  expect(errorLogs).toEqual([]);
});
afterAll(async () => {
  await eventually(() => listening === 0).catch(() => undefined);
  await pulse?.stop();
  await socket?.close();
  await slack?.close();
  await t?.drop();
  process.off("unhandledRejection", onFault);
  process.off("uncaughtException", onFault);
});

/** Resolves once no listener is running and nothing new reached Slack for a moment. */
async function quiet(): Promise<void> {
  await eventually(() => listening === 0, 15_000);
  let seen = slack.calls.length;
  await eventually(async () => {
    await new Promise((r) => setTimeout(r, 300));
    const same = slack.calls.length === seen && listening === 0;
    seen = slack.calls.length;
    return same;
  });
}

let counter = 0;
function commandPayload(text: string, user = "UADMIN") {
  const n = ++counter;
  return {
    responsePath: `/commands/${TEAM}/${n}/response`,
    payload: {
      token: "verification_token",
      team_id: TEAM,
      team_domain: "test",
      channel_id: "C111",
      channel_name: "cs-team",
      user_id: user,
      user_name: "ada",
      command: "/pulse",
      text,
      api_app_id: "A111",
      is_enterprise_install: "false",
      response_url: `${slack.origin}/commands/${TEAM}/${n}/response`,
      trigger_id: `${n}.111.trigger`,
    },
  };
}

function eventPayload(event: Record<string, unknown>, eventId = `EvSock${++counter}`) {
  return {
    token: "verification_token",
    team_id: TEAM,
    api_app_id: "A111",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: 1700000000,
    authorizations: [{ team_id: TEAM, user_id: "UBOT", is_bot: true }],
  };
}

function mention(text: string, ts: string) {
  return eventPayload({
    type: "app_mention",
    user: "UADMIN",
    text: `<@UBOT> ${text}`,
    ts,
    channel: "C111",
    event_ts: ts,
    team: TEAM,
  });
}

function viewSubmission(values: Record<string, Record<string, unknown>>, viewId = `VSOCK${++counter}`) {
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "test" },
    user: { id: "UADMIN", username: "ada", name: "ada", team_id: TEAM },
    api_app_id: "A111",
    token: "verification_token",
    trigger_id: `${++counter}.222.trigger`,
    view: {
      id: viewId,
      team_id: TEAM,
      type: "modal",
      callback_id: CALLBACK.logTouchpoint,
      private_metadata: JSON.stringify({ channelId: "C111" }),
      state: { values },
      hash: `1700000000.${viewId}`,
      root_view_id: viewId,
      app_id: "A111",
      bot_id: "BBOT",
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

const today = startOfUtcDay(new Date());
const goodTouchpoint = (notes: string) => ({
  [BLOCK.account]: {
    [ACTION.accountSelect]: {
      type: "external_select",
      selected_option: { text: { type: "plain_text", text: "Acme Corp" }, value: String(small.accountId) },
    },
  },
  [BLOCK.kind]: {
    [INPUT_ACTION]: {
      type: "static_select",
      selected_option: { text: { type: "plain_text", text: "call" }, value: "call" },
    },
  },
  [BLOCK.date]: { [INPUT_ACTION]: { type: "datepicker", selected_date: isoDay(today) } },
  [BLOCK.notes]: { [INPUT_ACTION]: { type: "plain_text_input", value: notes } },
});

/** The ack, which must come within Slack's limit. */
async function ackedInTime(sent: { acked: Promise<Ack> }, sentAt: number): Promise<Ack> {
  const ack = await sent.acked;
  expect(ack.at - sentAt).toBeLessThan(SLACK_ACK_LIMIT_MS);
  return ack;
}

const bodyText = (c: SlackCall | undefined) => JSON.stringify(c?.body ?? {});
const threadReplies = (ts: string) => slack.callsTo("chat.postMessage").filter((c) => c.body.thread_ts === ts);

describe("Socket Mode connection", () => {
  it("opens its connection with the app-level token through apps.connections.open on SLACK_API_URL", () => {
    expect(socket.tokensSeen[0]).toBe(APP_TOKEN);
    expect(socket.urlsIssued[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\//);
    expect(socket.connectionCount()).toBe(1);
    // The bot token, not the app token, is used for the Web API.
    const auth = slack.callsTo("auth.test");
    expect(auth.length).toBeGreaterThan(0);
    expect(String(auth[0]!.headers.authorization)).toBe(`Bearer ${BOT_TOKEN}`);
  });
});

describe("Socket Mode surface", () => {
  it("acks /pulse help at once and answers through its response_url", async () => {
    const { responsePath, payload } = commandPayload("help");
    const at = Date.now();
    const sent = socket.send("slash_commands", payload);
    await ackedInTime(sent, at);
    const reply = await eventually(() => slack.callsTo(responsePath)[0]);
    expect(bodyText(reply)).toContain("/pulse account");
    expect(reply.body).toMatchObject({ response_type: "ephemeral" });
  });

  it("answers /pulse account with the seeded account's card, and audits the view", async () => {
    const { responsePath, payload } = commandPayload("account acme corp");
    const at = Date.now();
    await ackedInTime(socket.send("slash_commands", payload), at);
    const reply = await eventually(() => slack.callsTo(responsePath)[0]);
    expect(bodyText(reply)).toContain("Acme Corp");
    expect(bodyText(reply)).toContain(ACTION.openLogTouchpoint);
    await quiet();
    expect(await t.db.auditLog.count({ where: { action: "account.view", accountId: small.accountId } })).toBe(1);
  });

  it("answers a modal submission with inline errors in the ack, and saves nothing", async () => {
    const before = await t.db.touchpoint.count();
    const at = Date.now();
    const ack = await ackedInTime(
      socket.send(
        "interactive",
        viewSubmission({
          [BLOCK.account]: { [ACTION.accountSelect]: { type: "external_select", selected_option: null } },
          [BLOCK.kind]: { [INPUT_ACTION]: { type: "static_select", selected_option: { value: "call" } } },
          [BLOCK.date]: { [INPUT_ACTION]: { type: "datepicker", selected_date: isoDay(addDays(today, 3)) } },
        }),
      ),
      at,
    );
    expect(ack.payload).toEqual({
      response_action: "errors",
      errors: { [BLOCK.date]: "The date cannot be in the future.", [BLOCK.account]: "Choose an account." },
    });
    await quiet();
    expect(await t.db.touchpoint.count()).toBe(before);
  });

  it("saves a valid modal submission once, closes the modal (empty ack) and confirms privately", async () => {
    const before = await t.db.touchpoint.count();
    const at = Date.now();
    const ack = await ackedInTime(socket.send("interactive", viewSubmission(goodTouchpoint("Socket Mode call"))), at);
    expect(ack.payload ?? {}).toEqual({});
    const confirmation = await eventually(() =>
      slack.callsTo("chat.postEphemeral").find((c) => String(c.body.text).includes("Logged a call with *Acme Corp*")),
    );
    expect(confirmation.body).toMatchObject({ channel: "C111", user: "UADMIN" });
    await quiet();
    expect(await t.db.touchpoint.count()).toBe(before + 1);
    expect(await t.db.touchpoint.findFirstOrThrow({ orderBy: { id: "desc" } })).toMatchObject({
      accountId: small.accountId,
      kind: "call",
      notes: "Socket Mode call",
    });
  });

  it("acks a block_actions click and answers through the action's response_url", async () => {
    const path = `/actions/${++counter}`;
    const at = Date.now();
    await ackedInTime(
      socket.send("interactive", {
        type: "block_actions",
        team: { id: TEAM, domain: "test" },
        user: { id: "UADMIN", username: "ada", name: "ada", team_id: TEAM },
        api_app_id: "A111",
        token: "verification_token",
        trigger_id: `${counter}.333.trigger`,
        response_url: `${slack.origin}${path}`,
        container: { type: "message", channel_id: "C111", is_ephemeral: true, message_ts: "1700000000.000100" },
        channel: { id: "C111", name: "cs-team" },
        actions: [
          {
            type: "button",
            action_id: ACTION.pickAccount,
            block_id: "b",
            value: String(small.accountId),
            action_ts: "1700000000.2",
          },
        ],
      }),
      at,
    );
    const reply = await eventually(() => slack.callsTo(path)[0]);
    expect(bodyText(reply)).toContain("Acme Corp");
  });

  it("publishes App Home on app_home_opened", async () => {
    const before = slack.callsTo("views.publish").length;
    const at = Date.now();
    await ackedInTime(
      socket.send(
        "events_api",
        eventPayload({
          type: "app_home_opened",
          user: "UADMIN",
          channel: "D111",
          tab: "home",
          event_ts: "1700000000.1",
        }),
      ),
      at,
    );
    const published = await eventually(() => slack.callsTo("views.publish")[before]);
    expect(published.body.user_id).toBe("UADMIN");
    expect(bodyText(published)).toContain("Acme Corp");
  });

  it("answers an app_mention in its thread", async () => {
    const ts = "1700000100.000100";
    await socket.send("events_api", mention("help", ts)).acked;
    const reply = await eventually(() => threadReplies(ts)[0]);
    expect(reply.body.channel).toBe("C111");
    expect(bodyText(reply)).toContain("/pulse account");
  });
});

describe("Socket Mode reconnect (refresh_requested)", () => {
  it("reconnects, handles what was sent during the reconnect once, and a redelivered envelope once", async () => {
    const connectionsBefore = socket.connectionCount();
    const issuedBefore = socket.urlsIssued.length;

    // Handled on the first connection.
    const firstTs = "1700000200.000100";
    const first = socket.send("events_api", mention("help", firstTs));
    await first.acked;
    await eventually(() => threadReplies(firstTs)[0]);
    await quiet();

    socket.disconnect("refresh_requested");
    // Sent while the client is reconnecting: delivered on the dying socket or queued for
    // the next one; either way each must be handled once.
    const duringTs = "1700000200.000200";
    const during = socket.send("events_api", mention("help", duringTs));
    const duringCommand = commandPayload("account acme corp");
    const duringCommandSent = socket.send("slash_commands", duringCommand.payload);

    await socket.waitForConnection(connectionsBefore + 1, 30_000);
    expect(socket.urlsIssued.length).toBe(issuedBefore + 1);
    expect(socket.tokensSeen.at(-1)).toBe(APP_TOKEN);

    await during.acked;
    await duringCommandSent.acked;

    // Slack redelivers an envelope whose ack it did not see: same envelope_id, same event_id.
    socket.redeliver(first.envelopeId);
    await eventually(() => socket.acks.filter((a) => a.envelope_id === first.envelopeId).length === 2);

    await quiet();
    expect(threadReplies(firstTs)).toHaveLength(1);
    expect(threadReplies(duringTs)).toHaveLength(1);
    expect(slack.callsTo(duringCommand.responsePath)).toHaveLength(1);
    expect(bodyText(slack.callsTo(duringCommand.responsePath)[0])).toContain("Acme Corp");
    expect(socket.unacked()).toEqual([]);
    // The new connection works for new work too.
    const { responsePath, payload } = commandPayload("help");
    await socket.send("slash_commands", payload).acked;
    await eventually(() => slack.callsTo(responsePath)[0]);
  }, 60_000);

  it("writes one touchpoint for a view submission redelivered after a reconnect", async () => {
    const before = await t.db.touchpoint.count();
    const connectionsBefore = socket.connectionCount();
    const submission = viewSubmission(goodTouchpoint("Redelivered after reconnect"));
    const sent = socket.send("interactive", submission);
    await sent.acked;
    await quiet();
    socket.disconnect("refresh_requested");
    await socket.waitForConnection(connectionsBefore + 1, 30_000);
    socket.redeliver(sent.envelopeId);
    await eventually(() => socket.acks.filter((a) => a.envelope_id === sent.envelopeId).length === 2);
    await quiet();
    expect(await t.db.touchpoint.count({ where: { notes: "Redelivered after reconnect" } })).toBe(1);
    expect(await t.db.touchpoint.count()).toBe(before + 1);
  }, 60_000);
});

describe("pulse start in Socket Mode", () => {
  it("connects through startPulse with SLACK_APP_TOKEN, reports socket mode and answers a command", async () => {
    const otherSlack = await startFakeSlack({ teamId: TEAM });
    const otherSocket = await startFakeSocketMode(otherSlack);
    const running = await startPulse(socketConfig(t.url, otherSlack.apiUrl), createLogger("silent"), {
      handleSignals: false,
    });
    try {
      await otherSocket.waitForConnection(1);
      expect(otherSocket.tokensSeen).toEqual([APP_TOKEN]);
      const health = (await (await fetch(`http://127.0.0.1:${running.port}/healthz`)).json()) as Record<
        string,
        unknown
      >;
      expect(JSON.stringify(health)).toContain("socket");
      const n = ++counter;
      const responsePath = `/commands/${TEAM}/${n}/response`;
      const at = Date.now();
      const sent = otherSocket.send("slash_commands", {
        ...commandPayload("help").payload,
        response_url: `${otherSlack.origin}${responsePath}`,
      });
      await ackedInTime(sent, at);
      expect(bodyText(await eventually(() => otherSlack.callsTo(responsePath)[0]))).toContain("/pulse account");
    } finally {
      await running.stop();
      await otherSocket.close();
      await otherSlack.close();
    }
  });
});
