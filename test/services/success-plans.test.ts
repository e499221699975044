import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { addDays } from "../../src/domain/dates.js";
import { importCsv } from "../../src/services/import-csv.js";
import { exportAccountData } from "../../src/services/privacy.js";
import {
  acceptAdkarSuggestion,
  ADKAR_STUCK,
  detectPlanRisks,
  getPlanCardSummary,
  getSuccessPlan,
  listPlansForOwner,
  MILESTONE_OVERDUE,
  saveMilestone,
  saveObjective,
  setAdkarStage,
} from "../../src/services/success-plans.js";
import { testContext } from "../helpers/app-context.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createSmallWorkspace, type SmallWorkspace } from "../helpers/small-workspace.js";

const NOW = new Date("2026-11-20T12:00:00Z");
let t: TestDatabase;
let ctx: AppContext;
let a: SmallWorkspace;
let b: SmallWorkspace;
const actorA = () => ({ workspaceId: a.workspaceId, slackUserId: "UADMIN" });
const actorB = () => ({ workspaceId: b.workspaceId, slackUserId: "UOTHER" });

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = testContext(t.db, { url: t.url, clock: () => NOW });
  a = await createSmallWorkspace(t.db, "TPLANA");
  b = await createSmallWorkspace(t.db, "TPLANB", { adminSlackId: "UOTHER", accountName: "Beta Other" });
});
afterAll(async () => {
  await t.drop();
});

