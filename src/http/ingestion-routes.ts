// The ingestion API: POST /api/v1/events (Segment-compatible track/page/screen/group
// messages, one or a { batch }), POST /api/v1/accounts and POST /api/v1/churns; their
// description at GET /api/v1/openapi.json (src/http/openapi.ts: a new route or status goes
// there too, which test/http/openapi.test.ts checks).
//
// Order of checks, cheapest first: key (401/403), rate (429), size while streaming (413),
// JSON (400), count (413), then per-item validation (422 lists what was refused; the rest
// is stored). Errors are always { error: { code, message } }. The key itself is never
// logged: the request log carries its id only.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../app-context.js";
import { verifyApiKey } from "../services/api-keys.js";
import { countAccountsInBody, ingestAccounts, MAX_ACCOUNTS_PER_REQUEST } from "../services/ingest-accounts.js";
import { countChurnsInBody, ingestChurns, MAX_CHURNS_PER_REQUEST } from "../services/ingest-churns.js";
import { ingestEvents, MAX_EVENTS_PER_BATCH } from "../services/ingest-events.js";
import { messagesOf } from "../domain/ingest/segment-events.js";
import { openApiRoute } from "./openapi.js";
import { TokenBucketLimiter } from "./rate-limiter.js";
import { readBody } from "./read-body.js";
import { sendJson, type Route } from "./server.js";

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface IngestionRoutesOptions {
  /** Shared across routes so a key's budget covers both; injectable for tests. */
  limiter?: TokenBucketLimiter;
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { code, message }, ...extra }, headers);
}

/** The key from `Authorization: Bearer <key>` or Segment-style `Basic base64(<key>:)`. */
export function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(0, colon) : decoded;
  }
  return undefined;
}

const LINGER_MS = 2_000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * Past the size limit nothing more is kept. Closing the socket at once, though, makes a
 * sender still writing see a reset instead of our 413; so, as nginx's lingering close
 * does, the rest is read and thrown away for a short, bounded while, then the connection
 * is closed.
 */
function lingerThenClose(req: IncomingMessage, res: ServerResponse): void {
  res.once("finish", () => {
    let discarded = 0;
    const close = () => req.socket.destroy();
    const timer = setTimeout(close, LINGER_MS);
    timer.unref();
    req.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > LINGER_BYTES) {
        clearTimeout(timer);
        close();
      }
    });
    req.once("end", () => clearTimeout(timer));
    req.resume();
  });
}

type Authorized = { workspaceId: number; keyId: number; body: unknown };

