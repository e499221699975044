// One-click classify (issue 16): customer people Pulse added from a linked channel (type
// unknown) are on the card with a few at a time and "…and N more"; a click by the owner sets
// the type, audits it and replaces that person's row where it was clicked (chat.update in a
// message, response_url in an ephemeral card, views.update in the card's modal); a stale
// button says what the person is now; someone else's CSM is refused.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getAccountCard } from "../../src/services/account-card.js";
import { ACTION } from "../../src/slack/ids.js";
import { accountCardBlocks } from "../../src/slack/views/account-card.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-12-03T10:00:00Z");

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;
let acmeId: number;
const people: Record<string, number> = {};
let seq = 0;

interface Call {
  method: string;
  body: Record<string, unknown>;
}
let calls: Call[] = [];
const responses: Record<string, unknown>[] = [];

type AnyButton = { type?: string; action_id?: string; value?: string; text?: { text: string } };
/** The classify buttons of one person (the card's other buttons carry the account id, which may be the same number). */
const typeButtonsOf = (blocks: unknown[], contactId: number | undefined) =>
  buttonsOf(blocks).filter((b) => b.action_id?.startsWith(ACTION.contactType) && b.value === String(contactId));
function buttonsOf(blocks: unknown[]): AnyButton[] {
  return (blocks as { elements?: AnyButton[]; accessory?: AnyButton }[]).flatMap((b) =>
    [...(b.elements ?? []), b.accessory].filter((e): e is AnyButton => e?.type === "button"),
  );
}

