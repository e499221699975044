// The card's one "Record survey" button offers NPS, CSAT and CES: choosing a kind in the
// form redraws it with that scale and keeps the account (issue 15).
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTION, BLOCK } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
let t: TestDatabase;
let app: SlackTestApp;
let accountId: number;
let otherWorkspaceAccountId: number;
const updates: Record<string, unknown>[] = [];

function captureViews(): void {
  for (const method of ["views.open", "views.update"])
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(`/api/${method}`, (body: Record<string, unknown>) => {
        if (method === "views.update") updates.push({ ...body, view: JSON.parse(String(body.view)) });
        return true;
      })
      .reply(200, { ok: true, view: { id: "VSURVEY" } });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UCSM", role: "csm" } });
  accountId = (await t.db.account.create({ data: { workspaceId: ws.id, name: "Acme", arr: 1 } })).id;
  const other = await t.db.workspace.create({ data: { slackTeamId: "T222", name: "Other" } });
  otherWorkspaceAccountId = (await t.db.account.create({ data: { workspaceId: other.id, name: "Secret", arr: 1 } })).id;
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

let seq = 0;
function switchTo(kind: string, viewBlocks: unknown[], pickedAccount?: number) {
  seq += 1;
  return {
    type: "block_actions",
    team: { id: "T111", domain: "test" },
    user: { id: "UCSM", name: "chris", team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `9.9.${seq}`,
    container: { type: "view", view_id: "VSURVEY" },
    view: {
      id: "VSURVEY",
      type: "modal",
      blocks: viewBlocks,
      private_metadata: JSON.stringify({ channelId: "C111", kind: "nps" }),
      callback_id: "pulse_record_survey",
      state: {
        values: pickedAccount
          ? {
              [BLOCK.account]: {
                [ACTION.accountSelect]: { type: "external_select", selected_option: { value: String(pickedAccount) } },
              },
            }
          : {},
      },
      hash: `h${seq}`,
      title: { type: "plain_text", text: "Record survey" },
    },
    actions: [
      {
        type: "static_select",
        action_id: ACTION.surveyKindSwitch,
        block_id: "survey_kind",
        selected_option: { value: kind, text: { type: "plain_text", text: kind } },
        action_ts: `3.${seq}`,
      },
    ],
  };
}

describe("Record survey's kind", () => {
  it("opens from the card with the choice, and redraws as CSAT keeping the account", async () => {
    nockAuthTest();
    captureViews();
    await app.interaction({
      type: "block_actions",
      team: { id: "T111", domain: "test" },
      user: { id: "UCSM", name: "chris", team_id: "T111" },
      api_app_id: "A111",
      trigger_id: "8.8.8",
      response_url: `${SLACK_API_ORIGIN}/actions/response`,
      container: { type: "message", channel_id: "C111", is_ephemeral: true },
      channel: { id: "C111" },
      actions: [
        { type: "button", action_id: ACTION.openRecordSurvey, block_id: "b", value: String(accountId), action_ts: "1" },
      ],
    });
    const opened = await eventually(() => updates[0]);
    const form = opened.view as { blocks: unknown[]; private_metadata: string };
    expect(JSON.stringify(form.blocks)).toContain(ACTION.surveyKindSwitch);
    await app.interaction(switchTo("csat", form.blocks));
    const csat = (await eventually(() => updates[1])).view as { title: { text: string }; private_metadata: string };
    expect(csat.title.text).toBe("Record CSAT");
    expect(JSON.parse(csat.private_metadata)).toEqual({ channelId: "C111", kind: "csat" });
    expect(JSON.stringify(csat)).toContain(
      `"initial_option":{"text":{"type":"plain_text","text":"Acme"},"value":"${accountId}"}`,
    );
    // CSAT's scale: 1 to 5.
    expect(JSON.stringify(csat)).toContain('"value":"5"');
    expect(JSON.stringify(csat)).not.toContain('"value":"0"');
  });

  it("does not bring another workspace's account into the form", async () => {
    nockAuthTest();
    captureViews();
    const before = updates.length;
    await app.interaction(switchTo("ces", [], otherWorkspaceAccountId));
    const ces = (await eventually(() => updates[before])).view as { title: { text: string } };
    expect(ces.title.text).toBe("Record CES");
    expect(JSON.stringify(ces)).not.toContain("Secret");
  });
});
