// Daily digests: build, claim, post, record. Each (subscription, local date) posts exactly
// once across processes and restarts:
// - the claim is an INSERT on digest_run's unique (subscriptionId, localDate);
// - a claim left unfinished (a crash) may be taken over after a lease, but only after
//   looking for a message with this digest's metadata in the channel: a digest posted
//   just before the crash is adopted, not posted again;
// - every run ends recorded: posted, empty (quiet day, nothing to say), or failed with
//   its error (transient failures are retried on later ticks, up to MAX_ATTEMPTS).
import type { AppContext } from "../app-context.js";
import {
  composeDigest,
  rowsInPriorityOrder,
  type Band,
  type DigestContent,
  type DigestSummary,
  type RankedDigestRow,
} from "../domain/digest/compose.js";
import { displayDay, parseIsoDay, startOfUtcDay } from "../domain/dates.js";
import { AppError } from "../errors.js";
import { dueLocalDate, localDateValue, localTime } from "../domain/digest/schedule.js";
import type { DigestRun, DigestSubscription, Workspace } from "../generated/prisma/client.js";
import { metrics } from "../observability/metrics.js";
import { classifyPostError, type DigestPoster } from "./digest-poster.js";
import type { DigestView } from "./message-views.js";
import {
  filterForSubscription,
  gatherDigestAccounts,
  withPreviousDigest,
  type WorkspaceDigestAccount,
} from "./digest-data.js";

export const CLAIM_LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 3;

export interface DigestDeps {
  posterFor(workspace: Workspace): Promise<DigestPoster> | DigestPoster;
  instanceId: string;
}

export type DigestOutcome = "posted" | "empty" | "adopted" | "failed" | "skipped";

/** A digest as data: the composed content, and the view model the Slack port renders. */
export interface BuiltDigest {
  content: DigestContent;
  view: DigestView;
}

type Ctx = Pick<AppContext, "db" | "logger">;

async function previousSummary(ctx: Ctx, sub: DigestSubscription, before: Date): Promise<DigestSummary | null> {
  const run = await ctx.db.digestRun.findFirst({
    where: { workspaceId: sub.workspaceId, subscriptionId: sub.id, status: "posted", localDate: { lt: before } },
    orderBy: { localDate: "desc" },
    select: { summary: true },
  });
  const summary = run?.summary as Partial<DigestSummary> | undefined;
  return summary?.scores && summary.bands && summary.counts ? (summary as DigestSummary) : null;
}

/** Builds one subscription's digest from its workspace's accounts (no posting). */
export async function buildDigest(
  ctx: Ctx,
  sub: DigestSubscription,
  accounts: WorkspaceDigestAccount[],
  now: Date,
  localDate: string,
  options: { rowsPerSection?: number } = {},
): Promise<BuiltDigest> {
  const previous = await previousSummary(ctx, sub, localDateValue(localDate));
  const mine = withPreviousDigest(
    filterForSubscription(accounts, {
      ownerFilterId: sub.ownerFilterId,
      segment: sub.segment,
      stage: sub.stage,
      minArr: sub.minArr === null ? null : Number(sub.minArr),
    }),
    previous,
  );
  const content = composeDigest(mine, {
    bands: sub.bands as Band[],
    noTouchDays: sub.noTouchDays,
    now,
    previousCounts: previous?.counts ?? null,
    ...(options.rowsPerSection ? { rowsPerSection: options.rowsPerSection } : {}),
  });
  const title = `Accounts needing attention — ${displayDay(parseIsoDay(localDate) ?? startOfUtcDay(now))}`;
  return { content, view: { kind: "digest", content, title, now, subscriptionId: sub.id } };
}

/** Accounts a page of the digest's full list shows (its "See all" modal). */
export const DIGEST_PAGE_SIZE = 10;

/** One page of everything a digest covers today, in the digest's priority order. */
export interface DigestPage {
  subscriptionId: number;
  channelId: string;
  /** From 0. */
  page: number;
  pages: number;
  total: number;
  rows: RankedDigestRow[];
}

/**
 * A page of the full list behind a digest: every account needing attention today under the
 * subscription's filters, not only the first ten the message shows, nor only the
 * reader's own accounts (issue 15: "see them all with /pulse portfolio" showed the caller's).
 */