describe("objectives and milestones", () => {
  it("are saved with an audit row, and validated field by field", async () => {
    const o = await saveObjective(ctx, actorA(), a.accountId, null, {
      title: "Cut report preparation from 3 days to 1",
      metric: "days to prepare the monthly report",
      unit: "days",
      baseline: 3,
      target: 1,
      current: 2,
      targetDate: new Date("2027-06-30T00:00:00Z"),
      stakeholderTypes: ["sponsor", "end_user"],
      notes: "Sponsor is sceptical",
    });
    expect(o.created).toBe(true);
    const stored = await t.db.successObjective.findUniqueOrThrow({ where: { id: o.id } });
    expect(stored.measuredOn?.toISOString().slice(0, 10)).toBe("2026-11-20");
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, action: "plan.objective.create" },
    });
    expect(audit).toMatchObject({ actorSlackId: "UADMIN", accountId: a.accountId, entityId: String(o.id) });
    expect(JSON.stringify(audit.details)).not.toContain("sceptical");

    await expect(saveObjective(ctx, actorA(), a.accountId, null, { title: "", target: 5 })).rejects.toMatchObject({
      fieldErrors: { title: expect.any(String), metric: expect.stringContaining("measures") },
    });
    await expect(saveObjective(ctx, actorA(), a.accountId, null, { title: "x", current: 2 })).rejects.toMatchObject({
      fieldErrors: { baseline: expect.any(String) },
    });

    const m = await saveMilestone(ctx, actorA(), a.accountId, null, {
      title: "SSO live",
      owner: "Dana (IT)",
      dueOn: new Date("2026-11-01T00:00:00Z"),
      objectiveId: o.id,
    });
    await saveMilestone(ctx, actorA(), a.accountId, null, {
      title: "Pilot team trained",
      dueOn: new Date("2026-12-10T00:00:00Z"),
    });
    expect(await t.db.auditLog.count({ where: { workspaceId: a.workspaceId, action: "plan.milestone.create" } })).toBe(
      2,
    );
    await saveMilestone(ctx, actorA(), a.accountId, m.id, {
      title: "SSO live",
      owner: "Dana (IT)",
      dueOn: new Date("2026-11-01T00:00:00Z"),
      objectiveId: o.id,
    });
    expect(
      await t.db.auditLog.count({
        where: { workspaceId: a.workspaceId, action: "plan.milestone.update", entityId: String(m.id) },
      }),
    ).toBe(1);
    await expect(
      saveMilestone(ctx, actorA(), a.accountId, null, { title: "x", dueOn: NOW, completedOn: addDays(NOW, 3) }),
    ).rejects.toMatchObject({ fieldErrors: { completedOn: expect.any(String) } });

    const plan = await getSuccessPlan(t.db, a.workspaceId, a.accountId, NOW);
    expect(plan.summary).toMatchObject({ objectives: 1, milestones: 2, overdue: 1, milestonesDone: 0 });
    expect(plan.milestones.map((x) => x.state)).toEqual(["overdue", "open"]);
    const card = await getPlanCardSummary(t.db, a.workspaceId, a.accountId, NOW);
    expect(card?.summary.overdue).toBe(1);
    expect((await listPlansForOwner(t.db, a.workspaceId, a.adminId, NOW)).map((r) => r.accountName)).toEqual([
      "Acme Corp",
    ]);
  });

  it("another workspace can neither read nor edit them", async () => {
    const objective = await t.db.successObjective.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    const milestone = await t.db.successMilestone.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    await expect(getSuccessPlan(t.db, b.workspaceId, a.accountId, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saveObjective(ctx, actorB(), a.accountId, null, { title: "hijack" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Its own account, but A's objective and milestone ids.
    await expect(saveObjective(ctx, actorB(), b.accountId, objective.id, { title: "hijack" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      saveMilestone(ctx, actorB(), b.accountId, milestone.id, { title: "hijack", dueOn: NOW }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      saveMilestone(ctx, actorB(), b.accountId, null, { title: "x", dueOn: NOW, objectiveId: objective.id }),
    ).rejects.toMatchObject({ fieldErrors: { objectiveId: expect.any(String) } });
    await expect(setAdkarStage(ctx, actorB(), a.accountId, "sponsor", "desire")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await getPlanCardSummary(t.db, b.workspaceId, a.accountId, NOW)).toBeNull();
    expect((await t.db.successObjective.findUniqueOrThrow({ where: { id: objective.id } })).title).not.toBe("hijack");
    expect(await t.db.auditLog.count({ where: { workspaceId: b.workspaceId, action: { startsWith: "plan." } } })).toBe(
      0,
    );
  });
});

describe("ADKAR", () => {
  it("a stage set in one click is stored with its history, audited, and opens the stage's tasks", async () => {
    const r = await setAdkarStage(ctx, actorA(), a.accountId, "end_user", "knowledge");
    expect(r).toMatchObject({ from: null, to: "knowledge", tasksCreated: 1 });
    const task = await t.db.playbookTask.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, dedupeKey: "adkar:end_user:knowledge" },
    });
    expect(task).toMatchObject({
      ownerId: a.adminId,
      status: "open",
      title: expect.stringContaining("training session"),
    });
    expect(
      await t.db.adkarChange.count({
        where: { workspaceId: a.workspaceId, accountId: a.accountId, group: "end_user", source: "manual" },
      }),
    ).toBe(1);
    expect(await t.db.auditLog.findFirst({ where: { workspaceId: a.workspaceId, action: "adkar.set" } })).toMatchObject(
      { details: { group: "end_user", from: null, to: "knowledge", source: "manual" } },
    );
    // The same stage again changes nothing; the task is not duplicated.
    expect((await setAdkarStage(ctx, actorA(), a.accountId, "end_user", "knowledge")).tasksCreated).toBe(0);
    expect(await t.db.adkarChange.count({ where: { workspaceId: a.workspaceId, group: "end_user" } })).toBe(1);
    await expect(setAdkarStage(ctx, actorA(), a.accountId, "end_user", "mastery")).rejects.toMatchObject({
      fieldErrors: { stage: expect.any(String) },
    });
    await expect(setAdkarStage(ctx, actorA(), a.accountId, "managers", "desire")).rejects.toMatchObject({
      fieldErrors: { group: expect.any(String) },
    });
  });

  it("suggests from the stored evidence and accepting records that evidence", async () => {
    // The small workspace's one touchpoint reached nobody in particular: sponsors have had no kickoff.
    let plan = await getSuccessPlan(t.db, a.workspaceId, a.accountId, NOW);
    expect(plan.adkar.find((g) => g.group === "sponsor")?.suggestion).toMatchObject({
      stage: "awareness",
      rule: "no_kickoff",
    });
    await t.db.touchpoint.create({
      data: {
        workspaceId: a.workspaceId,
        accountId: a.accountId,
        kind: "meeting",
        occurredAt: addDays(NOW, -5),
        stakeholderTypes: ["sponsor"],
        sentiment: "positive",
        notes: "Kickoff with the sponsor",
      },
    });
    // Jane, a sponsor contact, answered NPS 4 on 2026-11-02: the sponsor group is at Desire.
    plan = await getSuccessPlan(t.db, a.workspaceId, a.accountId, NOW);
    expect(plan.adkar.find((g) => g.group === "sponsor")?.suggestion).toMatchObject({
      stage: "desire",
      rule: "detractor",
      evidence: expect.arrayContaining([expect.stringContaining("NPS in the last 90 days is 4")]),
    });
    await t.db.surveyResponse.create({
      data: {
        workspaceId: a.workspaceId,
        accountId: a.accountId,
        kind: "nps",
        score: 9,
        stakeholderType: "sponsor",
        respondedAt: addDays(NOW, -1),
      },
    });
    plan = await getSuccessPlan(t.db, a.workspaceId, a.accountId, NOW);
    const sponsor = plan.adkar.find((g) => g.group === "sponsor")!;
    expect(sponsor.suggestion).toMatchObject({ stage: "knowledge", rule: "sponsor_no_review" });
    expect(sponsor.nextAction).toContain("success plan");
    const accepted = await acceptAdkarSuggestion(ctx, actorA(), a.accountId, "sponsor");
    expect(accepted.to).toBe("knowledge");
    const change = await t.db.adkarChange.findFirstOrThrow({ where: { workspaceId: a.workspaceId, group: "sponsor" } });
    expect(change.source).toBe("suggestion:sponsor_no_review");
    expect(JSON.stringify(change.evidence)).toContain("no business review");
  });

  it("a group stuck past its stage's limit and overdue milestones raise one risk signal each, with tasks, resolved once cleared", async () => {
    // End users have been at Knowledge since NOW; 50 days later they are stuck (Knowledge allows 45).
    const later = addDays(NOW, 50);
    const first = await detectPlanRisks(ctx, a.workspaceId, later);
    expect(first).toMatchObject({ stuckSignals: 1, overdueSignals: 1 });
    const stuck = await t.db.riskSignal.findFirstOrThrow({ where: { workspaceId: a.workspaceId, kind: ADKAR_STUCK } });
    expect(stuck.details).toMatchObject({
      groups: expect.arrayContaining([
        expect.objectContaining({ group: "end_user", stage: "knowledge", daysAtStage: 50, allowedDays: 45 }),
      ]),
    });
    const overdue = await t.db.riskSignal.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, kind: MILESTONE_OVERDUE },
    });
    expect(JSON.stringify(overdue.details)).toContain("SSO live");
    expect(
      await t.db.playbookTask.count({
        where: { workspaceId: a.workspaceId, dedupeKey: { startsWith: "milestone_overdue:" } },
      }),
    ).toBe(2);
    // Run again: no second signal, no duplicate task.
    expect(await detectPlanRisks(ctx, a.workspaceId, addDays(later, 1))).toMatchObject({
      stuckSignals: 0,
      overdueSignals: 0,
      tasksCreated: 0,
    });
    expect(await t.db.riskSignal.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
    // Milestones done and the group moved on: both signals resolve.
    await t.db.successMilestone.updateMany({ where: { workspaceId: a.workspaceId }, data: { completedOn: NOW } });
    await t.db.adkarStatus.updateMany({ where: { workspaceId: a.workspaceId }, data: { since: later } });
    expect((await detectPlanRisks(ctx, a.workspaceId, addDays(later, 2))).resolved).toBe(2);
  });
});

