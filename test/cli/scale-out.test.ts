// Several stateless Pulse processes over one PostgreSQL: each serves requests, and
// scheduled work runs once across them. Three real `pulse start` processes on loopback
// ports, with nightly scoring compressed to every two seconds.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoPortfolio } from "../../src/services/seed-demo.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { cleanEnv, startPulseProcess, type RunningChild } from "../helpers/spawn-pulse.js";

let t: TestDatabase;
const processes: RunningChild[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoPortfolio(t.db, { now: new Date() });
});
afterAll(async () => {
  for (const p of processes) p.child.kill("SIGKILL");
  await t.drop();
});

describe("scale-out", () => {
  it("three processes each serve, and each scheduled slot runs once across them", { timeout: 120_000 }, async () => {
    const env = cleanEnv({ DATABASE_URL: t.url, PORT: "0", PULSE_SCORE_CRON: "*/2 * * * * *", LOG_LEVEL: "warn" });
    const started = await Promise.all([0, 1, 2].map(() => startPulseProcess({ ...env, LOG_LEVEL: "info" })));
    processes.push(...started);
    for (const p of started) {
      // A process busy scoring may be slow to answer on two shared cores; it must still answer 200.
      let status = 0;
      for (let i = 0; i < 10 && status !== 200; i++) {
        status = (await fetch(`http://127.0.0.1:${p.port}/healthz`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 500));
      }
      expect(status).toBe(200);
    }
    expect(new Set(started.map((p) => p.port)).size).toBe(3);

    await new Promise((r) => setTimeout(r, 9_000));
    await Promise.all(started.map(async (p) => (p.child.kill("SIGTERM"), await p.exited)));

    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const slots = await client.query<{ slot: string; n: number; claimers: number }>(
      `SELECT slot, count(*)::int AS n, count(DISTINCT "claimedBy")::int AS claimers FROM job_run WHERE job = 'score-accounts' GROUP BY slot`,
    );
    const runs = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM scoring_run WHERE trigger = 'schedule'`,
    );
    const succeeded = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_run WHERE job = 'score-accounts' AND status = 'succeeded'`,
    );
    await client.end();

    expect(slots.rows.length).toBeGreaterThanOrEqual(2);
    expect(slots.rows.every((r) => r.n === 1)).toBe(true); // one claim per slot, across three processes
    expect(runs.rows[0]!.n).toBe(succeeded.rows[0]!.n); // one scoring run (one workspace) per executed slot
  });
});
