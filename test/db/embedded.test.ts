// Pulse's own PostgreSQL: real, persistent, shared by processes on one data folder, and
// usable by root (run as an unprivileged user) and by an ordinary user.
import { spawn } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../src/db/embedded.js";
import { PROJECT_ROOT } from "../helpers/spawn-pulse.js";

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("initialises once, keeps its data across restarts, and stops its server", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pulse-embedded-"));
    const first = await startEmbeddedPostgres({ dataDir });
    expect(first.owned).toBe(true);
    await query(first.databaseUrl, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    const state = JSON.parse(readFileSync(join(dataDir, "embedded.json"), "utf8")) as { password: string };
    expect(state.password.length).toBeGreaterThanOrEqual(20);
    expect(statSync(join(dataDir, "embedded.json")).mode & 0o077).toBe(0);
    await first.stop();
    await expect(query(first.databaseUrl, "SELECT 1")).rejects.toThrow();

    const second = await startEmbeddedPostgres({ dataDir });
    const { rows } = await query(second.databaseUrl, "SELECT v FROM kept");
    expect(rows).toEqual([{ v: "still here" }]);
    await second.stop();
  });

  it("starts anew, setting the old cluster aside, when its embedded.json is gone", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pulse-embedded-"));
    const first = await startEmbeddedPostgres({ dataDir });
    const { clusterDir } = JSON.parse(readFileSync(join(dataDir, "embedded.json"), "utf8")) as { clusterDir: string };
    await first.stop();
    // As after a fresh clone where a removed checkout stood (its cluster kept outside it).
    rmSync(join(dataDir, "embedded.json"));
    const lines: string[] = [];
    const second = await startEmbeddedPostgres({ dataDir, onLog: (line) => lines.push(line) });
    try {
      expect((await query(second.databaseUrl, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      const moved = lines.find((l) => l.includes("no embedded.json points to"));
      expect(moved).toContain(clusterDir);
      const aside = /moved it to (\S+)$/.exec(moved!)![1]!;
      expect(readdirSync(aside)).toContain("PG_VERSION");
    } finally {
      await second.stop();
    }
  });

  it("lets two processes starting together share one server", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pulse-embedded-"));
    const [a, b] = await Promise.all([startEmbeddedPostgres({ dataDir }), startEmbeddedPostgres({ dataDir })]);
    expect([a.owned, b.owned].sort()).toEqual([false, true]);
    expect(a.databaseUrl).toBe(b.databaseUrl);
    await expect(query(b.databaseUrl, "SELECT 1 AS one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await (a.owned ? a : b).stop();
  });

  it("requires a password: the server is not open to anyone on the machine", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pulse-embedded-"));
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const noPassword = server.databaseUrl.replace(/:[^:@/]+@/, ":wrong@");
      await expect(query(noPassword, "SELECT 1")).rejects.toThrow(/password authentication failed/);
    } finally {
      await server.stop();
    }
  });

  it.runIf(process.getuid?.() === 0)(
    "as root, keeps working when the project folder is closed to other users",
    async () => {
      const closed = mkdtempSync(join(tmpdir(), "pulse-closed-"));
      chmodSync(closed, 0o700);
      const dataDir = join(closed, ".pulse");
      const server = await startEmbeddedPostgres({ dataDir });
      try {
        await expect(query(server.databaseUrl, "SELECT 1 AS one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
        const state = JSON.parse(readFileSync(join(dataDir, "embedded.json"), "utf8")) as { clusterDir: string };
        expect(state.clusterDir.startsWith("/var/lib/pulse/")).toBe(true);
      } finally {
        await server.stop();
        rmSync(JSON.parse(readFileSync(join(dataDir, "embedded.json"), "utf8")).clusterDir.replace(/\/pg$/, ""), {
          recursive: true,
          force: true,
        });
      }
    },
  );

  it.runIf(process.getuid?.() === 0)("works for an ordinary (non-root) user too", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pulse-embedded-user-"));
    chownSync(dataDir, 65534, 65534); // nobody
    const script = `
      import { startEmbeddedPostgres } from "./src/db/embedded.ts";
      import pg from "pg";
      const s = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
      const c = new pg.Client({ connectionString: s.databaseUrl }); await c.connect();
      const { rows } = await c.query("SELECT current_user AS u"); await c.end();
      console.log("OK " + rows[0].u + " uid=" + process.getuid());
      await s.stop();`;
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: PROJECT_ROOT,
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env.PATH, HOME: dataDir },
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (out += c.toString()));
      child.on("close", (code) => resolve({ code, out }));
    });
    expect(result.out).toContain("OK pulse uid=65534");
    expect(result.code).toBe(0);
  });
});
