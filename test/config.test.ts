import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_ENV_FILE, loadConfig, parseConfig } from "../src/config.js";

const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("parseConfig", () => {
  it("runs in local mode with embedded PostgreSQL when nothing is set", () => {
    const config = parseConfig({});
    expect(config.slack.mode).toBe("local");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.timezone).toBe("UTC");
    expect(config.scoreCron).toBe("0 2 * * *");
  });

  it.each([
    [{ SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_APP_TOKEN: "xapp-1-A1-2-def" }, "socket"],
    [{ SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_SIGNING_SECRET: "a".repeat(32) }, "http"],
    [
      { SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_APP_TOKEN: "xapp-1-A1-2-def", SLACK_SIGNING_SECRET: "a".repeat(32) },
      "socket",
    ],
  ])("chooses the Slack mode from the credentials given (%o -> %s)", (env, mode) => {
    expect(parseConfig(env).slack.mode).toBe(mode);
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", SLACK_BOT_TOKEN: " ", PORT: "" }).databaseUrl).toBeUndefined();
  });

  it("reports every problem at once, in plain words", () => {
    const problems = problemsOf({
      DATABASE_URL: "mysql://localhost/pulse",
      SLACK_BOT_TOKEN: "xoxp-user-token",
      SLACK_APP_TOKEN: "not-a-token",
      PORT: "eighty",
      PULSE_TIMEZONE: "Mars/Olympus",
      PULSE_SCORE_CRON: "every night",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL must be a PostgreSQL URL/),
        expect.stringMatching(/^SLACK_BOT_TOKEN must be a bot token starting with xoxb-/),
        expect.stringMatching(/^SLACK_APP_TOKEN must be an app-level token/),
        expect.stringMatching(/^PORT must be a port number/),
        expect.stringMatching(/^PULSE_TIMEZONE must be an IANA time zone/),
        expect.stringMatching(/^PULSE_SCORE_CRON must be a valid cron expression/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it("never echoes a secret value in its messages", () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: "xoxp-secret-value-123",
      SLACK_SIGNING_SECRET: "not-hex-secret-zzz",
    });
    expect(problems.join("\n")).not.toContain("secret-value");
    expect(problems.join("\n")).not.toContain("not-hex-secret");
  });

  it("asks for the missing half of a Slack connection", () => {
    expect(problemsOf({ SLACK_APP_TOKEN: "xapp-1-A1-2-def" })).toEqual([
      "SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN is set",
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-1-2-abc" })).toEqual([
      "SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
  });

  it("rejects a port out of range", () => {
    expect(problemsOf({ PORT: "70000" })).toEqual(["PORT must be a port number between 0 and 65535"]);
  });
});

describe(".env", () => {
  it("is read from beside package.json, not from the current directory", () => {
    const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
    expect(DEFAULT_ENV_FILE).toBe(join(repoRoot, ".env"));
  });

  it("fills what the environment lacks and never overrides what it has", () => {
    const file = join(mkdtempSync(join(tmpdir(), "pulse-env-")), ".env");
    writeFileSync(file, "PULSE_TIMEZONE=Europe/Paris\nPULSE_SCORE_CRON=0 3 * * *\n");
    const saved = { tz: process.env.PULSE_TIMEZONE, cron: process.env.PULSE_SCORE_CRON };
    process.env.PULSE_SCORE_CRON = "0 4 * * *";
    delete process.env.PULSE_TIMEZONE;
    try {
      const config = loadConfig(file);
      expect(config.timezone).toBe("Europe/Paris");
      expect(config.scoreCron).toBe("0 4 * * *");
    } finally {
      for (const [key, value] of [
        ["PULSE_TIMEZONE", saved.tz],
        ["PULSE_SCORE_CRON", saved.cron],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
