// Runs `pulse` commands in-process against a test database, capturing what they print.
import { main } from "../../src/cli/main.js";

export async function pulse(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), isTty: false });
  return { code, out, err };
}

/** Points the CLI at `databaseUrl` with silent logs; the returned function puts the environment back. */
export function useCliDatabase(databaseUrl: string): () => void {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };
  process.env.DATABASE_URL = databaseUrl;
  process.env.LOG_LEVEL = "silent";
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
