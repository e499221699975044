// Events from a linked Slack Connect channel, signed and shaped like Slack's (external
// user_team, members of two organisations), through the real receiver: the day's counts and
// response times equal a hand count, no message text reaches any table, a channel linked in
// workspace A never feeds workspace B, and a departing sponsor raises one signal.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountCard } from "../../src/services/account-card.js";
import { accountCardBlocks } from "../../src/slack/views/account-card.js";
import { eraseContact, exportAccountData } from "../../src/services/privacy.js";
import { markLikelyChampions } from "../../src/services/channel-people.js";
import { forgetChannelSettings, rollUpChannelDay } from "../../src/services/channel-signals.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let wsA: number;
let wsB: number;
let acmeA: number;
let acmeB: number;
let janeId: number;
let now = new Date("2026-12-01T18:00:00Z");
const dms: { channel: string; text: string }[] = [];
const profiles: Record<string, { email?: string; real_name?: string }> = {
  WC1: { email: "Jane@Acme.com", real_name: "Jane Roe" },
  WC2: { email: "bob@acme.com", real_name: "Bob Poe" },
  WC3: { real_name: "Cy" },
};

const at = (hhmm: string, day = "2026-12-01") => new Date(`${day}T${hhmm}:00Z`);
const ts = (d: Date) => (d.getTime() / 1000).toFixed(6);
let seq = 0;

function envelope(event: Record<string, unknown>, teamId = "T111", eventId = `EvCH${++seq}`) {
  return {
    token: "verification_token",
    team_id: teamId,
    api_app_id: "A111",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(now.getTime() / 1000),
    authorizations: [{ team_id: teamId, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: true,
  };
}

/** A message as Slack Connect delivers it: user_team is the author's organisation. */
function message(
  user: string,
  userTeam: string,
  when: Date,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "message",
    channel: "CACME",
    channel_type: "channel",
    user,
    text,
    ts: ts(when),
    event_ts: ts(when),
    team: userTeam,
    user_team: userTeam,
    source_team: userTeam,
    blocks: [{ type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }] }],
    ...extra,
  };
}

const reply = (user: string, userTeam: string, when: Date, root: Date, parent: string, text: string) =>
  message(user, userTeam, when, text, { thread_ts: ts(root), parent_user_id: parent });

