// Pulse added to a Slack Connect channel nobody linked: a private suggestion to link it to the
// account its external organisation looks like, through the real receiver with signed events
// shaped like Slack's (member_joined_channel with inviter, channel_shared). Nothing is ever
// posted into the shared channel; a redelivery suggests once; Link it keeps linkChannel's
// permission rule; Not now is remembered.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetChannelSettings } from "../../src/services/channel-signals.js";
import { exportAccountData } from "../../src/services/privacy.js";
import { createWebClient } from "../../src/slack/client.js";
import { ACTION } from "../../src/slack/ids.js";
import { ChannelGuardCache, createWebSlackPort } from "../../src/slack/slack-port.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  eventually,
  SLACK_API_BASE,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let acmeId: number;
let initechId: number;
const NOW = new Date("2026-12-03T10:00:00Z");

/** conversations.info as Slack answers it for each channel (shared_team_ids include ours). */
const channels: Record<string, Record<string, unknown>> = {
  CACME: {
    id: "CACME",
    name: "acme-shared",
    is_channel: true,
    is_ext_shared: true,
    is_shared: true,
    shared_team_ids: ["T111"],
    connected_team_ids: ["T111", "TACME"],
  },
  CINTERNAL: {
    id: "CINTERNAL",
    name: "acme-internal",
    is_channel: true,
    is_ext_shared: false,
    shared_team_ids: ["T111"],
  },
  CGLOBEX: { id: "CGLOBEX", name: "globex-shared", is_ext_shared: true, shared_team_ids: ["T111", "TGLOBEX"] },
  CINITECH: { id: "CINITECH", name: "initech-ext", is_ext_shared: true, shared_team_ids: ["T111", "TNOSCOPE"] },
  CHOOLI: { id: "CHOOLI", name: "partners", is_ext_shared: true, shared_team_ids: ["T111", "THOOLI"] },
};
/** team.info for the external organisations; TNOSCOPE answers as an install without team:read does. */
const teams: Record<string, Record<string, unknown>> = {
  TACME: { id: "TACME", name: "Acme Labs, Inc.", domain: "acme-labs", email_domain: "acme.com" },
  TGLOBEX: { id: "TGLOBEX", name: "Globex", domain: "globex" },
  THOOLI: { id: "THOOLI", name: "Hooli", domain: "hooli-xyz", email_domain: "hooli.com" },
};

const posted: { method: string; body: Record<string, string> }[] = [];
const responses: Record<string, unknown>[] = [];
const form = (body: unknown) => Object.fromEntries(new URLSearchParams(String(body)));
const dmsTo = (user: string) => posted.filter((p) => p.method === "chat.postMessage" && p.body.channel === user);

