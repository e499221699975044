// `/pulse voc` against hand-computed figures, and detractor alerts sent once.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { alertPendingDetractors } from "../../src/services/detractor-alert.js";
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
const NOW = new Date("2026-11-23T10:00:00Z");

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  const maya = await t.db.user.create({
    data: { workspaceId: ws.id, slackUserId: "UMAYA", name: "Maya", role: "csm" },
  });
  const tom = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UTOM", name: "Tom", role: "csm" } });
  const ent = await t.db.account.create({
    data: { workspaceId: ws.id, name: "Bigco", segment: "enterprise", ownerId: maya.id },
  });
  const ent2 = await t.db.account.create({
    data: { workspaceId: ws.id, name: "Hugeco", segment: "enterprise", ownerId: tom.id },
  });
  const smb = await t.db.account.create({
    data: { workspaceId: ws.id, name: "Tinyco", segment: "smb", ownerId: tom.id },
  });
  const answer = (accountId: number, kind: "nps" | "csat" | "ces", score: number, daysAgo: number) =>
    t.db.surveyResponse.create({
      data: {
        workspaceId: ws.id,
        accountId,
        kind,
        score,
        respondedAt: new Date(NOW.getTime() - daysAgo * 86_400_000),
        detractorAlertedAt: NOW,
      },
    });
  // Last 90 days. Enterprise NPS: 10, 9, 6, 3 -> (2-2)/4 = 0; SMB NPS: 9, 8 -> 50; all: 10,9,6,3,9,8 -> (3-2)/6 = 16.7
  for (const [a, s] of [
    [ent.id, 10],
    [ent.id, 9],
    [ent2.id, 6],
    [ent2.id, 3],
    [smb.id, 9],
    [smb.id, 8],
  ] as const)
    await answer(a, "nps", s, 10);
  // CSAT enterprise: 5, 4, 2 -> 66.7%; CES smb: 2, 3 -> 2.5
  for (const s of [5, 4, 2]) await answer(ent.id, "csat", s, 20);
  for (const s of [2, 3]) await answer(smb.id, "ces", s, 5);
  // The 90 days before: enterprise NPS 10, 10 -> 100 (so the trend is down 100).
  for (const s of [10, 10]) await answer(ent.id, "nps", s, 120);
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("/pulse voc", () => {
  it("reads a spoken period, not a segment called “last month”", async () => {
    nockAuthTest();
    const bodies = captureReplies("/commands/T111/1/response");
    await app.command({ text: "voc last month", user_id: "UMAYA" });
    const lastMonth = JSON.stringify(await eventually(() => bodies[0]));
    expect(lastMonth).toContain("Voice of the customer — October 2026");
    expect(lastMonth).not.toContain("last month");

    await app.command({ text: "voc enterprise last 30 days", user_id: "UMAYA" });
    const enterprise = JSON.stringify(await eventually(() => bodies[1]));
    expect(enterprise).toContain("Voice of the customer — last 30 days — enterprise");
    expect(enterprise).toContain("*Maya*  NPS 100 (n=2)");

    await app.command({ text: "voc this quarter", user_id: "UMAYA" });
    expect(JSON.stringify(await eventually(() => bodies[2]))).toContain("Voice of the customer — 2026 Q4");

    await app.command({ text: "voc last fortnight", user_id: "UMAYA" });
    expect(String((await eventually(() => bodies[3])).text)).toContain(
      "I could not read “last fortnight” as a period. Try last month, this quarter",
    );
  });

  it("reports NPS, CSAT and CES by segment with counts and trend", async () => {
    nockAuthTest();
    const bodies = captureReplies("/commands/T111/1/response");
    await app.command({ text: "voc", user_id: "UMAYA" });
    const text = JSON.stringify(await eventually(() => bodies[0]));
    expect(text).toContain("*All*  NPS 16.7 (n=6) ↓83.3 · CSAT 66.7% (n=3) · CES 2.5 (n=2)");
    expect(text).toContain("*enterprise*  NPS 0 (n=4) ↓100 · CSAT 66.7% (n=3) · CES —");
    expect(text).toContain("*smb*  NPS 50 (n=2) · CSAT — · CES 2.5 (n=2)");
  });

  it("within a segment, reports by owner; a period with no answers says so without NaN", async () => {
    nockAuthTest();
    const bodies = captureReplies("/commands/T111/1/response");
    await app.command({ text: "voc enterprise last-90d", user_id: "UMAYA" });
    const text = JSON.stringify(await eventually(() => bodies[0]));
    expect(text).toContain("*Maya*  NPS 100 (n=2)");
    expect(text).toContain("*Tom*  NPS -100 (n=2)");
    await app.command({ text: "voc 2025-01", user_id: "UMAYA" });
    const empty = JSON.stringify(await eventually(() => bodies[1]));
    expect(empty).toContain("*All*  NPS — · CSAT — · CES —");
    expect(empty).not.toContain("NaN");
  });
});

describe("detractor alerts", () => {
  it("tells the owner at once, with the comment, and only once", async () => {
    nockAuthTest();
    const bodies = captureReplies("/commands/T111/1/response");
    await app.command({ text: 'nps tinyco 3 "Support never answers"', user_id: "UMAYA" });
    const confirm = (await eventually(() => bodies[0])) as {
      blocks: { elements?: { action_id: string; value: string }[] }[];
    };
    const record = confirm.blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.quickSurveyConfirm)!;
    captureReplies("/actions/response");
    await app.interaction({
      type: "block_actions",
      team: { id: "T111" },
      user: { id: "UMAYA" },
      api_app_id: "A111",
      trigger_id: "1.1",
      response_url: `${SLACK_API_ORIGIN}/actions/response`,
      actions: [
        { type: "button", action_id: ACTION.quickSurveyConfirm, value: record.value, block_id: "b", action_ts: "1" },
      ],
    });
    const alert = await eventually(() => app.notifier.posts.find((p) => p.channel === "UTOM"));
    expect(alert.text).toContain("Detractor NPS *3*");
    expect(alert.text).toContain("Tinyco");
    expect(alert.text).toContain("“Support never answers”");
    expect(await alertPendingDetractors(app.ctx, NOW)).toBe(0);
    expect(app.notifier.posts.filter((p) => p.channel === "UTOM")).toHaveLength(1);
  });

  it("sweeps up detractors that arrived by import, once", async () => {
    const tinyco = await t.db.account.findFirstOrThrow({ where: { name: "Tinyco" } });
    await t.db.surveyResponse.create({
      data: {
        workspaceId: tinyco.workspaceId,
        accountId: tinyco.id,
        kind: "nps",
        score: 5,
        respondedAt: NOW,
        source: "import",
        comment: "Too pricey",
      },
    });
    const before = app.notifier.posts.length;
    expect(await alertPendingDetractors(app.ctx, NOW)).toBe(1);
    expect(await alertPendingDetractors(app.ctx, NOW)).toBe(0);
    expect(app.notifier.posts.length).toBe(before + 1);
    expect(app.notifier.posts.at(-1)!.text).toContain("Too pricey");
  });
});