async function admit(
  ctx: AppContext,
  limiter: TokenBucketLimiter,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Authorized | undefined> {
  const key = presentedKey(req);
  if (!key) {
    res.setHeader("www-authenticate", 'Bearer realm="pulse", Basic realm="pulse"');
    sendError(
      res,
      401,
      "unauthorized",
      "Send your Pulse API key as `Authorization: Bearer <key>` (or as the Basic auth username).",
    );
    return undefined;
  }
  const check = await verifyApiKey(ctx.db, key, ctx.clock());
  if (!check.ok) {
    if (check.reason === "unknown")
      sendError(res, 401, "unauthorized", "This API key is not valid. Create one with `pulse api-key create`.");
    else if (check.reason === "revoked")
      sendError(res, 403, "key_revoked", "This API key was revoked. Create a new one with `pulse api-key create`.");
    else sendError(res, 403, "workspace_inactive", "Pulse is no longer installed in this key's workspace.");
    return undefined;
  }
  const decision = limiter.take(String(check.keyId), Date.now());
  if (!decision.allowed) {
    sendError(
      res,
      429,
      "rate_limited",
      `Too many requests for this API key; retry in ${decision.retryAfterSeconds} s.`,
      {},
      { "retry-after": String(decision.retryAfterSeconds) },
    );
    return undefined;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (!body.ok) {
    if (body.status === 413) lingerThenClose(req, res);
    sendError(res, body.status, body.code, body.message, {}, body.status === 413 ? { connection: "close" } : {});
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.body.toString("utf8"));
  } catch (error) {
    sendError(res, 400, "malformed_json", `The body is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  return { workspaceId: check.workspaceId, keyId: check.keyId, body: parsed };
}

/**
 * A batch's answer: 200 when every item was taken, else 422 listing each refusal by index
 * (the good items were still stored), with the same counts either way.
 */
function sendBatchResult(
  res: ServerResponse,
  noun: "events" | "accounts" | "churns",
  verb: string,
  result: { received: number; rejected: unknown[] },
  summary: Record<string, number>,
): void {
  if (result.rejected.length) {
    sendJson(res, 422, {
      error: {
        code: `invalid_${noun}`,
        message: `${result.rejected.length} of ${result.received} ${noun} were refused; the others were ${verb}. Each refusal is in error.details by index.`,
        details: result.rejected,
      },
      received: result.received,
      ...summary,
    });
    return;
  }
  sendJson(res, 200, { success: true, received: result.received, ...summary });
}

export function ingestionRoutes(ctx: AppContext, options: IngestionRoutesOptions = {}): Route[] {
  const limiter =
    options.limiter ?? new TokenBucketLimiter(ctx.config.ingestion.apiRatePerSecond, ctx.config.ingestion.apiBurst);
  return [
    openApiRoute(),
    {
      method: "POST",
      path: "/api/v1/events",
      async handler(req, res, { requestId }) {
        const admitted = await admit(ctx, limiter, req, res);
        if (!admitted) return;
        const envelope = messagesOf(admitted.body);
        if (envelope.ok && envelope.messages.length > MAX_EVENTS_PER_BATCH) {
          sendError(
            res,
            413,
            "too_many_events",
            `The batch has ${envelope.messages.length} events; the limit is ${MAX_EVENTS_PER_BATCH}. Send smaller batches.`,
          );
          return;
        }
        const result = await ingestEvents(ctx, { workspaceId: admitted.workspaceId, body: admitted.body });
        if ("malformed" in result) {
          sendError(res, 400, "malformed_body", result.malformed);
          return;
        }
        ctx.logger.debug(
          {
            requestId,
            apiKeyId: admitted.keyId,
            received: result.received,
            stored: result.stored,
            rejected: result.rejected.length,
          },
          "events ingested",
        );
        sendBatchResult(res, "events", "accepted", result, {
          stored: result.stored,
          duplicates: result.duplicates,
          ignored: result.ignored,
        });
      },
    },
    upsertBatchRoute(ctx, limiter, {
      path: "/api/v1/accounts",
      noun: "accounts",
      max: MAX_ACCOUNTS_PER_REQUEST,
      count: countAccountsInBody,
      ingest: ingestAccounts,
      logged: "accounts upserted",
    }),
    upsertBatchRoute(ctx, limiter, {
      path: "/api/v1/churns",
      noun: "churns",
      max: MAX_CHURNS_PER_REQUEST,
      count: countChurnsInBody,
      ingest: ingestChurns,
      logged: "churns recorded",
    }),
  ];
}

interface UpsertBatchResult {
  received: number;
  rejected: unknown[];
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * A route that upserts a batch of records (accounts, churns): the same admission, size
 * limit (413 too_many_<noun>), malformed-body answer and batch result for each kind.
 */
function upsertBatchRoute(
  ctx: Parameters<typeof admit>[0],
  limiter: Parameters<typeof admit>[1],
  kind: {
    path: string;
    noun: "accounts" | "churns";
    max: number;
    count: (body: unknown) => number;
    ingest: (
      ctx: Parameters<typeof admit>[0],
      input: { workspaceId: number; body: unknown; keyId: number },
    ) => Promise<UpsertBatchResult | { malformed: string }>;
    logged: string;
  },
): Route {
  return {
    method: "POST",
    path: kind.path,
    async handler(req, res, { requestId }) {
      const admitted = await admit(ctx, limiter, req, res);
      if (!admitted) return;
      const count = kind.count(admitted.body);
      if (count > kind.max) {
        sendError(
          res,
          413,
          `too_many_${kind.noun}`,
          `The request has ${count} ${kind.noun}; the limit is ${kind.max}.`,
        );
        return;
      }
      const result = await kind.ingest(ctx, {
        workspaceId: admitted.workspaceId,
        body: admitted.body,
        keyId: admitted.keyId,
      });
      if ("malformed" in result) {
        sendError(res, 400, "malformed_body", result.malformed);
        return;
      }
      ctx.logger.debug(
        { requestId, apiKeyId: admitted.keyId, received: result.received, rejected: result.rejected.length },
        kind.logged,
      );
      sendBatchResult(res, kind.noun, "saved", result, {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
      });
    },
  };
}