let seq = 0;
function envelope(event: Record<string, unknown>, eventId = `EvSG${++seq}`) {
  return {
    token: "verification_token",
    team_id: "T111",
    api_app_id: "A111",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(NOW.getTime() / 1000),
    authorizations: [{ team_id: "T111", user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: true,
  };
}

/** Pulse itself joining, as Slack sends it: the bot's user id, its team, and who invited it. */
const pulseJoined = (channel: string, inviter?: string) => ({
  type: "member_joined_channel",
  user: "UBOT",
  channel,
  channel_type: "C",
  team: "T111",
  ...(inviter ? { inviter } : {}),
  event_ts: `${NOW.getTime() / 1000}.000100`,
});

async function send(event: Record<string, unknown>, eventId?: string) {
  expect((await app.event(envelope(event, eventId))).status).toBe(200);
  await app.idle();
}

function click(actionId: string, value: string, user: string) {
  seq += 1;
  return {
    type: "block_actions",
    team: { id: "T111", domain: "vendor" },
    user: { id: user, name: user, team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `999.111.${seq}`,
    container: { type: "message", message_ts: "1.1", channel_id: "D111", is_ephemeral: false },
    channel: { id: "D111", name: "directmessage" },
    message: { ts: "1.1", type: "message", blocks: [] },
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    actions: [{ type: "button", action_id: actionId, block_id: `b${seq}`, value, action_ts: `1700000400.${seq}` }],
  };
}

async function clickAndRead(actionId: string, value: string, user: string): Promise<Record<string, unknown>> {
  const before = responses.length;
  expect((await app.interaction(click(actionId, value, user))).status).toBe(200);
  return eventually(() => responses[before]);
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Vendor" } })).id;
  const admin = await t.db.user.create({ data: { workspaceId, slackUserId: "UADMIN", role: "admin" } });
  const owner = await t.db.user.create({ data: { workspaceId, slackUserId: "UOWNER", role: "csm" } });
  await t.db.user.create({ data: { workspaceId, slackUserId: "UOTHER", role: "csm" } });
  // A name that must be escaped where Pulse writes it, and a look-alike that must never match.
  acmeId = (
    await t.db.account.create({
      data: { workspaceId, name: "Acme Labs <EU> & Co", domain: "acme.com", ownerId: owner.id },
    })
  ).id;
  await t.db.account.create({ data: { workspaceId, name: "Acmeville", domain: "acmeville.io", ownerId: admin.id } });
  await t.db.account.create({ data: { workspaceId, name: "Globex One", ownerId: admin.id } });
  await t.db.account.create({ data: { workspaceId, name: "Globex Two", ownerId: admin.id } });
  initechId = (await t.db.account.create({ data: { workspaceId, name: "Initech", ownerId: owner.id } })).id;
  await t.db.account.create({ data: { workspaceId, name: "Hooli", domain: "hooli.com", ownerId: owner.id } });
  forgetChannelSettings();
  // Before the app starts: its own defaults (every channel internal) must not answer first.
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/api/auth.test")
    .reply(200, { ok: true, team_id: "T111", user_id: "UBOT", bot_id: "BBOT", user: "pulse", team: "Vendor" })
    .post("/api/conversations.info")
    .reply((_uri, body) => {
      const c = channels[form(body).channel ?? ""];
      return [200, c ? { ok: true, channel: c } : { ok: false, error: "channel_not_found" }];
    })
    .post("/api/team.info")
    .reply((_uri, body) => {
      const team = teams[form(body).team ?? ""];
      return [
        200,
        team ? { ok: true, team } : { ok: false, error: "missing_scope", needed: "team:read", provided: "users:read" },
      ];
    })
    .post(/\/api\/chat\.(postMessage|postEphemeral|update)/)
    .reply((uri, body) => {
      posted.push({ method: uri.replace("/api/", ""), body: form(body) });
      return [200, { ok: true, channel: form(body).channel, ts: "1.1" }];
    })
    .post("/actions/response", (body: Record<string, unknown>) => {
      responses.push(body);
      return true;
    })
    .reply(200, { ok: true });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("Pulse added to a shared channel nobody linked", () => {
  it("asks the person who added it, privately, once, with the names escaped", async () => {
    await send(pulseJoined("CACME", "UADMIN"), "EvJOIN1");
    await send(pulseJoined("CACME", "UADMIN"), "EvJOIN1"); // Slack's retry of the same delivery
    await send(pulseJoined("CACME", "UADMIN")); // the same join under a new event id
    await send({ type: "channel_shared", channel: "CACME", connected_team_id: "TACME", event_ts: "1.2" });
    const dms = dmsTo("UADMIN");
    expect(dms).toHaveLength(1);
    expect(dms[0]!.body.text).toBe("#acme-shared looks like Acme Labs &lt;EU&gt; &amp; Co — link it?");
    const blocks = JSON.parse(dms[0]!.body.blocks!) as { type: string; elements?: { action_id?: string }[] }[];
    expect(JSON.stringify(blocks)).toContain("<#CACME> looks like *Acme Labs &lt;EU&gt; &amp; Co* — link it?");
    expect(JSON.stringify(blocks)).toContain("Shared with *Acme Labs, Inc.*: its email domain is the account's domain");
    expect(blocks.find((b) => b.type === "actions")!.elements!.map((e) => e.action_id)).toEqual([
      ACTION.channelLinkAccept,
      ACTION.channelLinkDismiss,
    ]);
    expect(await t.db.channelLinkSuggestion.findMany({ where: { workspaceId } })).toMatchObject([
      { channelId: "CACME", accountId: acmeId, externalTeamId: "TACME", suggestedToSlackId: "UADMIN", answer: null },
    ]);
  });

  it("never posts into the shared channel, and the guard still refuses to", async () => {
    expect(posted.filter((p) => p.body.channel === "CACME")).toEqual([]);
    const client = createWebClient("xoxb-1-2-test", { apiUrl: SLACK_API_BASE, retries: 0 });
    const port = createWebSlackPort({ client: () => client, scope: "T111", guard: new ChannelGuardCache() });
    await expect(port.post({ channel: "CACME", text: "Acme: health 40 (red)" })).rejects.toMatchObject({
      code: "EXTERNAL_CHANNEL",
    });
    expect(posted.filter((p) => p.body.channel === "CACME")).toEqual([]);
  });

  it("suggests nothing for an internal channel, or when two accounts match as well", async () => {
    const before = posted.length;
    await send(pulseJoined("CINTERNAL", "UADMIN"));
    await send(pulseJoined("CGLOBEX", "UADMIN")); // "Globex": Globex One or Globex Two
    expect(posted.slice(before)).toEqual([]);
    expect(await t.db.channelLinkSuggestion.count({ where: { channelId: { in: ["CINTERNAL", "CGLOBEX"] } } })).toBe(0);
  });

  it("a channel that became shared, without team:read, is matched on its name and asked of the owner", async () => {
    await send({ type: "channel_shared", channel: "CINITECH", connected_team_id: "TNOSCOPE", event_ts: "1.3" });
    const dms = dmsTo("UOWNER");
    expect(dms).toHaveLength(1);
    expect(dms[0]!.body.text).toBe("#initech-ext looks like Initech — link it?");
    expect(dms[0]!.body.blocks).toContain("the channel's name matches the account's");
  });

  it("an inviter Pulse does not know as a user of the workspace is not asked: the owner is", async () => {
    await send(pulseJoined("CHOOLI", "WEXTERNAL"));
    expect(dmsTo("WEXTERNAL")).toHaveLength(0);
    expect(dmsTo("UOWNER").map((d) => d.body.text)).toContain("#partners looks like Hooli — link it?");
  });
});

describe("Link it and Not now", () => {
  it("Link it from someone who may not link is refused with a clear message, and links nothing", async () => {
    const said = await clickAndRead(ACTION.channelLinkAccept, "CACME", "UOTHER");
    expect(said.response_type).toBe("ephemeral");
    expect(String(said.text)).toContain(
      "Only admins and the owner of Acme Labs &lt;EU&gt; &amp; Co can link a channel",
    );
    expect(await t.db.channelLink.count({ where: { workspaceId } })).toBe(0);
  });

  it("Link it from an admin links the channel with the existing rule, audited, and says so in place", async () => {
    const said = await clickAndRead(ACTION.channelLinkAccept, "CACME", "UADMIN");
    expect(said.replace_original).toBe(true);
    expect(String(said.text)).toContain("<#CACME> is now evidence for *Acme Labs &lt;EU&gt; &amp; Co*");
    expect(await t.db.channelLink.findFirstOrThrow({ where: { workspaceId, channelId: "CACME" } })).toMatchObject({
      accountId: acmeId,
      name: "acme-shared",
      linkedBySlackId: "UADMIN",
    });
    expect(await t.db.auditLog.count({ where: { action: "channel.link", entityId: "CACME" } })).toBe(1);
    expect(await t.db.channelLinkSuggestion.findFirstOrThrow({ where: { channelId: "CACME" } })).toMatchObject({
      answer: "linked",
      answeredBySlackId: "UADMIN",
    });
    // A second click (an older copy of the DM) links nothing twice.
    const again = await clickAndRead(ACTION.channelLinkAccept, "CACME", "UADMIN");
    expect(String(again.text)).toContain("already linked");
    expect(await t.db.auditLog.count({ where: { action: "channel.link", entityId: "CACME" } })).toBe(1);
  });

  it("Not now is remembered: Pulse joining again asks nothing", async () => {
    const said = await clickAndRead(ACTION.channelLinkDismiss, "CINITECH", "UOWNER");
    expect(String(said.text)).toContain("Not now: <#CINITECH> stays unlinked");
    expect(await t.db.channelLinkSuggestion.findFirstOrThrow({ where: { channelId: "CINITECH" } })).toMatchObject({
      accountId: initechId,
      answer: "dismissed",
    });
    const before = posted.length;
    await send(pulseJoined("CINITECH", "UOWNER"));
    await send({ type: "channel_shared", channel: "CINITECH", connected_team_id: "TNOSCOPE", event_ts: "1.4" });
    expect(posted.slice(before)).toEqual([]);
    expect(await t.db.channelLink.count({ where: { channelId: "CINITECH" } })).toBe(0);
  });

  it("a forged value is refused without linking", async () => {
    const said = await clickAndRead(ACTION.channelLinkAccept, "not-a-channel", "UADMIN");
    expect(String(said.text)).toContain("That suggestion is no longer valid");
    const unknown = await clickAndRead(ACTION.channelLinkAccept, "CNOSUCH", "UADMIN");
    expect(String(unknown.text)).toContain("That suggestion does not exist in this workspace");
    expect(await t.db.channelLink.count({ where: { workspaceId } })).toBe(1);
  });

  it("the account's export holds its suggestions", async () => {
    const exported = await exportAccountData(t.db, { workspaceId, slackUserId: "UADMIN" }, "Acme Labs <EU> & Co");
    expect(exported.counts).toMatchObject({ channelLinkSuggestions: 1, channelLinks: 1 });
  });
});
