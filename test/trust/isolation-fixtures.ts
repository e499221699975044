// Two look-alike workspaces for the isolation test: A (T111), the one every surface is
// driven as, and B (T222), which holds the same account names, external ids, contact
// emails and Slack user ids, plus markers that make any leak of B visible in a Slack
// payload: the text "B-SECRET", ARR 777,777, Slack ids only B has, and row ids from
// 8,880,001 up (A's rows get the database's own small ids).
import nock from "nock";
import { expect } from "vitest";
import { createTokenCipher } from "../../src/crypto/token-cipher.js";
import type { Db } from "../../src/db/client.js";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { createApiKey, hashApiKey } from "../../src/services/api-keys.js";
import { saveInstallation } from "../../src/services/installations.js";
import { OAUTH_ENV } from "../helpers/oauth.js";
import { SLACK_API_ORIGIN } from "../helpers/slack.js";

export const TEAM_A = "T111";
export const TEAM_B = "T222";
export const TOKEN_A = "xoxb-111-workspace-a-token";
export const TOKEN_B = "xoxb-222-workspace-b-token";
/** B's ingestion key: known to the test so it can show B's key reaches only B. */
export const API_KEY_B = "pulse_sk_workspaceB0000000000000000000000000000000000";
const B_ID_BASE = 8_880_001;

/**
 * What of B must never reach A's Slack: its text marker, its ARR, the Slack ids only B
 * has, its bot token, and its row ids (as button values, pick-list options, …).
 */
export const B_LEAK_PATTERNS: RegExp[] = [
  /b-secret/i,
  /777[,.]?777/,
  /UBSECRET/,
  /CBRETRO|CBDIGEST|CBSUGGEST/,
  new RegExp(TOKEN_B),
  /(?<!\d)888\d{4}(?!\d)/,
];

export interface SeededA {
  workspaceId: number;
  users: { admin: number; csm: number; mgr: number };
  acmeId: number;
  globexId: number;
  janeId: number;
  taskId: number;
  stageSignalId: number;
  digestSubscriptionId: number;
  apiKey: string;
}

export interface SeededB {
  workspaceId: number;
  acmeId: number;
  globexId: number;
  initechId: number;
  taskId: number;
  stageSignalId: number;
  churnEventId: number;
  digestSubscriptionId: number;
  apiKeyId: number;
  apiKeyPrefix: string;
  retroChannel: string;
  retroThreadTs: string;
  objectiveId: number;
  milestoneId: number;
  qbrPackId: number;
}

const DAY = 86_400_000;
const day = (now: Date, offset: number) => addDays(startOfUtcDay(now), offset);

async function installBoth(db: Db, now: Date): Promise<void> {
  const cipher = createTokenCipher({ current: OAUTH_ENV.PULSE_ENCRYPTION_KEY });
  for (const [teamId, token] of [
    [TEAM_A, TOKEN_A],
    [TEAM_B, TOKEN_B],
  ] as const) {
    await saveInstallation({
      db,
      cipher,
      now,
      installation: {
        team: { id: teamId, name: `Team ${teamId}` },
        enterprise: undefined,
        user: { id: "UADMIN", token: undefined, scopes: undefined },
        bot: { token, scopes: ["chat:write"], id: "BBOT", userId: "UBOT" },
      },
    });
  }
}

