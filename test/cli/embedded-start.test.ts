// The README's promise: with no DATABASE_URL, `pulse start` brings Pulse up on its own
// PostgreSQL with the demo portfolio, answers /healthz, stops cleanly, and on the next
// start reuses its data.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { cleanEnv, startPulseProcess } from "../helpers/spawn-pulse.js";

async function countAccounts(dataDir: string): Promise<number> {
  const state = JSON.parse(readFileSync(join(dataDir, "embedded.json"), "utf8")) as { port: number; password: string };
  const client = new pg.Client({
    connectionString: `postgresql://pulse:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/pulse`,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM account`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe("pulse start without DATABASE_URL", () => {
  it("runs on the embedded PostgreSQL with the demo portfolio, and reuses it after a restart", {
    timeout: 180_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pulse-start-"));
    const env = cleanEnv({ PULSE_DATA_DIR: dataDir, PORT: "0" });

    const first = await startPulseProcess(env);
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect(health.status).toBe(200);
    expect(first.output()).toContain("seeded the demo portfolio");
    expect(await countAccounts(dataDir)).toBe(200);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    await expect(countAccounts(dataDir)).rejects.toThrow(); // its PostgreSQL stopped too

    const second = await startPulseProcess(env);
    expect((await fetch(`http://127.0.0.1:${second.port}/healthz`)).status).toBe(200);
    expect(second.output()).not.toContain("seeded the demo portfolio");
    expect(await countAccounts(dataDir)).toBe(200);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
