// Admins manage API keys and import CSVs from Slack; others are refused.
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/services/api-keys.js";
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
  /** Serves the file at its url_private_download, `times` times (the upload, then a button's re-read). */
  function serveFile(fileName: string, content: string, times = 1) {
    nock(SLACK_API_ORIGIN).get(`/files/${fileName}`).times(times).reply(200, content);
  }

  /** Records every chat.postMessage (the report of an upload). */
  function capturePosts(): {
    text?: string;
    blocks?: { type: string; elements?: { action_id?: string; value?: string; text?: { text: string } }[] }[];
  }[] {
    const posts: ReturnType<typeof capturePosts> = [];
    nock(SLACK_API_ORIGIN)
      .persist()
      .post("/api/chat.postMessage", (body: (typeof posts)[number]) => {
        posts.push(body);
        return true;
      })
      .reply(200, { ok: true, channel: "D0ADMIN", ts: "1.9" });
    return posts;
  }

  function importButton(post: ReturnType<typeof capturePosts>[number]) {
    // The Web API client sends blocks form-encoded, as a JSON string.
    const blocks = typeof post.blocks === "string" ? (JSON.parse(post.blocks) as typeof post.blocks) : post.blocks;
    return blocks?.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.importApply);
  }

  function clickImport(value: string, ts: string) {
    return {
      type: "block_actions",
      team: { id: "T111" },
      user: { id: "UADMIN", name: "admin" },
      api_app_id: "A111",
      trigger_id: `trigger-${ts}`,
      response_url: `${SLACK_API_ORIGIN}/actions/import`,
      container: { type: "message", channel_id: "D0ADMIN" },
      channel: { id: "D0ADMIN" },
      actions: [{ type: "button", action_id: ACTION.importApply, value, block_id: "b", action_ts: ts }],
    };
  }

  it("imports the project's example account files into a workspace whose CSMs never used Pulse", async () => {
    nockAuthTest();
    const posts = capturePosts();
    const examples = ["accounts.csv", "accounts-salesforce.csv", "accounts-hubspot.csv"];
    for (const [i, name] of examples.entries()) {
      serveFile(name, readFileSync(new URL(`../../examples/csv/${name}`, import.meta.url), "utf8"));
      await app.event(uploadEvent("UADMIN", "accounts", name, `EvExample${i}`));
      await eventually(() => posts.length > i);
    }
    for (const post of posts) {
      expect(post.text).not.toContain("Nothing was imported");
      expect(post.text).toMatch(/Imported accounts: \d+ rows? read; \d+ created/);
    }
    // Dana Scully is no Pulse user here: the account comes in unassigned, and the report says so.
    expect(posts[1]!.text).toContain('no Pulse user is named "Dana Scully" yet');
    const umbrella = await t.db.account.findFirstOrThrow({ where: { externalId: "0015g00000AbCdEAAV" } });
    expect(umbrella.ownerId).toBeNull();
    expect(
      await t.db.account.count({
        where: { externalId: { in: ["ACME-001", "GLOBEX-002", "INITECH-003", "9876543210"] } },
      }),
    ).toBe(4);
  });

  it("offers Import the valid rows instead of a command-line flag, and imports them without a second upload", async () => {
    nockAuthTest();
    const posts = capturePosts();
    const csv = "external_id,name,arr\nVR-1,Valid One,100\nVR-2,Bad Arr,-5\nVR-3,Valid Three,300\n";
    serveFile("valid-rows-accounts.csv", csv, 2);
    await app.event(uploadEvent("UADMIN", "accounts", "valid-rows-accounts.csv", "EvValid1"));
    const report = await eventually(() => posts[0]);
    expect(report.text).toContain("Nothing was imported: 1 row of 3 has errors.");
    expect(report.text).not.toMatch(/skip-invalid|--/);
    const button = importButton(report);
    expect(button?.text?.text).toBe("Import the valid rows");
    expect(await t.db.account.count({ where: { externalId: { startsWith: "VR-" } } })).toBe(0);

    const replies = captureReplies("/actions/import");
    await app.interaction(clickImport(button!.value!, "11"));
    const done = await eventually(() => replies[0]);
    expect(String(done.text)).toContain("Imported accounts: 3 rows read; 2 created");
    expect(String(done.text)).toContain("1 invalid row left out");
    expect(done.replace_original).toBe(true);
    expect(JSON.stringify(done.blocks)).not.toContain(ACTION.importApply);
    expect(await t.db.account.count({ where: { externalId: { startsWith: "VR-" } } })).toBe(2);
  });

  it("a dry run counts what it would create and update; Apply imports the same file", async () => {
    nockAuthTest();
    await t.db.account.updateMany({ where: { externalId: "VR-1" }, data: { name: "Renamed" } });
    const posts = capturePosts();
    const csv = "external_id,name,arr\nVR-1,Valid One,100\nDR-2,Dry Two,200\nDR-3,Dry Three,300\n";
    serveFile("dry-accounts.csv", csv, 2);
    await app.event(uploadEvent("UADMIN", "accounts dry-run", "dry-accounts.csv", "EvDry1"));
    const report = await eventually(() => posts[0]);
    expect(report.text).toContain("(accounts, dry run)");
    expect(report.text).toContain("it would make 2 created, 1 updated, 0 unchanged");
    expect(await t.db.account.count({ where: { externalId: { startsWith: "DR-" } } })).toBe(0);
    const button = importButton(report);
    expect(button?.text?.text).toBe("Apply");

    const replies = captureReplies("/actions/import");
    await app.interaction(clickImport(button!.value!, "12"));
    const done = await eventually(() => replies[0]);
    expect(String(done.text)).toContain("Imported accounts: 3 rows read; 2 created, 1 updated");
    expect(await t.db.account.count({ where: { externalId: { startsWith: "DR-" } } })).toBe(2);
  });

  it("an import button pointing anywhere but Slack downloads nothing", async () => {
    nockAuthTest();
    const elsewhere = nock("https://files.elsewhere.example").get("/a.csv").reply(200, "external_id\nEV-1\n");
    const replies = captureReplies("/actions/import");
    const value = JSON.stringify({
      u: "https://files.elsewhere.example/a.csv",
      n: "a.csv",
      k: "accounts",
      s: false,
      t: [],
    });
    await app.interaction(clickImport(value, "13"));
    expect(String((await eventually(() => replies[0])).text)).toContain("That button is not valid");
    expect(elsewhere.isDone()).toBe(false);
    expect(await t.db.account.count({ where: { externalId: "EV-1" } })).toBe(0);
  });

  it("a dry run with errors still counts what its valid rows would make", async () => {
    nockAuthTest();
    const posts = capturePosts();
    serveFile("dry-bad-accounts.csv", "external_id,name,arr\nDB-1,One,100\nDB-2,Two,-1\n");
    await app.event(uploadEvent("UADMIN", "accounts dry-run", "dry-bad-accounts.csv", "EvDry2"));
    const report = await eventually(() => posts[0]);
    expect(report.text).toContain("the valid rows would make 1 created");
    expect(report.text).toContain("1 invalid row would stop the import (Import the valid rows leaves them out)");
    expect(importButton(report)?.text?.text).toBe("Import the valid rows");
  });
});
