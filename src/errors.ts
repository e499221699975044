// Coded errors. `userMessage` is safe to show in Slack; `message` is for logs.
export type ErrorCode =
  | "NOT_FOUND"
  | "INVALID_INPUT"
  | "FORBIDDEN"
  | "CONFLICT"
  | "DATABASE_UNAVAILABLE"
  | "MIGRATION_FAILED"
  | "MIGRATION_TAMPERED"
  | "EMBEDDED_DATABASE_FAILED"
  | "SLACK_API"
  /** A Slack Connect channel shared with another organisation: Pulse never posts internal data there. */
  | "EXTERNAL_CHANNEL"
  | "WORKSPACE_INACTIVE"
  | "NOT_INSTALLED"
  | "ENCRYPTION_KEY_MISSING"
  | "ENCRYPTION_KEY_UNKNOWN"
  | "DECRYPTION_FAILED"
  | "INTERNAL";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly userMessage: string = message,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}

/** A field-level validation problem, rendered as an inline modal error or a CLI line. */
export class ValidationError extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    const text = Object.entries(fieldErrors)
      .map(([field, problem]) => `${field}: ${problem}`)
      .join("; ");
    super("INVALID_INPUT", `Invalid input: ${text}`, text);
    this.name = "ValidationError";
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * The Slack error code of a failed Web API call ("channel_not_found"), else the error's own
 * string code, else `fallback`. Here rather than in src/slack so services that classify
 * failures (digest posting) read codes the same way without importing Slack.
 */
export function slackErrorCode(error: unknown, fallback = "unknown"): string {
  const e = error as { data?: { error?: unknown }; code?: unknown } | null | undefined;
  if (typeof e?.data?.error === "string") return e.data.error;
  return typeof e?.code === "string" ? e.code : fallback;
}