export async function readDigestPage(
  ctx: Ctx,
  workspaceId: number,
  subscriptionId: number,
  page: number,
  now: Date,
): Promise<DigestPage> {
  const sub = await ctx.db.digestSubscription.findFirst({ where: { id: subscriptionId, workspaceId } });
  if (!sub)
    throw new AppError(
      "NOT_FOUND",
      `digest subscription ${subscriptionId} not in workspace ${workspaceId}`,
      "That digest no longer exists in this workspace.",
    );
  const accounts = await gatherDigestAccounts(ctx.db, workspaceId, now);
  const built = await buildDigest(ctx, sub, accounts, now, todayFor(sub, now), {
    rowsPerSection: Number.POSITIVE_INFINITY,
  });
  const rows = rowsInPriorityOrder(built.content);
  const pages = Math.max(1, Math.ceil(rows.length / DIGEST_PAGE_SIZE));
  const at = Math.min(Math.max(0, page), pages - 1);
  return {
    subscriptionId: sub.id,
    channelId: sub.channelId,
    page: at,
    pages,
    total: rows.length,
    rows: rows.slice(at * DIGEST_PAGE_SIZE, (at + 1) * DIGEST_PAGE_SIZE),
  };
}

/** Claims today's run, or takes over an abandoned or retryable one. Undefined: not ours. */
async function claim(
  ctx: Ctx,
  sub: DigestSubscription,
  localDate: string,
  now: Date,
  instanceId: string,
): Promise<{ run: DigestRun; takenOver: DigestRun | null } | undefined> {
  const day = localDateValue(localDate);
  const inserted = await ctx.db.$queryRaw<DigestRun[]>`
    INSERT INTO "digest_run" ("workspaceId", "subscriptionId", "localDate", "status", "claimedBy", "claimedAt", "attempts")
    VALUES (${sub.workspaceId}, ${sub.id}, ${day}, 'claimed', ${instanceId}, ${now}, 1)
    ON CONFLICT ("subscriptionId", "localDate") DO NOTHING
    RETURNING *`;
  if (inserted[0]) return { run: inserted[0], takenOver: null };
  const existing = await ctx.db.digestRun.findUnique({
    where: { subscriptionId_localDate: { subscriptionId: sub.id, localDate: day } },
  });
  if (!existing || existing.status === "posted" || existing.status === "empty") return undefined;
  if (existing.attempts >= MAX_ATTEMPTS) return undefined;
  if (existing.status === "claimed" && now.getTime() - existing.claimedAt.getTime() < CLAIM_LEASE_MS) return undefined;
  // Optimistic takeover: only one process can move it from the state it saw.
  const taken = await ctx.db.digestRun.updateMany({
    where: { id: existing.id, status: existing.status, claimedAt: existing.claimedAt },
    data: { status: "claimed", claimedBy: instanceId, claimedAt: now, attempts: { increment: 1 } },
  });
  if (taken.count !== 1) return undefined;
  return {
    run: { ...existing, status: "claimed", claimedBy: instanceId, claimedAt: now, attempts: existing.attempts + 1 },
    takenOver: existing,
  };
}

async function recordFailure(ctx: Ctx, run: DigestRun, error: string): Promise<void> {
  await ctx.db.digestRun.update({ where: { id: run.id }, data: { status: "failed", error: error.slice(0, 1000) } });
}

/** DMs whoever subscribed; when they are gone from Pulse, the workspace's admins. */
async function tellSubscriber(ctx: Ctx, poster: DigestPoster, sub: DigestSubscription, text: string): Promise<void> {
  const creator = await ctx.db.user.findFirst({
    where: { id: sub.createdById, workspaceId: sub.workspaceId },
    select: { slackUserId: true },
  });
  const recipients = creator
    ? [creator]
    : await ctx.db.user.findMany({
        where: { workspaceId: sub.workspaceId, role: "admin" },
        select: { slackUserId: true },
      });
  for (const r of recipients) await poster.dm(r.slackUserId, text);
}

