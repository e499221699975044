// `/pulse digest …` and the digest's buttons, end to end.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let accountId: number;
const NOW = new Date("2026-11-23T10:00:00Z");

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  const owner = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "U111", role: "admin" } });
  accountId = (await t.db.account.create({ data: { workspaceId: ws.id, name: "Acme", arr: 1000, ownerId: owner.id } }))
    .id;
  await t.db.healthSnapshot.create({
    data: {
      workspaceId: ws.id,
      accountId,
      scoredOn: new Date("2026-11-23"),
      score: 41,
      band: "red",
      components: {},
      reasons: [],
      modelVersion: "t",
    },
  });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("/pulse digest", () => {
  it("subscribes the channel with the subscriber's Slack time zone by default", async () => {
    nockAuthTest();
    nock(SLACK_API_ORIGIN)
      .post("/api/users.info")
      .reply(200, { ok: true, user: { id: "U111", tz: "America/Chicago" } });
    const bodies = captureReplies();
    await app.command({ text: "digest subscribe owner=me bands=red at=08:30 quiet=nothing", channel_id: "CTEAM" });
    const reply = await eventually(() => bodies[0]);
    expect(reply).toMatchObject({ response_type: "in_channel" });
    expect(String(reply.text)).toContain("at 08:30 America/Chicago");
    const sub = await t.db.digestSubscription.findFirstOrThrow();
    expect(sub).toMatchObject({
      channelId: "CTEAM",
      postAtMinutes: 510,
      timezone: "America/Chicago",
      bands: ["red"],
      quietDay: "nothing",
    });
    expect((await t.db.user.findFirstOrThrow({ where: { slackUserId: "U111" } })).timezone).toBe("America/Chicago");
  });

  it("lists every problem with bad settings and subscribes nothing", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    const before = await t.db.digestSubscription.count();
    await app.command({
      text: "digest subscribe at=25:00 tz=Mars/Base bands=purple frequency=hourly",
      channel_id: "CTEAM",
    });
    const text = String((await eventually(() => bodies[0])).text);
    expect(text).toContain("Nothing was subscribed");
    expect(text).toContain("at must be a time such as 09:00");
    expect(text).toContain("tz must be an IANA time zone");
    expect(text).toContain("bands must be a comma-separated list");
    expect(text).toContain("unknown setting `frequency`");
    expect(await t.db.digestSubscription.count()).toBe(before);
  });

  it("lists, previews and unsubscribes", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    await app.command({ text: "digest list", channel_id: "CTEAM" });
    expect(String((await eventually(() => bodies[0])).text)).toMatch(/#\d+ <#CTEAM> at 08:30 America\/Chicago/);
    await app.command({ text: "digest preview", channel_id: "CTEAM" });
    const preview = await eventually(() => bodies[1]);
    expect(JSON.stringify(preview)).toContain("Acme");
    await app.command({ text: "digest unsubscribe", channel_id: "CTEAM" });
    expect(String((await eventually(() => bodies[2])).text)).toContain("is unsubscribed");
    expect((await t.db.digestSubscription.findFirstOrThrow()).active).toBe(false);
  });
});

describe("digest buttons", () => {
  const click = (actionId: string) => ({
    type: "block_actions",
    team: { id: "T111" },
    user: { id: "U222", name: "sam" },
    api_app_id: "A111",
    trigger_id: "1.2.3",
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    container: { type: "message", channel_id: "CTEAM" },
    channel: { id: "CTEAM" },
    actions: [{ type: "button", action_id: actionId, value: String(accountId), block_id: "b", action_ts: "1" }],
  });

  it("snoozes an account for 7 days, noting who and at what score", async () => {
    nockAuthTest();
    const bodies = captureReplies("/actions/response");
    await app.interaction(click(ACTION.digestSnooze));
    expect(String((await eventually(() => bodies[0])).text)).toContain("hidden from digests for 7 days");
    const snooze = await t.db.digestSnooze.findFirstOrThrow({ include: { snoozedBy: true } });
    expect(snooze).toMatchObject({ accountId, scoreAtSnooze: 41, until: new Date("2026-11-30T10:00:00Z") });
    expect(snooze.snoozedBy.slackUserId).toBe("U222");
  });

  it("assigns the account to whoever clicked", async () => {
    nockAuthTest();
    const bodies = captureReplies("/actions/response");
    await app.interaction(click(ACTION.digestAssignToMe));
    expect(String((await eventually(() => bodies[0])).text)).toContain("You now own *Acme*");
    const account = await t.db.account.findUniqueOrThrow({ where: { id: accountId }, include: { owner: true } });
    expect(account.owner?.slackUserId).toBe("U222");
    expect(await t.db.auditLog.count({ where: { action: "account.assign" } })).toBe(1);
  });
});
