import { describe, expect, it } from "vitest";
import {
  milestoneState,
  objectiveProgress,
  overdueMilestones,
  proposeNextQuarterGoals,
  quarterOf,
  summarisePlan,
  type ObjectiveFacts,
} from "../../src/domain/success-plan.js";

const today = new Date("2026-11-10T00:00:00Z");
const day = (s: string) => new Date(`${s}T00:00:00Z`);
const objective = (over: Partial<ObjectiveFacts> = {}): ObjectiveFacts => ({
  id: 1,
  title: "Faster reports",
  metric: "days to prepare the report",
  unit: "days",
  baseline: 3,
  target: 1,
  current: 2,
  measuredOn: day("2026-11-01"),
  targetDate: day("2027-03-31"),
  status: "active",
  ...over,
});

describe("objectiveProgress", () => {
  const cases = [
    { b: 3, t: 1, c: 2, p: 0.5 },
    { b: 3, t: 1, c: 1, p: 1 },
    { b: 3, t: 1, c: 0.5, p: 1 },
    { b: 3, t: 1, c: 4, p: 0 },
    { b: 40, t: 70, c: 55, p: 0.5 },
    { b: null, t: 70, c: 55, p: null },
    { b: 5, t: 5, c: 5, p: null },
  ];
  for (const c of cases)
    it(`${c.b} → ${c.t}, now ${c.c}: ${c.p}`, () =>
      expect(objectiveProgress({ baseline: c.b, target: c.t, current: c.c })).toBe(c.p));
});

describe("milestones", () => {
  it("states: done, overdue the day after the due day, open until then", () => {
    expect(milestoneState({ dueOn: day("2026-11-01"), completedOn: day("2026-11-05") }, today)).toBe("done");
    expect(milestoneState({ dueOn: day("2026-11-09"), completedOn: null }, today)).toBe("overdue");
    expect(milestoneState({ dueOn: day("2026-11-10"), completedOn: null }, today)).toBe("open");
  });

  it("summarises and lists the overdue, most overdue first", () => {
    const ms = [
      { id: 1, title: "SSO live", owner: null, dueOn: day("2026-10-01"), completedOn: null, objectiveId: null },
      { id: 2, title: "Pilot team", owner: "Dana", dueOn: day("2026-11-05"), completedOn: null, objectiveId: 1 },
      {
        id: 3,
        title: "Kickoff",
        owner: null,
        dueOn: day("2026-09-01"),
        completedOn: day("2026-09-01"),
        objectiveId: null,
      },
      { id: 4, title: "Rollout", owner: null, dueOn: day("2026-12-01"), completedOn: null, objectiveId: null },
    ];
    expect(summarisePlan([{ status: "active" }, { status: "achieved" }, { status: "dropped" }], ms, today)).toEqual({
      objectives: 2,
      achieved: 1,
      milestones: 4,
      milestonesDone: 1,
      overdue: 2,
      nextDue: { title: "SSO live", dueOn: day("2026-10-01") },
    });
    expect(overdueMilestones(ms, today)).toEqual([
      { id: 1, title: "SSO live", daysOverdue: 40 },
      { id: 2, title: "Pilot team", daysOverdue: 5 },
    ]);
  });
});

describe("proposeNextQuarterGoals", () => {
  it("proposes the unmet targets, the due milestones and the next ADKAR step", () => {
    const goals = proposeNextQuarterGoals({
      objectives: [
        objective(),
        objective({ id: 2, title: "Done one", current: 1, status: "active" }),
        objective({ id: 3, title: "No target", target: null }),
        objective({ id: 4, status: "achieved" }),
      ],
      milestones: [
        { id: 7, title: "SSO live", owner: null, dueOn: day("2026-10-01"), completedOn: null, objectiveId: null },
        { id: 8, title: "Later", owner: null, dueOn: day("2027-09-01"), completedOn: null, objectiveId: null },
      ],
      adkar: [
        { group: "end_user", stage: "knowledge" },
        { group: "sponsor", stage: "reinforcement" },
        { group: "implementer", stage: null },
      ],
      activeShare: 0.3,
      nextQuarterStart: day("2027-01-01"),
      nextQuarterEnd: day("2027-04-01"),
      today,
    });
    const texts = goals.map((g) => g.text);
    expect(texts[0]).toBe("Faster reports: reach 1 days (days to prepare the report) by 31 Mar 2027, from 2 days now");
    expect(texts).toContain("No target: agree a measurable target and a date");
    expect(texts.some((t) => t.startsWith("Done one"))).toBe(false);
    expect(texts).toContain("Complete “SSO live” (due 1 Oct 2026, overdue)");
    expect(texts.some((t) => t.includes("Later"))).toBe(false);
    expect(texts.some((t) => t.startsWith("End users: move from Knowledge to Ability"))).toBe(true);
    expect(texts.some((t) => t.startsWith("Managers / sponsors"))).toBe(false);
    expect(texts.some((t) => t.startsWith("Implementers / admins: agree where they stand"))).toBe(true);
  });

  it("names quarters", () => {
    expect(quarterOf(day("2026-12-31"))).toBe("2026-Q4");
    expect(quarterOf(day("2027-01-01"))).toBe("2027-Q1");
  });
});
