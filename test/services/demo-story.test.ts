// The demo portfolio end to end, as a new user first meets it: 180 days of score history,
// churns with their days of warning, the first nightly run (run by the seeding itself)
// leaving the right tasks with the right owners and their App Homes, and a churn report
// with real warning figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReportPeriod } from "../../src/domain/churn-metrics.js";
import { generateDemoPortfolio } from "../../src/domain/demo-portfolio.js";
import { createLogger } from "../../src/log.js";
import { buildChurnReport } from "../../src/services/churn-report.js";
import { nightlyRunFor } from "../../src/jobs/score-accounts.js";
import { seedDemoWithHistory } from "../../src/services/seed-demo.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { RecordingSlack } from "../helpers/slack.js";
import { testConfig } from "../helpers/portfolio.js";

const NOW = new Date("2026-11-23T03:00:00Z");
const archetypeOf = new Map(generateDemoPortfolio(NOW).accounts.map((a) => [a.externalId, a.archetype]));
let t: TestDatabase;
let workspaceId: number;
const notifier = new RecordingSlack();

beforeAll(async () => {
  t = await createTestDatabase();
  // Connected to Slack (not local mode), so the first night also refreshes App Home.
  const config = { ...testConfig, slack: { ...testConfig.slack, mode: "socket" as const } };
  const ctx = {
    db: t.db,
    logger: createLogger("silent"),
    config,
    databaseUrl: t.url,
    slack: notifier,
    clock: () => NOW,
  };
  workspaceId = (await seedDemoWithHistory(ctx, { now: NOW, nightly: nightlyRunFor(ctx, "seed-demo") })).workspaceId;
}, 180_000);
afterAll(async () => t.drop());

describe("the demo's story", () => {
  it("dates the warning of most churns from the health history", async () => {
    const events = await t.db.churnEvent.findMany({ where: { workspaceId } });
    const warned = events.filter((e) => e.daysOfWarning !== null);
    expect(warned.length / events.length).toBeGreaterThan(0.5);
    expect(warned.every((e) => e.firstRedOn! <= e.churnedOn)).toBe(true);
    const report = await buildChurnReport(t.db, { workspaceId, period: parseReportPeriod("last-180d", NOW) });
    expect(Number(report.metrics.medianDaysOfWarning.value)).toBeGreaterThan(0);
  });

  it("leaves each departed champion's owner a sponsor task (or records the account as control), and steady accounts alone", async () => {
    const tasks = await t.db.playbookTask.findMany({ where: { workspaceId }, include: { account: true, owner: true } });
    const controls = await t.db.playbookFiring.findMany({
      where: { workspaceId, group: "control", playbook: { key: "sponsor_left" } },
      select: { accountId: true },
    });
    const controlIds = new Set(controls.map((c) => c.accountId));
    const byArchetype = (a: string) => tasks.filter((x) => archetypeOf.get(x.account.externalId!) === a);
    const championLeft = await t.db.account
      .findMany({ where: { workspaceId, status: "active" } })
      .then((as) => as.filter((a) => archetypeOf.get(a.externalId!) === "champion_left"));
    for (const account of championLeft) {
      const mine = tasks.filter((x) => x.accountId === account.id && x.dedupeKey === "sponsor_left");
      if (controlIds.has(account.id)) {
        expect(mine, `${account.name} is in the control group`).toHaveLength(0);
        continue;
      }
      expect(mine, account.name).toHaveLength(1);
      expect(mine[0]!.ownerId).toBe(account.ownerId);
    }
    expect(byArchetype("stalled_onboarding").some((x) => x.dedupeKey === "stalled_onboarding")).toBe(true);
    expect(
      byArchetype("steady").filter((x) => ["no_logins", "stalled_onboarding", "sponsor_left"].includes(x.dedupeKey)),
    ).toEqual([]);
    expect(byArchetype("churned")).toEqual([]);
    const firings = await t.db.playbookFiring.groupBy({ by: ["group"], where: { workspaceId }, _count: true });
    expect(firings.map((f) => f.group).sort()).toEqual(["control", "treated"]);
    const owners = new Set(tasks.map((x) => x.owner?.slackUserId));
    expect(
      notifier.posts
        .filter((p) => p.text.includes("new playbook task"))
        .map((p) => p.channel)
        .sort(),
    ).toEqual([...owners].sort());
    // Every owner's App Home was published by that same run.
    const csms = await t.db.user.findMany({ where: { workspaceId, ownedAccounts: { some: { status: "active" } } } });
    expect(new Set(notifier.homes.map((h) => h.userSlackId))).toEqual(new Set(csms.map((u) => u.slackUserId)));
  });

  it("has open tasks and a scheduled-style scoring run the moment it is seeded", async () => {
    expect(await t.db.playbookTask.count({ where: { workspaceId, status: "open" } })).toBeGreaterThan(10);
    const runs = await t.db.scoringRun.findMany({ where: { workspaceId, trigger: "seed-demo" } });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("succeeded");
  });
});
