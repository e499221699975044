// The only reader of process.env. Parsed once, validated with zod; every problem is
// reported at once, in plain words, so a misconfigured deploy fails fast and clearly.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import cron from "node-cron";
import { z } from "zod";
import { isValidTimeZone } from "./domain/digest/schedule.js";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

function isValidCron(expr: string): boolean {
  return cron.validate(expr);
}

export const envSchema = z
  .object({
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\/[^\s]+$/, {
          message: "must be a PostgreSQL URL such as postgresql://user:password@host:5432/pulse",
        })
        .optional(),
    ),
    SLACK_BOT_TOKEN: optionalString.pipe(
      z
        .string()
        .regex(/^xoxb-[A-Za-z0-9-]+$/, { message: "must be a bot token starting with xoxb-" })
        .optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString.pipe(
      z
        .string()
        .regex(/^[a-f0-9]{32}$/i, {
          message: "must be the 32-character hex signing secret from the app's Basic Information page",
        })
        .optional(),
    ),
    SLACK_APP_TOKEN: optionalString.pipe(
      z
        .string()
        .regex(/^xapp-[A-Za-z0-9-]+$/, { message: "must be an app-level token starting with xapp- (Socket Mode)" })
        .optional(),
    ),
    SLACK_API_URL: optionalString.pipe(z.url({ message: "must be a URL such as https://slack.com/api/" }).optional()),
    PORT: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, { message: "must be a port number between 0 and 65535" })
        .transform(Number)
        .refine((n) => n <= 65535, { message: "must be a port number between 0 and 65535" })
        .default(3000),
    ),
    PULSE_TIMEZONE: optionalString.pipe(
      z
        .string()
        .refine(isValidTimeZone, { message: "must be an IANA time zone such as Europe/Paris or UTC" })
        .default("UTC"),
    ),
    PULSE_SCORE_CRON: optionalString.pipe(
      z
        .string()
        .refine(isValidCron, { message: 'must be a valid cron expression such as "0 2 * * *"' })
        .default("0 2 * * *"),
    ),
    PULSE_DATA_DIR: optionalString.pipe(z.string().default(".pulse")),
    PULSE_SEED_DEMO: optionalString.pipe(
      z.enum(["auto", "always", "never"], { message: "must be auto, always or never" }).default("auto"),
    ),
    PULSE_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9+/]{43}=$/, { message: "must be 32 random bytes in base64 (openssl rand -base64 32)" })
        .optional(),
    ),
    PULSE_EVENT_RETENTION_DAYS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, { message: "must be a whole number of days between 1 and 3650" })
        .transform(Number)
        .refine((n) => n >= 1 && n <= 3650, { message: "must be a whole number of days between 1 and 3650" })
        .default(90),
    ),
    PULSE_LOGIN_EVENTS: optionalString.pipe(z.string().default("Logged In,Login,Log In,Signed In,Sign In")),
    PULSE_MODULE_EVENTS: optionalString.pipe(
      z
        .string()
        .refine((v) => v.split(",").every((pair) => /^[^=]+=[^=]+$/.test(pair.trim())), {
          message:
            'must be a comma-separated list of "Event Name=module" pairs, such as "Report Viewed=reports,Invoice Sent=billing"',
        })
        .optional(),
    ),
    PULSE_API_RATE_PER_SECOND: optionalString.pipe(
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, { message: "must be a positive number of requests per second" })
        .transform(Number)
        .refine((n) => n > 0, { message: "must be a positive number of requests per second" })
        .default(20),
    ),
    PULSE_API_BURST: optionalString.pipe(
      z
        .string()
        .regex(/^\d+$/, { message: "must be a whole number of requests of at least 1" })
        .transform(Number)
        .refine((n) => n >= 1, { message: "must be a whole number of requests of at least 1" })
        .default(40),
    ),
    SLACK_API_TIMEOUT_MS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{2,6}$/, { message: "must be a whole number of milliseconds, 10 to 999999" })
        .transform(Number)
        .default(10_000),
    ),
    PULSE_ENCRYPTION_KEY_PREVIOUS: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9+/]{43}=$/, {
          message: "must be the previous 32-byte base64 key, accepted for decryption during a rotation",
        })
        .optional(),
    ),
    SLACK_CLIENT_ID: optionalString.pipe(
      z
        .string()
        .regex(/^\d+\.\d+$/, { message: "must be the app's Client ID from its Basic Information page (digits.digits)" })
        .optional(),
    ),
    SLACK_CLIENT_SECRET: optionalString.pipe(
      z
        .string()
        .regex(/^[a-f0-9]{32}$/i, {
          message: "must be the 32-character hex Client Secret from the app's Basic Information page",
        })
        .optional(),
    ),
    SLACK_STATE_SECRET: optionalString.pipe(
      z.string().min(16, { message: "must be at least 16 random characters (openssl rand -hex 16)" }).optional(),
    ),
    PULSE_RETENTION_DAYS_AFTER_UNINSTALL: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, { message: "must be a whole number of days between 0 and 3650" })
        .transform(Number)
        .refine((n) => n <= 3650, { message: "must be a whole number of days between 0 and 3650" })
        .default(30),
    ),
    PULSE_SHUTDOWN_TIMEOUT_MS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,6}$/, { message: "must be a whole number of milliseconds between 0 and 600000" })
        .transform(Number)
        .refine((n) => n <= 600_000, { message: "must be a whole number of milliseconds between 0 and 600000" })
        .default(10_000),
    ),
    LOG_LEVEL: optionalString.pipe(
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "is required when SLACK_APP_TOKEN is set" });
    }
    const oauthVars = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;
    const oauthWanted = oauthVars.some((name) => env[name] !== undefined);
    if (oauthWanted) {
      for (const name of [...oauthVars, "PULSE_ENCRYPTION_KEY"] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message:
              "is required for OAuth installs (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and PULSE_ENCRYPTION_KEY go together; unset all three SLACK_CLIENT_*/SLACK_STATE_SECRET for a single workspace)",
          });
        }
      }
      if (!env.SLACK_SIGNING_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["SLACK_SIGNING_SECRET"],
          message: "is required for OAuth installs (they run in HTTP mode)",
        });
      }
      if (env.SLACK_APP_TOKEN) {
        ctx.addIssue({
          code: "custom",
          path: ["SLACK_APP_TOKEN"],
          message: "cannot be combined with OAuth installs, which run in HTTP mode; unset it",
        });
      }
    }
    if (env.PULSE_ENCRYPTION_KEY_PREVIOUS && !env.PULSE_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["PULSE_ENCRYPTION_KEY"],
        message:
          "is required when PULSE_ENCRYPTION_KEY_PREVIOUS is set (the new key encrypts, the previous one only decrypts)",
      });
    }
    if (env.PULSE_ENCRYPTION_KEY_PREVIOUS && env.PULSE_ENCRYPTION_KEY_PREVIOUS === env.PULSE_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["PULSE_ENCRYPTION_KEY_PREVIOUS"],
        message: "must differ from PULSE_ENCRYPTION_KEY",
      });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
  });

