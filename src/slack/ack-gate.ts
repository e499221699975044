// Acknowledgements before follow-up work. A Slack request must be acknowledged within three
// seconds; the answer it leads to (a card rendered and posted) may come a moment later. In a
// burst, follow-up work started while requests still wait for their acknowledgement takes
// the processor from them, and their acks queue behind renders (issue 14: a 400-request
// burst took 4.7 times as long as a bare Bolt app to acknowledge).
//
// So while a burst arrives (it begins with requests coming faster than 150 a second, and
// lasts while they keep coming) the follow-up queue starts no new work, until the burst is
// over or the work has waited `maxWaitMs`: under a sustained flood follow-ups still
// progress. Steady traffic never makes the gate busy.
// Work already running is not paused; it is just not joined by more.

export interface AckGate {
  /** A request arrived and awaits its acknowledgement; call the returned function once it is answered. */
  enter(): () => void;
  /** Requests now awaiting their acknowledgement. */
  waiting(): number;
  /** Whether new follow-up work should wait: a burst of requests is being acknowledged. */
  busy(): boolean;
  /** Calls `start` once the gate is no longer busy, or after maxWaitMs, whichever is first. */
  whenClear(start: () => void): void;
}

export interface AckGateOptions {
  /** Waiting work starts after this long whatever arrives. */
  maxWaitMs: number;
  /**
   * A burst: this many requests arrived within `windowMs`. Requests not yet read (still in
   * the sockets' buffers) cannot be counted, so the gate looks at arrivals, not at how many
   * await their ack right now: that number stays small while hundreds queue behind it.
   * Steady traffic below that rate never makes the gate busy, however slow the machine.
   */
  burstArrivals: number;
  windowMs: number;
  /**
   * Once a burst is seen it lasts while requests keep arriving no further apart than this.
   * While follow-up work holds the processor the acknowledgements slow down, and so do the
   * arrivals the gate can see: without this the gate would open in the middle of a burst
   * and let renders take the processor from the requests still waiting.
   */
  quietMs: number;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
}

export function createAckGate({
  maxWaitMs,
  burstArrivals,
  windowMs,
  quietMs,
  now: clock = () => performance.now(),
}: AckGateOptions): AckGate {
  let waiting = 0;
  // The last `burstArrivals` arrival times, oldest first once full.
  const arrivals = new Array<number>(burstArrivals).fill(Number.NEGATIVE_INFINITY);
  let next = 0;
  let callbacks: (() => void)[] = [];
  let deadline: NodeJS.Timeout | undefined;
  let check: NodeJS.Timeout | undefined;

  // The burst seen, if any, lasts until then.
  let burstUntil = Number.NEGATIVE_INFINITY;
  /** How long until the burst is over (≤ 0: there is none now). */
  const burstLeft = () => burstUntil - clock();
  const busy = () => burstLeft() > 0;

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
        if (!callbacks.length) return;
        if (busy()) checkIn(burstLeft());
        else flush();
      },
      Math.max(0, delayMs),
    ).unref();
  }

  return {
    enter() {
      waiting++;
      const now = clock();
      arrivals[next] = now;
      next = (next + 1) % burstArrivals;
      const windowHoldsBurst = arrivals[next]! + windowMs > now;
      if (windowHoldsBurst || now < burstUntil)
        burstUntil = Math.max(burstUntil, now + quietMs, windowHoldsBurst ? arrivals[next]! + windowMs : now);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        waiting--;
      };
    },
    waiting: () => waiting,
    busy,
    whenClear(start) {
      callbacks.push(start);
      deadline ??= setTimeout(flush, maxWaitMs).unref();
      checkIn(burstLeft());
    },
  };
}

/**
 * One per process: the processor the acknowledgements and the follow-up work share is the
 * process's. Three arrivals within 20 ms is three times the 50 a second Pulse is measured at
 * (`npm run bench -- load`), and well below the rate at which it reads a burst (over 500 a
 * second); a burst is over after 10 ms without an arrival, far longer than Pulse takes to
 * read the next request of one; one second keeps follow-ups moving under any flood.
 */
export const processAckGate = createAckGate({ maxWaitMs: 1000, burstArrivals: 3, windowMs: 20, quietMs: 10 });
