// In front of Bolt's request listener, and the only place Slack's requests are verified
// before Bolt sees them. Bolt checks only that a signature is not too old, so a timestamp
// in the future passed it; a correctly signed body of an unexpected shape ("null", an
// event of null) reaches code that dereferences it outside any try and can take the
// process down; a charset on the content type ("application/x-www-form-urlencoded;
// charset=utf-8") makes Bolt parse a form as JSON; and a path or method Bolt does not serve
// throws synchronously. This guard buffers the body once (Bolt reuses a buffered body),
// answers 401 itself to a bad, stale or future signature, checks a signed body's shape
// (slack-payload-shape.ts), and turns every such case into a plain 4xx: a request it
// refused never reaches Bolt.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.js";
import { slackBodyProblem } from "./slack-payload-shape.js";

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
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
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

export type SignatureProblem = "missing" | "stale" | "future" | "mismatch";

/**
 * Slack's v0 signature scheme: HMAC-SHA256 of "v0:<timestamp>:<body>", with the timestamp
 * within five minutes of now either way. Undefined when the request is signed.
 */
export function slackSignatureProblem(
  req: IncomingMessage,
  rawBody: Buffer,
  signingSecret: string,
  nowSeconds: number,
): SignatureProblem | undefined {
  const signature = req.headers["x-slack-signature"];
  const header = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof header !== "string" || !/^\d{1,12}$/.test(header)) return "missing";
  const timestamp = Number(header);
  if (nowSeconds - timestamp > MAX_SIGNATURE_AGE_S) return "stale";
  if (timestamp - nowSeconds > MAX_SIGNATURE_AGE_S) return "future";
  const expected = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest("hex")}`;
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : "mismatch";
}

export function hasValidSlackSignature(
  req: IncomingMessage,
  rawBody: Buffer,
  signingSecret: string,
  nowSeconds: number,
): boolean {
  return slackSignatureProblem(req, rawBody, signingSecret, nowSeconds) === undefined;
}

const SIGNATURE_REFUSALS: Record<SignatureProblem, string> = {
  missing: "The request is not signed by Slack.",
  stale: "The request's signature is more than five minutes old.",
  future: "The request's timestamp is more than five minutes in the future.",
  mismatch: "The request's signature does not match.",
};

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
    // The same test Bolt routes by: everything Bolt would treat as an event is verified here.
    if (path !== options.eventsPath || req.method?.toUpperCase() !== "POST") {
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
        // Answered here, not by Bolt: Bolt lets a timestamp from the future through.
        const problem = slackSignatureProblem(req, body, options.signingSecret, nowSeconds());
        if (problem) {
          options.logger.warn({ problem }, "rejected a Slack request that is not signed correctly");
          respond(res, 401, SIGNATURE_REFUSALS[problem]);
          return;
        }
        const mediaType = String(req.headers["content-type"] ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        const reason = slackBodyProblem(mediaType, body);
        if (reason) {
          options.logger.warn({ reason }, "rejected a malformed Slack request");
          respond(res, 400, `Malformed request: ${reason}.`);
          return;
        }
        req.headers["content-type"] = mediaType;
        handOver(req, res);
      })
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, "could not read a Slack request body");
        respond(res, 400, "The request body could not be read.");
      });
  };
}