describe("pulse import plans", () => {
  const csv = (text: string) => Readable.from([text]);

  it("imports objectives and milestones, a milestone pointing at an objective on an earlier line", async () => {
    const report = await importCsv(ctx, {
      workspaceId: a.workspaceId,
      kind: "plans",
      input: csv(
        "type,id,account id,title,metric,unit,baseline,target,current,target date,objective id,owner,due date,stakeholders\n" +
          "objective,OBJ-1,ACME-1,Faster month-end close,days to close,days,10,5,8,2027-03-31,,,,sponsor\n" +
          'milestone,MS-1,ACME-1,"Close checklist live",,,,,,,OBJ-1,Dana,2027-01-15,implementer;end_user\n',
      ),
    });
    expect(report).toMatchObject({ committed: true, rows: 2, created: 2, invalidRows: 0 });
    const o = await t.db.successObjective.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, externalId: "OBJ-1" },
    });
    expect(o).toMatchObject({ accountId: a.accountId, unit: "days", source: "import", stakeholderTypes: ["sponsor"] });
    expect(Number(o.target)).toBe(5);
    const m = await t.db.successMilestone.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, externalId: "MS-1" },
    });
    expect(m).toMatchObject({ objectiveId: o.id, owner: "Dana", stakeholderTypes: ["implementer", "end_user"] });
    expect(await t.db.auditLog.count({ where: { workspaceId: a.workspaceId, action: "import.plans" } })).toBe(1);
    // Re-import updates in place.
    const again = await importCsv(ctx, {
      workspaceId: a.workspaceId,
      kind: "plans",
      input: csv("type,id,account id,title,current\nobjective,OBJ-1,ACME-1,Faster month-end close,7\n"),
    });
    expect(again).toMatchObject({ committed: true, updated: 1, created: 0 });
    expect(Number((await t.db.successObjective.findFirstOrThrow({ where: { externalId: "OBJ-1" } })).current)).toBe(7);
  });

  it("reports every bad row by line and column, and imports nothing", async () => {
    const before = await t.db.successMilestone.count();
    const report = await importCsv(ctx, {
      workspaceId: a.workspaceId,
      kind: "plans",
      input: csv(
        "type,id,account id,title,target,metric,objective id,due date\n" +
          "milestone,MS-9,ACME-1,No due date,,,,\n" +
          "objective,OBJ-9,ACME-1,Target without metric,5,,,\n" +
          "milestone,MS-10,ACME-1,Bad objective,,,OBJ-404,2027-01-01\n" +
          "roadmap,X-1,ACME-1,Bad type,,,,\n" +
          "milestone,MS-11,NOPE,Unknown account,,,,2027-01-01\n" +
          "objective,OBJ-10,ACME-1,Bad number,five,things,,\n",
      ),
    });
    expect(report.committed).toBe(false);
    expect(report.invalidRows).toBe(6);
    const at = (line: number) =>
      report.errors
        .filter((e) => e.line === line)
        .map((e) => `${e.column}: ${e.reason}`)
        .join(" | ");
    expect(at(2)).toContain("due date: is empty");
    expect(at(3)).toContain("metric: is empty: say what the target measures");
    expect(at(4)).toContain('unknown objective id "OBJ-404"');
    expect(at(5)).toContain('unknown plan row type "roadmap"');
    expect(at(6)).toContain('unknown account id "NOPE"');
    expect(at(7)).toContain('"five" is not a number');
    expect(await t.db.successMilestone.count()).toBe(before);
  });

  it("imports the example file after the example accounts", async () => {
    const { createReadStream } = await import("node:fs");
    const example = (name: string) => createReadStream(new URL(`../../examples/csv/${name}`, import.meta.url));
    const wsId = (await t.db.workspace.create({ data: { slackTeamId: "TPLANEX", name: "Example" } })).id;
    await t.db.user.createMany({
      data: [
        { workspaceId: wsId, slackUserId: "U0CSM0001", name: "Fox Mulder" },
        { workspaceId: wsId, slackUserId: "U0CSM0002", name: "Dana Scully" },
      ],
    });
    expect(
      (await importCsv(ctx, { workspaceId: wsId, kind: "accounts", input: example("accounts.csv") })).committed,
    ).toBe(true);
    const report = await importCsv(ctx, { workspaceId: wsId, kind: "plans", input: example("plans.csv") });
    expect(report).toMatchObject({ committed: true, created: 3, invalidRows: 0 });
    expect(report.ignoredColumns).toEqual([]);
  });

  it("refuses a milestone pointing at another workspace's objective", async () => {
    const report = await importCsv(ctx, {
      workspaceId: b.workspaceId,
      kind: "plans",
      input: csv("type,id,account id,title,objective id,due date\nmilestone,MS-B,ACME-1,Steal,OBJ-1,2027-01-01\n"),
    });
    expect(report.committed).toBe(false);
    expect(report.errors[0]?.reason).toContain('unknown objective id "OBJ-1"');
  });
});

describe("account export", () => {
  it("includes the plan, the ADKAR history, and nothing of another workspace", async () => {
    const exported = await exportAccountData(t.db, { workspaceId: a.workspaceId, slackUserId: "UADMIN" }, "ACME-1");
    expect(exported.counts).toMatchObject({
      successObjectives: 2,
      successMilestones: 3,
      adkarStatuses: 2,
      adkarChanges: 2,
    });
    expect(exported.json).toContain("Faster month-end close");
    const other = await exportAccountData(t.db, { workspaceId: b.workspaceId, slackUserId: "UOTHER" }, "ACME-1");
    expect(other.counts.successObjectives).toBe(0);
  });
});
