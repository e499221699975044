import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { completeInstall, OAUTH_ENV } from "../helpers/oauth.js";
import { eventually, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const INSTALLED_TOKEN = "xoxb-9999-oauth-installed-token";

let t: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, env: OAUTH_ENV });
});
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("OAuth install flow", () => {
  it("serves /slack/install and stores the installation from /slack/oauth_redirect, token encrypted", async () => {
    const done = await completeInstall(app.baseUrl, "T999", INSTALLED_TOKEN);
    expect(done.status).toBe(200);
    const workspace = await eventually(() => t.db.workspace.findUnique({ where: { slackTeamId: "T999" } }));
    expect(workspace).toMatchObject({ name: "Team T999", active: true });
    const row = await t.db.slackInstallation.findFirstOrThrow({ where: { workspaceId: workspace!.id } });
    expect(row.botTokenCiphertext).toMatch(/^v1:[0-9a-f]{12}:/);
    expect(JSON.stringify(row)).not.toContain(INSTALLED_TOKEN);
    expect(row.installerSlackId).toBe("UINSTALLER");
  });

  it("authorizes the workspace's commands with its own decrypted token", async () => {
    let reply: { text?: string } | undefined;
    nock(SLACK_API_ORIGIN)
      .post("/commands/T999/1/response", (body: { text?: string }) => {
        reply = body;
        return true;
      })
      .reply(200, { ok: true });
    const res = await app.command({ text: "help", team_id: "T999" });
    expect(res.status).toBe(200);
    await eventually(() => reply);
    expect(reply!.text).toContain("Pulse");
  });

  it("refuses a redirect without the state cookie", async () => {
    const res = await fetch(`${app.baseUrl}/slack/oauth_redirect?code=x&state=forged`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await t.db.workspace.count({ where: { slackTeamId: { not: "T999" } } })).toBe(0);
  });
});
