// Work a listener does after it has acknowledged Slack (a card to render, a reply to post)
// runs a bounded number at a time. Slack wants every request acknowledged within three
// seconds and is content to see the answer a moment later; in a burst, letting every
// acknowledged command render at once would take the processor from the requests still
// waiting for their acknowledgement.
//
// The queue is fair: each key (one person in one workspace) holds at most `perKey` slots,
// and waiting keys take turns. One person's slow calls (a rate-limited or hanging views.open)
// can then occupy only their own slots, never everyone's (issue 14, defect 6); every Slack
// call has a timeout (client.ts), so even those slots come back.
import { metrics } from "../observability/metrics.js";
import { type AckGate, processAckGate } from "./ack-gate.js";

export type WorkQueue = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export interface WorkQueueOptions {
  concurrency: number;
  perKey: number;
  /** Labels the queue's depth in /metrics (pulse_work_queue_depth{queue=name}). */
  name?: string;
  /** New work starts once no request awaits its acknowledgement (ack-gate.ts); none: at once. */
  gate?: AckGate;
}

export function createWorkQueue({ concurrency, perKey, name = "after_ack", gate }: WorkQueueOptions): WorkQueue {
  let running = 0;
  let gateArmed = false;
  const runningByKey = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  // Keys with waiting work, in turn order: a key that starts work goes to the back.
  const turns: string[] = [];

  function startWhatFits(gateCleared = false): void {
    if (gate && !gateCleared && turns.length && running < concurrency) {
      if (!gateArmed) {
        gateArmed = true;
        gate.whenClear(() => {
          gateArmed = false;
          startWhatFits(true);
        });
      }
      return;
    }
    while (running < concurrency) {
      const index = turns.findIndex((key) => (runningByKey.get(key) ?? 0) < perKey);
      if (index < 0) return;
      const key = turns[index]!;
      const queue = waiting.get(key)!;
      const start = queue.shift()!;
      metrics.workQueueDepth.dec({ queue: name });
      turns.splice(index, 1);
      if (queue.length) turns.push(key);
      else waiting.delete(key);
      running++;
      runningByKey.set(key, (runningByKey.get(key) ?? 0) + 1);
      start();
    }
  }

  return async (key, work) => {
    await new Promise<void>((resolve) => {
      let queue = waiting.get(key);
      if (!queue) {
        waiting.set(key, (queue = []));
        turns.push(key);
      }
      queue.push(resolve);
      metrics.workQueueDepth.inc({ queue: name });
      startWhatFits();
    });
    try {
      return await work();
    } finally {
      running--;
      const left = (runningByKey.get(key) ?? 1) - 1;
      if (left) runningByKey.set(key, left);
      else runningByKey.delete(key);
      startWhatFits();
    }
  };
}

/**
 * Follow-up work of one process: 32 at once, at most 8 for any one person. The work is
 * mostly waiting on Slack (50-300 ms a call) and the database, so 8 slots left replies
 * queueing at 50 requests a second; one person's slow calls still hold at most 8.
 */
export const AFTER_ACK = { concurrency: 32, perKey: 8, gate: processAckGate } as const;
