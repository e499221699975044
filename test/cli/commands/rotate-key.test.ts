import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateKeyCommand } from "../../../src/cli/commands/rotate-key.js";
import { parseConfig } from "../../../src/config.js";
import { createTokenCipher } from "../../../src/crypto/token-cipher.js";
import { createLogger } from "../../../src/log.js";
import { loadInstallation, saveInstallation } from "../../../src/services/installations.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";

const OLD = randomBytes(32).toString("base64");
const NEW = randomBytes(32).toString("base64");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await saveInstallation({
    db: t.db,
    cipher: createTokenCipher({ current: OLD }),
    now: new Date(),
    installation: {
      team: { id: "TROTATE" },
      enterprise: undefined,
      user: { id: "U1", token: undefined, scopes: undefined },
      bot: { token: "xoxb-rotate-me", scopes: [], id: "B", userId: "UB" },
    },
  });
});
afterAll(async () => {
  await t.drop();
});

function run(env: Record<string, string>) {
  let out = "";
  let err = "";
  const config = parseConfig({ DATABASE_URL: t.url, PULSE_SEED_DEMO: "never", ...env });
  return rotateKeyCommand
    .run([], {
      config,
      logger: createLogger("silent"),
      io: { out: (s) => (out += s), err: (s) => (err += s), isTty: false },
    })
    .then((code) => ({ code, out, err }));
}

describe("pulse rotate-key", () => {
  it("without the previous key, names the key it cannot open", async () => {
    await expect(run({ PULSE_ENCRYPTION_KEY: NEW })).rejects.toMatchObject({ code: "ENCRYPTION_KEY_UNKNOWN" });
  });

  it("re-encrypts with the new key; a second run has nothing to do; the new key alone then opens every token", async () => {
    const first = await run({ PULSE_ENCRYPTION_KEY: NEW, PULSE_ENCRYPTION_KEY_PREVIOUS: OLD });
    expect(first.code).toBe(0);
    expect(first.out).toContain("Re-encrypted 1 Slack token(s)");
    expect(first.out).not.toContain(NEW);
    const second = await run({ PULSE_ENCRYPTION_KEY: NEW, PULSE_ENCRYPTION_KEY_PREVIOUS: OLD });
    expect(second.out).toContain("Re-encrypted 0 Slack token(s)");
    expect((await loadInstallation(t.db, createTokenCipher({ current: NEW }), "TROTATE")).bot?.token).toBe(
      "xoxb-rotate-me",
    );
    expect(await t.db.auditLog.count({ where: { action: "installation.rekey" } })).toBe(1);
  });
});
