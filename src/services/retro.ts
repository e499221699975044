// The retrospective of a churn: where it is posted, the evidence seeded in its thread, the
// notes managers reply with, action items, and closing it. Database writes commit before
// anything is posted to Slack; Slack is reached through the small RetroSlack port so the
// service does not care whether a chart upload is allowed.
import type { Db, DbTx } from "../db/client.js";
import { bandChanges, type BandPoint } from "../domain/churn-post-mortem.js";
import { addDays, displayDay, isoDay, parseIsoDay, startOfUtcDay } from "../domain/dates.js";
import { resolveHealthModel } from "../domain/health/model-config.js";
import { retroChartSpec } from "../domain/retro-chart.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { RetroActionItem, User } from "../generated/prisma/client.js";
import { escapeMrkdwn } from "../domain/mrkdwn.js";
import type { ChartOutcome, RetroEventView, RetroEvidence, RetroSummaryInput } from "./message-views.js";
import { recordAudit } from "./audit.js";
import { renderChartPng } from "./chart-png.js";
import type { SlackPort } from "./slack-port.js";
import { RETRO_HISTORY_DAYS } from "./churn-post-mortem.js";
import { requireRole, resolveUser } from "./workspace-users.js";

/** What the retro needs from Slack: the workspace's port (posts are guarded against shared channels). */
export type RetroSlack = Pick<SlackPort, "post" | "uploadPng">;

const MANAGERS: User["role"][] = ["manager", "admin"];

/** Slack channel ids: C… public, G… private (legacy). */
export function parseChannelReference(text: string): string | undefined {
  const t = text.trim();
  const escaped = /^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(t);
  if (escaped) return escaped[1];
  return /^[CG][A-Z0-9]{2,}$/.test(t) ? t : undefined;
}

export async function setRetroChannel(
  db: Db,
  input: {
    workspaceId: number;
    actor: User;
    channelText: string;
    requestId?: string /** The Slack port's shared-channel guard. */;
    assertInternal?: (channelId: string) => Promise<void>;
  },
): Promise<string> {
  requireRole(input.actor, MANAGERS, "set the retro channel");
  const channelId = parseChannelReference(input.channelText);
  if (!channelId) {
    throw new AppError(
      "INVALID_INPUT",
      `not a channel reference: ${input.channelText}`,
      `“${input.channelText.slice(0, 80)}” is not a channel. Pick it from the autocomplete as #channel (so Slack sends its id), e.g. \`/pulse admin retro-channel #cs-retros\`.`,
    );
  }
  await input.assertInternal?.(channelId);
  await db.$transaction(async (tx) => {
    const before = await tx.workspace.findUniqueOrThrow({
      where: { id: input.workspaceId },
      select: { retroChannelId: true },
    });
    await tx.workspace.update({ where: { id: input.workspaceId }, data: { retroChannelId: channelId } });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "workspace.retro_channel",
      entityType: "workspace",
      entityId: input.workspaceId,
      details: { from: before.retroChannelId, to: channelId },
      requestId: input.requestId ?? null,
    });
  });
  return channelId;
}

async function loadEvent(db: DbTx, workspaceId: number, churnEventId: number) {
  const event = await db.churnEvent.findFirst({
    where: { workspaceId, id: churnEventId },
    include: {
      account: { select: { id: true, name: true, currency: true } },
      filedBy: { select: { slackUserId: true } },
    },
  });
  if (!event)
    throw new AppError(
      "NOT_FOUND",
      `churn event ${churnEventId} not in workspace ${workspaceId}`,
      "That churn post-mortem no longer exists.",
    );
  return event;
}

type LoadedEvent = Awaited<ReturnType<typeof loadEvent>>;

