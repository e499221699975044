// Runs the real `pulse` command in a child process, as a user would.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PULSE_BIN = fileURLToPath(new URL("../../bin/pulse.js", import.meta.url));
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The environment a child gets: none of the developer's own Slack or database settings. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info" };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runPulse(args: string[], env: NodeJS.ProcessEnv, cwd = PROJECT_ROOT): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PULSE_BIN, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningChild {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `pulse start` and resolves once it logs that it is running (with its port). */
export function startPulseProcess(
  env: NodeJS.ProcessEnv,
  cwd = PROJECT_ROOT,
  timeoutMs = 90_000,
): Promise<RunningChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PULSE_BIN, "start"], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`pulse start did not come up in time:\n${output}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      output += c.toString();
      const m = /"port":(\d+),[^\n]*"msg":"Pulse is running"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => output, exited });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`pulse start exited with ${code} before it was running:\n${output}`));
    });
  });
}
