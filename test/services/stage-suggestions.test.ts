import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { createLogger } from "../../src/log.js";
import { answerStageSuggestion, suggestStages } from "../../src/services/stage-suggestions.js";
import { setStage } from "../../src/services/stages.js";
import { ACTION } from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { RecordingSlack } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T03:00:00Z");
const TODAY = new Date("2026-11-23T00:00:00Z");
let t: TestDatabase;
let workspaceId: number;
let userId: number;
let rampId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T1", name: "W" } })).id;
  userId = (await t.db.user.create({ data: { workspaceId, slackUserId: "UOWN", role: "csm" } })).id;
  const ramp = await t.db.account.create({
    data: {
      workspaceId,
      name: "Ramp",
      ownerId: userId,
      seats: 10,
      stage: "onboarding",
      stageSince: addDays(TODAY, -30),
      createdAt: addDays(TODAY, -30),
    },
  });
  rampId = ramp.id;
  for (let d = 1; d <= 20; d++)
    await t.db.usageDaily.create({
      data: { workspaceId, accountId: ramp.id, day: addDays(TODAY, -d), activeUsers: 6, logins: 8, seats: 10 },
    });
  const idle = await t.db.account.create({
    data: {
      workspaceId,
      name: "Idle",
      ownerId: userId,
      seats: 10,
      stage: "onboarding",
      stageSince: addDays(TODAY, -30),
    },
  });
  for (let d = 1; d <= 20; d++)
    await t.db.usageDaily.create({
      data: { workspaceId, accountId: idle.id, day: addDays(TODAY, -d), activeUsers: 1, logins: 1, seats: 10 },
    });
});
afterAll(async () => t.drop());

describe("lifecycle stages", () => {
  it("suggests a move to the owner once, and confirming it changes the stage with history", async () => {
    const notifier = new RecordingSlack();
    const ctx = { db: t.db, slack: notifier, logger: createLogger("silent") };
    expect(await suggestStages(ctx, workspaceId, NOW)).toBe(1);
    expect(notifier.posts).toHaveLength(1);
    expect(notifier.posts[0]!.channel).toBe("UOWN");
    expect(JSON.stringify(notifier.posts[0]!.blocks)).toContain("onboarding → *adoption*");
    expect(JSON.stringify(notifier.posts[0]!.blocks)).toContain(ACTION.stageConfirm);
    expect(await suggestStages(ctx, workspaceId, addDays(NOW, 1))).toBe(0);

    const signal = await t.db.riskSignal.findFirstOrThrow({ where: { kind: "stage_suggestion" } });
    const actor = { workspaceId, userId, slackUserId: "UOWN" };
    expect(await answerStageSuggestion({ db: t.db, clock: () => NOW }, actor, signal.id, true)).toContain(
      "moved from onboarding to *adoption*",
    );
    expect((await t.db.account.findUniqueOrThrow({ where: { id: rampId } })).stage).toBe("adoption");
    expect(await t.db.stageChange.findFirstOrThrow({ where: { accountId: rampId } })).toMatchObject({
      fromStage: "onboarding",
      toStage: "adoption",
      source: "rule:sustained_seat_share",
      changedById: userId,
    });
    expect(await answerStageSuggestion({ db: t.db, clock: () => NOW }, actor, signal.id, true)).toBe(
      "That suggestion was already answered.",
    );
  });

  it("sets a stage by hand and refuses an unknown one", async () => {
    const actor = { workspaceId, userId, slackUserId: "UOWN" };
    const r = await setStage({ db: t.db, clock: () => NOW }, actor, rampId, "maturity", "manual");
    expect(r).toEqual({ name: "Ramp", from: "adoption", to: "maturity" });
    await expect(setStage({ db: t.db, clock: () => NOW }, actor, rampId, "teenage", "manual")).rejects.toMatchObject({
      fieldErrors: { stage: expect.stringContaining("must be one of") },
    });
    expect(await t.db.auditLog.count({ where: { action: "account.stage" } })).toBe(2);
  });
});
