// Slack's OAuth v2 install flow, walked against a running Pulse with Slack's side in nock.
import { randomBytes } from "node:crypto";
import nock from "nock";
import { expect } from "vitest";
import { SLACK_API_ORIGIN } from "./slack.js";

export const OAUTH_ENV = {
  SLACK_CLIENT_ID: "1111.2222",
  SLACK_CLIENT_SECRET: "abcdefabcdefabcdefabcdefabcdef12",
  SLACK_STATE_SECRET: "state-secret-for-tests-0123456789",
  PULSE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};
/** Walks Slack's OAuth v2 flow against Pulse: install page, then the redirect with a code. */
export async function completeInstall(baseUrl: string, teamId: string, token: string): Promise<Response> {
  const page = await fetch(`${baseUrl}/slack/install`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const cookie = page.headers.get("set-cookie")?.split(";")[0] ?? "";
  const state = /state=([^"&]+)/.exec(html)?.[1];
  expect(state).toBeTruthy();
  expect(html).toContain("client_id=1111.2222");
  nock(SLACK_API_ORIGIN)
    .post("/api/oauth.v2.access")
    .reply(200, {
      ok: true,
      app_id: "A111",
      authed_user: { id: "UINSTALLER" },
      scope: "commands,chat:write",
      token_type: "bot",
      access_token: token,
      bot_user_id: "UBOT9",
      team: { id: teamId, name: `Team ${teamId}` },
      enterprise: null,
      is_enterprise_install: false,
    });
  nock(SLACK_API_ORIGIN)
    .post("/api/auth.test")
    .reply(200, { ok: true, team_id: teamId, user_id: "UBOT9", bot_id: "BBOT9" });
  return fetch(`${baseUrl}/slack/oauth_redirect?code=the-code&state=${state}`, { headers: { cookie } });
}