function toView(e: LoadedEvent): RetroEventView {
  return {
    id: e.id,
    accountName: e.account.name,
    currency: e.account.currency,
    kind: e.kind,
    churnedOn: e.churnedOn,
    arrBefore: Number(e.arrBefore.toString()),
    arrLost: Number(e.arrLost.toString()),
    primaryReason: e.primaryReason,
    reasonOther: e.reasonOther,
    contributingFactors: e.contributingFactors,
    warningSigns: e.warningSigns,
    warningSeenOn: e.warningSeenOn,
    couldHaveDone: e.couldHaveDone,
    lessons: e.lessons,
    preventable: e.preventable,
    firstRedOn: e.firstRedOn,
    daysOfWarning: e.daysOfWarning,
    filedBySlackId: e.filedBy?.slackUserId ?? null,
    retroStatus: e.retroStatus,
    reversedAt: e.reversedAt,
  };
}

export async function gatherRetroEvidence(
  db: DbTx,
  workspaceId: number,
  churnEventId: number,
  timeZone?: string,
): Promise<RetroEvidence> {
  const e = await loadEvent(db, workspaceId, churnEventId);
  const windowEnd = startOfUtcDay(e.churnedOn);
  const windowStart = addDays(windowEnd, -(RETRO_HISTORY_DAYS - 1));
  const accountId = e.accountId;
  const [snapshots, touchpoints, surveys, tasks] = await Promise.all([
    db.healthSnapshot.findMany({
      where: { workspaceId, accountId, scoredOn: { gte: windowStart, lte: windowEnd } },
      select: { scoredOn: true, score: true, band: true },
      orderBy: { scoredOn: "asc" },
    }),
    db.touchpoint.findMany({
      where: { workspaceId, accountId, occurredAt: { lt: addDays(windowEnd, 1) } },
      select: {
        occurredAt: true,
        kind: true,
        sentiment: true,
        notes: true,
        loggedBy: { select: { slackUserId: true, name: true } },
      },
      orderBy: { occurredAt: "desc" },
      take: 5,
    }),
    db.surveyResponse.findMany({
      where: { workspaceId, accountId, respondedAt: { gte: addDays(windowEnd, -365), lt: addDays(windowEnd, 1) } },
      select: { respondedAt: true, kind: true, score: true, comment: true },
      orderBy: { respondedAt: "desc" },
      take: 10,
    }),
    db.playbookTask.findMany({
      where: { workspaceId, accountId, createdAt: { gte: windowStart } },
      select: {
        title: true,
        dueOn: true,
        status: true,
        completedAt: true,
        createdAt: true,
        owner: { select: { slackUserId: true, name: true } },
      },
      orderBy: { createdAt: "desc" },
      take: 15,
    }),
  ]);
  const history: BandPoint[] = snapshots;
  return {
    event: toView(e),
    timeZone: timeZone ?? null,
    windowStart,
    windowEnd,
    history,
    bandChanges: bandChanges(history),
    touchpoints: touchpoints.map((t) => ({
      occurredAt: t.occurredAt,
      kind: t.kind,
      sentiment: t.sentiment,
      notes: t.notes,
      loggedBySlackId: t.loggedBy?.slackUserId ?? null,
      loggedByName: t.loggedBy?.name ?? null,
    })),
    surveys: surveys.map((s) => ({ respondedAt: s.respondedAt, kind: s.kind, score: s.score, comment: s.comment })),
    tasks: tasks.map((t) => ({
      title: t.title,
      dueOn: t.dueOn,
      status: t.status,
      completedAt: t.completedAt,
      createdAt: t.createdAt,
      ownerSlackId: t.owner?.slackUserId ?? null,
      ownerName: t.owner?.name ?? null,
    })),
  };
}

export const RETRO_CHART_TITLE = "Health score, 180 days to churn";

/** The chart's alt text (plain text, read out by screen readers). */
export function retroChartAltText(ev: RetroEvidence): string {
  const first = ev.history[0];
  const last = ev.history[ev.history.length - 1];
  if (!first || !last) return `${ev.event.accountName}: no health history`;
  return `${ev.event.accountName} health score from ${first.score} on ${displayDay(first.scoredOn)} to ${last.score} on ${displayDay(last.scoredOn)}`;
}

