// The `pulse` command as a user runs it: clear messages, the right exit codes, and two
// processes migrating one empty database exactly once.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { readMigrations } from "../../src/db/migrate.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { cleanEnv, runPulse, startPulseProcess } from "../helpers/spawn-pulse.js";

const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

describe("pulse CLI", () => {
  it("lists its commands and exits 2 when called without one", async () => {
    const result = await runPulse([], cleanEnv({}));
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Usage: pulse <command>/);
    expect(result.stdout).toMatch(/start\s+Migrate the database, then run Pulse/);
  });

  it("prints its version with --version and -v", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-v"]) {
      const result = await runPulse([flag], cleanEnv({}));
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it.each([
    [["score", "--bogus"], "pulse score: unknown option --bogus", "Usage: pulse score"],
    [["score", "--as-of"], "pulse score: option --as-of <value> argument missing", "Usage: pulse score"],
    [["migrate", "now"], `pulse migrate: unexpected argument "now"`, "Usage: pulse migrate"],
    [
      ["seed-demo", "--reset=yes"],
      "pulse seed-demo: option --reset does not take an argument",
      "Usage: pulse seed-demo",
    ],
    [
      ["import", "accounts", "a.csv", "--create-workspace"],
      "--create-workspace needs --workspace",
      "Usage: pulse import",
    ],
    [["api-key", "list", "--create-workspace"], "--create-workspace needs --workspace", "Usage: pulse api-key"],
    [
      ["import", "accounts", "a.csv", "--map", "Acct=externalId", "--map", "Acct=name"],
      '--map names column "Acct" twice',
      "Usage: pulse import",
    ],
  ])("%j is a usage error (exit 2) with the command's usage, not a failure", async (args, problem, usage) => {
    const result = await runPulse(args, cleanEnv({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(problem);
    expect(result.stderr).toContain(usage);
    expect(result.stderr).not.toContain("unexpectedly");
    expect(result.stderr).not.toContain('"level"');
  });

  it("says plainly that a command is unknown", async () => {
    const result = await runPulse(["frobnicate"], cleanEnv({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it("gives one clear message and a non-zero exit for a malformed token, without a stack trace", async () => {
    const result = await runPulse(["migrate"], cleanEnv({ SLACK_BOT_TOKEN: "xoxp-not-a-bot-token", PORT: "http" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/configuration has \d problem\(s\)/);
    expect(result.stderr).toContain("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
    expect(result.stderr).toContain("PORT must be a port number");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain("xoxp-not-a-bot-token");
  });

  it("gives one clear message and a non-zero exit for an unreachable DATABASE_URL", async () => {
    const result = await runPulse(
      ["start"],
      cleanEnv({ DATABASE_URL: "postgresql://pulse:hunter2@127.0.0.1:1/pulse" }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot connect to the database/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain("hunter2");
  });

  it("migrates an empty database once when two processes start together", async () => {
    const d = await createTestDatabase({ empty: true });
    dbs.push(d);
    const [a, b] = await Promise.all([
      runPulse(["migrate"], cleanEnv({ DATABASE_URL: d.url })),
      runPulse(["migrate"], cleanEnv({ DATABASE_URL: d.url })),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const outputs = [a.stdout, b.stdout].sort();
    const total = (await readMigrations()).length;
    expect(outputs.filter((o) => o.startsWith(`Applied ${total} migration(s)`))).toHaveLength(1);
    expect(outputs.filter((o) => o.startsWith("The database is up to date"))).toHaveLength(1);
    const client = new pg.Client({ connectionString: d.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "_prisma_migrations"`);
    await client.end();
    expect(Number(rows[0]!.n)).toBe(total);
  });

  it("starts on a given database, answers /healthz, and stops cleanly on SIGTERM", async () => {
    const d = await createTestDatabase({ empty: true });
    dbs.push(d);
    const running = await startPulseProcess(cleanEnv({ DATABASE_URL: d.url, PORT: "0" }));
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "reachable", slack: "local" });
    expect(running.output()).toContain("runs in local mode");
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain('"msg":"stopped"');
  });
});
