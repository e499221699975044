import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockKey, withTryAdvisoryLock } from "../../src/db/locks.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function lockHolderPid(name: string): Promise<number | undefined> {
  const key = lockKey(name);
  // An advisory lock on a bigint key is recorded as its high and low 32 bits.
  const high = Number(BigInt.asUintN(64, key) >> 32n);
  const low = Number(BigInt.asUintN(32, key));
  const rows = await t.db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = ${high} AND objid::bigint = ${low}`;
  return rows[0]?.pid;
}

describe("withTryAdvisoryLock", () => {
  it("runs the work while holding the lock; a second taker is refused at once, and takes it afterwards", async () => {
    const outcome = await withTryAdvisoryLock(t.url, "locks-test:held", async () => {
      expect(await lockHolderPid("locks-test:held")).toBeTypeOf("number");
      return withTryAdvisoryLock(t.url, "locks-test:held", async () => "ran twice");
    });
    expect(outcome).toEqual({ acquired: true, value: { acquired: false } });
    expect(await lockHolderPid("locks-test:held")).toBeUndefined();
    expect(await withTryAdvisoryLock(t.url, "locks-test:held", async () => "second")).toEqual({
      acquired: true,
      value: "second",
    });
  });

  it("survives losing its connection mid-run: the work finishes, the loss is reported, the lock is free", async () => {
    const lost: Error[] = [];
    const outcome = await withTryAdvisoryLock(
      t.url,
      "locks-test:lost",
      async () => {
        const pid = await lockHolderPid("locks-test:lost");
        const admin = new pg.Client({ connectionString: t.url });
        await admin.connect();
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        await admin.end();
        // Let the termination reach the idle lock connection while the work is still going.
        for (let i = 0; i < 200 && !lost.length; i++) await new Promise((r) => setTimeout(r, 10));
        return "finished";
      },
      (error) => lost.push(error),
    );
    expect(outcome).toEqual({ acquired: true, value: "finished" });
    expect(lost.map((e) => (e as { code?: string }).code)).toEqual(["57P01"]);
    expect(await lockHolderPid("locks-test:lost")).toBeUndefined();
  });
});
