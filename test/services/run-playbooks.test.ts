// The nightly playbook run on real PostgreSQL: the right tasks for the right owner, once;
// one DM per owner; control firings recorded without tasks; the outcomes report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { createLogger } from "../../src/log.js";
import { playbookReport } from "../../src/services/playbook-report.js";
import { runPlaybooksForWorkspace } from "../../src/services/run-playbooks.js";
import { completeTask, snoozeTask } from "../../src/services/task-actions.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { RecordingSlack } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T03:30:00Z");
const TODAY = new Date("2026-11-23T00:00:00Z");
let t: TestDatabase;
let workspaceId: number;
let maya: { id: number; slackUserId: string };
const ids: Record<string, number> = {};
const notifier = new RecordingSlack();
const ctx = () => ({ db: t.db, logger: createLogger("silent"), slack: notifier });

beforeAll(async () => {
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T1", name: "W" } });
  workspaceId = ws.id;
  maya = await t.db.user.create({ data: { workspaceId, slackUserId: "UMAYA", role: "csm" } });
  const tom = await t.db.user.create({ data: { workspaceId, slackUserId: "UTOM", role: "csm" } });
  const mk = async (name: string, ownerId: number, over: Record<string, unknown> = {}) => {
    const a = await t.db.account.create({
      data: {
        workspaceId,
        name,
        ownerId,
        seats: 100,
        stage: "maturity",
        createdAt: addDays(TODAY, -400),
        renewalDate: addDays(TODAY, 200),
        ...over,
      },
    });
    ids[name] = a.id;
    for (let d = 1; d <= 20; d++) {
      await t.db.usageDaily.create({
        data: { workspaceId, accountId: a.id, day: addDays(TODAY, -d), activeUsers: 60, logins: 80, seats: 100 },
      });
    }
    await t.db.healthSnapshot.create({
      data: {
        workspaceId,
        accountId: a.id,
        scoredOn: addDays(TODAY, -1),
        score: 75,
        band: "green",
        components: {},
        reasons: [],
        modelVersion: "t",
      },
    });
    return a;
  };
  const calm = await mk("Calm", maya.id);
  const unhappy = await mk("Unhappy", maya.id);
  await t.db.surveyResponse.create({
    data: { workspaceId, accountId: unhappy.id, kind: "nps", score: 3, respondedAt: addDays(NOW, -2) },
  });
  const renewing = await mk("Renewing", maya.id, { renewalDate: addDays(TODAY, 30) });
  await t.db.healthSnapshot.create({
    data: {
      workspaceId,
      accountId: renewing.id,
      scoredOn: TODAY,
      score: 45,
      band: "red",
      components: {},
      reasons: [],
      modelVersion: "t",
    },
  });
  const orphaned = await mk("Orphaned", tom.id);
  await t.db.contact.create({
    data: { workspaceId, accountId: orphaned.id, stakeholderType: "sponsor", leftAt: addDays(TODAY, -10) },
  });
  void calm;
});
afterAll(async () => t.drop());

