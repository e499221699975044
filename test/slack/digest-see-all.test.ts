// The digest's "See all N" opens every account it covers, paged, for whoever clicks,
// not only the reader's own accounts (issue 15, defects 4 and 6).
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = startOfUtcDay(NOW);
let t: TestDatabase;
let app: SlackTestApp;
let subscriptionId: number;
let calls: { method: string; body: Record<string, unknown> }[] = [];

function captureViews(): void {
  for (const method of ["views.open", "views.update", "chat.postMessage", "chat.postEphemeral"])
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(`/api/${method}`, (body: Record<string, unknown>) => {
        const parsed: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(body))
          parsed[k] = typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
        calls.push({ method, body: parsed });
        return true;
      })
      .reply(200, { ok: true, view: { id: "VLIST" } });
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/actions/response", (body: Record<string, unknown>) => {
      calls.push({ method: "response_url", body });
      return true;
    })
    .reply(200, { ok: true });
}

let seq = 0;
function click(actionId: string, value: string, from: "message" | "modal") {
  seq += 1;
  const where =
    from === "message"
      ? {
          container: { type: "message", message_ts: "1.1", channel_id: "CDIGEST", is_ephemeral: false },
          channel: { id: "CDIGEST", name: "cs" },
          response_url: `${SLACK_API_ORIGIN}/actions/response`,
        }
      : {
          container: { type: "view", view_id: "VLIST" },
          view: {
            id: "VLIST",
            team_id: "T111",
            type: "modal",
            blocks: [],
            private_metadata: "",
            callback_id: "",
            state: { values: {} },
            hash: "h",
          },
        };
  return {
    type: "block_actions",
    team: { id: "T111", domain: "test" },
    user: { id: "UREADER", name: "reader", team_id: "T111" },
    api_app_id: "A111",
    trigger_id: `777.888.${seq}`,
    ...where,
    actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: `1700000200.${seq}` }],
  };
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  const admin = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UADMIN", role: "admin" } });
  const csm = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UCSM", name: "Chris", role: "csm" } });
  // The reader owns no account: the list must still show the digest's 25.
  await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UREADER", role: "csm" } });
  for (let i = 0; i < 25; i++) {
    const a = await t.db.account.create({
      data: {
        workspaceId: ws.id,
        name: `Risky ${String(i).padStart(2, "0")}`,
        ownerId: csm.id,
        arr: 1000 + i,
        createdAt: addDays(TODAY, -400),
      },
    });
    await t.db.healthSnapshot.create({
      data: {
        workspaceId: ws.id,
        accountId: a.id,
        scoredOn: TODAY,
        score: 30 + i,
        band: "red",
        components: {},
        reasons: [{ component: "usage", impact: -12, text: "Weekly active users fell 40%", code: "usage.wau_drop" }],
        modelVersion: "t",
      },
    });
  }
  subscriptionId = (
    await t.db.digestSubscription.create({
      data: {
        workspaceId: ws.id,
        channelId: "CDIGEST",
        createdById: admin.id,
        bands: ["red", "yellow"],
        postAtMinutes: 540,
        timezone: "UTC",
      },
    })
  ).id;
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
beforeEach(() => {
  calls = [];
  nockAuthTest();
  captureViews();
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

const text = (v: unknown) => JSON.stringify(v);

describe("See all", () => {
  it("opens the full list at once, then fills page 1 of 3 with ten accounts and their buttons", async () => {
    await app.interaction(click(ACTION.digestSeeAll, JSON.stringify({ s: subscriptionId, p: 0 }), "message"));
    const filled = await eventually(() => calls.find((c) => c.method === "views.update"));
    expect(calls.find((c) => c.method === "views.open")).toBeDefined();
    expect(filled.body.view_id).toBe("VLIST");
    const view = text(filled.body.view);
    expect(view).toContain("25 accounts need attention");
    expect(view).toContain("page 1 of 3");
    expect(view.match(/"action_id":"pulse_digest_snooze"/g)).toHaveLength(10);
    expect(view).toContain("pulse_digest_page_next");
  });

  it("Next replaces the list in place with the next page; the last page has the rest", async () => {
    await app.interaction(click(ACTION.digestPageNext, JSON.stringify({ s: subscriptionId, p: 2 }), "modal"));
    const filled = await eventually(() => calls.find((c) => c.method === "views.update"));
    expect(calls.find((c) => c.method === "views.open")).toBeUndefined();
    const view = text(filled.body.view);
    expect(view).toContain("page 3 of 3");
    expect(view.match(/"action_id":"pulse_digest_snooze"/g)).toHaveLength(5);
    expect(view).toContain("pulse_digest_page_previous");
    expect(view).not.toContain("pulse_digest_page_next");
  });

  it("refuses a digest of another workspace, or a forged value, in the modal", async () => {
    await app.interaction(click(ACTION.digestSeeAll, JSON.stringify({ s: subscriptionId + 999, p: 0 }), "message"));
    const refused = await eventually(() => calls.find((c) => c.method === "views.update"));
    expect(text(refused.body.view)).toContain("That digest no longer exists in this workspace.");
    calls = [];
    await app.interaction(click(ACTION.digestSeeAll, "nonsense", "message"));
    await app.idle();
    const answer = await eventually(() => calls.length > 0 && calls);
    expect(text(answer)).toContain("This button is out of date");
  });
});
