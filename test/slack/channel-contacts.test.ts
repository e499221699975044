// One customer person in two linked channels of the same account is one contact, even when
// both channels' events are recorded at the same moment; in channels of two different
// accounts they are a contact of each. Signed Slack Connect events through the real receiver.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetChannelSettings } from "../../src/services/channel-signals.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let acmeId: number;
let globexId: number;
const NOW = new Date("2026-12-03T10:00:00Z");
const ts = (minutes: number) => ((NOW.getTime() + minutes * 60_000) / 1000).toFixed(6);

/**
 * users.info holds each answer until `waitFor` lookups are in flight (or a second passes),
 * so two channels' events look the person up at the same moment, as they do in production
 * when the person joins both at once.
 */
let waitFor = 1;
let waiting: (() => void)[] = [];
function barrier(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length >= waitFor) {
      for (const r of waiting) r();
      waiting = [];
    } else setTimeout(resolve, 1_000);
  });
}

let seq = 0;
async function send(event: Record<string, unknown>) {
  const envelope = {
    token: "verification_token",
    team_id: "T111",
    api_app_id: "A111",
    event,
    type: "event_callback",
    event_id: `EvCC${++seq}`,
    event_time: Math.floor(NOW.getTime() / 1000),
    authorizations: [{ team_id: "T111", user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: true,
  };
  expect((await app.event(envelope)).status).toBe(200);
}

const joined = (user: string, channel: string, minute: number) => ({
  type: "member_joined_channel",
  user,
  channel,
  channel_type: "C",
  team: "TACME",
  event_ts: ts(minute),
});

const message = (user: string, channel: string, minute: number) => ({
  type: "message",
  channel,
  channel_type: "channel",
  user,
  text: "Any news on the rollout?",
  ts: ts(minute),
  team: "TACME",
  user_team: "TACME",
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Vendor" } })).id;
  acmeId = (await t.db.account.create({ data: { workspaceId, name: "Acme" } })).id;
  globexId = (await t.db.account.create({ data: { workspaceId, name: "Globex" } })).id;
  for (const [channelId, accountId] of [
    ["CACME1", acmeId],
    ["CACME2", acmeId],
    ["CGLOBEX", globexId],
  ] as const)
    await t.db.channelLink.create({ data: { workspaceId, channelId, accountId, linkedBySlackId: "UADMIN" } });
  forgetChannelSettings();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
  nockAuthTest();
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/api/users.info")
    .reply(async (_uri, body) => {
      const user = new URLSearchParams(String(body)).get("user") ?? "";
      await barrier();
      return [
        200,
        { ok: true, user: { id: user, real_name: `Person ${user}`, profile: { email: `${user}@acme.com` } } },
      ];
    });
});
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("a customer person in several linked channels", () => {
  it("joining two channels of one account at the same moment is one contact, linked from both", async () => {
    waitFor = 2;
    await Promise.all([send(joined("WC1", "CACME1", 0)), send(joined("WC1", "CACME2", 0))]);
    await app.idle();
    const contacts = await t.db.contact.findMany({ where: { workspaceId, slackUserId: "WC1" } });
    expect(contacts.map((c) => [c.accountId, c.email, c.stakeholderType])).toEqual([
      [acmeId, "wc1@acme.com", "unknown"],
    ]);
    const people = await t.db.channelPerson.findMany({ where: { workspaceId, slackUserId: "WC1" } });
    expect(people.map((p) => [p.channelId, p.contactId]).sort()).toEqual([
      ["CACME1", contacts[0]!.id],
      ["CACME2", contacts[0]!.id],
    ]);
  });

  it("writing first in two channels of one account at the same moment is one contact too", async () => {
    waitFor = 2;
    await Promise.all([send(message("WC2", "CACME1", 1)), send(message("WC2", "CACME2", 1))]);
    await app.idle();
    expect(await t.db.contact.count({ where: { workspaceId, slackUserId: "WC2" } })).toBe(1);
  });

  it("a later channel of the same account finds the contact by Slack user id, or by email", async () => {
    waitFor = 1;
    // Known by email only (imported), not yet seen in Slack.
    const imported = await t.db.contact.create({
      data: { workspaceId, accountId: acmeId, name: "Cy", email: "WC3@ACME.COM", stakeholderType: "sponsor" },
    });
    await send(message("WC3", "CACME1", 2));
    await app.idle();
    await send(message("WC3", "CACME2", 3));
    await app.idle();
    const contacts = await t.db.contact.findMany({
      where: { workspaceId, accountId: acmeId, email: { contains: "3@" } },
    });
    expect(contacts.map((c) => [c.id, c.slackUserId, c.stakeholderType])).toEqual([[imported.id, "WC3", "sponsor"]]);
  });

  it("in channels of two different accounts, the person is a contact of each", async () => {
    waitFor = 2;
    await Promise.all([send(joined("WC4", "CACME1", 4)), send(joined("WC4", "CGLOBEX", 4))]);
    await app.idle();
    const contacts = await t.db.contact.findMany({
      where: { workspaceId, slackUserId: "WC4" },
      orderBy: { id: "asc" },
    });
    expect(contacts.map((c) => c.accountId).sort()).toEqual([acmeId, globexId].sort());
    const people = await t.db.channelPerson.findMany({ where: { workspaceId, slackUserId: "WC4" } });
    const contactOf = Object.fromEntries(contacts.map((c) => [c.accountId, c.id]));
    expect(Object.fromEntries(people.map((p) => [p.channelId, p.contactId]))).toEqual({
      CACME1: contactOf[acmeId],
      CGLOBEX: contactOf[globexId],
    });
  });
});
