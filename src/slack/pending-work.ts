// Work Pulse still owes Slack after acknowledging a request: a command's reply, a modal's
// confirmation, a digest posted from a button. Bolt answers Slack before its listeners end
// (and the listeners queue that work, see work-queue.ts), so closing the HTTP server does not
// wait for it, and a SIGTERM used to exit with replies still unsent. Every delivery Bolt
// processes is tracked here until its listeners finish; shutdown drains them for a bounded
// time and names what it had to drop.
import type { App } from "@slack/bolt";

export interface PendingWork {
  track<T>(label: string, work: Promise<T>): Promise<T>;
  /** Waits for the tracked work, at most `timeoutMs`; resolves with the labels of what was still running. */
  drain(timeoutMs: number): Promise<string[]>;
  readonly size: number;
}

export function createPendingWork(): PendingWork {
  const pending = new Map<Promise<unknown>, string>();
  return {
    track(label, work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.set(settled, label);
      void settled.then(() => pending.delete(settled));
      return work;
    },
    async drain(timeoutMs) {
      if (pending.size) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
        // Work started while draining (a queued reply getting its slot) is waited for too.
        const all = (async () => {
          while (pending.size) await Promise.all([...pending.keys()]);
        })();
        await Promise.race([all, timeout]);
        clearTimeout(timer);
      }
      return [...pending.values()];
    },
    get size() {
      return pending.size;
    },
  };
}

/** What a delivery was, for the log: its kind and id, never what a user typed. */
export function describeDelivery(body: unknown): string {
  // biome-ignore lint/suspicious/noExplicitAny: a raw Slack body of any kind, read field by field with typeof checks below.
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, any>;
  if (typeof b.command === "string") {
    const first = typeof b.text === "string" ? (b.text.trim().split(/\s+/)[0] ?? "") : "";
    return `command ${b.command}${/^[a-z-]{1,20}$/.test(first) ? ` ${first}` : ""}`;
  }
  if (b.type === "event_callback")
    return `event ${String(b.event?.type ?? "?")}${typeof b.event_id === "string" ? ` ${b.event_id}` : ""}`;
  if (b.type === "block_actions") return `block_actions ${String(b.actions?.[0]?.action_id ?? "?")}`;
  if (b.type === "view_submission" || b.type === "view_closed")
    return `${b.type} ${String(b.view?.callback_id ?? "?")}`;
  if (typeof b.type === "string") return `${b.type}${typeof b.callback_id === "string" ? ` ${b.callback_id}` : ""}`;
  return "unknown delivery";
}

/** Tracks every delivery Bolt processes, from before its ack until its listeners end. */
export function trackDeliveries(app: App, pending: PendingWork): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => pending.track(describeDelivery(event.body), processEvent(event));
}
