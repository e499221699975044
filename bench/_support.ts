// Shared by benchmark scenarios: a throwaway database, RSS sampling, percentiles.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { migrateDatabase } from "../src/db/migrate.js";

export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `pulse_bench_${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(BENCH_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  await migrateDatabase(url);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: BENCH_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Samples this process's RSS every few ms; returns a stop() giving the peak in MB. */
export function sampleRss(everyMs = 20): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    return Math.round(peak / 1024 / 1024);
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * The Node flags `bin/pulse.js` runs with (its shebang line), so a scenario that runs Pulse
 * code in a process of its own runs it the way the `pulse` command does.
 */
export function launcherNodeFlags(): string[] {
  const shebang = readFileSync(new URL("../bin/pulse.js", import.meta.url), "utf8").split("\n", 1)[0]!;
  const match = /^#!\/usr\/bin\/env -S node(?<flags>(?: --[\w-]+(?:=\S+)?)*)$/.exec(shebang);
  if (!match) throw new Error(`bin/pulse.js's first line is not "#!/usr/bin/env -S node [--flags]": ${shebang}`);
  return match.groups!.flags!.trim().split(/\s+/).filter(Boolean);
}

/**
 * Memory is measured as the `pulse` command runs (its bounded heap: see bin/pulse.js): a
 * scenario calls this first, and when this process lacks those flags it re-runs itself under
 * them and returns true (the caller then returns).
 */
export function reranUnderLauncherFlags(): boolean {
  const flags = launcherNodeFlags();
  if (flags.every((flag) => process.execArgv.includes(flag))) return false;
  process.stderr.write(`re-running under ${flags.join(" ")}\n`);
  const child = spawnSync(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  if (child.status !== 0) throw new Error(`the bench exited with ${child.status ?? child.signal}`);
  return true;
}
