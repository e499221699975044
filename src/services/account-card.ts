// Everything the account card shows, gathered in a few queries, scoped to the workspace.
import type { Db } from "../db/client.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import {
  healthComponentsSchema,
  healthReasonsSchema,
  type HealthComponents,
  type HealthReason,
} from "../domain/health/snapshot.js";
import type { HealthBand } from "../domain/vocabulary.js";
import { AppError } from "../errors.js";
import { type ChannelCardLine, channelCardLines, likelyChampions } from "./channel-signals.js";
import { activeOverride } from "./sentiment-overrides.js";
import { UNFINISHED_TASK } from "./task-actions.js";

export interface AccountCardData {
  /** When it was read: what "overdue" is measured against. */
  readAt: Date;
  account: {
    id: number;
    name: string;
    domain: string | null;
    segment: string | null;
    stage: string;
    status: string;
    arr: string;
    currency: string;
    renewalDate: Date | null;
    /** The day a churned account churned (null while active). */
    churnedAt: Date | null;
    ownerSlackId: string | null;
    ownerName: string | null;
  };
  latest: {
    score: number;
    band: HealthBand;
    scoredOn: Date;
    components: HealthComponents | null;
    reasons: HealthReason[];
    modelVersion: string;
    /** The snapshot a week before, which the card's change is measured against. */
    comparison: { scoredOn: Date; score: number; reasons: HealthReason[] } | null;
  } | null;
  /** Scores of the last 90 days, oldest first (days without a snapshot are skipped). */
  history: { scoredOn: Date; score: number }[];
  change7d: number | null;
  change30d: number | null;
  touchpoints: {
    kind: string;
    occurredAt: Date;
    sentiment: string | null;
    notes: string | null;
    loggedBySlackId: string | null;
  }[];
  latestNps: { score: number; respondedAt: Date; comment: string | null } | null;
  latestCsat: { score: number; respondedAt: Date; comment: string | null } | null;
  /** Open and snoozed tasks, soonest due first (at most CARD_TASKS_READ). */
  openTasks: { id: number; title: string; dueOn: Date; status: string; snoozedUntil: Date | null }[];
  /** All of them, listed or not. */
  openTaskCount: number;
  /**
   * A playbook that fired for the account but holds it back as its control group (no tasks,
   * so the playbook's effect can be measured), while that measurement runs.
   */
  controlGroup: { playbookName: string; firedOn: Date } | null;
  override: { band: HealthBand; reason: string; expiresAt: Date; setBySlackId: string } | null;
  /** Linked customer channels, last 7 days (empty when none is linked or signals are off). */
  channels: ChannelCardLine[];
  champions: { name: string | null; slackUserId: string | null }[];
  /** Customer people added from its channels and not classified yet (at most CARD_UNCLASSIFIED_READ), oldest first. */
  unclassified: { id: number; name: string | null; slackUserId: string | null }[];
  /** All of them, listed or not. */
  unclassifiedCount: number;
}

function changeSince(
  history: { scoredOn: Date; score: number }[],
  latest: { scoredOn: Date; score: number } | undefined,
  days: number,
): number | null {
  if (!latest) return null;
  const target = addDays(latest.scoredOn, -days);
  const before = [...history].reverse().find((h) => h.scoredOn <= target);
  return before ? latest.score - before.score : null;
}

/** Tasks the card lists (playbooks give an account a dozen at most; more are counted). */
export const CARD_TASKS_READ = 25;

/** People to classify the card lists with their buttons (three blocks each; the rest are counted). */
export const CARD_UNCLASSIFIED_READ = 3;

/** How long a firing is measured (its score 30 days later): the account is held back that long. */
const CONTROL_MEASURED_DAYS = 30;

