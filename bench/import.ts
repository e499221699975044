// `pulse import usage` of a 1,000,000-row CSV (2,000 accounts x 500 days), run as the real
// CLI in a child process so its peak RSS is the import's own (getrusage maxrss). For
// scale, the same rows are first written by a bare COPY into usage_daily (the floor:
// what PostgreSQL itself manages for this table, foreign-key checks included).
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createDb } from "../src/db/client.js";
import { createBenchDatabase, launcherNodeFlags } from "./_support.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ACCOUNTS = 2_000;
const TEAM = "TBENCHIMPORT";

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write("Account ID,Date,Active Users,Logins,Seats,Modules\n");
  let chunk = "";
  for (let i = 0; i < ROWS; i++) {
    const r = rowAt(i);
    chunk += `ACC-${r.account},${r.day},${r.users},${r.logins},250,${r.modules}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function rowAt(i: number): { account: number; day: string; users: number; logins: number; modules: string } {
  const users = (i * 37) % 200;
  return {
    account: i % ACCOUNTS,
    day: new Date(Date.UTC(2025, 0, 1) + Math.floor(i / ACCOUNTS) * 86_400_000).toISOString().slice(0, 10),
    users,
    logins: users * 2 + (i % 7),
    modules: `reports:${i % 50};dashboards:${i % 11}`,
  };
}

async function copyFloor(url: string, workspaceId: number, accountIds: number[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    function* lines(): Generator<string> {
      let chunk = "";
      for (let i = 0; i < ROWS; i++) {
        const r = rowAt(i);
        const modules = JSON.stringify({ reports: i % 50, dashboards: i % 11 });
        chunk += `${workspaceId}\t${accountIds[r.account]}\t${r.day}\t${r.users}\t${r.logins}\t250\t${modules}\timport\n`;
        if (chunk.length > 1 << 20) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    }
    const started = performance.now();
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          `COPY usage_daily ("workspaceId", "accountId", day, "activeUsers", logins, seats, modules, source) FROM STDIN`,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query("TRUNCATE usage_daily");
    await client.query("VACUUM ANALYZE usage_daily");
    // Start the measured run from a quiet server: no checkpoint of the floor's writes pending.
    await client.query("CHECKPOINT");
    return ROWS / seconds;
  } finally {
    await client.end();
  }
}

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string; maxRssMb: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // The child reports its own peak RSS as it exits: exactly the import's footprint.
    const child = spawn(
      process.execPath,
      [
        // As the `pulse` command runs (bin/pulse.js's Node flags).
        ...launcherNodeFlags(),
        // BENCH_PULSE_PROFILE=<dir> writes the import's CPU profile there.
        ...(process.env.BENCH_PULSE_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PULSE_PROFILE}`] : []),
        "--import",
        "tsx",
        "-e",
        `const { main } = await import("./src/cli/main.ts");
         const code = await main(${JSON.stringify(args)});
         process.stderr.write("\\nMAXRSS_KB=" + process.resourceUsage().maxRSS + "\\n");
         process.exit(code);`,
      ],
      { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ code: code ?? 1, stdout, stderr, maxRssMb: kb / 1024, seconds: (performance.now() - started) / 1000 });
    });
  });
}

export async function run(): Promise<void> {
  const database = await createBenchDatabase("import");
  const dir = await mkdtemp(join(tmpdir(), "pulse-bench-import-"));
  const db = createDb(database.url, { max: 2 });
  try {
    const workspace = await db.workspace.create({ data: { slackTeamId: TEAM, name: "Bench import" } });
    await db.account.createMany({
      data: Array.from({ length: ACCOUNTS }, (_, a) => ({
        workspaceId: workspace.id,
        externalId: `ACC-${a}`,
        name: `Account ${a}`,
      })),
    });
    const accounts = await db.account.findMany({
      where: { workspaceId: workspace.id },
      select: { id: true, externalId: true },
    });
    const accountIds = accounts
      .sort((a, b) => Number(a.externalId!.slice(4)) - Number(b.externalId!.slice(4)))
      .map((a) => a.id);
    const floor = await copyFloor(database.url, workspace.id, accountIds);
    const file = join(dir, "usage.csv");
    await writeCsv(file);
    const result = await runCli(["import", "usage", file, "--workspace", TEAM], {
      DATABASE_URL: database.url,
      LOG_LEVEL: "warn",
    });
    if (result.code !== 0) throw new Error(`pulse import failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
    const stored = await db.usageDaily.count({ where: { workspaceId: workspace.id } });
    if (stored !== ROWS) throw new Error(`expected ${ROWS} usage rows, found ${stored}:\n${result.stdout}`);
    process.stdout.write(
      JSON.stringify({
        scenario: "import",
        rows: ROWS,
        rows_per_s: Math.round(ROWS / result.seconds),
        peak_rss_mb: Math.round(result.maxRssMb),
        copy_floor_rows_per_s: Math.round(floor),
      }) + "\n",
    );
  } finally {
    await db.$disconnect();
    await rm(dir, { recursive: true, force: true });
    await database.drop();
  }
}
