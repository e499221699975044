// Structured JSON logs. Anything that looks like a Slack token, a signing secret or a
// password inside a URL is redacted before it is written, whatever field it sits in.
import { pino, type Logger } from "pino";

// Each pattern either replaces its whole match, or keeps a leading group (the field name)
// and replaces what follows it.
const SECRET_PATTERNS: { pattern: RegExp; keepPrefix?: boolean; suffix?: string }[] = [
  { pattern: /xox[abposre]-[A-Za-z0-9-]+/g },
  { pattern: /xapp-[A-Za-z0-9-]+/g },
  { pattern: /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, keepPrefix: true, suffix: "@" },
  { pattern: /pulse_sk_[A-Za-z0-9_-]+/g },
  // OAuth client secrets and codes, wherever a library logs a request body or a URL:
  // JSON ("client_secret":"…", also inside an escaped JSON string), forms and query strings.
  { pattern: /((?:client_secret|refresh_token|access_token|signing_secret|state_secret)\\?"?\s*[:=]\s*\\?"?)[^"\\&\s,}]+/gi, keepPrefix: true },
  // An OAuth code sits beside the client id in the token exchange; error "code" fields
  // elsewhere (Slack and Pulse error codes) stay readable.
  { pattern: /(\\?"code\\?"\s*:\s*\\?")[^"\\]+(?=\\?"\s*,\s*\\?"client_id)/g, keepPrefix: true },
  { pattern: /([?&](?:code|state)=)[^&\s"]+/g, keepPrefix: true },
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, keepPrefix, suffix = "" } of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: unknown) =>
      keepPrefix && typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}[redacted]${suffix}` : "[redacted]",
    );
  }
  return out;
}

export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "pulse" },
      redact: {
        paths: [
          "token",
          "botToken",
          "appToken",
          "signingSecret",
          "clientSecret",
          "stateSecret",
          "encryptionKey",
          "encryptionKeyPrevious",
          "password",
          "*.token",
          "*.botToken",
          "*.clientSecret",
          "*.encryptionKey",
          "headers.authorization",
          "headers.cookie",
        ],
        censor: "[redacted]",
      },
      hooks: {
        // Redact secrets that slipped into messages or error strings.
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === "string" ? redactSecrets(a) : a));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
      formatters: {
        log(object) {
          return JSON.parse(redactSecrets(JSON.stringify(object))) as Record<string, unknown>;
        },
      },
    },
    destination,
  );
}

export type { Logger };