describe("runPlaybooks", () => {
  it("creates the right tasks for each at-risk account's owner, and DMs each owner once", async () => {
    const summary = await runPlaybooksForWorkspace(ctx(), workspaceId, NOW);
    expect(summary).toMatchObject({ fired: 3, treated: 3, control: 0, ownersNotified: 2 });
    const tasks = await t.db.playbookTask.findMany({
      include: { account: true, owner: true },
      orderBy: [{ accountId: "asc" }, { dedupeKey: "asc" }],
    });
    expect(tasks.map((x) => [x.account.name, x.dedupeKey, x.owner?.slackUserId])).toEqual([
      ["Unhappy", "detractor_nps", "UMAYA"],
      ["Unhappy", "detractor_nps:2", "UMAYA"],
      ["Renewing", "renewal_risk", "UMAYA"],
      ["Renewing", "renewal_risk:2", "UMAYA"],
      ["Orphaned", "sponsor_left", "UTOM"],
      ["Orphaned", "sponsor_left:2", "UTOM"],
    ]);
    expect(tasks.find((x) => x.dedupeKey === "detractor_nps")!.dueOn).toEqual(addDays(TODAY, 2));
    expect(tasks.every((x) => x.notifiedAt !== null)).toBe(true);
    expect(notifier.posts.map((p) => p.channel).sort()).toEqual(["UMAYA", "UTOM"]);
    expect(notifier.posts.find((p) => p.channel === "UMAYA")!.text).toContain("4 new playbook tasks");
  });

  it("never duplicates a task that is still open, nor re-fires within 30 days", async () => {
    const before = await t.db.playbookTask.count();
    const summary = await runPlaybooksForWorkspace(ctx(), workspaceId, addDays(NOW, 1));
    expect(summary.fired).toBe(0);
    expect(await t.db.playbookTask.count()).toBe(before);
    expect(notifier.posts).toHaveLength(2);
  });

  it("records control firings without tasks when a playbook holds back its share", async () => {
    await t.db.playbook.update({
      where: { workspaceId_key: { workspaceId, key: "no_logins" } },
      data: { controlShare: 1 },
    });
    const quiet = await t.db.account.create({
      data: { workspaceId, name: "Quiet", ownerId: maya.id, seats: 10, createdAt: addDays(TODAY, -400) },
    });
    await t.db.usageDaily.create({
      data: { workspaceId, accountId: quiet.id, day: addDays(TODAY, -30), activeUsers: 5, logins: 5, seats: 10 },
    });
    const summary = await runPlaybooksForWorkspace(ctx(), workspaceId, addDays(NOW, 2));
    expect(summary).toMatchObject({ fired: 1, treated: 0, control: 1 });
    const firing = await t.db.playbookFiring.findFirstOrThrow({
      where: { accountId: quiet.id, playbook: { key: "no_logins" } },
    });
    expect(firing.group).toBe("control");
    expect(await t.db.playbookTask.count({ where: { firingId: firing.id } })).toBe(0);
  });

  it("Done and Snooze change a task in its own workspace only", async () => {
    const task = await t.db.playbookTask.findFirstOrThrow({ where: { dedupeKey: "detractor_nps" } });
    const actor = { workspaceId, userId: maya.id, slackUserId: "UMAYA" };
    const c = { db: t.db, clock: () => NOW };
    await snoozeTask(c, actor, task.id);
    expect(await t.db.playbookTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "snoozed",
      snoozedUntil: addDays(TODAY, 7),
    });
    await completeTask(c, actor, task.id);
    expect(await t.db.playbookTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "done",
      completedById: maya.id,
    });
    await expect(completeTask(c, { ...actor, workspaceId: workspaceId + 999 }, task.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
      userMessage: "That task does not exist in this workspace.",
    });
  });

  it("reports firings, tasks done and recovery for treated and control groups", async () => {
    const later = addDays(NOW, 40);
    await t.db.healthSnapshot.create({
      data: {
        workspaceId,
        accountId: ids.Renewing!,
        scoredOn: addDays(TODAY, 20),
        score: 72,
        band: "green",
        components: {},
        reasons: [],
        modelVersion: "t",
      },
    });
    const report = await playbookReport(t.db, workspaceId, later);
    const renewal = report.find((r) => r.key === "renewal_risk")!;
    expect(renewal).toMatchObject({
      treated: { fired: 1, judged: 1, recovered: 1 },
      control: { fired: 0 },
      tasks: { total: 2, done: 0 },
    });
    expect(renewal.effect).toEqual({ notEnoughData: "need at least 10 in each group (treated 1, control 0)" });
    const detractor = report.find((r) => r.key === "detractor_nps")!;
    expect(detractor).toMatchObject({ treated: { fired: 1, recovered: 0 }, tasks: { total: 2, done: 1 } });
    expect(report.find((r) => r.key === "no_logins")!.control.fired).toBe(1);
  });
});
