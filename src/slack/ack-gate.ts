// Acknowledgements before follow-up work. A Slack request must be acknowledged within three
// seconds; the answer it leads to (a card rendered and posted) may come a moment later. In a
// burst, follow-up work started while requests still wait for their acknowledgement takes
// the processor from them, and their acks queue behind renders (issue 14: a 400-request
// burst took 4.7 times as long as a bare Bolt app to acknowledge).
//
// So the follow-up queue starts new work only when no request is waiting for its ack, or
// once the work has waited `maxWaitMs`: under sustained traffic follow-ups still progress.
// Work already running is not paused; it simply is not joined by more.

export interface AckGate {
  /** A request arrived and awaits its acknowledgement; call the returned function once it is answered. */
  enter(): () => void;
  /** Requests now awaiting their acknowledgement. */
  waiting(): number;
  /**
   * Calls `start` once no request awaits its ack (on a later turn of the event loop, so the
   * requests that arrived meanwhile are read first), or after maxWaitMs, whichever is first.
   */
  whenClear(start: () => void): void;
}

export interface AckGateOptions {
  /** Waiting work starts after this long whatever arrives. */
  maxWaitMs: number;
  /**
   * How long no request must have arrived or been answered: in a burst the gate is briefly
   * clear between two arrivals, and work started then would compete with the next acks.
   */
  quietMs?: number;
}

export function createAckGate({ maxWaitMs, quietMs = 0 }: AckGateOptions): AckGate {
  let waiting = 0;
  let lastActivity = performance.now();
  let callbacks: (() => void)[] = [];
  let deadline: NodeJS.Timeout | undefined;
  let check: NodeJS.Timeout | undefined;

  function flush(): void {
    if (deadline) clearTimeout(deadline);
    if (check) clearTimeout(check);
    deadline = check = undefined;
    const due = callbacks;
    callbacks = [];
    for (const start of due) start();
  }

  // Timers are unref'd: a pending follow-up never keeps a stopping process alive by itself.
  function checkIn(delayMs: number): void {
    check ??= setTimeout(
      () => {
        check = undefined;
        if (!callbacks.length || waiting > 0) return; // the last answer schedules the next check
        const quietFor = performance.now() - lastActivity;
        if (quietFor >= quietMs) flush();
        else checkIn(quietMs - quietFor);
      },
      Math.max(0, delayMs),
    ).unref();
  }

  return {
    enter() {
      waiting++;
      lastActivity = performance.now();
      let left = false;
      return () => {
        if (left) return;
        left = true;
        waiting--;
        lastActivity = performance.now();
        if (waiting === 0 && callbacks.length) checkIn(quietMs);
      };
    },
    waiting: () => waiting,
    whenClear(start) {
      callbacks.push(start);
      deadline ??= setTimeout(flush, maxWaitMs).unref();
      // Requests read in this turn of the loop come first (a timer fires after them).
      if (waiting === 0) checkIn(quietMs - (performance.now() - lastActivity));
    },
  };
}

/**
 * One per process: the processor the acknowledgements and the follow-up work share is the
 * process's. One second keeps follow-ups moving under any load (reply target: 1.5 s p99).
 */
export const processAckGate = createAckGate({
  maxWaitMs: Number(process.env.PULSE_ACK_WAIT ?? 1000),
  quietMs: Number(process.env.PULSE_ACK_QUIET ?? 10),
});
