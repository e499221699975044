// Admins manage API keys and import CSVs from Slack; others are refused.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/services/api-keys.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

/** Captures the next reply to a slash command's response_url. */
function captureReply(team = "T111"): { text: () => string | undefined } {
  let text: string | undefined;
  nock(SLACK_API_ORIGIN)
    .post(`/commands/${team}/1/response`, (body: { text?: string }) => {
      text = body.text;
      return true;
    })
    .reply(200, { ok: true });
  return { text: () => text };
}

describe("/pulse admin api-key", () => {
  it("creates a key shown once, stores only its hash, lists it by prefix and revokes it", async () => {
    nockAuthTest();
    const created = captureReply();
    await app.command({ text: "admin api-key create segment-prod", user_id: "UADMIN" });
    const text = (await eventually(() => created.text()))!;
    const key = /```(pulse_sk_[A-Za-z0-9_-]+)```/.exec(text)?.[1];
    expect(key).toBeDefined();
    const row = await t.db.apiKey.findFirstOrThrow({ where: { name: "segment-prod" } });
    expect(row.hash).toBe(hashApiKey(key!));
    expect(
      JSON.stringify(await t.db.auditLog.findMany(), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
    ).not.toContain(key!);

    const listed = captureReply();
    await app.command({ text: "admin api-key list", user_id: "UADMIN" });
    const list = await eventually(() => listed.text());
    expect(list).toContain(`#${row.id} *segment-prod* \`${row.prefix}…\``);
    expect(list).not.toContain(key!);

    const revoked = captureReply();
    await app.command({ text: `admin api-key revoke ${row.id}`, user_id: "UADMIN" });
    expect(await eventually(() => revoked.text())).toContain("is revoked");
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).toBeInstanceOf(Date);
  });

  it("refuses a user who is not an admin", async () => {
    nockAuthTest();
    const reply = captureReply();
    await app.command({ text: "admin api-key create sneaky", user_id: "UCSM" });
    expect(await eventually(() => reply.text())).toContain("Only admin users can manage API keys");
    expect(await t.db.apiKey.count({ where: { name: "sneaky" } })).toBe(0);
  });
});

describe("CSV upload in a DM", () => {
  function uploadEvent(user: string, text: string, fileName: string, eventId: string) {
    return {
      token: "legacy",
      team_id: "T111",
      api_app_id: "A111",
      type: "event_callback",
      event_id: eventId,
      event_time: 1700000000,
      event: {
        type: "message",
        subtype: "file_share",
        channel: "D0ADMIN",
        channel_type: "im",
        user,
        text,
        ts: "1700000000.000100",
        files: [
          { id: "F1", name: fileName, filetype: "csv", url_private_download: `${SLACK_API_ORIGIN}/files/${fileName}` },
        ],
      },
    };
  }

  it("imports an admin's upload and answers with the report", async () => {
    nockAuthTest();
    const csv =
      "Account ID,Account Name,Website,Account Owner,Annual Revenue\nSF-1,Umbrella Corp,umbrella.example,UADMIN,50000\nSF-2,Wayne Enterprises,wayne.example,UADMIN,250000\n";
    nock(SLACK_API_ORIGIN)
      .get("/files/accounts.csv")
      .matchHeader("authorization", /^Bearer xoxb-/)
      .reply(200, csv);
    let posted: { channel?: string; text?: string } | undefined;
    nock(SLACK_API_ORIGIN)
      .post("/api/chat.postMessage", (body: { channel?: string; text?: string }) => {
        posted = body;
        return true;
      })
      .reply(200, { ok: true, channel: "D0ADMIN", ts: "1.2" });
    const accountsBefore = await t.db.account.count();
    await app.event(uploadEvent("UADMIN", "accounts", "accounts.csv", "Ev1"));
    await eventually(() => posted);
    expect(posted!.channel).toBe("D0ADMIN");
    expect(posted!.text).toContain("Import of `accounts.csv` (accounts)");
    expect(posted!.text).toMatch(/2 created/);
    const rowsInFile = csv.trim().split("\n").length - 1;
    expect(await t.db.account.count()).toBe(accountsBefore + rowsInFile);
  });

  it("tells a non-admin they cannot import, and imports nothing", async () => {
    nockAuthTest();
    let posted: { text?: string } | undefined;
    nock(SLACK_API_ORIGIN)
      .post("/api/chat.postMessage", (body: { text?: string }) => {
        posted = body;
        return true;
      })
      .reply(200, { ok: true, channel: "D0CSM", ts: "1.3" });
    const before = await t.db.account.count();
    await app.event(uploadEvent("UCSM", "accounts", "accounts.csv", "Ev2"));
    expect((await eventually(() => posted))!.text).toContain("Only admins can import data");
    expect(await t.db.account.count()).toBe(before);
  });
});
