// `/pulse admin model` and its buttons, end to end: which model scores the workspace, the
// held-out comparison, adopting the newest fitted model and going back to the rules; and
// the weekly check's line on App Home.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { buildHome } from "../../src/slack/home.js";
import { loadAdoptedModel } from "../../src/services/health-models.js";
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
let ws: number;
const NOW = new Date("2026-11-23T10:00:00Z");
const metrics = (auc: number) => ({
  rows: 900,
  churned: 80,
  auc,
  aucInterval: [auc - 0.03, auc + 0.03],
  topDecileLift: 3.1,
  red: { flagged: 70, precision: 0.41, recall: 0.36 },
});
const spec = (version: string) => ({
  version,
  horizonDays: 90,
  baseRate: 0.09,
  intercept: -2.3,
  columns: [
    {
      kind: "number",
      key: "active_share_7d",
      log: false,
      lo: 0,
      hi: 1,
      median: 0.4,
      mean: 0,
      sd: 1,
      coefficient: -0.8,
      missing: null,
    },
  ],
  bands: { redAbove: 0.18, greenBelow: 0.0675 },
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  ws = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } })).id;
  await t.db.user.create({ data: { workspaceId: ws, slackUserId: "U111", role: "admin" } });
  await t.db.user.create({ data: { workspaceId: ws, slackUserId: "U222", role: "csm" } });
  for (const [version, auc] of [
    ["learned-2026-11-01.1", 0.78],
    ["learned-2026-11-20.1", 0.81],
  ] as const) {
    await t.db.healthModelVersion.create({
      data: {
        workspaceId: ws,
        version,
        horizonDays: 90,
        trainedUntil: new Date("2026-10-01"),
        trainingRows: 900,
        churns: 80,
        spec: spec(version) as Prisma.InputJsonValue,
        validation: {
          scheme: "rolling-origin",
          folds: 4,
          learned: metrics(auc),
          rules: metrics(0.61),
          calibration: [],
        } as Prisma.InputJsonValue,
        createdAt: version.includes("11-01") ? new Date("2026-11-01") : new Date("2026-11-20"),
        ...(version.includes("11-01")
          ? {
              adoptedAt: new Date("2026-11-02"),
              lastCheck: {
                checkedAt: "2026-11-16T04:23:00Z",
                version,
                from: "2026-05-01",
                to: "2026-08-01",
                churns: 9,
                caught: 7,
                medianDaysOfWarning: 41,
                falseAlarms: 12,
                survivors: 400,
                auc: 0.77,
                validationAuc: 0.78,
                dropped: false,
                alertedAt: null,
              },
            }
          : {}),
      },
    });
  }
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

const click = (actionId: string, value: string, user = "U111", ts = "1") => ({
  type: "block_actions",
  team: { id: "T111" },
  user: { id: user, name: user },
  api_app_id: "A111",
  trigger_id: `trigger-${ts}`,
  response_url: `${SLACK_API_ORIGIN}/actions/response`,
  container: { type: "message", channel_id: "CTEAM" },
  channel: { id: "CTEAM" },
  actions: [{ type: "button", action_id: actionId, value, block_id: "b", action_ts: ts }],
});

describe("/pulse admin model", () => {
  it("shows the adopted model with its check, the newer candidate beside the rules, and the buttons", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    await app.command({ text: "admin model", user_id: "U111" });
    const reply = await eventually(() => bodies[0]);
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain("learned-2026-11-01.1");
    expect(text).toContain("caught 7 of the last 9 churns, 41 days ahead (median), 12 false alarms");
    expect(text).toContain("Newest fitted, not adopted");
    expect(text).toContain("learned AUC 0.810 (0.78–0.84), rules 0.610");
    expect(text).toContain(ACTION.adoptModel);
    expect(text).toContain(ACTION.retireModel);
  });

  it("refuses a CSM", async () => {
    nockAuthTest();
    const bodies = captureReplies();
    await app.command({ text: "admin model", user_id: "U222" });
    expect(String((await eventually(() => bodies[0])).text)).toMatch(/admin/i);
  });

  it("an admin's click adopts the newer model (audited); a CSM's click changes nothing", async () => {
    nockAuthTest();
    const refused = captureReplies("/actions/response");
    await app.interaction(click(ACTION.adoptModel, "learned-2026-11-20.1", "U222", "5"));
    await app.idle();
    expect(JSON.stringify(refused)).not.toContain("scores this workspace");
    expect((await loadAdoptedModel(t.db, ws))!.version).toBe("learned-2026-11-01.1");

    nockAuthTest();
    await app.interaction(click(ACTION.adoptModel, "learned-2026-11-20.1", "U111", "6"));
    const adopted = await eventually(() => refused.find((r) => String(r.text).includes("scores this workspace")));
    expect(String(adopted.text)).toContain("*learned-2026-11-20.1* scores this workspace");
    expect((await loadAdoptedModel(t.db, ws))!.version).toBe("learned-2026-11-20.1");
    expect(await t.db.auditLog.count({ where: { workspaceId: ws, action: "model.adopt", actorSlackId: "U111" } })).toBe(
      1,
    );
  });

  it("App Home shows the check of the adopted model; going back to the rules removes it", async () => {
    await t.db.healthModelVersion.update({
      where: { workspaceId_version: { workspaceId: ws, version: "learned-2026-11-20.1" } },
      data: {
        lastCheck: {
          checkedAt: "2026-11-23T04:23:00Z",
          version: "learned-2026-11-20.1",
          from: "2026-05-01",
          to: "2026-08-01",
          churns: 10,
          caught: 8,
          medianDaysOfWarning: 35,
          falseAlarms: 9,
          survivors: 400,
          auc: 0.8,
          validationAuc: 0.81,
          dropped: false,
          alertedAt: null,
        },
      },
    });
    const home = JSON.stringify(await buildHome({ db: t.db, clock: () => NOW }, ws, "U222"));
    expect(home).toContain(
      "Churn model learned-2026-11-20.1: caught 8 of the last 10 churns, 35 days ahead (median), 9 false alarms",
    );

    nockAuthTest();
    const bodies = captureReplies("/actions/response");
    await app.interaction(click(ACTION.retireModel, "learned-2026-11-20.1", "U111", "7"));
    expect(String((await eventually(() => bodies[0])).text)).toContain("The rules model scores this workspace");
    expect(await loadAdoptedModel(t.db, ws)).toBeNull();
    expect(JSON.stringify(await buildHome({ db: t.db, clock: () => NOW }, ws, "U222"))).not.toContain("Churn model");
  });
});
