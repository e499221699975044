// Structured JSON logs. Anything that looks like a Slack token, a signing secret or a
// password inside a URL is redacted before it is written, whatever field it sits in.
import { pino, type Logger } from "pino";

const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g,
  /pulse_sk_[A-Za-z0-9_-]+/g,
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}[redacted]@` : "[redacted]",
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
        paths: ["token", "botToken", "appToken", "signingSecret", "password", "*.token", "*.botToken", "headers.authorization"],
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