/** The score chart, over the workspace's band thresholds (the ones its cards use). */
export function renderRetroChart(
  ev: RetroEvidence,
  bands: { redBelow: number; greenAtLeast: number } = resolveHealthModel(undefined).model.bands,
): Promise<Buffer> {
  return renderChartPng(
    retroChartSpec({
      accountName: ev.event.accountName,
      history: ev.history,
      windowStart: ev.windowStart,
      windowEnd: ev.windowEnd,
      bands,
    }),
  );
}

function workspaceBands(settings: unknown): { redBelow: number; greenAtLeast: number } {
  const scoreModel =
    settings && typeof settings === "object" ? (settings as { scoreModel?: unknown }).scoreModel : undefined;
  return resolveHealthModel(scoreModel).model.bands;
}

export type PublishRetroResult =
  | { posted: true; channel: string; threadTs: string; chartUploaded: boolean }
  | { posted: false; reason: "no_retro_channel" };

/**
 * Posts the post-mortem to the retro channel and seeds its thread with the evidence. When
 * no retro channel is set, tells the filer how to set one instead.
 */
export async function publishRetroThread(
  deps: { db: Db; logger: Logger; config?: { timezone: string } },
  slack: RetroSlack,
  input: { workspaceId: number; churnEventId: number; filerSlackId: string; requestId?: string },
): Promise<PublishRetroResult> {
  const { db, logger } = deps;
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: input.workspaceId },
    select: { retroChannelId: true, settings: true },
  });
  const evidence = await gatherRetroEvidence(db, input.workspaceId, input.churnEventId, deps.config?.timezone);
  if (!workspace.retroChannelId) {
    await slack.post({
      channel: input.filerSlackId,
      text:
        `Your post-mortem for ${escapeMrkdwn(evidence.event.accountName)} is saved, but no retro channel is set, so no retrospective thread was started. ` +
        "An admin or manager can set one with `/pulse admin retro-channel #channel` (then invite @Pulse to that channel).",
      blocks: [],
    });
    return { posted: false, reason: "no_retro_channel" };
  }
  const channel = workspace.retroChannelId;
  const parent = await slack.post({ channel, view: { kind: "retro-parent", event: evidence.event } });
  await db.$transaction(async (tx) => {
    await tx.churnEvent.update({
      where: { id: input.churnEventId },
      data: { retroChannelId: channel, retroThreadTs: parent.ts, retroStatus: "open" },
    });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.filerSlackId,
      action: "retro.open",
      entityType: "churn_event",
      entityId: input.churnEventId,
      details: { channel, threadTs: parent.ts },
      requestId: input.requestId ?? null,
    });
  });
  const threadTs = parent.ts;
  let chart: ChartOutcome = { uploaded: false, reason: "no health history" };
  if (evidence.history.length) {
    chart = await slack.uploadPng({
      channel,
      threadTs,
      filename: `health-${isoDay(evidence.windowStart)}-${isoDay(evidence.windowEnd)}.png`,
      title: RETRO_CHART_TITLE,
      altText: retroChartAltText(evidence),
      bytes: await renderRetroChart(evidence, workspaceBands(workspace.settings)),
    });
    if (!chart.uploaded)
      logger.info(
        { churnEventId: input.churnEventId, reason: chart.reason },
        "retro chart not uploaded; posting a text sparkline",
      );
  }
  const thread = [
    { kind: "retro-health", evidence, chart },
    { kind: "retro-touchpoints", evidence },
    { kind: "retro-surveys", evidence },
    { kind: "retro-tasks", evidence },
  ] as const;
  for (const view of thread) await slack.post({ channel, threadTs, view });
  return { posted: true, channel, threadTs, chartUploaded: chart.uploaded };
}

export interface RetroReply {
  teamId: string;
  channelId: string;
  threadTs: string;
  messageTs: string;
  authorSlackId: string;
  text: string;
}