async function send(event: Record<string, unknown>, teamId = "T111", eventId?: string) {
  expect((await app.event(envelope(event, teamId, eventId))).status).toBe(200);
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  wsA = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Vendor" } })).id;
  wsB = (await t.db.workspace.create({ data: { slackTeamId: "T222", name: "Other vendor" } })).id;
  const owner = await t.db.user.create({ data: { workspaceId: wsA, slackUserId: "UOWNER", role: "csm" } });
  acmeA = (await t.db.account.create({ data: { workspaceId: wsA, name: "Acme", ownerId: owner.id } })).id;
  acmeB = (await t.db.account.create({ data: { workspaceId: wsB, name: "Acme (B)" } })).id;
  janeId = (
    await t.db.contact.create({
      data: {
        workspaceId: wsA,
        accountId: acmeA,
        name: "Jane Roe",
        email: "jane@acme.com",
        stakeholderType: "sponsor",
      },
    })
  ).id;
  await t.db.channelLink.create({
    data: { workspaceId: wsA, channelId: "CACME", accountId: acmeA, linkedBySlackId: "UOWNER" },
  });
  // Workspace B linked a channel with the same id to its own account: A's events must not reach it.
  await t.db.channelLink.create({
    data: { workspaceId: wsB, channelId: "CACME", accountId: acmeB, linkedBySlackId: "UB" },
  });
  forgetChannelSettings();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => now });
  nockAuthTest();
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/api/users.info")
    .reply((_uri, body) => {
      const user = new URLSearchParams(String(body)).get("user") ?? "";
      const p = profiles[user];
      return [
        200,
        p
          ? { ok: true, user: { id: user, real_name: p.real_name, profile: { email: p.email } } }
          : { ok: false, error: "user_not_found" },
      ];
    })
    .post("/api/chat.postMessage")
    .reply((_uri, body) => {
      const b = Object.fromEntries(new URLSearchParams(String(body)));
      dms.push({ channel: String(b.channel), text: String(b.text) });
      return [200, { ok: true, channel: b.channel, ts: "1.1" }];
    });
});
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("a linked Slack Connect channel's day", () => {
  it("counts what a hand count says", async () => {
    const q1 = at("10:00");
    const fyi = at("12:00");
    await send(message("WC1", "TACME", q1, "Is the export broken again?"), "T111", "EvFIRST");
    await send(reply("UOWNER", "T111", at("10:42"), q1, "WC1", "Looking now — fixed."));
    await send(message("WC2", "TACME", at("11:00"), "thanks for the update"));
    await send(message("WC2", "TACME", at("11:05"), "Can we get SSO for the EU team?"));
    await send(message("WC1", "TACME", fyi, "FYI we rolled it out to finance"));
    await send(reply("UCSM", "T111", at("12:10"), fyi, "WC1", "Great news, well done"));
    await send(reply("UCSM", "T111", at("12:20"), fyi, "WC1", "Shall I send the guide"));
    await send(message("UOWNER", "T111", at("13:00"), "Release notes are out"));
    await send({
      type: "reaction_added",
      user: "WC1",
      reaction: "tada",
      item: { type: "message", channel: "CACME", ts: ts(at("13:00")) },
      item_user: "UOWNER",
      event_ts: ts(at("13:01")),
    });
    await send({
      type: "reaction_added",
      user: "UOWNER",
      reaction: "eyes",
      item: { type: "message", channel: "CACME", ts: ts(q1) },
      item_user: "WC1",
      event_ts: ts(at("13:02")),
    });
    await send({
      type: "member_joined_channel",
      user: "WC3",
      channel: "CACME",
      channel_type: "C",
      team: "TACME",
      event_ts: ts(at("14:00")),
    });
    await send({
      type: "member_left_channel",
      user: "WC2",
      channel: "CACME",
      channel_type: "C",
      team: "TACME",
      event_ts: ts(at("15:00")),
    });
    // Not activity: a bot's post, an edit, a message in a channel nobody linked, a redelivery.
    await send({ ...message("UBOT", "T111", at("15:30"), "bot says hi?"), bot_id: "BBOT" });
    await send({ ...message("WC1", "TACME", at("15:31"), "edited?"), subtype: "message_changed" });
    await send({ ...message("WC1", "TACME", at("15:32"), "elsewhere?"), channel: "COTHER" });
    await send(message("WC1", "TACME", q1, "Is the export broken again?"), "T111", "EvFIRST");
    await app.idle();

    now = new Date("2026-12-02T12:00:00Z"); // SSO question: 24 h 55 min without an answer
    await rollUpChannelDay(t.db, { day: at("00:00"), now });
    const day = await t.db.channelActivityDaily.findUniqueOrThrow({
      where: { workspaceId_channelId_day: { workspaceId: wsA, channelId: "CACME", day: new Date("2026-12-01") } },
    });
    expect(day).toMatchObject({
      accountId: acmeA,
      customerMessages: 4,
      customerPeople: 2,
      vendorReplies: 4,
      customerQuestions: 3,
      firstResponseCount: 2,
      firstResponseSecondsSum: 42n * 60n + 10n * 60n,
      firstResponseSeconds: [42 * 60, 10 * 60],
      unansweredThreads: 1,
      reactions: 2,
      customerJoins: 1,
      customerLeaves: 1,
    });
    // The card's line reads the same day fresh.
    const card = await getAccountCard(t.db, wsA, acmeA, now);
    expect(JSON.stringify(accountCardBlocks(card))).toContain(
      "<#CACME>: 4 customer messages in 7 days · median first response 26 min · 1 unanswered > 24 h",
    );
    // Customer people were matched to contacts: Jane by her email, the others added as unknown.
    const people = await t.db.channelPerson.findMany({ where: { workspaceId: wsA }, orderBy: { slackUserId: "asc" } });
    expect(people.map((p) => [p.slackUserId, p.isCustomer])).toEqual([
      ["UCSM", false],
      ["UOWNER", false],
      ["WC1", true],
      ["WC2", true],
      ["WC3", true],
    ]);
    expect(people.find((p) => p.slackUserId === "WC1")!.contactId).toBe(janeId);
    const added = await t.db.contact.findMany({
      where: { workspaceId: wsA, id: { not: janeId } },
      orderBy: { slackUserId: "asc" },
    });
    expect(added.map((c) => [c.slackUserId, c.email, c.stakeholderType])).toEqual([
      ["WC2", "bob@acme.com", "unknown"],
      ["WC3", null, "unknown"],
    ]);
    expect(await t.db.channelLink.findFirstOrThrow({ where: { workspaceId: wsA } })).toMatchObject({
      externalTeamId: "TACME",
    });
  });

  it("never stores what anyone wrote, in any table", async () => {
    const columns = await t.db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const phrases = [
      "export broken",
      "SSO for the EU",
      "rolled it out",
      "Release notes",
      "well done",
      "thanks for the update",
    ];
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      for (const phrase of phrases) {
        const rows = await t.db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1`,
          `%${phrase}%`,
        );
        if (rows[0]!.n > 0) found.push(`${table_name}.${column_name}: ${phrase}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("keeps workspace B's link to a channel of the same id apart", async () => {
    expect(await t.db.channelPersonDaily.count({ where: { workspaceId: wsB } })).toBe(0);
    await send(message("WX", "TACME", at("09:00", "2026-12-02"), "Hello from B's side?"), "T222");
    await app.idle();
    expect(await t.db.channelPersonDaily.count({ where: { workspaceId: wsB } })).toBe(1);
    expect(await t.db.channelPerson.count({ where: { workspaceId: wsA, slackUserId: "WX" } })).toBe(0);
  });

  it("reads nothing while the workspace's channel signals are off", async () => {
    await t.db.workspace.update({ where: { id: wsA }, data: { channelSignals: false } });
    forgetChannelSettings();
    await send(message("WC1", "TACME", at("10:00", "2026-12-02"), "Anyone there?"));
    await app.idle();
    expect(await t.db.channelPersonDaily.count({ where: { workspaceId: wsA, day: new Date("2026-12-02") } })).toBe(0);
    await t.db.workspace.update({ where: { id: wsA }, data: { channelSignals: true } });
    forgetChannelSettings();
  });
});

describe("departures", () => {
  it("a departing sponsor raises one sponsor-left signal, with who and when, and the owner is told once", async () => {
    // WC2, of no known role, left yesterday: nothing was raised.
    expect(await t.db.riskSignal.count({ where: { workspaceId: wsA, kind: "sponsor_left" } })).toBe(0);
    dms.length = 0;
    const left = at("16:00", "2026-12-02");
    const leave = {
      type: "member_left_channel",
      user: "WC1",
      channel: "CACME",
      channel_type: "C",
      team: "TACME",
      event_ts: ts(left),
    };
    await send(leave);
    await send(leave); // a second delivery of the same departure, under a new event id
    await app.idle();
    const signals = await t.db.riskSignal.findMany({ where: { workspaceId: wsA, kind: "sponsor_left" } });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.details).toMatchObject({
      slackUserId: "WC1",
      contactId: janeId,
      channelId: "CACME",
      role: "sponsor",
      leftAt: left.toISOString(),
    });
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: janeId } })).leftAt).toEqual(new Date("2026-12-02"));
    await eventually(() => dms.length >= 1);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.channel).toBe("UOWNER");
    expect(dms[0]!.text).toContain("the sponsor at *Acme*, left <#CACME> on 2026-12-02");
  });

  it("a customer person of no known role leaving raises nothing", async () => {
    expect(await t.db.riskSignal.count({ where: { workspaceId: wsA, kind: "sponsor_left" } })).toBe(1);
  });

  it("the most active customer people are likely champions; one leaving raises exactly one signal", async () => {
    for (const [i, hhmm] of ["09:00", "09:10", "09:20", "09:30", "09:40", "09:50"].entries())
      await send(message("WC3", "TACME", at(hhmm, "2026-12-03"), i === 0 ? "How do exports work?" : "ok"));
    await app.idle();
    now = new Date("2026-12-03T10:00:00Z");
    await markLikelyChampions(t.db, now);
    const champions = await t.db.contact.findMany({ where: { workspaceId: wsA, likelyChampion: true } });
    // WC3 wrote 6 messages, one a question (7.5); Jane and Bob wrote far less.
    expect(champions.map((c) => c.slackUserId)).toEqual(["WC3"]);
    expect(JSON.stringify(accountCardBlocks(await getAccountCard(t.db, wsA, acmeA, now)))).toContain(
      "Likely champions: <@WC3>",
    );
    dms.length = 0;
    const leave = {
      type: "member_left_channel",
      user: "WC3",
      channel: "CACME",
      channel_type: "C",
      team: "TACME",
      event_ts: ts(at("11:00", "2026-12-03")),
    };
    await send(leave);
    await send(leave);
    await app.idle();
    const signals = await t.db.riskSignal.findMany({
      where: { workspaceId: wsA, kind: "sponsor_left", detectedOn: new Date("2026-12-03") },
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.details).toMatchObject({ slackUserId: "WC3", role: "likely champion" });
    await eventually(() => dms.length >= 1);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.text).toContain("the likely champion at *Acme*");
  });

  it("the channel unshared by the customer is a risk signal and a DM to the owner at once", async () => {
    dms.length = 0;
    await send({
      type: "channel_unshared",
      channel: "CACME",
      previously_connected_team_id: "TACME",
      is_ext_shared: false,
      event_ts: ts(now),
    });
    await app.idle();
    expect(
      await t.db.riskSignal.findFirstOrThrow({ where: { workspaceId: wsA, kind: "channel_ended" } }),
    ).toMatchObject({
      details: expect.objectContaining({ channelId: "CACME", reason: "unshared" }),
    });
    expect(await t.db.channelLink.findFirstOrThrow({ where: { workspaceId: wsA } })).toMatchObject({
      endedReason: "unshared",
    });
    expect(await t.db.riskSignal.count({ where: { workspaceId: wsB } })).toBe(0);
    await eventually(() => dms.length >= 1);
    expect(dms[0]).toMatchObject({ channel: "UOWNER" });
    expect(dms[0]!.text).toContain("was unshared by the customer");
  });
});

