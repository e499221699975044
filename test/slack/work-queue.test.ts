import { describe, expect, it } from "vitest";
import { createWorkQueue } from "../../src/slack/work-queue.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("createWorkQueue", () => {
  it("runs at most `concurrency` pieces of work at once, the waiting ones in arrival order", async () => {
    const queue = createWorkQueue(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        queue(async () => {
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
    const queue = createWorkQueue(1);
    const failed = queue(async () => {
      await tick();
      throw new Error("boom");
    });
    const next = queue(async () => "after");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
  });
});