export async function getAccountCard(
  db: Db,
  workspaceId: number,
  accountId: number,
  now: Date,
): Promise<AccountCardData> {
  const account = await db.account.findFirst({
    where: { id: accountId, workspaceId },
    include: { owner: { select: { slackUserId: true, name: true } } },
  });
  if (!account)
    throw new AppError(
      "NOT_FOUND",
      `account ${accountId} not in workspace ${workspaceId}`,
      "That account does not exist in this workspace.",
    );
  const since = addDays(startOfUtcDay(now), -90);
  // The history needs only the scores; the components and reasons (1-2 KB of JSON a day)
  // only the latest snapshot's.
  const unfinished = { workspaceId, accountId, status: { in: [...UNFINISHED_TASK] } };
  const unknownPeople = { workspaceId, accountId, stakeholderType: "unknown" as const, erasedAt: null, leftAt: null };
  const [
    snapshots,
    last,
    touchpoints,
    nps,
    csat,
    tasks,
    taskCount,
    control,
    override,
    channels,
    champions,
    unclassified,
    unclassifiedCount,
  ] = await Promise.all([
    db.healthSnapshot.findMany({
      where: { workspaceId, accountId, scoredOn: { gte: since } },
      orderBy: { scoredOn: "asc" },
      select: { scoredOn: true, score: true },
    }),
    db.healthSnapshot.findFirst({
      where: { workspaceId, accountId, scoredOn: { gte: since } },
      orderBy: { scoredOn: "desc" },
      select: { scoredOn: true, score: true, band: true, components: true, reasons: true, modelVersion: true },
    }),
    db.touchpoint.findMany({
      where: { workspaceId, accountId },
      orderBy: { occurredAt: "desc" },
      take: 3,
      select: {
        kind: true,
        occurredAt: true,
        sentiment: true,
        notes: true,
        loggedBy: { select: { slackUserId: true } },
      },
    }),
    db.surveyResponse.findFirst({
      where: { workspaceId, accountId, kind: "nps" },
      orderBy: { respondedAt: "desc" },
      select: { score: true, respondedAt: true, comment: true },
    }),
    db.surveyResponse.findFirst({
      where: { workspaceId, accountId, kind: "csat" },
      orderBy: { respondedAt: "desc" },
      select: { score: true, respondedAt: true, comment: true },
    }),
    db.playbookTask.findMany({
      where: unfinished,
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      take: CARD_TASKS_READ,
      select: { id: true, title: true, dueOn: true, status: true, snoozedUntil: true },
    }),
    db.playbookTask.count({ where: unfinished }),
    db.playbookFiring.findFirst({
      where: {
        workspaceId,
        accountId,
        group: "control",
        recovered: null,
        firedOn: { gt: addDays(startOfUtcDay(now), -CONTROL_MEASURED_DAYS) },
      },
      orderBy: { firedOn: "desc" },
      select: { firedOn: true, playbook: { select: { name: true } } },
    }),
    activeOverride(db, workspaceId, accountId, now),
    channelCardLines(db, workspaceId, accountId, now),
    likelyChampions(db, workspaceId, accountId),
    db.contact.findMany({
      where: unknownPeople,
      orderBy: { id: "asc" },
      take: CARD_UNCLASSIFIED_READ,
      select: { id: true, name: true, slackUserId: true },
    }),
    db.contact.count({ where: unknownPeople }),
  ]);
  const compared = last
    ? await db.healthSnapshot.findFirst({
        where: { workspaceId, accountId, scoredOn: { lte: addDays(last.scoredOn, -7), gte: since } },
        orderBy: { scoredOn: "desc" },
        select: { scoredOn: true, score: true, reasons: true },
      })
    : null;
  const comparedReasons = compared ? healthReasonsSchema.safeParse(compared.reasons) : undefined;
  const parsedComponents = last ? healthComponentsSchema.safeParse(last.components) : undefined;
  const parsedReasons = last ? healthReasonsSchema.safeParse(last.reasons) : undefined;
  const history = snapshots.map((s) => ({ scoredOn: s.scoredOn, score: s.score }));
  return {
    readAt: now,
    account: {
      id: account.id,
      name: account.name,
      domain: account.domain,
      segment: account.segment,
      stage: account.stage,
      status: account.status,
      arr: account.arr.toString(),
      currency: account.currency,
      renewalDate: account.renewalDate,
      churnedAt: account.churnedAt,
      ownerSlackId: account.owner?.slackUserId ?? null,
      ownerName: account.owner?.name ?? null,
    },
    latest: last
      ? {
          score: last.score,
          band: last.band,
          scoredOn: last.scoredOn,
          components: parsedComponents?.success ? parsedComponents.data : null,
          reasons: parsedReasons?.success ? parsedReasons.data : [],
          modelVersion: last.modelVersion,
          comparison:
            compared && comparedReasons?.success
              ? { scoredOn: compared.scoredOn, score: compared.score, reasons: comparedReasons.data }
              : null,
        }
      : null,
    history,
    change7d: changeSince(history, last ?? undefined, 7),
    change30d: changeSince(history, last ?? undefined, 30),
    touchpoints: touchpoints.map((t) => ({
      kind: t.kind,
      occurredAt: t.occurredAt,
      sentiment: t.sentiment,
      notes: t.notes,
      loggedBySlackId: t.loggedBy?.slackUserId ?? null,
    })),
    latestNps: nps,
    latestCsat: csat,
    openTasks: tasks,
    openTaskCount: taskCount,
    controlGroup: control ? { playbookName: control.playbook.name, firedOn: control.firedOn } : null,
    override: override
      ? {
          band: override.band,
          reason: override.reason,
          expiresAt: override.expiresAt,
          setBySlackId: override.setBy.slackUserId,
        }
      : null,
    channels,
    champions,
    unclassified,
    unclassifiedCount,
  };
}