describe("deactivation", () => {
  /** user_change as Slack sends it for a person of the customer's organisation sharing a channel with the workspace. */
  const userChange = (id: string, teamId: string, deleted: boolean, when: Date) => ({
    type: "user_change",
    user: {
      id,
      team_id: teamId,
      name: id.toLowerCase(),
      deleted,
      real_name: "Sam Poe",
      is_bot: false,
      profile: { real_name: "Sam Poe", display_name: "", team: teamId },
    },
    cache_ts: Math.floor(when.getTime() / 1000),
    event_ts: ts(when),
  });

  it("a sponsor deactivated in Slack raises one sponsor-left signal, with who and when, and one DM", async () => {
    const samId = (
      await t.db.contact.create({
        data: { workspaceId: wsA, accountId: acmeA, name: "Sam Poe", slackUserId: "WC4", stakeholderType: "sponsor" },
      })
    ).id;
    // Not deactivated, or not of the customer's organisation: nothing.
    await send(userChange("WC4", "TACME", false, at("08:00", "2026-12-04")));
    await send(userChange("WC4", "T111", true, at("08:05", "2026-12-04")));
    await app.idle();
    expect(await t.db.riskSignal.count({ where: { workspaceId: wsA, detectedOn: new Date("2026-12-04") } })).toBe(0);
    dms.length = 0;
    const gone = at("09:00", "2026-12-04");
    await send(userChange("WC4", "TACME", true, gone), "T111", "EvDEACT");
    await send(userChange("WC4", "TACME", true, gone), "T111", "EvDEACT"); // redelivered
    await send(userChange("WC4", "TACME", true, at("09:30", "2026-12-04"))); // another change of the deactivated profile
    await app.idle();
    const signals = await t.db.riskSignal.findMany({
      where: { workspaceId: wsA, kind: "sponsor_left", detectedOn: new Date("2026-12-04") },
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.details).toMatchObject({
      source: "deactivated",
      contactId: samId,
      slackUserId: "WC4",
      role: "sponsor",
      leftAt: gone.toISOString(),
    });
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: samId } })).leftAt).toEqual(new Date("2026-12-04"));
    expect(await t.db.riskSignal.count({ where: { workspaceId: wsB } })).toBe(0);
    await eventually(() => dms.length >= 1);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({ channel: "UOWNER" });
    expect(dms[0]!.text).toContain("*Sam Poe* (<@WC4>), the sponsor at *Acme*, was deactivated in Slack on 2026-12-04");
  });

  it("a deactivated person who is nobody's sponsor or champion raises nothing", async () => {
    await send(userChange("WC1", "TACME", true, at("10:00", "2026-12-05"))); // Jane left already: claimed once
    await send(userChange("WZZ", "TACME", true, at("10:00", "2026-12-05")));
    await app.idle();
    expect(await t.db.riskSignal.count({ where: { workspaceId: wsA, detectedOn: new Date("2026-12-05") } })).toBe(0);
  });
});

