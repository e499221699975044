import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

const KEY = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0xcv=";
const KEY2 = "Z1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0xcv=";
const OAUTH = {
  SLACK_CLIENT_ID: "1234567890.0987654321",
  SLACK_CLIENT_SECRET: "0123456789abcdef0123456789abcdef",
  SLACK_STATE_SECRET: "a-long-random-state-secret",
  PULSE_ENCRYPTION_KEY: KEY,
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5",
};

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("OAuth and encryption configuration", () => {
  it("turns OAuth mode on (HTTP) when all four are set", () => {
    const config = parseConfig(OAUTH);
    expect(config.slack.mode).toBe("http");
    expect(config.slack.oauth).toEqual({
      clientId: OAUTH.SLACK_CLIENT_ID,
      clientSecret: OAUTH.SLACK_CLIENT_SECRET,
      stateSecret: OAUTH.SLACK_STATE_SECRET,
    });
    expect(config.retentionDaysAfterUninstall).toBe(30);
  });

  it("stays in single-workspace mode without them", () => {
    expect(parseConfig({}).slack.oauth).toBeUndefined();
  });

  it.each([
    ["SLACK_CLIENT_SECRET", { ...OAUTH, SLACK_CLIENT_SECRET: "" }],
    ["SLACK_STATE_SECRET", { ...OAUTH, SLACK_STATE_SECRET: "" }],
    ["SLACK_CLIENT_ID", { ...OAUTH, SLACK_CLIENT_ID: "" }],
    ["PULSE_ENCRYPTION_KEY", { ...OAUTH, PULSE_ENCRYPTION_KEY: "" }],
    ["SLACK_SIGNING_SECRET", { ...OAUTH, SLACK_SIGNING_SECRET: "" }],
  ])("names %s when only some OAuth settings are set", (missing, env) => {
    const found = problems(env);
    expect(found.some((p) => p.startsWith(`${missing} is required`))).toBe(true);
  });

  it("never prints the values it rejects", () => {
    const found = problems({ ...OAUTH, SLACK_CLIENT_SECRET: "not-hex-secret-value", SLACK_STATE_SECRET: "" });
    expect(found.join("\n")).not.toContain("not-hex-secret-value");
  });

  it.each([
    [{ PULSE_ENCRYPTION_KEY_PREVIOUS: KEY }, "PULSE_ENCRYPTION_KEY is required when PULSE_ENCRYPTION_KEY_PREVIOUS"],
    [{ PULSE_ENCRYPTION_KEY: KEY, PULSE_ENCRYPTION_KEY_PREVIOUS: KEY }, "PULSE_ENCRYPTION_KEY_PREVIOUS must differ"],
    [{ PULSE_RETENTION_DAYS_AFTER_UNINSTALL: "-1" }, "PULSE_RETENTION_DAYS_AFTER_UNINSTALL must be a whole number"],
    [{ ...OAUTH, SLACK_APP_TOKEN: "xapp-1-abc", SLACK_BOT_TOKEN: "xoxb-1-abc" }, "SLACK_APP_TOKEN cannot be combined"],
  ])("refuses %o", (env, expected) => {
    expect(problems(env as Record<string, string>).join("\n")).toContain(expected);
  });

  it("accepts a previous key and a retention period", () => {
    const config = parseConfig({
      PULSE_ENCRYPTION_KEY: KEY,
      PULSE_ENCRYPTION_KEY_PREVIOUS: KEY2,
      PULSE_RETENTION_DAYS_AFTER_UNINSTALL: "7",
    });
    expect(config.encryptionKeyPrevious).toBe(KEY2);
    expect(config.retentionDaysAfterUninstall).toBe(7);
  });
});
