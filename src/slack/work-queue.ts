// Work a listener does after it has acknowledged Slack (a card to render, a reply to post)
// runs a few at a time. Slack wants every request acknowledged within three seconds and is
// content to see the answer a moment later; in a burst, letting every acknowledged command
// render its card at once would take the processor from the requests still waiting for
// their acknowledgement.
import { metrics } from "../observability/metrics.js";

export type WorkQueue = <T>(work: () => Promise<T>) => Promise<T>;

/** `name` labels the queue's depth in /metrics (pulse_work_queue_depth{queue=name}). */
export function createWorkQueue(concurrency: number, name = "unnamed"): WorkQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    // A finished piece of work hands its slot straight to the oldest waiting one.
    if (running < concurrency) running++;
    else {
      metrics.workQueueDepth.inc({ queue: name });
      await new Promise<void>((resolve) => waiting.push(resolve));
      metrics.workQueueDepth.dec({ queue: name });
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