describe("privacy", () => {
  it("the account export holds the channel rows; erasing a person deletes their channel activity", async () => {
    const exported = await exportAccountData(t.db, { workspaceId: wsA, slackUserId: "UADMIN" }, "Acme");
    expect(exported.counts).toMatchObject({ channelLinks: 1 });
    expect(exported.counts.channelPersonDays).toBeGreaterThan(0);
    expect(exported.counts.channelThreads).toBe(4); // three on 1 December, WC3's on the 3rd
    expect(exported.json).toContain('"firstResponseSeconds"');
    expect(await t.db.channelPersonDaily.count({ where: { workspaceId: wsA, slackUserId: "WC2" } })).toBeGreaterThan(0);
    const result = await eraseContact(t.db, { workspaceId: wsA, slackUserId: "UADMIN" }, "BOB@acme.com", now);
    expect(result.channelActivity).toBeGreaterThan(0);
    for (const table of [t.db.channelPerson, t.db.channelPersonDaily] as const)
      expect(
        await (table as typeof t.db.channelPerson).count({ where: { workspaceId: wsA, slackUserId: "WC2" } }),
      ).toBe(0);
    expect(await t.db.channelThread.count({ where: { workspaceId: wsA, askerSlackId: "WC2" } })).toBe(0);
    // Others' rows and the channel's daily totals stay.
    expect(await t.db.channelPerson.count({ where: { workspaceId: wsA, slackUserId: "WC1" } })).toBe(1);
    expect(await t.db.channelActivityDaily.count({ where: { workspaceId: wsA } })).toBeGreaterThan(0);
  });
});
