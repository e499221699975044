import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenCipher } from "../../src/crypto/token-cipher.js";
import {
  loadInstallation,
  reencryptInstallations,
  revokeInstallations,
  saveInstallation,
  type SlackInstallationRecord,
} from "../../src/services/installations.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

const KEY_A = randomBytes(32).toString("base64");
const KEY_B = randomBytes(32).toString("base64");
const NOW = new Date("2026-11-23T10:00:00Z");

function installation(teamId: string, token: string): SlackInstallationRecord {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: undefined,
    user: { id: "UINSTALLER", token: "xoxp-user-secret-token", scopes: ["identify"] },
    bot: { token, scopes: ["chat:write", "commands"], id: "B1", userId: "UBOT" },
    incomingWebhook: { url: "https://hooks.slack.com/services/SECRET", channel: "#cs", channelId: "C1" },
    appId: "A1",
    tokenType: "bot",
    isEnterpriseInstall: false,
    authVersion: "v2",
  };
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("installations", () => {
  it("stores the bot token sealed, with no token or webhook URL anywhere in the row", async () => {
    const cipher = createTokenCipher({ current: KEY_A });
    const { workspaceId } = await saveInstallation({
      db: t.db,
      cipher,
      installation: installation("TINST1", "xoxb-secret-1"),
      now: NOW,
    });
    const row = await t.db.slackInstallation.findFirstOrThrow({ where: { workspaceId } });
    const everything = JSON.stringify(row);
    expect(everything).not.toContain("xoxb-secret-1");
    expect(everything).not.toContain("xoxp-user-secret-token");
    expect(everything).not.toContain("hooks.slack.com");
    expect(row.botTokenCiphertext).toMatch(new RegExp(`^v1:${cipher.currentKeyId}:`));
    expect(row.botScopes).toEqual(["chat:write", "commands"]);
    const loaded = await loadInstallation(t.db, cipher, "TINST1");
    expect(loaded.bot?.token).toBe("xoxb-secret-1");
    expect(loaded.team?.id).toBe("TINST1");
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "workspace.install" } })).toBe(1);
  });

  it("a reinstall reactivates an uninstalled workspace and supersedes the old installation", async () => {
    const cipher = createTokenCipher({ current: KEY_A });
    const { workspaceId } = await saveInstallation({
      db: t.db,
      cipher,
      installation: installation("TINST2", "xoxb-old"),
      now: NOW,
    });
    await t.db.workspace.update({
      where: { id: workspaceId },
      data: { active: false, deactivatedAt: NOW, eraseAfter: NOW },
    });
    await expect(loadInstallation(t.db, cipher, "TINST2")).rejects.toMatchObject({ code: "WORKSPACE_INACTIVE" });
    await saveInstallation({
      db: t.db,
      cipher,
      installation: installation("TINST2", "xoxb-new"),
      now: new Date(NOW.getTime() + 1000),
    });
    const workspace = await t.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(workspace).toMatchObject({ active: true, deactivatedAt: null, eraseAfter: null });
    expect((await loadInstallation(t.db, cipher, "TINST2")).bot?.token).toBe("xoxb-new");
    expect(await t.db.slackInstallation.count({ where: { workspaceId, revokedAt: null } })).toBe(1);
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "workspace.reinstall" } })).toBe(1);
  });

  it("refuses org-wide installs and unknown teams with coded errors", async () => {
    const cipher = createTokenCipher({ current: KEY_A });
    const org = {
      ...installation("TX", "xoxb-x"),
      team: undefined,
      isEnterpriseInstall: true,
      enterprise: { id: "E1" },
    } as SlackInstallationRecord;
    await expect(saveInstallation({ db: t.db, cipher, installation: org, now: NOW })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(loadInstallation(t.db, cipher, "TNOBODY")).rejects.toMatchObject({ code: "NOT_INSTALLED" });
  });

  it("revoked installations are not loaded", async () => {
    const cipher = createTokenCipher({ current: KEY_A });
    await saveInstallation({ db: t.db, cipher, installation: installation("TINST3", "xoxb-3"), now: NOW });
    expect(await revokeInstallations(t.db, "TINST3", NOW)).toBe(1);
    await expect(loadInstallation(t.db, cipher, "TINST3")).rejects.toMatchObject({ code: "NOT_INSTALLED" });
  });

  it("rotation: re-encrypts every token with the new key, then the old key is no longer needed", async () => {
    const old = createTokenCipher({ current: KEY_A });
    await saveInstallation({ db: t.db, cipher: old, installation: installation("TROT1", "xoxb-rot-1"), now: NOW });
    await saveInstallation({ db: t.db, cipher: old, installation: installation("TROT2", "xoxb-rot-2"), now: NOW });
    const rotating = createTokenCipher({ current: KEY_B, previous: KEY_A });
    const total = await t.db.slackInstallation.count();
    const first = await reencryptInstallations(t.db, rotating);
    expect(first).toEqual({ reencrypted: total, alreadyCurrent: 0 });
    expect(await reencryptInstallations(t.db, rotating)).toEqual({ reencrypted: 0, alreadyCurrent: total });
    const newOnly = createTokenCipher({ current: KEY_B });
    expect((await loadInstallation(t.db, newOnly, "TROT1")).bot?.token).toBe("xoxb-rot-1");
    expect((await loadInstallation(t.db, newOnly, "TROT2")).bot?.token).toBe("xoxb-rot-2");
    const rows = await t.db.slackInstallation.findMany();
    expect(rows.every((r) => r.botTokenCiphertext.startsWith(`v1:${newOnly.currentKeyId}:`))).toBe(true);
  });
});
