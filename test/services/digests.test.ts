// Digest delivery against real PostgreSQL, with Slack's Web API on nock and fixed clocks.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import type { Workspace } from "../../src/generated/prisma/client.js";
import { createLogger } from "../../src/log.js";
import { portDigestPoster, type DigestPoster } from "../../src/services/digest-poster.js";
import { CLAIM_LEASE_MS, runDigests } from "../../src/services/digests.js";
import { createWebClient } from "../../src/slack/client.js";
import { ChannelGuardCache, createWebSlackPort } from "../../src/slack/slack-port.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { nockInternalChannels, SLACK_API_BASE, SLACK_API_ORIGIN } from "../helpers/slack.js";

const logger = createLogger("silent");
let t: TestDatabase;
let ws: Workspace;
let creatorId: number;
const DAY = new Date("2026-11-23T00:00:00Z");
// 09:00 in Paris on 23 Nov is 08:00Z.
const DUE = new Date("2026-11-23T08:00:00Z");

function poster(): DigestPoster {
  const client = createWebClient("xoxb-1-2-test", { apiUrl: SLACK_API_BASE, retries: 2, policy: { baseDelayMs: 10 } });
  return portDigestPoster(createWebSlackPort({ client: () => client, scope: "test", guard: new ChannelGuardCache() }));
}
const deps = (instanceId: string) => ({ posterFor: () => poster(), instanceId });
const ctx = () => ({ db: t.db, logger });

function countPosts(channel = "CDIGEST"): { count: () => number; bodies: Record<string, unknown>[] } {
  const bodies: Record<string, unknown>[] = [];
  nock(SLACK_API_ORIGIN)
    .persist()
    .post("/api/chat.postMessage", (body: Record<string, unknown>) => {
      if (body.channel !== channel) return false;
      bodies.push(body);
      return true;
    })
    .reply(200, () => ({ ok: true, channel, ts: `1763884800.00${bodies.length}` }));
  return { count: () => bodies.length, bodies };
}

async function newSubscription(over: Record<string, unknown> = {}) {
  return t.db.digestSubscription.create({
    data: {
      workspaceId: ws.id,
      channelId: "CDIGEST",
      createdById: creatorId,
      bands: ["red", "yellow"],
      postAtMinutes: 540,
      timezone: "Europe/Paris",
      ...over,
    },
  });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  const creator = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UCREATOR", role: "manager" } });
  creatorId = creator.id;
  const reasons = [
    {
      component: "usage",
      impact: -20,
      text: "Weekly active users fell 42% against the previous 30 days",
      code: "usage.wau_drop",
    },
  ];
  const components = {
    usage: { score: 30, weight: 0.4, details: {} },
    engagement: { score: 50, weight: 0.3, details: {} },
    perception: { score: 50, weight: 0.3, details: {} },
  };
  for (const [name, prev, now] of [
    ["Acme", 65, 38],
    ["Globex", 72, 71],
    ["Initech", 58, 55],
  ] as const) {
    const a = await t.db.account.create({
      data: { workspaceId: ws.id, name, ownerId: creator.id, arr: 50000, renewalDate: addDays(DAY, 20) },
    });
    await t.db.healthSnapshot.create({
      data: {
        workspaceId: ws.id,
        accountId: a.id,
        scoredOn: addDays(DAY, -1),
        score: prev,
        band: prev >= 70 ? "green" : prev >= 50 ? "yellow" : "red",
        components,
        reasons,
        modelVersion: "t",
      },
    });
    await t.db.healthSnapshot.create({
      data: {
        workspaceId: ws.id,
        accountId: a.id,
        scoredOn: DAY,
        score: now,
        band: now >= 70 ? "green" : now >= 50 ? "yellow" : "red",
        components,
        reasons,
        modelVersion: "t",
      },
    });
  }
});
beforeEach(async () => {
  nockInternalChannels();
  await t.db.digestRun.deleteMany();
  await t.db.digestSnooze.deleteMany();
  await t.db.digestSubscription.deleteMany();
  await t.db.workspace.update({ where: { id: ws.id }, data: { active: true, deactivatedAt: null } });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await t.drop();
  nock.enableNetConnect();
});

