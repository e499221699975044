import { describe, expect, it } from "vitest";
import { createAckGate } from "../../src/slack/ack-gate.js";
import { createWorkQueue } from "../../src/slack/work-queue.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("createWorkQueue", () => {
  it("runs at most `concurrency` pieces of work at once, one key's waiting ones in arrival order", async () => {
    const queue = createWorkQueue({ concurrency: 2, perKey: 2 });
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        queue("k", async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("passes results and errors through, and a failure frees its slot", async () => {
    const queue = createWorkQueue({ concurrency: 1, perKey: 1 });
    const failed = queue("k", async () => {
      await tick();
      throw new Error("boom");
    });
    const next = queue("k", async () => "after");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
  });

  it("never lets one key hold more than perKey slots, so another key's work starts while it hangs", async () => {
    const queue = createWorkQueue({ concurrency: 4, perKey: 2 });
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const slow = Array.from({ length: 4 }, (_, i) =>
      queue("slow", async () => {
        started.push(`slow${i}`);
        await hang;
      }),
    );
    const quick = await queue("quick", async () => {
      started.push("quick");
      return "answered";
    });
    expect(quick).toBe("answered");
    // Only two of the slow user's four pieces of work had started when the other user's ran.
    expect(started).toEqual(["slow0", "slow1", "quick"]);
    release();
    await Promise.all(slow);
    expect(started).toHaveLength(5);
  });
});

describe("the ack gate in front of the queue", () => {
  it("starts no new work while a burst arrives, and starts it once the burst is over", async () => {
    const gate = createAckGate({ maxWaitMs: 60_000, burstArrivals: 3, windowMs: 40, quietMs: 0 });
    const queue = createWorkQueue({ concurrency: 4, perKey: 4, gate });
    const answered = [gate.enter(), gate.enter(), gate.enter()];
    expect(gate.busy()).toBe(true);
    const lastArrival = performance.now();
    let startedAt: number | undefined;
    const done = queue("k", async () => void (startedAt = performance.now()));
    await tick();
    expect(startedAt).toBeUndefined();
    for (const a of answered) a();
    answered[0]!(); // a response that both finishes and closes counts once
    expect(gate.waiting()).toBe(0);
    await done;
    expect(startedAt! - lastArrival).toBeGreaterThanOrEqual(35);
    expect(gate.busy()).toBe(false);
  });

  it("starts waiting work after maxWaitMs under a burst that never ends", async () => {
    const gate = createAckGate({ maxWaitMs: 30, burstArrivals: 2, windowMs: 60_000, quietMs: 0 });
    const queue = createWorkQueue({ concurrency: 4, perKey: 4, gate });
    gate.enter();
    gate.enter();
    const began = performance.now();
    await queue("k", async () => undefined);
    expect(performance.now() - began).toBeGreaterThanOrEqual(25);
    expect(gate.busy()).toBe(true);
  });

  it("steady traffic below the burst rate never holds work", async () => {
    const gate = createAckGate({ maxWaitMs: 60_000, burstArrivals: 3, windowMs: 60_000, quietMs: 60_000 });
    const queue = createWorkQueue({ concurrency: 1, perKey: 1, gate });
    gate.enter();
    gate.enter();
    expect(gate.busy()).toBe(false);
    expect(await Promise.all([queue("a", async () => 1), queue("b", async () => 2)])).toEqual([1, 2]);
  });

  it("a burst lasts while arrivals keep coming within quietMs, though slower than the burst rate", () => {
    let now = 1_000;
    const gate = createAckGate({ maxWaitMs: 60_000, burstArrivals: 3, windowMs: 5, quietMs: 40, now: () => now });
    gate.enter();
    gate.enter();
    gate.enter();
    expect(gate.busy()).toBe(true);
    // Acknowledgements slowed by follow-up work: one arrival every 20 ms is no burst by
    // itself, but it is the same burst still being read.
    for (let i = 0; i < 3; i++) {
      now += 20;
      gate.enter();
      expect(gate.busy()).toBe(true);
    }
    now += 60;
    expect(gate.busy()).toBe(false);
    // A lone arrival after the burst is over starts no new one.
    gate.enter();
    expect(gate.busy()).toBe(false);
  });
});
