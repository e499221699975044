// `pulse import usage` of a 1,000,000-row CSV (2,000 accounts x 500 days), run as the real
// CLI in a child process so its peak RSS is the import's own (getrusage maxrss).
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../src/db/client.js";
import { createBenchDatabase } from "./bench-db.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ACCOUNTS = 2_000;
const TEAM = "TBENCHIMPORT";

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  const start = Date.UTC(2025, 0, 1);
  out.write("Account ID,Date,Active Users,Logins,Seats,Modules\n");
  let chunk = "";
  for (let i = 0; i < ROWS; i++) {
    const account = i % ACCOUNTS;
    const day = new Date(start + Math.floor(i / ACCOUNTS) * 86_400_000).toISOString().slice(0, 10);
    const users = (i * 37) % 200;
    chunk += `ACC-${account},${day},${users},${users * 2 + (i % 7)},250,reports:${i % 50};dashboards:${i % 11}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; maxRssMb: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // The child reports its own peak RSS as it exits: exactly the import's footprint.
    const child = spawn(
      process.execPath,
      [
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
    await db.account.createMany({ data: Array.from({ length: ACCOUNTS }, (_, a) => ({ workspaceId: workspace.id, externalId: `ACC-${a}`, name: `Account ${a}` })) });
    const file = join(dir, "usage.csv");
    await writeCsv(file);
    const result = await runCli(["import", "usage", file, "--workspace", TEAM], { DATABASE_URL: database.url, LOG_LEVEL: "warn" });
    if (result.code !== 0) throw new Error(`pulse import failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
    const stored = await db.usageDaily.count({ where: { workspaceId: workspace.id } });
    if (stored !== ROWS) throw new Error(`expected ${ROWS} usage rows, found ${stored}:\n${result.stdout}`);
    process.stdout.write(
      JSON.stringify({ scenario: "import", rows: ROWS, rows_per_s: Math.round(ROWS / result.seconds), peak_rss_mb: Math.round(result.maxRssMb) }) + "\n",
    );
  } finally {
    await db.$disconnect();
    await rm(dir, { recursive: true, force: true });
    await database.drop();
  }
}
