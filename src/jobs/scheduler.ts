// Scheduled work that runs once across however many Pulse processes are up:
// - node-cron ticks in every process, in the configured time zone;
// - the tick claims its slot (job name + scheduled instant) with an INSERT on job_run's
//   unique key: exactly one process wins the slot;
// - the winner also takes a PostgreSQL advisory lock for the job, so a slow run never
//   overlaps the next slot's run, whichever process claims that one;
// - the outcome is written with retries (a database blip at the end of a run must not
//   leave its row "running"), and each scheduler, as it starts, closes the rows a process
//   that is gone left running (stale-runs.ts).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import cron, { type ScheduledTask } from "node-cron";
import type { Db } from "../db/client.js";
import { withTryAdvisoryLock } from "../db/locks.js";
import { retryWrite, type RetryWriteOptions } from "../db/retry-write.js";
import { metrics } from "../observability/metrics.js";
import type { Logger } from "../log.js";
import { closeStaleRuns, jobLockName } from "./stale-runs.js";

export interface JobContext {
  /** The scheduled instant of this run (not the wall clock when it started). */
  now: Date;
  slot: string;
  logger: Logger;
  /** Only these workspaces (`pulse run --workspace`); every active one when absent. */
  workspaceIds?: number[];
}

export interface JobDefinition {
  name: string;
  cron: string;
  timezone: string;
  /** "global" jobs tidy tables across workspaces and cannot be limited to some of them. */
  scope: "workspace" | "global";
  run(ctx: JobContext): Promise<void>;
}

export interface SchedulerDeps {
  db: Db;
  databaseUrl: string;
  logger: Logger;
  /** Identifies this process in job_run.claimedBy. */
  instanceId?: string;
  /** How long and how often a run's outcome is retried while the database is away. */
  outcomeRetry?: Pick<RetryWriteOptions, "deadlineMs" | "initialDelayMs" | "maxDelayMs">;
}

export type SlotOutcome = "succeeded" | "failed" | "claimed-elsewhere" | "previous-run-still-going";

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** The slot a scheduled instant belongs to: its second, in UTC (cron's finest unit). */
export function slotOf(scheduledAt: Date): string {
  return new Date(Math.floor(scheduledAt.getTime() / 1_000) * 1_000).toISOString();
}

/** Claims and runs one slot of a job. Safe to call from several processes at once. */
export async function runJobSlot(
  job: Pick<JobDefinition, "name" | "run">,
  scheduledAt: Date,
  deps: SchedulerDeps,
  only: Pick<JobContext, "workspaceIds"> = {},
): Promise<SlotOutcome> {
  const slot = slotOf(scheduledAt);
  const instanceId = deps.instanceId ?? defaultInstanceId();
  // jobRunId ties together every log line of one run, in every area the job calls into.
  const logger = deps.logger.child({ job: job.name, slot, jobRunId: randomUUID() });
  const claimed = await deps.db.$executeRaw`
    INSERT INTO "job_run" ("job", "slot", "claimedBy", "status", "startedAt")
    VALUES (${job.name}, ${slot}, ${instanceId}, 'running', now())
    ON CONFLICT ("job", "slot") DO NOTHING`;
  if (claimed === 0) {
    logger.debug("slot already claimed by another process");
    return "claimed-elsewhere";
  }
  const recordOutcome = (data: { status: "succeeded" | "failed"; error?: string }, what: string) =>
    retryWrite(
      () =>
        deps.db.jobRun.update({
          where: { job_slot: { job: job.name, slot } },
          data: { ...data, finishedAt: new Date() },
        }),
      {
        logger,
        what,
        ...deps.outcomeRetry,
      },
    );
  const locked = await withTryAdvisoryLock(
    deps.databaseUrl,
    jobLockName(job.name),
    async () => {
      const startedAt = Date.now();
      const stopTimer = metrics.jobDuration.startTimer({ job: job.name });
      let failure: unknown;
      try {
        await job.run({ now: scheduledAt, slot, logger, ...only });
      } catch (error) {
        failure = error;
      }
      if (failure === undefined) {
        stopTimer({ outcome: "succeeded" });
        logger.info({ durationMs: Date.now() - startedAt }, "job finished");
        await recordOutcome({ status: "succeeded" }, "recording the job's success").catch(() => undefined);
        return "succeeded" as const;
      }
      stopTimer({ outcome: "failed" });
      logger.error({ err: failure, durationMs: Date.now() - startedAt }, "job failed");
      const message = failure instanceof Error ? failure.message : String(failure);
      await recordOutcome({ status: "failed", error: message.slice(0, 2000) }, "recording the job's failure").catch(
        () => undefined,
      );
      return "failed" as const;
    },
    (error) => logger.warn({ err: error }, "lost the job's lock connection; the run goes on without it"),
  ).catch(async (error: unknown) => {
    // The slot is claimed but the lock could not be taken (the database went away in
    // between): the run did not start, and its row must say so.
    logger.error({ err: error }, "could not take the job's lock; the run did not start");
    const message = error instanceof Error ? error.message : String(error);
    await recordOutcome(
      { status: "failed", error: `did not start: ${message}`.slice(0, 2000) },
      "recording the job's failure to start",
    ).catch(() => undefined);
    return { acquired: true as const, value: "failed" as const };
  });
  if (!locked.acquired) {
    logger.warn("previous run of this job is still going; this slot is skipped");
    await recordOutcome(
      { status: "failed", error: "skipped: the previous run was still going" },
      "recording the skipped slot",
    );
    return "previous-run-still-going";
  }
  return locked.value;
}

export interface Scheduler {
  stop(): Promise<void>;
  /** Resolves once every run that had started has finished (for graceful shutdown). */
  idle(): Promise<void>;
}

export function startScheduler(jobs: JobDefinition[], deps: SchedulerDeps): Scheduler {
  const instanceId = deps.instanceId ?? defaultInstanceId();
  const inFlight = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      (context) => {
        const run = runJobSlot(job, context.date, { ...deps, instanceId }).catch((error: unknown) =>
          deps.logger.error({ err: error, job: job.name }, "could not run the scheduled job"),
        );
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
        return run;
      },
      { name: job.name, timezone: job.timezone, noOverlap: true },
    ),
  );
  deps.logger.info(
    { jobs: jobs.map((j) => ({ name: j.name, cron: j.cron, timezone: j.timezone })) },
    "scheduler started",
  );
  // In the background: a slow or unreachable database must not hold up the start.
  const adopt = closeStaleRuns({ db: deps.db, databaseUrl: deps.databaseUrl, logger: deps.logger, instanceId }).catch(
    (error: unknown) =>
      deps.logger.warn(
        { err: error },
        "could not close the runs a gone process left running; the next start tries again",
      ),
  );
  inFlight.add(adopt);
  void adopt.finally(() => inFlight.delete(adopt));
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all(tasks.map((t) => t.destroy()));
    },
    async idle() {
      await Promise.all([...inFlight]);
    },
  };
}
