// Sentiment overrides (audited, shown beside the score, expiring) and /pulse stage.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { captureReplies, eventually, nockAuthTest, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;
let now = new Date("2026-11-23T10:00:00Z");
let accountId: number;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "T" } });
  accountId = (await t.db.account.create({ data: { workspaceId: ws.id, name: "Acme", stage: "onboarding" } })).id;
  await t.db.healthSnapshot.create({
    data: {
      workspaceId: ws.id,
      accountId,
      scoredOn: new Date("2026-11-23"),
      score: 82,
      band: "green",
      components: {},
      reasons: [],
      modelVersion: "t",
    },
  });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => now });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("sentiment overrides", () => {
  it("shows the CSM's read beside the unchanged score, audited, until it expires", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    await app.command({ text: 'override acme red "champion is leaving in January" days=14' });
    expect(String((await eventually(() => bodies[0])).text)).toContain("The computed score is unchanged");
    await app.command({ text: "account acme" });
    const card = JSON.stringify(await eventually(() => bodies[1]));
    expect(card).toContain("Health 82/100");
    expect(card).toContain("CSM read: red");
    expect(card).toContain("champion is leaving in January");
    expect(await t.db.healthSnapshot.findFirstOrThrow({ where: { accountId } })).toMatchObject({
      score: 82,
      band: "green",
    });
    expect(await t.db.auditLog.count({ where: { action: "override.set" } })).toBe(1);
    await app.command({ text: "override list" });
    expect(String((await eventually(() => bodies[2])).text)).toContain("*Acme* — “champion is leaving in January”");

    now = new Date("2026-12-08T10:00:00Z"); // 15 days later: expired
    await app.command({ text: "account acme" });
    expect(JSON.stringify(await eventually(() => bodies[3]))).not.toContain("CSM read");
  });

  it("refuses an override without a reason", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    await app.command({ text: 'override acme yellow "meh"' });
    expect(String((await eventually(() => bodies[0])).text)).toContain("say why in a few words");
  });
});

describe("/pulse stage", () => {
  it("sets the stage and keeps the history", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    await app.command({ text: "stage acme adoption" });
    expect(String((await eventually(() => bodies[0])).text)).toContain("moved from onboarding to *adoption*");
    expect(await t.db.stageChange.findFirstOrThrow({ where: { accountId } })).toMatchObject({
      fromStage: "onboarding",
      toStage: "adoption",
      source: "manual",
    });
    await app.command({ text: "stage acme teenage" });
    expect(String((await eventually(() => bodies[1])).text)).toContain("Usage: `/pulse stage <account>");
  });
});
