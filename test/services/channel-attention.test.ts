// Linked customer channels in the digest and the playbooks, on real PostgreSQL: a question
// waiting past the response target, and a customer who wrote weekly and then went quiet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { featurePages } from "../../src/db/health-scoring.js";
import { composeDigest } from "../../src/domain/digest/compose.js";
import type { ChannelFeatures } from "../../src/domain/health/features.js";
import { DEFAULT_HEALTH_MODEL } from "../../src/domain/health/model-config.js";
import { createLogger } from "../../src/log.js";
import { gatherDigestAccounts } from "../../src/services/digest-data.js";
import { channelAttention } from "../../src/services/channel-signals.js";
import { runPlaybooksForWorkspace } from "../../src/services/run-playbooks.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { RecordingSlack } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T09:00:00Z");
const TODAY = new Date("2026-11-23T00:00:00Z");
let t: TestDatabase;
let workspaceId: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T1", name: "W" } })).id;
  const owner = await t.db.user.create({ data: { workspaceId, slackUserId: "UOWN", role: "csm" } });
  for (const name of ["Waiting", "Quiet", "Busy", "Unlinked"]) {
    ids[name] = (
      await t.db.account.create({ data: { workspaceId, name, ownerId: owner.id, createdAt: addDays(TODAY, -400) } })
    ).id;
    await t.db.healthSnapshot.create({
      data: {
        workspaceId,
        accountId: ids[name]!,
        scoredOn: addDays(TODAY, -1),
        score: 80,
        band: "green",
        components: {},
        reasons: [],
        modelVersion: "t",
      },
    });
    if (name !== "Unlinked")
      await t.db.channelLink.create({
        data: { workspaceId, channelId: `C${name.toUpperCase()}`, accountId: ids[name]!, linkedBySlackId: "UOWN" },
      });
  }
  const day = (channelId: string, daysAgo: number, messages = 3) =>
    t.db.channelPersonDaily.create({
      data: { workspaceId, channelId, day: addDays(TODAY, -daysAgo), slackUserId: "WCUST", isCustomer: true, messages },
    });
  // Waiting: active yesterday, a question asked 30 hours ago and one 2 hours ago, neither answered.
  await day("CWAITING", 1);
  for (const hoursAgo of [30, 2])
    await t.db.channelThread.create({
      data: {
        workspaceId,
        channelId: "CWAITING",
        threadTs: `${(NOW.getTime() - hoursAgo * 3_600_000) / 1000}.000100`,
        askerSlackId: "WCUST",
        askedAt: new Date(NOW.getTime() - hoursAgo * 3_600_000),
      },
    });
  // Quiet: wrote in each of four weeks, the last 25 days ago, nothing since.
  for (const daysAgo of [25, 32, 39, 46]) await day("CQUIET", daysAgo);
  // Busy: writes weekly and did so 2 days ago.
  for (const daysAgo of [2, 9, 16, 23]) await day("CBUSY", daysAgo);
});
afterAll(async () => {
  await t.drop();
});

describe("channel attention", () => {
  it("reads waiting questions past the target and quiet customers, per account with a link", async () => {
    const a = await channelAttention(t.db, workspaceId, NOW);
    expect(a.get(ids.Waiting!)).toMatchObject({ unanswered: 1, daysSinceCustomerMessage: 1, weeklyBefore: false });
    expect(a.get(ids.Waiting!)!.oldestUnansweredHours).toBeCloseTo(30, 5);
    expect(a.get(ids.Quiet!)).toMatchObject({ unanswered: 0, daysSinceCustomerMessage: 25, weeklyBefore: true });
    expect(a.get(ids.Busy!)).toMatchObject({ daysSinceCustomerMessage: 2, weeklyBefore: true });
    expect(a.has(ids.Unlinked!)).toBe(false);
  });

  it("puts both in the digest, whatever the band", async () => {
    const accounts = await gatherDigestAccounts(t.db, workspaceId, NOW);
    const content = composeDigest(accounts, {
      bands: ["red", "yellow"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: null,
    });
    const sections = Object.fromEntries(content.sections.map((s) => [s.kind, s]));
    expect(sections.unanswered_question!.title).toBe("Unanswered customer question for 24 h");
    expect(sections.unanswered_question!.rows.map((r) => r.account.name)).toEqual(["Waiting"]);
    expect(sections.unanswered_question!.rows[0]!.action).toBe(
      "Answer the customer in their channel: a question has waited 30 h",
    );
    expect(sections.went_quiet!.title).toBe("Customer went quiet (no message in 21 days after weekly activity)");
    expect(sections.went_quiet!.rows.map((r) => r.account.name)).toEqual(["Quiet"]);
  });

  it("fires the two playbooks for the right accounts only", async () => {
    const ctx = { db: t.db, logger: createLogger("silent"), slack: new RecordingSlack() };
    await runPlaybooksForWorkspace(ctx, workspaceId, NOW);
    const firings = await t.db.playbookFiring.findMany({
      where: { workspaceId },
      include: { playbook: { select: { key: true } } },
    });
    const fired = firings.map((f) => `${f.playbook.key}:${f.accountId}`).sort();
    expect(fired).toEqual([`customer_went_quiet:${ids.Quiet}`, `unanswered_customer_question:${ids.Waiting}`].sort());
  });

  it("hands both models the channel evidence as of the scored day, and none for an unlinked account", async () => {
    const byName = new Map<string, ChannelFeatures | null | undefined>();
    let evidence: boolean | undefined;
    for await (const page of featurePages(t.db, DEFAULT_HEALTH_MODEL, {
      workspaceId,
      scoredOn: TODAY,
      cutoff: NOW,
      pageSize: 100,
    }))
      for (const row of page) {
        byName.set(row.name, row.features.channels);
        evidence = row.features.evidence.channels;
      }
    expect(evidence).toBe(true);
    expect(byName.get("Unlinked")).toBeNull();
    expect(byName.get("Waiting")).toMatchObject({ customerMessages30: 3, customerPeople30: 1, unanswered30: 1 });
    expect(byName.get("Quiet")).toMatchObject({
      customerMessages30: 3,
      lastCustomerMessageOn: addDays(TODAY, -25),
      activeWeeksBeforeLast: 4,
    });
  });

  it("says nothing while the workspace's channel signals are off", async () => {
    await t.db.workspace.update({ where: { id: workspaceId }, data: { channelSignals: false } });
    expect((await channelAttention(t.db, workspaceId, NOW)).size).toBe(0);
    await t.db.workspace.update({ where: { id: workspaceId }, data: { channelSignals: true } });
  });
});