export async function seedWorkspaceA(db: Db, now: Date): Promise<SeededA> {
  const ws = await db.workspace.create({ data: { slackTeamId: TEAM_A, name: "Team A", retroChannelId: "CARETRO" } });
  const workspaceId = ws.id;
  const admin = await db.user.create({ data: { workspaceId, slackUserId: "UADMIN", name: "Ada", role: "admin" } });
  const csm = await db.user.create({
    data: { workspaceId, slackUserId: "UCSM", name: "Chris", role: "csm", timezone: "UTC" },
  });
  const mgr = await db.user.create({ data: { workspaceId, slackUserId: "UMGR", name: "Mia", role: "manager" } });
  const account = (externalId: string, name: string, domain: string, arr: number, stage: "onboarding" | "maturity") =>
    db.account.create({
      data: {
        workspaceId,
        externalId,
        name,
        domain,
        arr,
        ownerId: csm.id,
        seats: 100,
        segment: "enterprise",
        stage,
        stageSince: day(now, -200),
        contractStart: day(now, -400),
        createdAt: day(now, -400),
        renewalDate: day(now, 40),
      },
    });
  const acme = await account("acme-1", "Acme Corp", "acme.test", 120_000, "onboarding");
  const globex = await account("globex-1", "Globex", "globex.test", 50_000, "maturity");
  for (const a of [acme, globex]) {
    await db.arrChange.create({
      data: {
        workspaceId,
        accountId: a.id,
        effectiveOn: day(now, -400),
        kind: "new_business",
        arrBefore: 0,
        arrAfter: a.arr,
      },
    });
  }
  const jane = await db.contact.create({
    data: {
      workspaceId,
      accountId: acme.id,
      name: "Jane Doe",
      email: "jane.doe@acme.test",
      title: "VP Operations",
      stakeholderType: "sponsor",
    },
  });
  await db.contact.create({
    data: { workspaceId, accountId: acme.id, name: "Bob Stone", email: "bob@acme.test", title: "Engineer" },
  });
  await db.$executeRaw`
    INSERT INTO "usage_daily" ("workspaceId", "accountId", "day", "activeUsers", "logins", "modules", "source")
    SELECT ${workspaceId}, a.id, d::date, 40, 40, '{"reports": 2}'::jsonb, 'import'
      FROM unnest(${[acme.id, globex.id]}::int[]) AS a(id), generate_series(${day(now, -60)}::timestamptz, ${day(now, -1)}::timestamptz, interval '1 day') AS d`;
  await db.usageEvent.createMany({
    data: [
      // Past retention: the prune job deletes it.
      {
        workspaceId,
        accountId: acme.id,
        messageId: "msg-old-a",
        type: "track",
        event: "Clicked",
        userKey: "u-shared",
        occurredAt: day(now, -200),
      },
      // A's user u-shared belongs to A's Acme, by a group call newer than B's for the same user key.
      {
        workspaceId,
        accountId: acme.id,
        messageId: "msg-group-a",
        type: "group",
        userKey: "u-shared",
        occurredAt: new Date(now.getTime() - 2 * DAY),
      },
    ],
  });
  const tp = await db.touchpoint.create({
    data: {
      workspaceId,
      accountId: acme.id,
      kind: "call",
      occurredAt: new Date(now.getTime() - 3 * DAY),
      stakeholderTypes: ["sponsor"],
      sentiment: "positive",
      notes: "Call with Jane Doe: wants SSO",
      loggedById: csm.id,
    },
  });
  await db.touchpointContact.create({ data: { workspaceId, touchpointId: tp.id, contactId: jane.id } });
  await db.surveyResponse.createMany({
    data: [
      {
        workspaceId,
        accountId: acme.id,
        contactId: jane.id,
        kind: "nps",
        score: 9,
        comment: "Solid",
        respondentName: "Jane Doe",
        respondedAt: new Date(now.getTime() - 10 * DAY),
        detractorAlertedAt: now,
      },
      // Not yet alerted: the detractor sweep tells A's owner.
      {
        workspaceId,
        accountId: globex.id,
        kind: "nps",
        score: 3,
        comment: "Too slow for us",
        respondedAt: new Date(now.getTime() - DAY),
        source: "import",
      },
    ],
  });
  const reasons = [{ component: "usage", impact: -18, text: "Weekly active users fell 42%", code: "usage.wau_drop" }];
  const components = {
    usage: { score: 38, weight: 0.45, details: {} },
    engagement: { score: 45, weight: 0.3, details: {} },
    perception: { score: 60, weight: 0.25, details: {} },
  };
  for (let d = 30; d >= 1; d--) {
    await db.healthSnapshot.create({
      data: {
        workspaceId,
        accountId: acme.id,
        scoredOn: day(now, -d),
        score: 40 + (d % 5),
        band: "red",
        components,
        reasons,
        modelVersion: "test-a",
      },
    });
    await db.healthSnapshot.create({
      data: {
        workspaceId,
        accountId: globex.id,
        scoredOn: day(now, -d),
        score: 30,
        band: "red",
        components,
        reasons,
        modelVersion: "test-a",
      },
    });
  }
  const signal = await db.riskSignal.create({
    data: {
      workspaceId,
      accountId: acme.id,
      kind: "stage_suggestion",
      detectedOn: day(now, -1),
      details: { rule: "adoption_reached", from: "onboarding", to: "adoption", reason: "steady use" },
    },
  });
  const task = await db.playbookTask.create({
    data: {
      workspaceId,
      accountId: acme.id,
      ownerId: csm.id,
      dedupeKey: "manual:a",
      title: "Call the sponsor",
      dueOn: day(now, 2),
    },
  });
  await db.playbookTask.create({
    data: {
      workspaceId,
      accountId: acme.id,
      ownerId: csm.id,
      dedupeKey: "manual:b",
      title: "Send the adoption report",
      dueOn: day(now, 3),
    },
  });
  const sub = await db.digestSubscription.create({
    data: {
      workspaceId,
      channelId: "CADIGEST",
      createdById: admin.id,
      postAtMinutes: 9 * 60,
      timezone: "UTC",
      bands: ["red", "yellow"],
    },
  });
  const { key } = await createApiKey(db, { workspaceId, name: "segment-a", now });
  await db.slackEventReceipt.create({
    data: { workspaceId, eventId: "EvOldA", receivedAt: new Date(now.getTime() - 3 * DAY) },
  });
  return {
    workspaceId,
    users: { admin: admin.id, csm: csm.id, mgr: mgr.id },
    acmeId: acme.id,
    globexId: globex.id,
    janeId: jane.id,
    taskId: task.id,
    stageSignalId: signal.id,
    digestSubscriptionId: sub.id,
    apiKey: key,
  };
}

