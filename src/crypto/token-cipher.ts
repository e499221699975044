// Secrets at rest (Slack bot tokens) are sealed with AES-256-GCM before they reach the
// database. Format: "v1:<key id>:<iv>:<tag>:<ciphertext>", base64 parts. The key id is a
// fingerprint of the key (never the key), so a row says which key sealed it and rotation
// can keep the previous key for decryption only. GCM's tag makes tampering an error, and
// the associated data binds a ciphertext to its purpose and row, so a sealed token copied
// into another workspace's row does not open there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { AppError } from "../errors.js";

const VERSION = "v1";
const IV_BYTES = 12; // GCM's recommended nonce size
const TAG_BYTES = 16;

export interface TokenCipher {
  /** Id of the key that encrypts. */
  readonly currentKeyId: string;
  encrypt(plaintext: string, associatedData: string): string;
  decrypt(sealed: string, associatedData: string): string;
  /** The key id a sealed value names, or undefined when it is not in Pulse's format. */
  keyIdOf(sealed: string): string | undefined;
}

export interface TokenCipherKeys {
  /** Base64 of 32 bytes (PULSE_ENCRYPTION_KEY). */
  current: string | undefined;
  /** Base64 of 32 bytes (PULSE_ENCRYPTION_KEY_PREVIOUS), decryption only. */
  previous?: string | undefined;
}

function decodeKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) {
    throw new AppError(
      "ENCRYPTION_KEY_MISSING",
      `${name} must decode to 32 bytes (got ${key.length})`,
      "Pulse's encryption key is misconfigured.",
    );
  }
  return key;
}

/** A short, non-reversible fingerprint of a key: safe to store and to log. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("pulse-key-id:").update(key).digest("hex").slice(0, 12);
}

export function createTokenCipher(keys: TokenCipherKeys): TokenCipher {
  if (!keys.current) {
    throw new AppError(
      "ENCRYPTION_KEY_MISSING",
      "PULSE_ENCRYPTION_KEY is not set: Slack tokens cannot be encrypted or decrypted",
      "Pulse's encryption key is not configured.",
    );
  }
  const current = decodeKey(keys.current, "PULSE_ENCRYPTION_KEY");
  const currentKeyId = keyIdOf(current);
  const byId = new Map<string, Buffer>([[currentKeyId, current]]);
  if (keys.previous) {
    const previous = decodeKey(keys.previous, "PULSE_ENCRYPTION_KEY_PREVIOUS");
    byId.set(keyIdOf(previous), previous);
  }

  return {
    currentKeyId,
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(associatedData, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, currentKeyId, iv.toString("base64"), tag.toString("base64"), ciphertext.toString("base64")].join(
        ":",
      );
    },
    decrypt(sealed, associatedData) {
      const parts = sealed.split(":");
      if (parts.length !== 5 || parts[0] !== VERSION) {
        throw new AppError(
          "DECRYPTION_FAILED",
          `sealed value is not in the ${VERSION} format`,
          "A stored Slack token could not be read.",
        );
      }
      const [, keyId, ivB64, tagB64, ctB64] = parts as [string, string, string, string, string];
      const key = byId.get(keyId);
      if (!key) {
        throw new AppError(
          "ENCRYPTION_KEY_UNKNOWN",
          `sealed with key ${keyId}, which is neither PULSE_ENCRYPTION_KEY (${currentKeyId}) nor PULSE_ENCRYPTION_KEY_PREVIOUS`,
          "A stored Slack token was encrypted with a key Pulse no longer has.",
        );
      }
      const iv = Buffer.from(ivB64, "base64");
      const tag = Buffer.from(tagB64, "base64");
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new AppError(
          "DECRYPTION_FAILED",
          "sealed value has a malformed iv or tag",
          "A stored Slack token could not be read.",
        );
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(associatedData, "utf8"));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(ctB64, "base64")), decipher.final()]).toString("utf8");
      } catch (error) {
        throw new AppError(
          "DECRYPTION_FAILED",
          "sealed value failed authentication (tampered, or sealed for another row)",
          "A stored Slack token could not be read.",
          {
            cause: error,
          },
        );
      }
    },
    keyIdOf(sealed) {
      const parts = sealed.split(":");
      return parts.length === 5 && parts[0] === VERSION ? parts[1] : undefined;
    },
  };
}

/** Associated data for a workspace's bot token: the purpose and the Slack team it belongs to. */
export function botTokenAad(slackTeamId: string): string {
  return `slack_installation.bot_token:${slackTeamId}`;
}