/** Posts one subscription's digest for `localDate` if this process wins the claim. */
export async function deliverDigest(
  ctx: Ctx,
  deps: DigestDeps,
  workspace: Workspace,
  sub: DigestSubscription,
  localDate: string,
  now: Date,
  accounts: () => Promise<WorkspaceDigestAccount[]>,
): Promise<DigestOutcome> {
  const claimed = await claim(ctx, sub, localDate, now, deps.instanceId);
  if (!claimed) return "skipped";
  const { run, takenOver } = claimed;
  const key = { subscriptionId: sub.id, localDate };
  const log = ctx.logger.child({ subscriptionId: sub.id, localDate, runId: run.id });
  try {
    const poster = await deps.posterFor(workspace);
    if (takenOver && takenOver.status === "claimed") {
      const ts = await poster.findPosted(sub.channelId, takenOver.claimedAt, key);
      if (ts) {
        await ctx.db.digestRun.update({
          where: { id: run.id },
          data: { status: "posted", messageTs: ts, postedAt: now, error: null },
        });
        log.info("adopted a digest posted before an interruption");
        return "adopted";
      }
    }
    const built = await buildDigest(ctx, sub, await accounts(), now, localDate);
    const shown = built.content.sections.reduce((n, s) => n + s.total, 0);
    if (built.content.quiet && sub.quietDay === "nothing") {
      await ctx.db.digestRun.update({
        where: { id: run.id },
        data: { status: "empty", accountsShown: 0, summary: built.content.summary as never, error: null },
      });
      return "empty";
    }
    const ts = await poster.post(sub.channelId, built.view, key);
    await ctx.db.digestRun.update({
      where: { id: run.id },
      data: {
        status: "posted",
        messageTs: ts,
        postedAt: new Date(),
        accountsShown: shown,
        summary: built.content.summary as never,
        error: null,
      },
    });
    metrics.digestsPosted.inc();
    return "posted";
  } catch (error) {
    const { kind, code } = classifyPostError(error);
    log.warn({ code, kind }, "digest could not be posted");
    if (kind === "channel_gone" || kind === "channel_shared") {
      // Not worth retrying: the subscription is turned off. Only the run that turns it off
      // tells anyone, so the subscriber hears of it once however many processes tried.
      await ctx.db.digestRun.update({
        where: { id: run.id },
        data: { status: "failed", error: `slack: ${code}`, attempts: MAX_ATTEMPTS },
      });
      const turnedOff = await ctx.db.digestSubscription.updateMany({
        where: { id: sub.id, active: true },
        data: {
          active: false,
          disabledAt: now,
          disabledReason: kind === "channel_shared" ? "channel shared with another organisation" : code,
        },
      });
      if (turnedOff.count === 1) {
        const text =
          kind === "channel_shared"
            ? `:warning: Your Pulse digest for <#${sub.channelId}> is turned off: the channel is now shared with another organisation (Slack Connect), and Pulse does not post health scores or ARR there. Subscribe an internal channel with \`/pulse digest subscribe\`.`
            : `:warning: Your Pulse digest for <#${sub.channelId}> is turned off: Slack said \`${code}\` (the channel is gone, archived, or Pulse is not in it). Invite Pulse back or subscribe again in another channel with \`/pulse digest subscribe\`.`;
        await tellSubscriber(ctx, await deps.posterFor(workspace), sub, text).catch((e: unknown) =>
          log.warn({ err: e }, "could not tell the subscriber"),
        );
      }
    } else if (kind === "auth_revoked") {
      await recordFailure(ctx, run, `slack: ${code}`);
      await ctx.db.workspace.update({ where: { id: workspace.id }, data: { active: false, deactivatedAt: now } });
      log.error({ code }, "Slack refused the workspace's token; the workspace is now inactive");
    } else {
      await recordFailure(ctx, run, `slack: ${code}`);
    }
    return "failed";
  }
}

/** One tick: every due subscription of every active workspace. */
export async function runDigests(
  ctx: Ctx,
  deps: DigestDeps,
  now: Date,
  workspaceIds?: number[],
): Promise<Record<DigestOutcome, number>> {
  const outcomes: Record<DigestOutcome, number> = { posted: 0, empty: 0, adopted: 0, failed: 0, skipped: 0 };
  const subs = await ctx.db.digestSubscription.findMany({
    where: { active: true, workspace: { active: true }, ...(workspaceIds && { workspaceId: { in: workspaceIds } }) },
    include: { workspace: true },
  });
  const byWorkspace = new Map<number, Promise<WorkspaceDigestAccount[]>>();
  for (const sub of subs) {
    const localDate = dueLocalDate(sub, now);
    if (!localDate) continue;
    const accounts = () => {
      let p = byWorkspace.get(sub.workspaceId);
      if (!p) byWorkspace.set(sub.workspaceId, (p = gatherDigestAccounts(ctx.db, sub.workspaceId, now)));
      return p;
    };
    const outcome = await deliverDigest(ctx, deps, sub.workspace, sub, localDate, now, accounts).catch(
      (error: unknown) => {
        ctx.logger.error({ err: error, subscriptionId: sub.id }, "digest delivery failed unexpectedly");
        return "failed" as const;
      },
    );
    outcomes[outcome]++;
  }
  return outcomes;
}

/** The local date a subscription would post for right now (for preview and send-now). */
export function todayFor(sub: Pick<DigestSubscription, "timezone">, now: Date): string {
  return localTime(now, sub.timezone).date;
}
