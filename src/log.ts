// Structured JSON logs, or readable lines (pino-pretty) for a person at a terminal. Anything
// that looks like a Slack token, a signing secret or a password inside a URL is redacted
// before it is written, whatever field it sits in; the pretty printer only ever sees the
// redacted line.
import { pino, type Logger } from "pino";
import { build as buildPretty } from "pino-pretty";

// Each pattern either replaces its whole match, or keeps a leading group (the field name)
// and replaces what follows it.
const SECRET_PATTERNS: { pattern: RegExp; keepPrefix?: boolean; suffix?: string }[] = [
  { pattern: /xox[abposre]-[A-Za-z0-9-]+/g },
  { pattern: /xapp-[A-Za-z0-9-]+/g },
  { pattern: /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, keepPrefix: true, suffix: "@" },
  { pattern: /pulse_sk_[A-Za-z0-9_-]+/g },
  // OAuth client secrets and codes, wherever a library logs a request body or a URL:
  // JSON ("client_secret":"…", also inside an escaped JSON string), forms and query strings.
  {
    pattern:
      /((?:client_secret|refresh_token|access_token|signing_secret|state_secret)\\?"?\s*[:=]\s*\\?"?)[^"\\&\s,}]+/gi,
    keepPrefix: true,
  },
  // An OAuth code sits beside the client id in the token exchange; error "code" fields
  // elsewhere (Slack and Pulse error codes) stay readable.
  { pattern: /(\\?"code\\?"\s*:\s*\\?")[^"\\]+(?=\\?"\s*,\s*\\?"client_id)/g, keepPrefix: true },
  { pattern: /([?&](?:code|state)=)[^&\s"]+/g, keepPrefix: true },
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, keepPrefix, suffix = "" } of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: unknown) =>
      keepPrefix && typeof prefix === "string" && match.startsWith(prefix)
        ? `${prefix}[redacted]${suffix}`
        : "[redacted]",
    );
  }
  return out;
}

// A logged object is walked, not round-tripped through JSON: JSON.stringify turns an Error
// into {} (its message and stack are not enumerable) and throws on a cycle.
const MAX_DEPTH = 8;

/** Error fields a reader needs first; other own properties (Prisma's meta, Slack's data) follow. */
function serializeError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.constructor?.name ?? "Error", message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = toLoggable(code, seen, depth + 1);
  out.stack = error.stack;
  for (const key of Object.keys(error)) {
    if (key in out) continue;
    out[key] = toLoggable((error as unknown as Record<string, unknown>)[key], seen, depth + 1);
  }
  if (error.cause !== undefined) out.cause = toLoggable(error.cause, seen, depth + 1);
  if (error instanceof AggregateError) out.errors = toLoggable(error.errors, seen, depth + 1);
  return out;
}

/**
 * Plain, cycle-free data for a log line: errors keep type, message, code and stack (and
 * their cause), a repeated reference becomes "[Circular]", deep nesting is cut off.
 */
export function toLoggable(value: unknown, seen: WeakSet<object> = new WeakSet(), depth = 0): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return value.toString();
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return "[Circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? "[Array]" : "[Object]";
  seen.add(object);
  try {
    if (object instanceof Error) return serializeError(object, seen, depth);
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
    if (Buffer.isBuffer(object) || ArrayBuffer.isView(object))
      return `[${object.constructor.name} ${object.byteLength} bytes]`;
    if (Array.isArray(object)) return object.map((item) => toLoggable(item, seen, depth + 1));
    if (object instanceof Map) return toLoggable(Object.fromEntries(object), seen, depth);
    if (object instanceof Set) return toLoggable([...object], seen, depth);
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      try {
        return toLoggable(toJSON.call(object), seen, depth + 1);
      } catch {
        return "[unserializable]";
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      try {
        out[key] = toLoggable((object as Record<string, unknown>)[key], seen, depth + 1);
      } catch {
        // A throwing getter must not turn a log line into a failed request.
        out[key] = "[unreadable]";
      }
    }
    return out;
  } finally {
    // Only the current path counts as a cycle; the same object twice side by side is logged twice.
    seen.delete(object);
  }
}

export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "pulse" },
      // toLoggable (below) has already turned errors into plain data; pino's own error
      // serializer would take that object for an error again and rename its type "Object".
      serializers: { err: (value: unknown) => value },
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
        // The finished line is redacted, so a secret is caught wherever it ended up: the
        // message, an error's message or stack, a child logger's bindings, any field.
        streamWrite: (line) => redactSecrets(line),
      },
      formatters: {
        log: (object) => toLoggable(object) as Record<string, unknown>,
      },
    },
    destination,
  );
}

export interface LogOutput {
  /** 1 (stdout) for the server, 2 (stderr) for one-shot commands, whose stdout is their output. */
  fd: number;
  /** Readable lines instead of JSON: for a terminal, never for a file or a log shipper. */
  pretty: boolean;
}

/** Where log lines go: JSON on the file descriptor, or pino-pretty's lines on it. */
export function logDestination({ fd, pretty }: LogOutput): pino.DestinationStream {
  if (!pretty) return pino.destination({ dest: fd, sync: true });
  // In process, synchronous: a worker-thread transport could lose the last lines before
  // exit, and a CLI command exits as soon as it is done.
  return buildPretty({
    destination: fd,
    sync: true,
    colorize: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,app",
  });
}

const VERBOSE_LEVELS = new Set(["debug", "trace"]);

/**
 * A one-shot command's level: warnings and errors only, so its normal output is not mixed
 * with progress lines a person did not ask for; LOG_LEVEL=debug or trace still shows all.
 */
export function commandLogLevel(configured: string): string {
  if (configured === "silent" || VERBOSE_LEVELS.has(configured)) return configured;
  return (pino.levels.values[configured] ?? 0) >= pino.levels.values.warn! ? configured : "warn";
}

export type { Logger };