export async function seedWorkspaceB(db: Db, now: Date): Promise<SeededB> {
  let next = B_ID_BASE;
  const id = () => next++;
  const ws = await db.workspace.create({
    data: {
      id: id(),
      slackTeamId: TEAM_B,
      name: "Team B-SECRET",
      retroChannelId: "CBRETRO",
      settings: { note: "B-SECRET" },
    },
  });
  const workspaceId = ws.id;
  // The same Slack user ids as A where Slack would allow it, and one only B has.
  const admin = await db.user.create({
    data: { id: id(), workspaceId, slackUserId: "UADMIN", name: "B-SECRET Bea", role: "admin" },
  });
  const csm = await db.user.create({
    data: {
      id: id(),
      workspaceId,
      slackUserId: "UCSM",
      name: "B-SECRET Cole",
      role: "csm",
      timezone: "Pacific/Auckland",
    },
  });
  const boss = await db.user.create({
    data: { id: id(), workspaceId, slackUserId: "UBSECRET", name: "B-SECRET Boss", role: "manager" },
  });
  const account = (externalId: string, name: string, domain: string, ownerId: number, extra: object = {}) =>
    db.account.create({
      data: {
        id: id(),
        workspaceId,
        externalId,
        name,
        domain,
        arr: 777_777,
        ownerId,
        seats: 100,
        segment: "enterprise",
        stage: "onboarding",
        stageSince: day(now, -200),
        contractStart: day(now, -400),
        createdAt: day(now, -400),
        renewalDate: day(now, 20),
        ...extra,
      },
    });
  const acme = await account("acme-1", "Acme Corp", "acme.test", csm.id);
  const globex = await account("globex-1", "Globex", "globex.test", boss.id, {
    status: "churned",
    churnedAt: day(now, -5),
    arr: 0,
  });
  const initech = await account("initech-b", "B-SECRET Initech", "initech-b.test", csm.id);
  await db.arrChange.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      effectiveOn: day(now, -400),
      kind: "new_business",
      arrBefore: 0,
      arrAfter: 777_777,
    },
  });
  await db.accountAttributeChange.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      attribute: "plan",
      value: "B-SECRET plan",
      effectiveOn: day(now, -400),
      source: "import",
    },
  });
  await db.healthModelVersion.create({
    data: {
      id: id(),
      workspaceId,
      version: "learned-b-secret",
      horizonDays: 90,
      trainedUntil: day(now, -30),
      trainingRows: 1000,
      churns: 40,
      spec: { note: "B-SECRET" },
      validation: { note: "B-SECRET" },
    },
  });
  const jane = await db.contact.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      name: "Jane Doe",
      email: "jane.doe@acme.test",
      title: "B-SECRET title",
      stakeholderType: "sponsor",
    },
  });
  await db.$executeRaw`
    INSERT INTO "usage_daily" ("workspaceId", "accountId", "day", "activeUsers", "logins", "modules", "source")
    SELECT ${workspaceId}, ${acme.id}, d::date, 95, 95, '{"b-secret-module": 7}'::jsonb, 'import'
      FROM generate_series(${day(now, -60)}::timestamptz, ${day(now, -1)}::timestamptz, interval '1 day') AS d`;
  await db.usageEvent.createMany({
    data: [
      {
        id: BigInt(id()),
        workspaceId,
        accountId: acme.id,
        messageId: "msg-shared-2",
        type: "track",
        event: "Clicked",
        userKey: "u-shared",
        occurredAt: new Date(now.getTime() - DAY),
        properties: { note: "B-SECRET" },
      },
      // Past retention, but B's latest group call for u-shared: kept, though A has a newer one for the same key.
      {
        id: BigInt(id()),
        workspaceId,
        accountId: acme.id,
        messageId: "msg-group-b",
        type: "group",
        userKey: "u-shared",
        occurredAt: day(now, -200),
      },
      {
        id: BigInt(id()),
        workspaceId,
        accountId: initech.id,
        messageId: "msg-group-b2",
        type: "group",
        userKey: "u-b-only",
        occurredAt: new Date(now.getTime() - DAY),
      },
    ],
  });
  const tp = await db.touchpoint.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      kind: "qbr",
      occurredAt: new Date(now.getTime() - DAY),
      stakeholderTypes: ["sponsor"],
      sentiment: "negative",
      notes: "B-SECRET notes: Jane Doe (jane.doe@acme.test) is leaving",
      loggedById: csm.id,
    },
  });
  await db.touchpointContact.create({ data: { workspaceId, touchpointId: tp.id, contactId: jane.id } });
  await db.surveyResponse.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      contactId: jane.id,
      kind: "nps",
      score: 2,
      comment: "B-SECRET comment",
      respondentName: "Jane Doe",
      respondedAt: new Date(now.getTime() - DAY),
      detractorAlertedAt: now,
    },
  });
  const reasons = [{ component: "usage", impact: -40, text: "B-SECRET reason", code: "usage.wau_drop" }];
  for (let d = 30; d >= 0; d--) {
    await db.healthSnapshot.create({
      data: {
        id: id(),
        workspaceId,
        accountId: acme.id,
        scoredOn: day(now, -d),
        score: 13,
        band: "red",
        components: {},
        reasons,
        modelVersion: "b-secret",
      },
    });
  }
  await db.healthSnapshot.create({
    data: {
      id: id(),
      workspaceId,
      accountId: globex.id,
      scoredOn: day(now, -30),
      score: 11,
      band: "red",
      components: {},
      reasons,
      modelVersion: "b-secret",
    },
  });
  await db.scoringRun.create({
    data: {
      id: id(),
      workspaceId,
      trigger: "schedule",
      scoredOn: day(now, 0),
      status: "succeeded",
      details: { note: "B-SECRET" },
    },
  });
  const signal = await db.riskSignal.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      kind: "stage_suggestion",
      detectedOn: day(now, -1),
      details: { rule: "adoption_reached", from: "onboarding", to: "maturity", reason: "B-SECRET" },
    },
  });
  const drop = await db.riskSignal.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      kind: "score_drop",
      detectedOn: day(now, -1),
      details: { note: "B-SECRET" },
    },
  });
  await db.stageChange.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      fromStage: "orientation",
      toStage: "onboarding",
      changedById: csm.id,
      source: "manual",
      reason: "B-SECRET stage",
    },
  });
  const playbook = await db.playbook.create({
    data: { id: id(), workspaceId, key: "low_usage", name: "B-SECRET playbook", config: {} },
  });
  const firing = await db.playbookFiring.create({
    data: {
      id: id(),
      workspaceId,
      playbookId: playbook.id,
      accountId: acme.id,
      riskSignalId: drop.id,
      firedOn: day(now, -3),
      group: "treated",
      scoreAtFiring: 13,
      details: { why: "B-SECRET" },
    },
  });
  // Owned by B's UCSM: the same Slack user as A's CSM, who must not see it in A.
  const task = await db.playbookTask.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      playbookId: playbook.id,
      firingId: firing.id,
      ownerId: csm.id,
      dedupeKey: "low_usage",
      title: "B-SECRET task",
      dueOn: day(now, -1),
    },
  });
  const churn = await db.churnEvent.create({
    data: {
      id: id(),
      workspaceId,
      accountId: globex.id,
      kind: "full",
      churnedOn: day(now, -5),
      arrBefore: 777_777,
      arrLost: 777_777,
      primaryReason: "competitor",
      lessons: "B-SECRET lessons",
      filedById: csm.id,
      filedAt: day(now, -4),
      retroStatus: "open",
      retroChannelId: "CBRETRO",
      retroThreadTs: "1700000999.000100",
    },
  });
  await db.arrChange.create({
    data: {
      id: id(),
      workspaceId,
      accountId: globex.id,
      effectiveOn: day(now, -5),
      kind: "churn",
      arrBefore: 777_777,
      arrAfter: 0,
      churnEventId: churn.id,
    },
  });
  await db.retroNote.create({
    data: {
      id: id(),
      workspaceId,
      churnEventId: churn.id,
      authorSlackId: "UBSECRET",
      text: "B-SECRET note",
      slackTs: "1700001000.000100",
    },
  });
  await db.retroActionItem.create({
    data: {
      id: id(),
      workspaceId,
      churnEventId: churn.id,
      ownerId: csm.id,
      title: "B-SECRET action item",
      dueOn: day(now, 10),
      createdById: boss.id,
    },
  });
  // Due at 23:59 UTC: the 10:00 digest tick leaves it alone.
  const sub = await db.digestSubscription.create({
    data: {
      id: id(),
      workspaceId,
      channelId: "CBDIGEST",
      createdById: admin.id,
      ownerFilterId: csm.id,
      segment: "enterprise",
      postAtMinutes: 23 * 60 + 59,
      timezone: "UTC",
      bands: ["red"],
    },
  });
  await db.digestRun.create({
    data: {
      id: id(),
      workspaceId,
      subscriptionId: sub.id,
      localDate: day(now, -1),
      status: "posted",
      messageTs: "1700000500.000100",
      summary: { note: "B-SECRET" },
    },
  });
  await db.digestSnooze.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      snoozedById: csm.id,
      until: new Date(now.getTime() + 5 * DAY),
      scoreAtSnooze: 13,
      note: "B-SECRET snooze",
    },
  });
  await db.sentimentOverride.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      band: "red",
      reason: "B-SECRET override",
      expiresAt: new Date(now.getTime() + 20 * DAY),
      setById: csm.id,
    },
  });
  const apiKeyPrefix = API_KEY_B.slice(0, 13);
  const key = await db.apiKey.create({
    data: {
      id: id(),
      workspaceId,
      name: "B-SECRET key",
      prefix: apiKeyPrefix,
      hash: hashApiKey(API_KEY_B),
      createdById: admin.id,
    },
  });
  await db.auditLog.create({
    data: {
      id: BigInt(id()),
      workspaceId,
      actorSlackId: "UBSECRET",
      action: "account.view",
      entityType: "account",
      entityId: String(acme.id),
      accountId: acme.id,
      details: { note: "B-SECRET" },
    },
  });
  // The same event id A is sent later: receipts de-duplicate per workspace. Recent, so pruning keeps it.
  await db.slackEventReceipt.create({ data: { workspaceId, eventId: "EvShared1", receivedAt: now } });
  // A success plan, ADKAR stuck long past its stage's limit, and a built QBR pack.
  const objective = await db.successObjective.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      externalId: "obj-shared-1",
      title: "B-SECRET objective",
      metric: "B-SECRET metric",
      baseline: 3,
      target: 1,
      current: 2,
      measuredOn: day(now, -5),
      notes: "B-SECRET plan note",
      stakeholderTypes: ["sponsor"],
    },
  });
  const milestone = await db.successMilestone.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      objectiveId: objective.id,
      externalId: "ms-shared-1",
      title: "B-SECRET milestone",
      owner: "B-SECRET owner",
      dueOn: day(now, -30),
    },
  });
  await db.adkarStatus.create({
    data: {
      workspaceId,
      accountId: acme.id,
      group: "end_user",
      stage: "knowledge",
      since: new Date(now.getTime() - 200 * DAY),
      setBySlackId: "UBSECRET",
    },
  });
  await db.adkarChange.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      group: "end_user",
      toStage: "knowledge",
      changedAt: new Date(now.getTime() - 200 * DAY),
      changedBySlackId: "UBSECRET",
      source: "manual",
      evidence: ["B-SECRET evidence"],
    },
  });
  const pack = await db.qbrPack.create({
    data: {
      id: id(),
      workspaceId,
      accountId: acme.id,
      quarter: "2026-Q3",
      builtBySlackId: "UCSM",
      content: { version: 1, account: { id: acme.id, name: "B-SECRET Acme" } },
    },
  });
  await db.slackRequestKey.create({ data: { workspaceId, key: "command:shared-look-alike", receivedAt: now } });
  // B reads a customer channel whose id A links too (Slack Connect shares one channel id).
  const shared = "CSHARED";
  await db.channelLink.create({
    data: { workspaceId, channelId: shared, accountId: acme.id, name: "b-secret-shared", linkedBySlackId: "UBSECRET" },
  });
  await db.channelPerson.create({
    data: {
      workspaceId,
      channelId: shared,
      slackUserId: "WCUST",
      teamId: "TCUST",
      isCustomer: true,
      firstSeenAt: new Date(now.getTime() - 10 * DAY),
      lastSeenAt: new Date(now.getTime() - DAY),
    },
  });
  await db.channelPersonDaily.create({
    data: { workspaceId, channelId: shared, day: day(now, -1), slackUserId: "WCUST", isCustomer: true, messages: 7 },
  });
  await db.channelThread.create({
    data: {
      workspaceId,
      channelId: shared,
      threadTs: "1763700000.000100",
      askerSlackId: "WCUST",
      askedAt: new Date(now.getTime() - 2 * DAY),
    },
  });
  await db.channelLinkSuggestion.create({
    data: {
      workspaceId,
      channelId: "CBSUGGEST",
      accountId: acme.id,
      channelName: "b-secret-suggested",
      suggestedToSlackId: "UBSECRET",
    },
  });
  await db.channelActivityDaily.create({
    data: {
      workspaceId,
      channelId: shared,
      accountId: acme.id,
      day: day(now, -1),
      customerMessages: 7,
      customerPeople: 1,
    },
  });
  return {
    workspaceId,
    acmeId: acme.id,
    globexId: globex.id,
    initechId: initech.id,
    taskId: task.id,
    stageSignalId: signal.id,
    churnEventId: churn.id,
    digestSubscriptionId: sub.id,
    apiKeyId: key.id,
    apiKeyPrefix,
    retroChannel: "CBRETRO",
    retroThreadTs: "1700000999.000100",
    objectiveId: objective.id,
    milestoneId: milestone.id,
    qbrPackId: pack.id,
  };
}

