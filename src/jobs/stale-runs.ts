// Runs left "running" by a process that is gone. A process killed mid-job, or one that
// could not reach PostgreSQL to record the outcome, leaves its job_run and scoring_run
// rows "running" forever; a new process closes them as failed, with the reason, at start.
//
// A job holds the advisory lock `pulse-job:<name>` on its own connection for as long as it
// runs, and PostgreSQL frees the lock when that connection's process dies. So:
// - the lock is free: nobody runs the job, and every running row of it (older than a short
//   grace, which covers the instant between claiming a slot and taking the lock) is stale;
// - the lock is held: one run is alive, the newest; older running rows are stale.
// Scoring runs have no lock of their own: a scheduled one follows the score-accounts job's
// lock; one from the CLI or a backfill is stale once older than `maxAgeMs`.
import { dedicatedClient } from "../db/dedicated-client.js";
import type { Db } from "../db/client.js";
import { lockKey } from "../db/locks.js";
import type { Logger } from "../log.js";

export const STALE_RUN_GRACE_MS = 60_000;
export const STALE_RUN_MAX_AGE_MS = 6 * 60 * 60_000;
const SCORING_JOB = "score-accounts";
const SCHEDULED_SCORING_TRIGGER = "schedule";

export function jobLockName(job: string): string {
  return `pulse-job:${job}`;
}

export interface CloseStaleRunsOptions {
  db: Db;
  databaseUrl: string;
  logger: Logger;
  /** This process, named in the reason. */
  instanceId: string;
  now?: Date;
  graceMs?: number;
  maxAgeMs?: number;
}

export interface ClosedRuns {
  jobRuns: number;
  scoringRuns: number;
}

/** Which of these jobs some process is running right now (holds its lock). */
async function jobsRunningNow(databaseUrl: string, jobs: string[]): Promise<Set<string>> {
  const running = new Set<string>();
  if (!jobs.length) return running;
  const client = dedicatedClient({ connectionString: databaseUrl }, () => undefined);
  await client.connect();
  try {
    for (const job of jobs) {
      const key = lockKey(jobLockName(job)).toString();
      const { rows } = await client.query<{ free: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS free", [key]);
      if (rows[0]?.free) await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
      else running.add(job);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return running;
}

export async function closeStaleRuns(options: CloseStaleRunsOptions): Promise<ClosedRuns> {
  const { db, logger, instanceId } = options;
  const now = options.now ?? new Date();
  const graceBefore = new Date(now.getTime() - (options.graceMs ?? STALE_RUN_GRACE_MS));
  const maxAgeBefore = new Date(now.getTime() - (options.maxAgeMs ?? STALE_RUN_MAX_AGE_MS));

  const open = await db.jobRun.findMany({
    where: { status: "running", startedAt: { lt: graceBefore } },
    select: { id: true, job: true, startedAt: true },
  });
  const jobs = [...new Set([...open.map((r) => r.job), SCORING_JOB])];
  const running = await jobsRunningNow(options.databaseUrl, jobs);

  let jobRuns = 0;
  for (const job of new Set(open.map((r) => r.job))) {
    const reason = running.has(job)
      ? `closed by ${instanceId} at start: a newer run of this job holds its lock, so this one's process is gone`
      : `closed by ${instanceId} at start: no process holds this job's lock, so the one running it is gone`;
    const newestAlive = running.has(job)
      ? await db.jobRun.findFirst({
          where: { job, status: "running" },
          orderBy: { startedAt: "desc" },
          select: { id: true },
        })
      : null;
    const closed = await db.jobRun.updateMany({
      where: {
        job,
        status: "running",
        startedAt: { lt: graceBefore },
        ...(newestAlive ? { id: { not: newestAlive.id } } : {}),
      },
      data: { status: "failed", finishedAt: now, error: reason },
    });
    jobRuns += closed.count;
  }

  const scoringReason = (why: string) =>
    JSON.stringify({ error: `closed by ${instanceId} at start: ${why}`, closedAsStale: true });
  const scheduledGone = running.has(SCORING_JOB)
    ? 0
    : await db.$executeRaw`
    UPDATE "scoring_run" SET "status" = 'failed', "finishedAt" = ${now},
      "details" = "details" || ${scoringReason("no process holds the score-accounts job's lock, so the one scoring is gone")}::jsonb
    WHERE "status" = 'running' AND "trigger" = ${SCHEDULED_SCORING_TRIGGER} AND "startedAt" < ${graceBefore}`;
  const tooOld = await db.$executeRaw`
    UPDATE "scoring_run" SET "status" = 'failed', "finishedAt" = ${now},
      "details" = "details" || ${scoringReason("it was still running after the longest a scoring run may take")}::jsonb
    WHERE "status" = 'running' AND "startedAt" < ${maxAgeBefore}`;
  const result = { jobRuns, scoringRuns: scheduledGone + tooOld };
  if (result.jobRuns || result.scoringRuns) logger.warn(result, "closed runs left running by a process that is gone");
  return result;
}
