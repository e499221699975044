// A departed sponsor or likely champion, as the features query reads it on real PostgreSQL:
// who left by the scored day, who remains, a sponsor who is also a champion counted once as
// a sponsor, another workspace's contacts never read; and the champion mark kept on whoever
// left, so the departure stays visible for the score's look-back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { featurePages } from "../../src/db/health-scoring.js";
import { addDays } from "../../src/domain/dates.js";
import { churnFeatureValues } from "../../src/domain/health/churn-features.js";
import type { EngagementFeatures } from "../../src/domain/health/features.js";
import { DEFAULT_HEALTH_MODEL } from "../../src/domain/health/model-config.js";
import { scoreAccountHealth } from "../../src/domain/health/score-model.js";
import { markLikelyChampions } from "../../src/services/channel-people.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

const TODAY = new Date("2026-11-23T00:00:00Z");
const NOW = new Date("2026-11-23T09:00:00Z");
let t: TestDatabase;
let wsA: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  wsA = (await t.db.workspace.create({ data: { slackTeamId: "T1", name: "A" } })).id;
  const wsB = (await t.db.workspace.create({ data: { slackTeamId: "T2", name: "B" } })).id;
  const account = async (workspaceId: number, name: string) =>
    (await t.db.account.create({ data: { workspaceId, name, createdAt: addDays(TODAY, -400) } })).id;
  const contact = (
    workspaceId: number,
    accountId: number,
    c: { type?: "sponsor" | "unknown"; champion?: boolean; leftDaysAgo?: number; slack?: string },
  ) =>
    t.db.contact.create({
      data: {
        workspaceId,
        accountId,
        stakeholderType: c.type ?? "unknown",
        likelyChampion: c.champion ?? false,
        leftAt: c.leftDaysAgo === undefined ? null : addDays(TODAY, -c.leftDaysAgo),
        slackUserId: c.slack ?? null,
      },
    });
  ids.ChampionGone = await account(wsA, "ChampionGone");
  await contact(wsA, ids.ChampionGone, { champion: true, leftDaysAgo: 3, slack: "WGONE" });
  await contact(wsA, ids.ChampionGone, { type: "sponsor" });
  ids.ChampionLeavesLater = await account(wsA, "ChampionLeavesLater");
  await contact(wsA, ids.ChampionLeavesLater, { champion: true, leftDaysAgo: -2 });
  ids.SponsorChampion = await account(wsA, "SponsorChampion");
  await contact(wsA, ids.SponsorChampion, { type: "sponsor", champion: true, leftDaysAgo: 5 });
  await contact(wsA, ids.SponsorChampion, { champion: true });
  ids.OtherWorkspace = await account(wsB, "OtherWorkspace");
  await contact(wsB, ids.OtherWorkspace, { champion: true, leftDaysAgo: 1 });
  // ChampionGone's channel: the departed champion was active months ago; someone else writes a little now.
  await t.db.channelLink.create({
    data: { workspaceId: wsA, channelId: "CGONE", accountId: ids.ChampionGone, linkedBySlackId: "U" },
  });
  const stayer = await contact(wsA, ids.ChampionGone, { slack: "WSTAY" });
  const gone = await t.db.contact.findFirstOrThrow({ where: { workspaceId: wsA, slackUserId: "WGONE" } });
  for (const [slackUserId, contactId, messages, daysAgo] of [
    ["WGONE", gone.id, 40, 100],
    ["WSTAY", stayer.id, 2, 10],
  ] as const) {
    await t.db.channelPerson.create({
      data: {
        workspaceId: wsA,
        channelId: "CGONE",
        slackUserId,
        isCustomer: true,
        firstSeenAt: addDays(TODAY, -30),
        lastSeenAt: addDays(TODAY, -4),
        contactId,
      },
    });
    await t.db.channelPersonDaily.create({
      data: {
        workspaceId: wsA,
        channelId: "CGONE",
        day: addDays(TODAY, -daysAgo),
        slackUserId,
        isCustomer: true,
        messages,
      },
    });
  }
});
afterAll(async () => {
  await t.drop();
});

async function engagementByName(): Promise<Map<string, EngagementFeatures>> {
  const byName = new Map<string, EngagementFeatures>();
  for await (const page of featurePages(t.db, DEFAULT_HEALTH_MODEL, {
    workspaceId: wsA,
    scoredOn: TODAY,
    cutoff: NOW,
    pageSize: 100,
  }))
    for (const row of page) byName.set(row.name, row.features.engagement);
  return byName;
}

describe("departed sponsors and champions in the features query", () => {
  it("reads who left by the scored day and who remains, per kind, in the workspace scored", async () => {
    const e = await engagementByName();
    expect(e.get("ChampionGone")).toMatchObject({
      sponsorLeftOn: null,
      sponsorsRemaining: 1,
      championLeftOn: addDays(TODAY, -3),
      championsRemaining: 0,
    });
    // Leaving after the scored day is not known on it.
    expect(e.get("ChampionLeavesLater")).toMatchObject({ championLeftOn: null, championsRemaining: 1 });
    // A sponsor who was also a champion left: a sponsor's departure; the other champion remains.
    expect(e.get("SponsorChampion")).toMatchObject({
      sponsorLeftOn: addDays(TODAY, -5),
      sponsorsRemaining: 0,
      championLeftOn: null,
      championsRemaining: 1,
    });
    expect(e.has("OtherWorkspace")).toBe(false);
  });

  it("both models read the champion's departure from those features", async () => {
    for await (const page of featurePages(t.db, DEFAULT_HEALTH_MODEL, {
      workspaceId: wsA,
      scoredOn: TODAY,
      cutoff: NOW,
      pageSize: 100,
      accountIds: [ids.ChampionGone!],
    }))
      for (const row of page) {
        const reason = scoreAccountHealth(row.features, DEFAULT_HEALTH_MODEL, TODAY).reasons.find(
          (r) => r.code === "engagement.sponsor_left",
        );
        expect(reason?.text).toBe(
          "A likely champion left on 20 Nov and no other champion is active in their channel; 1 sponsor remains",
        );
        expect(churnFeatureValues(row.features, TODAY).sponsor_left).toBe(1);
      }
  });

  it("the nightly champion marking keeps the mark on whoever left, however long ago they were active", async () => {
    await markLikelyChampions(t.db, NOW, wsA);
    const marks = await t.db.contact.findMany({
      where: { workspaceId: wsA, accountId: ids.ChampionGone, slackUserId: { not: null } },
      select: { slackUserId: true, likelyChampion: true },
      orderBy: { slackUserId: "asc" },
    });
    // WSTAY wrote twice: under the least activity that makes a champion.
    expect(marks).toEqual([
      { slackUserId: "WGONE", likelyChampion: true },
      { slackUserId: "WSTAY", likelyChampion: false },
    ]);
    expect((await engagementByName()).get("ChampionGone")).toMatchObject({ championsRemaining: 0 });
  });
});