/** Both workspaces, installed over OAuth with bot tokens of their own. */
export async function seedLookAlikes(db: Db, now: Date): Promise<{ a: SeededA; b: SeededB }> {
  const a = await seedWorkspaceA(db, now);
  const b = await seedWorkspaceB(db, now);
  await installBoth(db, now);
  return { a, b };
}

/** Every table that carries a workspaceId (every tenant table), from the live schema. */
export async function workspaceTables(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ table_name: string }[]>`
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.column_name = 'workspaceId'
     ORDER BY c.table_name`;
  return rows.map((r) => r.table_name);
}

/**
 * Every row a workspace owns, as PostgreSQL's own JSON text, sorted: two snapshots are
 * equal only if no row was added, removed or changed in any column (updatedAt included).
 */
export async function workspaceRows(db: Db, workspaceId: number, tables: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const ws = await db.$queryRawUnsafe<{ row: string }[]>(
    `SELECT row_to_json(w)::text AS row FROM "workspace" w WHERE w."id" = $1`,
    workspaceId,
  );
  out.workspace = ws.map((r) => r.row);
  for (const table of tables) {
    const rows = await db.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE t."workspaceId" = $1 ORDER BY 1`,
      workspaceId,
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

/** The B markers found in `text`, ignoring what the test itself typed (echoed back). */
export function findBLeaks(text: string, echoes: string[] = []): string[] {
  let scanned = text;
  for (const echo of echoes) scanned = scanned.split(echo).join("<echo>");
  return B_LEAK_PATTERNS.flatMap((p) => {
    const m = p.exec(scanned);
    return m ? [`${p.source}: …${scanned.slice(Math.max(0, m.index - 60), m.index + 60)}…`] : [];
  });
}

/** The one assertion every surface ends with: nothing of B in what went out. */
export function expectNoBLeak(outgoing: RecordedCall[], echoes: string[] = []): void {
  const leaks = outgoing.flatMap((c) => findBLeaks(JSON.stringify(c.body), echoes).map((l) => `${c.target}: ${l}`));
  expect(leaks).toEqual([]);
  // Every Web API call acts with A's own bot token.
  expect(
    outgoing
      .filter((c) => c.token !== undefined && c.token !== `Bearer ${TOKEN_A}`)
      .map((c) => `${c.target} with ${c.token}`),
  ).toEqual([]);
}

export interface RecordedCall {
  /** "api:chat.postMessage", "response:/commands/T111/1/response", "upload:/upload/F1", "download:/files/x.csv", "notifier" */
  target: string;
  /** The Authorization header of Web API calls and file downloads. */
  token?: string;
  body: unknown;
}

function parseBody(body: unknown): Record<string, unknown> {
  let fields: Record<string, unknown>;
  if (typeof body === "string") {
    try {
      fields = JSON.parse(body) as Record<string, unknown>;
    } catch {
      fields = Object.fromEntries(new URLSearchParams(body));
    }
  } else fields = (body ?? {}) as Record<string, unknown>;
  const parsed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    try {
      parsed[k] = typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      parsed[k] = v;
    }
  }
  return parsed;
}

/**
 * Slack's side, recording everything Pulse sends it: Web API calls, response_url replies,
 * file uploads and downloads. Persistent for the whole file.
 */
export class SlackRecorder {
  readonly calls: RecordedCall[] = [];
  /** What a CSV download (GET /files/<name>) answers. */
  readonly files = new Map<string, string>();
  private ts = 0;

  start(): void {
    const calls = this.calls;
    const nextTs = () => `1763900000.${String(++this.ts).padStart(6, "0")}`;
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(/^\/api\/(?!auth\.test$|oauth\.v2\.access$)[\w.]+$/)
      .reply(function (uri, body) {
        const method = uri.replace("/api/", "");
        const parsed = parseBody(body);
        calls.push({ target: `api:${method}`, token: String(this.req.headers.authorization ?? ""), body: parsed });
        switch (method) {
          case "chat.postMessage":
            return [200, { ok: true, channel: parsed.channel, ts: nextTs() }];
          case "chat.postEphemeral":
            return [200, { ok: true, message_ts: nextTs() }];
          case "conversations.info":
            return [200, { ok: true, channel: { id: parsed.channel, is_ext_shared: false } }];
          case "views.open":
          case "views.update":
          case "views.publish":
            return [200, { ok: true, view: { id: "V1" } }];
          case "users.info":
            return [200, { ok: true, user: { id: parsed.user, tz: "America/Chicago" } }];
          case "conversations.open":
            return [200, { ok: true, channel: { id: `D${String(parsed.users)}` } }];
          case "conversations.history":
            return [200, { ok: true, messages: [] }];
          case "chat.getPermalink":
            return [200, { ok: true, permalink: "https://team-a.slack.com/archives/CA1/p1763800000000100" }];
          case "files.getUploadURLExternal":
            return [
              200,
              { ok: true, upload_url: `${SLACK_API_ORIGIN}/upload/F${calls.length}`, file_id: `F${calls.length}` },
            ];
          case "files.completeUploadExternal":
            return [200, { ok: true, files: [{ id: "F1" }] }];
          default:
            return [200, { ok: true }];
        }
      });
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(/^\/(commands|actions)\//)
      .reply((uri, body) => {
        calls.push({ target: `response:${uri}`, body: parseBody(body) });
        return [200, { ok: true }];
      });
    nock(SLACK_API_ORIGIN)
      .persist()
      .post(/^\/upload\//)
      .reply((uri, body) => {
        // Multipart bytes (a PNG chart, a JSON export), scanned as text.
        const text =
          typeof body === "string"
            ? /^[0-9a-f]+$/.test(body)
              ? Buffer.from(body, "hex").toString("latin1")
              : body
            : JSON.stringify(body);
        calls.push({ target: `upload:${uri}`, body: text });
        return [200, "OK"];
      });
    const files = this.files;
    nock(SLACK_API_ORIGIN)
      .persist()
      .get(/^\/files\//)
      .reply(function (uri) {
        calls.push({ target: `download:${uri}`, token: String(this.req.headers.authorization ?? ""), body: {} });
        const content = files.get(uri.replace("/files/", ""));
        return content === undefined ? [404, "not found"] : [200, content];
      });
  }

  mark(): number {
    return this.calls.length;
  }

  since(mark: number): RecordedCall[] {
    return this.calls.slice(mark);
  }

  to(method: string, mark = 0): RecordedCall[] {
    return this.since(mark).filter((c) => c.target === `api:${method}`);
  }

  responses(mark = 0): RecordedCall[] {
    return this.since(mark).filter((c) => c.target.startsWith("response:"));
  }
}
