// In front of Bolt's request listener. Bolt answers 401 to bad or stale signatures and 400
// to bodies JSON.parse rejects, but a correctly signed body that parses to something other
// than an object ("null", "[]", "42") reaches code that dereferences it outside any try and
// takes the process down; a charset on the content type ("application/x-www-form-urlencoded;
// charset=utf-8") makes Bolt parse a form as JSON; and a path or method Bolt does not serve
// throws synchronously. This guard buffers the body once (Bolt reuses a buffered body),
// checks its shape for signed requests, and turns every such case into a plain 4xx.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { Logger } from "../log.js";

export const SLACK_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const MAX_SIGNATURE_AGE_S = 5 * 60;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface SlackRequestGuardOptions {
  signingSecret: string;
  logger: Logger;
  eventsPath: string;
  now?: () => number;
}

function respond(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  const body = JSON.stringify({ error: { message } });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve("too-large");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

/** Slack's v0 signature scheme: HMAC-SHA256 of "v0:<timestamp>:<body>", at most five minutes old. */
export function hasValidSlackSignature(req: IncomingMessage, rawBody: Buffer, signingSecret: string, nowSeconds: number): boolean {
  const signature = req.headers["x-slack-signature"];
  const timestamp = Number(req.headers["x-slack-request-timestamp"]);
  if (typeof signature !== "string" || !Number.isInteger(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > MAX_SIGNATURE_AGE_S) return false;
  const expected = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest("hex")}`;
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why a signed body cannot be a Slack request, or undefined when its shape is sound. */
export function malformedBodyReason(mediaType: string, rawBody: Buffer): string | undefined {
  const text = rawBody.toString("utf8");
  if (mediaType === "application/json") {
    try {
      return isPlainObject(JSON.parse(text)) ? undefined : "the JSON body is not an object";
    } catch {
      return "the body is not valid JSON";
    }
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    const form = parseQuery(text);
    if (form.ssl_check === "1") return undefined;
    if (typeof form.payload === "string") {
      try {
        return isPlainObject(JSON.parse(form.payload)) ? undefined : "the payload field is not a JSON object";
      } catch {
        return "the payload field is not valid JSON";
      }
    }
    if (typeof form.payload !== "undefined") return "the payload field is repeated";
    return typeof form.command === "string" ? undefined : "the form has neither a command nor a payload";
  }
  return `content type ${mediaType || "(none)"} is not one Slack sends`;
}

export function guardSlackRequests(listener: Listener, options: SlackRequestGuardOptions): Listener {
  const nowSeconds = () => Math.floor((options.now?.() ?? Date.now()) / 1000);
  const handOver = (req: IncomingMessage, res: ServerResponse) => {
    try {
      listener(req, res);
    } catch (error) {
      // Bolt throws for paths and methods it does not serve (HTTPReceiverDeferredRequestError).
      options.logger.debug({ err: error, method: req.method }, "Slack listener declined the request");
      respond(res, 404, "Not a Slack endpoint of this Pulse.");
    }
  };
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== options.eventsPath || req.method !== "POST") {
      handOver(req, res);
      return;
    }
    readBody(req, SLACK_BODY_LIMIT_BYTES)
      .then((body) => {
        if (body === "too-large") {
          respond(res, 413, "The request body is larger than Slack ever sends.");
          return;
        }
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
        // Unsigned or stale: Bolt answers 401 and logs it; no need to look at the body.
        if (hasValidSlackSignature(req, body, options.signingSecret, nowSeconds())) {
          const mediaType = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
          const reason = malformedBodyReason(mediaType, body);
          if (reason) {
            options.logger.warn({ reason }, "rejected a malformed Slack request");
            respond(res, 400, `Malformed request: ${reason}.`);
            return;
          }
          req.headers["content-type"] = mediaType;
        }
        handOver(req, res);
      })
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, "could not read a Slack request body");
        respond(res, 400, "The request body could not be read.");
      });
  };
}
