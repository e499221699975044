import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CALLBACK, SLASH_COMMAND } from "../../src/slack/ids.js";
import { BOT_SCOPES } from "../../src/slack/installation-store.js";

const manifest = JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8")) as {
  display_information: { name: string };
  features: {
    slash_commands: { command: string }[];
    shortcuts: { type: string; callback_id: string; name: string }[];
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean };
    event_subscriptions: { bot_events: string[] };
  };
};

describe("manifest.json", () => {
  it("declares what the code listens for, with the same ids", () => {
    expect(manifest.display_information.name).toBe("Pulse");
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.shortcuts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "global", callback_id: CALLBACK.globalLogTouchpoint, name: "Log touchpoint" }),
        expect.objectContaining({
          type: "message",
          callback_id: CALLBACK.messageSaveTouchpoint,
          name: "Save as touchpoint",
        }),
      ]),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_home_opened", "app_mention", "message.im", "app_uninstalled", "tokens_revoked"]),
    );
  });

  it("asks only for scopes the docs justify", () => {
    const docs = readFileSync(new URL("../../docs/slack.md", import.meta.url), "utf8");
    for (const scope of manifest.oauth_config.scopes.bot) expect(docs, scope).toContain(`\`${scope}\``);
  });

  it("OAuth installs ask for exactly the manifest's bot scopes, no more and no fewer", () => {
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(new Set(BOT_SCOPES).size).toBe(BOT_SCOPES.length);
  });
});