/** Keeps a human reply in a retro thread as a note. Idempotent on the message ts. */
export async function recordRetroNote(db: Db, reply: RetroReply): Promise<"recorded" | "duplicate" | "not_a_retro"> {
  const workspace = await db.workspace.findUnique({ where: { slackTeamId: reply.teamId }, select: { id: true } });
  if (!workspace) return "not_a_retro";
  const event = await db.churnEvent.findFirst({
    where: { workspaceId: workspace.id, retroChannelId: reply.channelId, retroThreadTs: reply.threadTs },
    select: { id: true, accountId: true },
  });
  if (!event) return "not_a_retro";
  return db.$transaction(async (tx) => {
    const inserted = await tx.retroNote.createMany({
      data: [
        {
          workspaceId: workspace.id,
          churnEventId: event.id,
          authorSlackId: reply.authorSlackId,
          text: reply.text,
          slackTs: reply.messageTs,
        },
      ],
      skipDuplicates: true,
    });
    if (!inserted.count) return "duplicate" as const;
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actorSlackId: reply.authorSlackId,
      action: "retro.note",
      entityType: "churn_event",
      entityId: event.id,
      accountId: event.accountId,
      details: { slackTs: reply.messageTs, length: reply.text.length },
    });
    return "recorded" as const;
  });
}

export type AddActionItemResult =
  | { ok: false; errors: Partial<Record<"owner" | "dueOn" | "title", string>> }
  | {
      ok: true;
      item: RetroActionItem;
      ownerSlackId: string;
      accountName: string;
      channel: string | null;
      threadTs: string | null;
    };

export async function addRetroActionItem(
  db: Db,
  input: {
    workspaceId: number;
    churnEventId: number;
    creator: User;
    ownerSlackId: string | null;
    dueOn: string | null;
    title: string | null;
    now: Date;
    requestId?: string;
  },
): Promise<AddActionItemResult> {
  const errors: Partial<Record<"owner" | "dueOn" | "title", string>> = {};
  const title = input.title?.trim() ?? "";
  if (!title) errors.title = "Give the action item a title.";
  else if (title.length > 200) errors.title = "Keep the title under 200 characters.";
  if (!input.ownerSlackId) errors.owner = "Choose who owns this action item.";
  // Slack's user picker only ever sends a user id; anything else was not typed by a person
  // and must not become a user row of this workspace.
  else if (!/^[UW][A-Z0-9]{2,20}$/.test(input.ownerSlackId))
    errors.owner = "Choose the owner from the list of people in this workspace.";
  const dueOn = input.dueOn ? parseIsoDay(input.dueOn) : undefined;
  if (!input.dueOn) errors.dueOn = "Pick a due date.";
  else if (!dueOn) errors.dueOn = `"${input.dueOn}" is not a date (YYYY-MM-DD).`;
  else if (dueOn.getTime() < startOfUtcDay(input.now).getTime())
    errors.dueOn = `The due date cannot be in the past (today is ${displayDay(input.now)}).`;
  if (Object.keys(errors).length) return { ok: false, errors };

  const event = await loadEvent(db, input.workspaceId, input.churnEventId);
  if (event.retroStatus === "closed")
    throw new AppError(
      "CONFLICT",
      `retro ${event.id} closed`,
      "This retrospective is closed; action items can no longer be added.",
    );
  const owner = await resolveUser(db, input.workspaceId, input.ownerSlackId!);
  const item = await db.$transaction(async (tx) => {
    const created = await tx.retroActionItem.create({
      data: {
        workspaceId: input.workspaceId,
        churnEventId: event.id,
        ownerId: owner.id,
        title,
        dueOn: dueOn!,
        createdById: input.creator.id,
      },
    });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.creator.slackUserId,
      action: "retro.action_item",
      entityType: "retro_action_item",
      entityId: created.id,
      accountId: event.accountId,
      details: { churnEventId: event.id, ownerSlackId: owner.slackUserId, dueOn: isoDay(dueOn!) },
      requestId: input.requestId ?? null,
    });
    return created;
  });
  return {
    ok: true,
    item,
    ownerSlackId: owner.slackUserId,
    accountName: event.account.name,
    channel: event.retroChannelId,
    threadTs: event.retroThreadTs,
  };
}