export type SlackMode = "socket" | "http" | "local";

export interface Config {
  databaseUrl: string | undefined;
  slack: {
    mode: SlackMode;
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    /** One Web API attempt's time limit (src/slack/client.ts). */
    callTimeoutMs: number;
    /** Set when Pulse installs into many workspaces through Slack's OAuth flow. */
    oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
  };
  port: number;
  timezone: string;
  scoreCron: string;
  dataDir: string;
  seedDemo: "auto" | "always" | "never";
  encryptionKey: string | undefined;
  /** Accepted for decryption only, while `pulse rotate-key` re-encrypts with the new key. */
  encryptionKeyPrevious: string | undefined;
  retentionDaysAfterUninstall: number;
  /** How long a shutdown waits for work still talking to Slack (and running jobs) before it drops it. */
  shutdownTimeoutMs: number;
  logLevel: string;
  ingestion: IngestionConfig;
}

export interface IngestionConfig {
  /** Raw usage events older than this many days are pruned (daily roll-ups are kept). */
  eventRetentionDays: number;
  /** Event names that count as a login, compared case- and punctuation-insensitively. */
  loginEvents: string[];
  /** Event name -> module, for events that carry no `properties.module`. */
  moduleEvents: Record<string, string>;
  /** Per-API-key token bucket: sustained requests per second and burst size. */
  apiRatePerSecond: number;
  apiBurst: number;
}

function parseModuleEvents(text: string | undefined): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(
    text.split(",").map((pair) => {
      const [event, module] = pair.split("=");
      return [event!.trim(), module!.trim()];
    }),
  );
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Pulse cannot start: its configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

function slackMode(env: z.infer<typeof envSchema>): SlackMode {
  if (env.SLACK_CLIENT_ID && env.SLACK_SIGNING_SECRET) return "http";
  if (env.SLACK_APP_TOKEN && env.SLACK_BOT_TOKEN) return "socket";
  if (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) return "http";
  return "local";
}

/** Parses an environment; throws ConfigError listing every problem (never the values). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = result.data;
  return {
    databaseUrl: e.DATABASE_URL,
    slack: {
      mode: slackMode(e),
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      callTimeoutMs: e.SLACK_API_TIMEOUT_MS,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
          ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
          : undefined,
    },
    port: e.PORT,
    timezone: e.PULSE_TIMEZONE,
    scoreCron: e.PULSE_SCORE_CRON,
    dataDir: e.PULSE_DATA_DIR,
    seedDemo: e.PULSE_SEED_DEMO,
    encryptionKey: e.PULSE_ENCRYPTION_KEY,
    encryptionKeyPrevious: e.PULSE_ENCRYPTION_KEY_PREVIOUS,
    retentionDaysAfterUninstall: e.PULSE_RETENTION_DAYS_AFTER_UNINSTALL,
    shutdownTimeoutMs: e.PULSE_SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    ingestion: {
      eventRetentionDays: e.PULSE_EVENT_RETENTION_DAYS,
      loginEvents: e.PULSE_LOGIN_EVENTS.split(",")
        .map((name) => name.trim())
        .filter(Boolean),
      moduleEvents: parseModuleEvents(e.PULSE_MODULE_EVENTS),
      apiRatePerSecond: e.PULSE_API_RATE_PER_SECOND,
      apiBurst: e.PULSE_API_BURST,
    },
  };
}

/**
 * The `.env` beside package.json, as the README says: the same file whichever directory
 * `pulse` is run from (npx, a cron job, a service manager all start in different places).
 */
export const DEFAULT_ENV_FILE = fileURLToPath(new URL("../.env", import.meta.url));

/** Loads `.env` (if present, without overriding the real environment) and parses it. */
export function loadConfig(envFile = DEFAULT_ENV_FILE): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
