// `/pulse churn` without a name (issue 15): the picker lists the riskiest active accounts
// first, not the first 100 alphabetically.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listActiveAccountChoices } from "../../src/services/churn-post-mortem.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { eventually, nockAuthTest, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let workspaceId: number;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  workspaceId = ws.id;
  await t.db.user.create({ data: { workspaceId, slackUserId: "UMGR", name: "Sam", role: "manager" } });
  const account = (name: string, status: "active" | "churned" = "active") =>
    t.db.account.create({ data: { workspaceId, name, status } });
  const snapshot = (accountId: number, scoredOn: string, score: number) =>
    t.db.healthSnapshot.create({
      data: {
        workspaceId,
        accountId,
        scoredOn: new Date(`${scoredOn}T00:00:00Z`),
        score,
        band: score < 50 ? "red" : score < 70 ? "yellow" : "green",
        components: {},
        reasons: [],
        modelVersion: "rules-v1",
      },
    });
  const aardvark = await account("Aardvark");
  const zeta = await account("Zeta");
  const mid = await account("Mid");
  await account("Unscored");
  const gone = await account("Alpha Gone", "churned");
  await snapshot(aardvark.id, "2026-11-22", 91);
  // Zeta's latest score counts, not its older better one.
  await snapshot(zeta.id, "2026-11-01", 80);
  await snapshot(zeta.id, "2026-11-22", 18);
  await snapshot(mid.id, "2026-11-22", 45);
  await snapshot(gone.id, "2026-11-22", 5);
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("the churn post-mortem's account picker", () => {
  it("lists active accounts by their latest score, lowest first, unscored last", async () => {
    const choices = await listActiveAccountChoices(t.db, workspaceId, 10);
    expect(choices.map((c) => c.name)).toEqual(["Zeta", "Mid", "Aardvark", "Unscored"]);
    expect((await listActiveAccountChoices(t.db, workspaceId, 2)).map((c) => c.name)).toEqual(["Zeta", "Mid"]);
  });

  it("is what `/pulse churn` without a name offers", async () => {
    nockAuthTest();
    nock(SLACK_API_ORIGIN)
      .post("/api/views.open")
      .reply(200, { ok: true, view: { id: "VCHURN" } });
    const updates: string[] = [];
    nock(SLACK_API_ORIGIN)
      .post("/api/views.update", (body: { view?: string }) => {
        updates.push(String(body.view));
        return true;
      })
      .reply(200, { ok: true, view: { id: "VCHURN" } });
    await app.command({ text: "churn", user_id: "UMGR" });
    const view = JSON.parse(await eventually(() => updates[0])) as {
      blocks: { element?: { type?: string; options?: { text: { text: string } }[] } }[];
    };
    const picker = view.blocks.find((b) => b.element?.type === "static_select" && b.element.options?.length === 4);
    expect(picker?.element?.options?.map((o) => o.text.text)).toEqual(["Zeta", "Mid", "Aardvark", "Unscored"]);
  });
});
