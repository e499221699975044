// Slack's side of the wire as a real HTTP server on loopback: the Web API under /api/ and
// response URLs under any other path. Every request is recorded (with the fields Slack's
// clients JSON-encode parsed back); a test can make any request fail the ways Slack does
// (429 with Retry-After, 5xx, a hang) and lift the fault again. Unlike nock, a hang here
// is a real open socket, so a client timeout can be observed (the socket closes).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface SlackCall {
  /** The Web API method ("chat.postMessage"), or undefined for a response URL. */
  method: string | undefined;
  path: string;
  body: Record<string, unknown>;
  headers: IncomingMessage["headers"];
  /** Date.now() when the request arrived. */
  at: number;
  /** Set once the client has closed the socket before an answer was sent (it gave up). */
  abandonedAt?: number;
}

export type FakeAnswer =
  | { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | { hang: true };

/** Decides how to answer one call; undefined falls through to the next rule, then the default. */
export type FakeRule = (call: SlackCall) => FakeAnswer | undefined;

export interface FakeSlack {
  origin: string;
  /** What SLACK_API_URL should be. */
  apiUrl: string;
  calls: SlackCall[];
  /** Calls to one Web API method, or to response URLs whose path starts with `pathPrefix` (e.g. "/commands/"). */
  callsTo(methodOrPath: string): SlackCall[];
  /** Adds a rule in front of the others; returns a function that removes it. */
  use(rule: FakeRule): () => void;
  /** Removes every rule (faults lifted); answers already hanging stay hung until close(). */
  clearRules(): void;
  /** Calls still waiting for an answer (hung and not abandoned). */
  hanging(): SlackCall[];
  close(): Promise<void>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Form bodies carry JSON-encoded fields (blocks, view); JSON bodies are taken as they are. */
export function parseSlackBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) {
    const parsed = safeJson(raw);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { _raw: parsed };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  return out;
}

/** The answer Slack gives each method Pulse calls, when nothing else is asked for. */
export function defaultSlackAnswer(call: SlackCall, teamId = "T111"): unknown {
  const b = call.body;
  const ts = `${1700000000 + (Date.now() % 100000)}.000100`;
  switch (call.method) {
    case undefined:
      return { ok: true };
    case "auth.test":
      return {
        ok: true,
        url: "https://test.slack.com/",
        team: "Test",
        user: "pulse",
        team_id: teamId,
        user_id: "UBOT",
        bot_id: "BBOT",
      };
    case "views.open":
    case "views.publish":
    case "views.update":
    case "views.push":
      return { ok: true, view: { id: "V1", hash: "h" } };
    case "chat.postMessage":
      return { ok: true, channel: b.channel, ts, message: { ts } };
    case "chat.postEphemeral":
      return { ok: true, message_ts: ts };
    case "chat.getPermalink":
      return { ok: true, permalink: "https://test.slack.com/archives/C111/p1700000000000100" };
    case "users.info":
      return {
        ok: true,
        user: {
          id: b.user,
          name: "someone",
          real_name: "Some One",
          tz: "Europe/Paris",
          profile: { real_name: "Some One" },
        },
      };
    case "conversations.open":
      return { ok: true, channel: { id: "D0FAKE" } };
    case "conversations.history":
      return { ok: true, messages: [], has_more: false };
    case "conversations.info":
      return {
        ok: true,
        channel: { id: b.channel, name: "cs-team", is_member: true, is_ext_shared: false, is_shared: false },
      };
    default:
      return { ok: true };
  }
}

export async function startFakeSlack(options: { teamId?: string } = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  let rules: FakeRule[] = [];
  const sockets = new Set<Socket>();
  const waiting = new Map<SlackCall, ServerResponse>();

  const answer = (call: SlackCall, res: ServerResponse, a: FakeAnswer) => {
    if ("hang" in a) {
      waiting.set(call, res);
      return;
    }
    const send = () => {
      if (res.destroyed) return;
      const body = a.body ?? defaultSlackAnswer(call, options.teamId);
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(a.status ?? 200, {
        "content-type": typeof body === "string" ? "text/plain" : "application/json",
        ...a.headers,
      });
      res.end(text);
    };
    if (a.delayMs) setTimeout(send, a.delayMs);
    else send();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const method = path.startsWith("/api/") ? path.slice("/api/".length) : undefined;
      const call: SlackCall = {
        method,
        path,
        body: parseSlackBody(Buffer.concat(chunks).toString("utf8"), req.headers["content-type"]),
        headers: req.headers,
        at: Date.now(),
      };
      calls.push(call);
      // The client giving up shows as the socket closing before the answer was written.
      res.on("close", () => {
        if (!res.writableEnded) call.abandonedAt = Date.now();
        waiting.delete(call);
      });
      for (const rule of rules) {
        const a = rule(call);
        if (a) return answer(call, res, a);
      }
      answer(call, res, {});
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    apiUrl: `${origin}/api/`,
    calls,
    callsTo(methodOrPath) {
      return methodOrPath.startsWith("/")
        ? calls.filter((c) => c.path.startsWith(methodOrPath))
        : calls.filter((c) => c.method === methodOrPath);
    },
    use(rule) {
      rules = [rule, ...rules];
      return () => {
        rules = rules.filter((r) => r !== rule);
      };
    },
    clearRules() {
      rules = [];
    },
    hanging() {
      return [...waiting.keys()].filter((c) => !c.abandonedAt);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