function click(
  user: string,
  actionId: string,
  contactId: number,
  blocks: unknown[],
  surface: "message" | "ephemeral" | "modal" = "message",
) {
  seq += 1;
  const action = {
    type: "button",
    action_id: actionId,
    block_id: `contact_${contactId}_type`,
    value: String(contactId),
    action_ts: `1700000400.${seq}`,
  };
  const base = {
    type: "block_actions",
    team: { id: "T111", domain: "test" },
    user: { id: user, name: user, team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `888.111.${seq}`,
    actions: [action],
  };
  if (surface === "modal")
    return {
      ...base,
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
  return {
    ...base,
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    container: {
      type: "message",
      channel_id: "C0CS",
      message_ts: "1700000000.000200",
      is_ephemeral: surface === "ephemeral",
    },
    channel: { id: "C0CS", name: "cs-team" },
    message: { type: "message", ts: "1700000000.000200", text: "Acme", blocks },
  };
}

const typeButton = (type: string) => `${ACTION.contactType}_${type}`;
const card = async () => accountCardBlocks(await getAccountCard(t.db, workspaceId, acmeId, NOW));

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Vendor" } })).id;
  const owner = await t.db.user.create({ data: { workspaceId, slackUserId: "UOWNER", role: "csm" } });
  await t.db.user.create({ data: { workspaceId, slackUserId: "UOTHER", role: "csm" } });
  await t.db.user.create({ data: { workspaceId, slackUserId: "UMGR", role: "manager" } });
  acmeId = (await t.db.account.create({ data: { workspaceId, name: "Acme", ownerId: owner.id } })).id;
  await t.db.channelLink.create({
    data: { workspaceId, channelId: "CACME", accountId: acmeId, linkedBySlackId: "UOWNER" },
  });
  for (const [slack, name] of [
    ["WC1", "Jane Roe"],
    ["WC2", null],
    ["WC3", "Cy"],
    ["WC4", "Dee"],
    ["WC5", "Eve"],
  ] as const)
    people[slack] = (
      await t.db.contact.create({
        data: { workspaceId, accountId: acmeId, slackUserId: slack, name, stakeholderType: "unknown" },
      })
    ).id;
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
beforeEach(() => {
  calls = [];
  responses.length = 0;
  nockAuthTest();
  for (const method of ["chat.update", "views.update", "views.open", "chat.postEphemeral", "chat.postMessage"])
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
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/actions/response", (body: Record<string, unknown>) => {
      responses.push(body);
      return true;
    })
    .reply(200, { ok: true });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("customer people to classify on the card", () => {
  it("shows three with a button per type, in the vocabulary's words, and how many more", async () => {
    const blocks = await card();
    const text = JSON.stringify(blocks);
    expect(text).toContain("*Customer people to classify* (5)");
    expect(text).toContain("*Jane Roe* (<@WC1>)");
    expect(text).toContain("…and 2 more.");
    expect(text).not.toContain("<@WC4>");
    const mine = buttonsOf(blocks).filter((b) => b.action_id?.startsWith(ACTION.contactType));
    expect(mine).toHaveLength(9);
    expect(mine.slice(0, 3).map((b) => [b.text?.text, b.action_id, b.value])).toEqual([
      ["End user", typeButton("end_user"), String(people.WC1)],
      ["Manager / sponsor", typeButton("sponsor"), String(people.WC1)],
      ["Implementer / admin", typeButton("implementer"), String(people.WC1)],
    ]);
  });

  it("a click by the owner sets the type, audits it and replaces the row in the message", async () => {
    const blocks = await card();
    await app.interaction(click("UOWNER", typeButton("sponsor"), people.WC1!, blocks));
    const update = await eventually(() => calls.find((c) => c.method === "chat.update"));
    expect(update.body).toMatchObject({ channel: "C0CS", ts: "1700000000.000200" });
    const after = update.body.blocks as unknown[];
    expect(JSON.stringify(after)).toContain(
      "*Jane Roe* (<@WC1>) — :white_check_mark: Manager / sponsor, set by <@UOWNER>",
    );
    expect(typeButtonsOf(after, people.WC1)).toHaveLength(0);
    // The others keep their buttons, and the rest of the card is there.
    expect(typeButtonsOf(after, people.WC2)).toHaveLength(3);
    expect(buttonsOf(after).map((b) => b.action_id)).toContain(ACTION.openLogTouchpoint);
    expect(after).toHaveLength(blocks.length - 1);
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: people.WC1! } })).stakeholderType).toBe("sponsor");
    const audit = await t.db.auditLog.findMany({ where: { action: "contact.classify", entityId: String(people.WC1) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorSlackId: "UOWNER",
      accountId: acmeId,
      details: { from: "unknown", to: "sponsor" },
    });
    expect(responses).toHaveLength(0);

    // The same card clicked again, another type: nothing changes, and it says what she is.
    calls = [];
    await app.interaction(click("UOWNER", typeButton("end_user"), people.WC1!, blocks));
    const said = await eventually(() => responses[0]);
    expect(String(said.text)).toBe(
      "*Jane Roe* (<@WC1>) is already Manager / sponsor (set by <@UOWNER>); nothing was changed.",
    );
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: people.WC1! } })).stakeholderType).toBe("sponsor");
    expect(await t.db.auditLog.count({ where: { action: "contact.classify", entityId: String(people.WC1) } })).toBe(1);
  });

  it("in an ephemeral card, the row is replaced through the response_url", async () => {
    const blocks = await card();
    await app.interaction(click("UOWNER", typeButton("end_user"), people.WC2!, blocks, "ephemeral"));
    const replaced = await eventually(() => responses[0]);
    expect(replaced.replace_original).toBe(true);
    expect(JSON.stringify(replaced.blocks)).toContain("<@WC2> — :white_check_mark: End user, set by <@UOWNER>");
    expect(calls.filter((c) => c.method === "chat.update")).toHaveLength(0);
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: people.WC2! } })).stakeholderType).toBe("end_user");
  });

  it("in the card's modal, a manager's click replaces the row with views.update", async () => {
    const blocks = await card();
    await app.interaction(click("UMGR", typeButton("implementer"), people.WC3!, blocks, "modal"));
    const update = await eventually(() => calls.find((c) => c.method === "views.update"));
    expect(update.body.view_id).toBe("VCARD");
    const view = update.body.view as { title: { text: string }; blocks: unknown[] };
    expect(view.title.text).toBe("Account");
    expect(JSON.stringify(view.blocks)).toContain(
      "*Cy* (<@WC3>) — :white_check_mark: Implementer / admin, set by <@UMGR>",
    );
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: people.WC3! } })).stakeholderType).toBe("implementer");
  });

  it("another CSM is refused and nothing changes", async () => {
    const blocks = await card();
    await app.interaction(click("UOTHER", typeButton("sponsor"), people.WC4!, blocks));
    const said = await eventually(() => responses[0]);
    expect(String(said.text)).toContain("Only the owner of Acme, managers and admins can classify its people.");
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: people.WC4! } })).stakeholderType).toBe("unknown");
    expect(calls.filter((c) => c.method === "chat.update")).toHaveLength(0);
  });

  it("once classified, a person leaves the list", async () => {
    const text = JSON.stringify(await card());
    expect(text).toContain("*Customer people to classify* (2)");
    expect(text).not.toContain("<@WC1>");
    expect(text).not.toContain("more.");
  });
});
