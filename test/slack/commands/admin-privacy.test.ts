import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";
import { ACTION } from "../../../src/slack/ids.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../../helpers/slack.js";
import { createSmallWorkspace, type SmallWorkspace } from "../../helpers/small-workspace.js";

let t: TestDatabase;
let app: SlackTestApp;
let ws: SmallWorkspace;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  ws = await createSmallWorkspace(t.db, "T111", { adminSlackId: "UADMIN" });
  await t.db.user.create({ data: { workspaceId: ws.workspaceId, slackUserId: "UCSM", role: "csm" } });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

type CommandReply = { text: string; response_type?: string; blocks?: unknown[] };
function captureReply(): () => Promise<CommandReply> {
  let reply: CommandReply | undefined;
  nock(SLACK_API_ORIGIN)
    .post("/commands/T111/1/response", (body: CommandReply) => {
      reply = body;
      return true;
    })
    .reply(200, { ok: true });
  return () => eventually(() => reply) as Promise<CommandReply>;
}

describe("/pulse admin export", () => {
  it("uploads the account's JSON to the admin's DM and records account.view", async () => {
    nockAuthTest();
    const reply = captureReply();
    let uploaded = "";
    nock(SLACK_API_ORIGIN)
      .post("/api/conversations.open")
      .reply(200, { ok: true, channel: { id: "DADMIN" } });
    nock(SLACK_API_ORIGIN)
      .post("/api/files.getUploadURLExternal")
      .reply(200, { ok: true, upload_url: `${SLACK_API_ORIGIN}/upload/F1`, file_id: "F1" });
    nock(SLACK_API_ORIGIN)
      .post("/upload/F1", (body: unknown) => {
        uploaded = typeof body === "string" ? body : JSON.stringify(body);
        return true;
      })
      .reply(200, "OK");
    let completed: Record<string, unknown> | undefined;
    nock(SLACK_API_ORIGIN)
      .post("/api/files.completeUploadExternal", (body: Record<string, unknown>) => {
        completed = body;
        return true;
      })
      .reply(200, { ok: true, files: [{ id: "F1" }] });
    await app.command({ text: 'admin export "Acme Corp"', user_id: "UADMIN" });
    const r = await reply();
    expect(r.text).toContain("Sent you the export of *Acme Corp*");
    expect(r.response_type).toBe("ephemeral");
    expect(completed?.channel_id).toBe("DADMIN");
    expect(uploaded).toContain('"name": "Acme Corp"');
    expect(uploaded).toContain("jane.doe@acme.test");
    expect(
      await t.db.auditLog.count({
        where: { workspaceId: ws.workspaceId, action: "account.view", actorSlackId: "UADMIN" },
      }),
    ).toBe(1);
  });

  it("falls back to a link-free summary that says why when the upload fails", async () => {
    nockAuthTest();
    const reply = captureReply();
    nock(SLACK_API_ORIGIN)
      .post("/api/conversations.open")
      .reply(200, { ok: true, channel: { id: "DADMIN" } });
    nock(SLACK_API_ORIGIN).post("/api/files.getUploadURLExternal").reply(200, { ok: false, error: "missing_scope" });
    await app.command({ text: "admin export ACME-1", user_id: "UADMIN" });
    const r = await reply();
    expect(r.text).toContain("could not send the export of *Acme Corp*");
    expect(r.text).toContain("missing_scope");
    expect(r.text).toContain("contacts: 2");
    expect(JSON.stringify(r)).not.toMatch(/https?:\/\//);
  });

  it("refuses non-admins", async () => {
    nockAuthTest();
    const reply = captureReply();
    await app.command({ text: "admin export Acme Corp", user_id: "UCSM" });
    expect((await reply()).text).toContain("Only admin users can export account data");
  });
});

type Button = {
  action_id: string;
  value: string;
  style?: string;
  confirm?: { title: { text: string }; text: { text: string }; style?: string };
};
function buttonsOf(reply: CommandReply): Button[] {
  return ((reply.blocks as { elements?: Button[] }[] | undefined) ?? []).flatMap((b) => b.elements ?? []);
}

function clickPayload(actionId: string, value: string, user = "UADMIN") {
  return {
    type: "block_actions",
    team: { id: "T111", domain: "test" },
    user: { id: user, name: user.toLowerCase(), team_id: "T111" },
    api_app_id: "A111",
    trigger_id: "222.333.trigger",
    response_url: `${SLACK_API_ORIGIN}/actions/T111/1/response`,
    container: { type: "message", message_ts: "1763800000.000100", channel_id: "C111", is_ephemeral: true },
    channel: { id: "C111", name: "cs" },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b",
        value,
        action_ts: "1763800001.0001",
        text: { type: "plain_text", text: "Erase" },
      },
    ],
  };
}

