import { randomBytes } from "node:crypto";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { parseConfig } from "../../src/config.js";
import { createTokenCipher } from "../../src/crypto/token-cipher.js";
import { saveInstallation } from "../../src/services/installations.js";
import { deactivateWorkspace } from "../../src/services/workspace-lifecycle.js";
import { activeWorkspaceIds, slackClientFor } from "../../src/slack/workspace-clients.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { BOT_TOKEN, SLACK_API_BASE, SLACK_API_ORIGIN } from "../helpers/slack.js";

const KEY = randomBytes(32).toString("base64");
const NOW = new Date("2026-11-23T10:00:00Z");
let t: TestDatabase;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await t.drop();
});

function authHeaderOf(workspaceToken: string): Promise<string> {
  return new Promise((resolve) => {
    nock(SLACK_API_ORIGIN)
      .post("/api/auth.test")
      .reply(function () {
        resolve(String(this.req.headers.authorization));
        return [200, { ok: true, team_id: workspaceToken }];
      });
  });
}

describe("slackClientFor", () => {
  it("single-token mode: the env token, for every active workspace", async () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5",
      SLACK_API_URL: SLACK_API_BASE,
    });
    const ws = await t.db.workspace.create({ data: { slackTeamId: "TSINGLE", name: "Single" } });
    const client = await slackClientFor({ config, db: t.db } as AppContext, ws.id);
    const header = authHeaderOf("x");
    await client.auth.test();
    expect(await header).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it("OAuth mode: the workspace's own decrypted token; inactive: a coded error", async () => {
    const config = parseConfig({
      SLACK_CLIENT_ID: "1.2",
      SLACK_CLIENT_SECRET: "0123456789abcdef0123456789abcdef",
      SLACK_STATE_SECRET: "state-secret-long-enough",
      PULSE_ENCRYPTION_KEY: KEY,
      SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5",
      SLACK_API_URL: SLACK_API_BASE,
    });
    const cipher = createTokenCipher({ current: KEY });
    const { workspaceId } = await saveInstallation({
      db: t.db,
      cipher,
      now: NOW,
      installation: {
        team: { id: "TOAUTH" },
        enterprise: undefined,
        user: { id: "U1", token: undefined, scopes: undefined },
        bot: { token: "xoxb-oauth-own", scopes: [], id: "B", userId: "UB" },
      },
    });
    const ctx = { config, db: t.db } as AppContext;
    const header = authHeaderOf("x");
    await (await slackClientFor(ctx, workspaceId)).auth.test();
    expect(await header).toBe("Bearer xoxb-oauth-own");

    await deactivateWorkspace({ db: t.db, teamId: "TOAUTH", reason: "app_uninstalled", now: NOW, retentionDays: 30 });
    await expect(slackClientFor(ctx, workspaceId)).rejects.toMatchObject({ code: "WORKSPACE_INACTIVE" });
    expect(await activeWorkspaceIds(t.db)).not.toContain(workspaceId);
    await expect(slackClientFor(ctx, 999_999)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
