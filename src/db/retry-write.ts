// A write that must not be lost to a short database outage: the record that a run failed
// (job_run, scoring_run). It is retried with exponential backoff for a bounded time, so a
// blip of seconds still leaves the row closed, and a long outage gives up (the next
// process to start closes the row; see jobs/stale-runs.ts).
import type { Logger } from "../log.js";

export interface RetryWriteOptions {
  logger: Logger;
  /** What is being written, for the log lines. */
  what: string;
  /** Give up after this long. */
  deadlineMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export const RETRY_WRITE_DEADLINE_MS = 2 * 60_000;

export async function retryWrite<T>(write: () => Promise<T>, options: RetryWriteOptions): Promise<T> {
  const { logger, what, deadlineMs = RETRY_WRITE_DEADLINE_MS, initialDelayMs = 250, maxDelayMs = 10_000 } = options;
  const deadline = Date.now() + deadlineMs;
  let delay = initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await write();
      if (attempt > 1) logger.info({ attempt }, `${what}: written once the database answered again`);
      return result;
    } catch (error) {
      const wait = Math.min(delay, deadline - Date.now());
      if (wait <= 0) {
        logger.error({ err: error, attempt }, `${what}: gave up; the database did not answer in time`);
        throw error;
      }
      logger.warn({ err: error, attempt, retryInMs: wait }, `${what}: the write failed; retrying`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