describe("/pulse admin erase contact", () => {
  it("first shows how many contacts and which accounts, behind a confirm dialog; only the confirmed click erases, once", async () => {
    nockAuthTest();
    const reply = captureReply();
    await app.command({ text: "admin erase contact <mailto:bob@acme.test|bob@acme.test>", user_id: "UADMIN" });
    const preview = await reply();
    expect(preview.response_type).toBe("ephemeral");
    expect(JSON.stringify(preview.blocks)).toContain("*1 contact record*");
    expect(JSON.stringify(preview.blocks)).toContain("*Acme Corp*");
    // Nothing is erased by the command itself.
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: ws.otherContactId } })).toMatchObject({
      name: "Bob Stone",
      email: "bob@acme.test",
    });
    expect(await t.db.auditLog.count({ where: { workspaceId: ws.workspaceId, action: "contact.erase" } })).toBe(0);

    const erase = buttonsOf(preview).find((b) => b.action_id === ACTION.eraseContactConfirm)!;
    expect(erase.style).toBe("danger");
    expect(erase.confirm).toMatchObject({ title: { text: "Erase personal data?" }, style: "danger" });
    expect(erase.confirm!.text.text).toContain("Erase 1 contact record with bob@acme.test");

    const answers = captureReplies("/actions/T111/1/response");
    const first = await app.interaction(clickPayload(ACTION.eraseContactConfirm, erase.value));
    expect(first.status).toBe(200);
    await eventually(() => answers.length === 1);
    expect(answers[0]).toMatchObject({
      replace_original: true,
      text: expect.stringContaining("Erased the personal data of 1 contact record:"),
    });
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: ws.otherContactId } })).toMatchObject({
      name: null,
      email: null,
    });

    // A second click of the same button erases nothing more and writes no second audit row.
    await app.interaction(clickPayload(ACTION.eraseContactConfirm, erase.value));
    await eventually(() => answers.length === 2);
    expect(answers[1]!.text).toContain("already done");
    expect(await t.db.auditLog.count({ where: { workspaceId: ws.workspaceId, action: "contact.erase" } })).toBe(1);
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { workspaceId: ws.workspaceId, action: "contact.erase" },
    });
    expect(audit).toMatchObject({ actorSlackId: "UADMIN", entityId: String(ws.otherContactId) });
  });

  it("a pattern like %@%s.test erases no one; Cancel, a forged value and a non-admin's click erase nothing", async () => {
    nockAuthTest();
    const reply = captureReply();
    await app.command({ text: "admin erase contact %@%.test", user_id: "UADMIN" });
    const preview = await reply();
    expect(preview.text).toContain("No contact has %@%.test");
    const answers = captureReplies("/actions/T111/1/response");
    await app.interaction(clickPayload(ACTION.eraseContactCancel, "cancel"));
    await app.interaction(clickPayload(ACTION.eraseContactConfirm, "99999999999999999999"));
    await eventually(() => answers.length === 2);
    expect(answers.map((a) => a.text)).toEqual(
      expect.arrayContaining([
        "Cancelled: nothing was erased.",
        expect.stringContaining("That confirmation is not valid"),
      ]),
    );
    await app.interaction(
      clickPayload(
        ACTION.eraseContactConfirm,
        JSON.stringify({ e: "jane.doe@acme.test", n: "forged-token-1", c: 1 }),
        "UCSM",
      ),
    );
    await eventually(() => answers.length === 3);
    expect(answers[2]!.text).toContain("Only admin users can erase personal data");
    const erase = buttonsOf(preview).find((b) => b.action_id === ACTION.eraseContactConfirm)!;
    await app.interaction(clickPayload(ACTION.eraseContactConfirm, erase.value));
    await eventually(() => answers.length === 4);
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: ws.contactId } })).toMatchObject({
      name: "Jane Doe",
      email: "jane.doe@acme.test",
    });
  });

  it("refuses non-admins and bad input", async () => {
    nockAuthTest();
    let reply = captureReply();
    await app.command({ text: "admin erase contact jane.doe@acme.test", user_id: "UCSM" });
    expect((await reply()).text).toContain("Only admin users can erase personal data");
    reply = captureReply();
    await app.command({ text: "admin erase contact jane", user_id: "UADMIN" });
    expect((await reply()).text).toContain("is not an email address");
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: ws.contactId } })).toMatchObject({
      email: "jane.doe@acme.test",
    });
  });
});

describe("/pulse admin audit", () => {
  it("shows the newest entries ephemerally, for an account too", async () => {
    nockAuthTest();
    let reply = captureReply();
    await app.command({ text: "admin audit", user_id: "UADMIN" });
    let r = await reply();
    expect(r.response_type).toBe("ephemeral");
    expect(JSON.stringify(r.blocks)).toContain("contact.erase");
    reply = captureReply();
    await app.command({ text: 'admin audit "Acme Corp"', user_id: "UADMIN" });
    r = await reply();
    expect(r.text).toContain("Audit log — Acme Corp");
    expect(JSON.stringify(r.blocks)).toContain("account.view");
    // Names, not ids: the admin (Ada) viewed the account Acme Corp.
    expect(JSON.stringify(r.blocks)).toMatch(/\*Ada\* \*account\.view\* account Acme Corp/);
    expect(JSON.stringify(r.blocks)).not.toContain("<@UADMIN>");
    reply = captureReply();
    await app.command({ text: "admin audit", user_id: "UCSM" });
    expect((await reply()).text).toContain("Only admin users can read the audit log");
  });
});
