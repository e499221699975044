// `/pulse channel link|unlink|list` through the real receiver, and the shared-channel guard:
// a linked customer channel is evidence, never a place Pulse posts into.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWebClient } from "../../src/slack/client.js";
import { ChannelGuardCache, createWebSlackPort } from "../../src/slack/slack-port.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  SLACK_API_BASE,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let acmeId: number;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "T" } });
  workspaceId = ws.id;
  const admin = await t.db.user.create({ data: { workspaceId, slackUserId: "UADMIN", role: "admin" } });
  const owner = await t.db.user.create({ data: { workspaceId, slackUserId: "UOWNER", role: "csm" } });
  await t.db.user.create({ data: { workspaceId, slackUserId: "UOTHER", role: "csm" } });
  acmeId = (await t.db.account.create({ data: { workspaceId, name: "Acme Labs", ownerId: owner.id } })).id;
  await t.db.account.create({ data: { workspaceId, name: "Globex One", ownerId: admin.id } });
  await t.db.account.create({ data: { workspaceId, name: "Globex Two", ownerId: admin.id } });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

async function say(text: string, user_id: string): Promise<string> {
  nock.cleanAll();
  nockAuthTest();
  const bodies = captureReplies();
  await app.command({ text, user_id });
  return String((await eventually(() => bodies[0])).text);
}

describe("/pulse channel link", () => {
  it("refuses anyone but an admin or the account's owner, and writes nothing", async () => {
    const text = await say("channel link <#CACME|acme-shared> acme", "UOTHER");
    expect(text).toContain("Only admins and the owner of Acme Labs can link a channel");
    expect(await t.db.channelLink.count()).toBe(0);
  });

  it("links for the owner, keeps the name, audits it, and lists it", async () => {
    const text = await say("channel link <#CACME|acme-shared> acme", "UOWNER");
    expect(text).toContain("<#CACME> is now evidence for *Acme Labs*");
    expect(await t.db.channelLink.findFirstOrThrow({ where: { workspaceId, channelId: "CACME" } })).toMatchObject({
      accountId: acmeId,
      name: "acme-shared",
      linkedBySlackId: "UOWNER",
    });
    expect(await t.db.auditLog.count({ where: { action: "channel.link", entityId: "CACME" } })).toBe(1);
    // An account can have several channels.
    expect(await say("channel link <#CACME2|acme-support> acme", "UADMIN")).toContain("now evidence for *Acme Labs*");
    const list = await say("channel list", "UOTHER");
    expect(list).toContain("<#CACME> → *Acme Labs*");
    expect(list).toContain("<#CACME2> → *Acme Labs*");
  });

  it("keeps a channel to one account in the workspace", async () => {
    const text = await say("channel link <#CACME|acme-shared> globex one", "UADMIN");
    expect(text).toContain("already linked to Acme Labs");
    expect(await t.db.channelLink.findFirstOrThrow({ where: { channelId: "CACME" } })).toMatchObject({
      accountId: acmeId,
    });
  });

  it("says clearly what is wrong: no channel, unknown or ambiguous account", async () => {
    expect(await say("channel link acme-shared acme", "UADMIN")).toContain("“acme-shared” is not a channel");
    expect(await say("channel link <#CNEW|new> initech", "UADMIN")).toContain("No account matches *initech*");
    expect(await say("channel link <#CNEW|new> globex", "UADMIN")).toContain("Several accounts match");
    expect(await say("channel unlink <#CNOPE|nope>", "UADMIN")).toContain("That channel is not linked to any account");
    expect(await t.db.channelLink.count({ where: { channelId: { in: ["CNEW", "CNOPE"] } } })).toBe(0);
  });

  it("unlinks for the owner only", async () => {
    expect(await say("channel unlink <#CACME2|acme-support>", "UOTHER")).toContain("Only admins and the owner");
    expect(await say("channel unlink <#CACME2|acme-support>", "UOWNER")).toContain("no longer linked to *Acme Labs*");
    expect(await t.db.channelLink.count({ where: { channelId: "CACME2" } })).toBe(0);
  });

  it("is listed in help", async () => {
    const text = await say("help channel", "UOTHER");
    expect(text).toContain("/pulse channel link #channel <account>");
    expect(text).toContain("/pulse channel unlink #channel");
  });
});

describe("/pulse admin channel-signals", () => {
  it("is for admins; off is audited and stops reading linked channels", async () => {
    expect(await say("admin channel-signals off", "UOWNER")).toContain(
      "Only admin users can turn channel signals on or off",
    );
    expect(await say("admin channel-signals maybe", "UADMIN")).toContain("Say `on` or `off`");
    expect(await say("admin channel-signals off", "UADMIN")).toContain("no longer reads linked customer channels");
    expect((await t.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).channelSignals).toBe(false);
    expect(await t.db.auditLog.count({ where: { action: "workspace.channel_signals" } })).toBe(1);
    expect(await say("admin channel-signals on", "UADMIN")).toContain("reads linked customer channels again");
    expect((await t.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).channelSignals).toBe(true);
  });
});

describe("the shared-channel guard", () => {
  it("still refuses to post into a linked channel shared with the customer", async () => {
    expect(await t.db.channelLink.count({ where: { channelId: "CACME" } })).toBe(1);
    nock.cleanAll();
    const posted: unknown[] = [];
    nock(SLACK_API_ORIGIN)
      .persist()
      .post("/api/conversations.info")
      .reply(200, { ok: true, channel: { id: "CACME", is_ext_shared: true } })
      .post("/api/chat.postMessage", (b) => posted.push(b) > 0)
      .reply(200, { ok: true, channel: "CACME", ts: "1.1" });
    const client = createWebClient("xoxb-1-2-test", { apiUrl: SLACK_API_BASE, retries: 0 });
    const port = createWebSlackPort({ client: () => client, scope: "T111", guard: new ChannelGuardCache() });
    await expect(port.post({ channel: "CACME", text: "Acme: health 40 (red)" })).rejects.toMatchObject({
      code: "EXTERNAL_CHANNEL",
    });
    expect(posted).toEqual([]);
  });
});