/** Tells the owner and the thread about a new action item (after it is saved). */
export async function announceRetroActionItem(
  slack: RetroSlack,
  added: Extract<AddActionItemResult, { ok: true }>,
  creatorSlackId: string,
): Promise<void> {
  const base = {
    title: added.item.title,
    dueOn: added.item.dueOn,
    ownerSlackId: added.ownerSlackId,
    createdBySlackId: creatorSlackId,
  };
  if (added.channel && added.threadTs)
    await slack.post({
      channel: added.channel,
      threadTs: added.threadTs,
      view: { kind: "retro-action-item-posted", item: base },
    });
  await slack.post({
    channel: added.ownerSlackId,
    view: {
      kind: "retro-action-item-dm",
      item: {
        ...base,
        accountName: added.accountName,
        permalinkHint: added.channel ? `From the retro thread in <#${added.channel}>.` : "From a churn retrospective.",
      },
    },
  });
}

export async function closeRetro(
  db: Db,
  input: { workspaceId: number; churnEventId: number; actor: User; now: Date; requestId?: string },
): Promise<{ channel: string | null; threadTs: string | null; summary: RetroSummaryInput }> {
  requireRole(input.actor, MANAGERS, "close a retrospective");
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "churn_event" WHERE "workspaceId" = ${input.workspaceId} AND "id" = ${input.churnEventId} FOR UPDATE`;
    const event = await loadEvent(tx, input.workspaceId, input.churnEventId);
    if (event.retroStatus === "closed")
      throw new AppError(
        "CONFLICT",
        `retro ${event.id} already closed`,
        `The retro for ${event.account.name} is already closed.`,
      );
    const [notes, items] = await Promise.all([
      tx.retroNote.findMany({
        where: { workspaceId: input.workspaceId, churnEventId: event.id },
        orderBy: { slackTs: "asc" },
      }),
      tx.retroActionItem.findMany({
        where: { workspaceId: input.workspaceId, churnEventId: event.id },
        include: { owner: { select: { slackUserId: true } } },
        orderBy: { id: "asc" },
      }),
    ]);
    await tx.churnEvent.update({
      where: { id: event.id },
      data: { retroStatus: "closed", retroClosedAt: input.now, retroClosedById: input.actor.id },
    });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorSlackId: input.actor.slackUserId,
      action: "retro.close",
      entityType: "churn_event",
      entityId: event.id,
      accountId: event.accountId,
      details: { notes: notes.length, actionItems: items.length },
      requestId: input.requestId ?? null,
    });
    const summary: RetroSummaryInput = {
      event: { ...toView(event), retroStatus: "closed" },
      closedBySlackId: input.actor.slackUserId,
      notes: notes.map((n) => ({ authorSlackId: n.authorSlackId, text: n.text })),
      actionItems: items.map((i) => ({
        title: i.title,
        ownerSlackId: i.owner.slackUserId,
        dueOn: i.dueOn,
        status: i.status,
      })),
    };
    return { channel: event.retroChannelId, threadTs: event.retroThreadTs, summary };
  });
}

export interface OpenRetroActionItem {
  id: number;
  title: string;
  dueOn: Date;
  accountName: string;
  churnEventId: number;
  retroChannelId: string | null;
  retroThreadTs: string | null;
}

/** A user's open retro action items, soonest due first (for their App Home). */
export async function listOpenRetroActionItems(
  db: DbTx,
  workspaceId: number,
  userId: number,
): Promise<OpenRetroActionItem[]> {
  const rows = await db.retroActionItem.findMany({
    where: { workspaceId, ownerId: userId, status: "open" },
    include: {
      churnEvent: {
        select: { id: true, retroChannelId: true, retroThreadTs: true, account: { select: { name: true } } },
      },
    },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    dueOn: r.dueOn,
    accountName: r.churnEvent.account.name,
    churnEventId: r.churnEvent.id,
    retroChannelId: r.churnEvent.retroChannelId,
    retroThreadTs: r.churnEvent.retroThreadTs,
  }));
}

/** The churn event a retro button refers to, with the account (for win-backs from the thread). */
export async function getChurnEventAccount(
  db: DbTx,
  workspaceId: number,
  churnEventId: number,
): Promise<{ accountId: number; accountName: string }> {
  const event = await loadEvent(db, workspaceId, churnEventId);
  return { accountId: event.accountId, accountName: event.account.name };
}