describe("digest delivery", () => {
  it("is not due before its local time, posts once when due, and not again that day", async () => {
    const sub = await newSubscription();
    const posts = countPosts();
    expect((await runDigests(ctx(), deps("p1"), new Date(DUE.getTime() - 60_000))).posted).toBe(0);
    expect((await runDigests(ctx(), deps("p1"), DUE)).posted).toBe(1);
    expect((await runDigests(ctx(), deps("p1"), new Date(DUE.getTime() + 60_000))).posted).toBe(0);
    expect(posts.count()).toBe(1);
    const body = posts.bodies[0]!;
    expect(String(body.text)).toContain("need attention");
    expect(String(body.blocks)).toContain("Acme");
    expect(String(body.blocks)).toContain("Turned red");
    expect(String(body.blocks)).toContain("Weekly active users fell 42%");
    expect(JSON.parse(String(body.metadata))).toEqual({
      event_type: "pulse_digest",
      event_payload: { subscription_id: sub.id, local_date: "2026-11-23" },
    });
    const run = await t.db.digestRun.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect(run).toMatchObject({ status: "posted", messageTs: "1763884800.001", accountsShown: 2 });
  });

  it("catches up later the same local day after downtime", async () => {
    await newSubscription();
    const posts = countPosts();
    expect((await runDigests(ctx(), deps("p1"), new Date("2026-11-23T15:37:00Z"))).posted).toBe(1);
    expect(posts.count()).toBe(1);
  });

  it("three instances ticking at once post once", async () => {
    await newSubscription();
    const posts = countPosts();
    const results = await Promise.all(["p1", "p2", "p3"].map((id) => runDigests(ctx(), deps(id), DUE)));
    expect(results.map((r) => r.posted).reduce((a, b) => a + b, 0)).toBe(1);
    expect(posts.count()).toBe(1);
  });

  it("waits out a 429 and then posts once", async () => {
    await newSubscription();
    nock(SLACK_API_ORIGIN)
      .post("/api/chat.postMessage")
      .reply(429, { ok: false, error: "ratelimited" }, { "Retry-After": "1" });
    const posts = countPosts();
    const started = Date.now();
    expect((await runDigests(ctx(), deps("p1"), DUE)).posted).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(posts.count()).toBe(1);
  });

  it("turns off the subscription of an archived channel and tells its creator", async () => {
    const sub = await newSubscription();
    nock(SLACK_API_ORIGIN)
      .post("/api/chat.postMessage", (b: { channel?: string }) => b.channel === "CDIGEST")
      .reply(200, { ok: false, error: "is_archived" });
    const dms = countPosts("UCREATOR");
    expect((await runDigests(ctx(), deps("p1"), DUE)).failed).toBe(1);
    expect(await t.db.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      active: false,
      disabledReason: "is_archived",
    });
    expect(await t.db.digestRun.findFirstOrThrow({ where: { subscriptionId: sub.id } })).toMatchObject({
      status: "failed",
      error: "slack: is_archived",
    });
    expect(dms.count()).toBe(1);
    expect(String(dms.bodies[0]!.text)).toContain("is turned off");
    expect((await runDigests(ctx(), deps("p1"), new Date(DUE.getTime() + 60_000))).failed).toBe(0);
  });

  it("marks the workspace inactive when Slack says its token is revoked", async () => {
    await newSubscription();
    nock(SLACK_API_ORIGIN).post("/api/chat.postMessage").reply(200, { ok: false, error: "token_revoked" });
    await runDigests(ctx(), deps("p1"), DUE);
    expect((await t.db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).active).toBe(false);
  });

  it("after a crash between posting and recording, adopts the posted message instead of posting again", async () => {
    const sub = await newSubscription();
    const claimedAt = new Date(DUE.getTime() - CLAIM_LEASE_MS - 60_000);
    await t.db.digestRun.create({
      data: {
        workspaceId: ws.id,
        subscriptionId: sub.id,
        localDate: startOfUtcDay(DUE),
        status: "claimed",
        claimedBy: "crashed",
        claimedAt,
        attempts: 1,
      },
    });
    nock(SLACK_API_ORIGIN)
      .post("/api/conversations.history")
      .reply(200, {
        ok: true,
        messages: [
          { ts: "1763884000.000500", text: "other" },
          {
            ts: "1763884100.000700",
            text: "digest",
            metadata: {
              event_type: "pulse_digest",
              event_payload: { subscription_id: sub.id, local_date: "2026-11-23" },
            },
          },
        ],
      });
    const posts = countPosts();
    expect((await runDigests(ctx(), deps("p2"), DUE)).adopted).toBe(1);
    expect(posts.count()).toBe(0);
    expect(await t.db.digestRun.findFirstOrThrow({ where: { subscriptionId: sub.id } })).toMatchObject({
      status: "posted",
      messageTs: "1763884100.000700",
      attempts: 2,
    });
  });

  it("leaves a fresh claim of another process alone", async () => {
    const sub = await newSubscription();
    await t.db.digestRun.create({
      data: {
        workspaceId: ws.id,
        subscriptionId: sub.id,
        localDate: startOfUtcDay(DUE),
        status: "claimed",
        claimedBy: "busy",
        claimedAt: DUE,
        attempts: 1,
      },
    });
    const posts = countPosts();
    expect((await runDigests(ctx(), deps("p2"), new Date(DUE.getTime() + 60_000))).skipped).toBe(1);
    expect(posts.count()).toBe(0);
  });

  it("respects snoozes and unsubscribes; a quiet 'nothing' digest posts nothing but is recorded", async () => {
    const acme = await t.db.account.findFirstOrThrow({ where: { name: "Acme" } });
    await t.db.digestSnooze.create({
      data: {
        workspaceId: ws.id,
        accountId: acme.id,
        snoozedById: creatorId,
        until: addDays(DUE, 7),
        scoreAtSnooze: 38,
      },
    });
    await newSubscription({ bands: ["red"], quietDay: "nothing" });
    await newSubscription({ active: false, channelId: "COFF" });
    const posts = countPosts();
    const off = countPosts("COFF");
    const outcome = await runDigests(ctx(), deps("p1"), DUE);
    expect(outcome).toMatchObject({ posted: 0, empty: 1 });
    expect(posts.count()).toBe(0);
    expect(off.count()).toBe(0);
    expect(await t.db.digestRun.findFirstOrThrow()).toMatchObject({ status: "empty", accountsShown: 0 });
  });

  it("says what changed since the previous digest", async () => {
    const sub = await newSubscription();
    await t.db.digestRun.create({
      data: {
        workspaceId: ws.id,
        subscriptionId: sub.id,
        localDate: addDays(startOfUtcDay(DUE), -1),
        status: "posted",
        messageTs: "1.1",
        summary: { scores: {}, bands: {}, counts: { green: 3, yellow: 0, red: 0 } },
      },
    });
    const posts = countPosts();
    await runDigests(ctx(), deps("p1"), DUE);
    expect(String(posts.bodies[0]!.blocks)).toContain("*1* red (+1)");
    expect(String(posts.bodies[0]!.blocks)).toContain("*1* green (-2)");
  });
});
