import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { botTokenAad, createTokenCipher } from "../../src/crypto/token-cipher.js";

const KEY_A = randomBytes(32).toString("base64");
const KEY_B = randomBytes(32).toString("base64");
const TOKEN = "xoxb-1234-5678-abcdefghijkl";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("token cipher", () => {
  it("round-trips and writes v1:<key id>:<iv>:<tag>:<ciphertext>", () => {
    const cipher = createTokenCipher({ current: KEY_A });
    const sealed = cipher.encrypt(TOKEN, botTokenAad("T1"));
    const parts = sealed.split(":");
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe("v1");
    expect(parts[1]).toBe(cipher.currentKeyId);
    expect(Buffer.from(parts[2]!, "base64")).toHaveLength(12);
    expect(Buffer.from(parts[3]!, "base64")).toHaveLength(16);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain(KEY_A);
    expect(cipher.decrypt(sealed, botTokenAad("T1"))).toBe(TOKEN);
  });

  it("uses a fresh iv each time", () => {
    const cipher = createTokenCipher({ current: KEY_A });
    expect(cipher.encrypt(TOKEN, "x")).not.toBe(cipher.encrypt(TOKEN, "x"));
  });

  it("property: any text round-trips under any associated data", () => {
    const cipher = createTokenCipher({ current: KEY_A });
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, aad) => cipher.decrypt(cipher.encrypt(text, aad), aad) === text),
    );
  });

  it.each([
    ["another row's associated data", (s: string) => s, botTokenAad("T2"), "DECRYPTION_FAILED"],
    [
      "a flipped ciphertext byte",
      (s: string) => {
        const p = s.split(":");
        const ct = Buffer.from(p[4]!, "base64");
        ct[0]! ^= 1;
        p[4] = ct.toString("base64");
        return p.join(":");
      },
      botTokenAad("T1"),
      "DECRYPTION_FAILED",
    ],
    [
      "a forged tag",
      (s: string) => {
        const p = s.split(":");
        p[3] = randomBytes(16).toString("base64");
        return p.join(":");
      },
      botTokenAad("T1"),
      "DECRYPTION_FAILED",
    ],
    ["a value not in v1 format", () => "xoxb-plain", botTokenAad("T1"), "DECRYPTION_FAILED"],
    [
      "an unknown key id",
      (s: string) => s.replace(/^v1:[^:]+:/, "v1:ffffffffffff:"),
      botTokenAad("T1"),
      "ENCRYPTION_KEY_UNKNOWN",
    ],
  ])("refuses %s with a coded error", (_name, mutate, aad, code) => {
    const cipher = createTokenCipher({ current: KEY_A });
    const sealed = mutate(cipher.encrypt(TOKEN, botTokenAad("T1")));
    expect(codeOf(() => cipher.decrypt(sealed, aad))).toBe(code);
  });

  it("decrypts with the previous key during a rotation, and encrypts with the new one", () => {
    const old = createTokenCipher({ current: KEY_A });
    const sealedOld = old.encrypt(TOKEN, "aad");
    const rotating = createTokenCipher({ current: KEY_B, previous: KEY_A });
    expect(rotating.decrypt(sealedOld, "aad")).toBe(TOKEN);
    expect(rotating.keyIdOf(rotating.encrypt(TOKEN, "aad"))).toBe(rotating.currentKeyId);
    expect(rotating.currentKeyId).not.toBe(old.currentKeyId);
    const afterRotation = createTokenCipher({ current: KEY_B });
    expect(codeOf(() => afterRotation.decrypt(sealedOld, "aad"))).toBe("ENCRYPTION_KEY_UNKNOWN");
  });

  it("refuses to work without a key", () => {
    expect(codeOf(() => createTokenCipher({ current: undefined }))).toBe("ENCRYPTION_KEY_MISSING");
  });
});
