// Slack's Socket Mode on loopback, for driving Pulse as Slack does when the app has an
// app-level token: `apps.connections.open` (on a FakeSlack) answers with a ws:// URL of a
// local WebSocket server, which greets each connection with `hello`, delivers envelopes
// (events_api, slash_commands, interactive), collects the acks by envelope_id and can ask
// the client to reconnect (`disconnect`, reason refresh_requested). Like Slack, it delivers
// at least once: an envelope still unacked when its connection closes, or sent while no
// connection is open, is delivered on the next connection after `hello`.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import type { FakeSlack } from "./fake-slack.js";

export type EnvelopeType = "events_api" | "slash_commands" | "interactive";

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload: Record<string, unknown> | undefined;
  /** Which connection (1-based) carried it. */
  connection: number;
  at: number;
}

export interface FakeSocketMode {
  /** ws:// URLs handed out by apps.connections.open, in order. */
  urlsIssued: string[];
  /** The app token each apps.connections.open call carried (Authorization: Bearer …). */
  tokensSeen: string[];
  /** Connections accepted so far (the n-th is "connection n"). */
  connectionCount(): number;
  /** Resolves once connection `n` has been greeted with hello. */
  waitForConnection(n: number, timeoutMs?: number): Promise<void>;
  /** Delivers an envelope (queued while no connection is open); resolves with its first ack. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options?: { envelopeId?: string; acceptsResponsePayload?: boolean },
  ): { envelopeId: string; acked: Promise<Ack> };
  /** Delivers an envelope again with the same envelope_id (Slack does when an ack went missing). */
  redeliver(envelopeId: string): void;
  /** Every ack received, in order (a doubled ack shows up twice). */
  acks: Ack[];
  /** Every delivery made: envelope id and the connection it went out on. */
  deliveries: { envelopeId: string; connection: number }[];
  /** Asks the client on the open connection to reconnect. */
  disconnect(reason?: string): void;
  /** Envelopes sent and never acked. */
  unacked(): string[];
  close(): Promise<void>;
}

export async function startFakeSocketMode(slack: FakeSlack, options: { appId?: string } = {}): Promise<FakeSocketMode> {
  const appId = options.appId ?? "A111";
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const port = (wss.address() as AddressInfo).port;

  const envelopes = new Map<string, Envelope>();
  const waiters = new Map<string, (ack: Ack) => void>();
  const acked = new Set<string>();
  const acks: Ack[] = [];
  const deliveries: { envelopeId: string; connection: number }[] = [];
  const urlsIssued: string[] = [];
  const tokensSeen: string[] = [];
  const greeted = new Set<number>();
  const greetWaiters: { n: number; resolve: () => void }[] = [];
  /** Envelopes to deliver on the next connection (queued, or unacked on a closed one). */
  let queue: string[] = [];
  let current: { socket: WebSocket; n: number } | undefined;
  let count = 0;

  const deliver = (id: string) => {
    const envelope = envelopes.get(id)!;
    if (!current || current.socket.readyState !== current.socket.OPEN) {
      if (!queue.includes(id)) queue.push(id);
      return;
    }
    deliveries.push({ envelopeId: id, connection: current.n });
    current.socket.send(JSON.stringify(envelope));
  };

  const stopIssuing = slack.use((call) => {
    if (call.method !== "apps.connections.open") return undefined;
    tokensSeen.push(String(call.headers.authorization ?? "").replace(/^Bearer /, ""));
    const url = `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=${appId}`;
    urlsIssued.push(url);
    return { body: { ok: true, url } };
  });

  wss.on("connection", (socket) => {
    const n = ++count;
    current = { socket, n };
    socket.on("message", (data) => {
      let message: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      if (!message.envelope_id) return;
      const ack: Ack = { envelope_id: message.envelope_id, payload: message.payload, connection: n, at: Date.now() };
      acks.push(ack);
      acked.add(message.envelope_id);
      waiters.get(message.envelope_id)?.(ack);
      waiters.delete(message.envelope_id);
    });
    socket.on("close", () => {
      if (current?.socket === socket) current = undefined;
      // At least once: what this connection carried and nobody acked goes out again.
      for (const d of deliveries)
        if (d.connection === n && !acked.has(d.envelopeId) && !queue.includes(d.envelopeId)) queue.push(d.envelopeId);
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: appId },
      }),
    );
    greeted.add(n);
    for (const w of greetWaiters.filter((g) => g.n <= n)) w.resolve();
    const pending = queue;
    queue = [];
    for (const id of pending) {
      const e = envelopes.get(id)!;
      if (e.type === "events_api") {
        e.retry_attempt = (e.retry_attempt ?? 0) + 1;
        e.retry_reason = "timeout";
      }
      deliver(id);
    }
  });

  return {
    urlsIssued,
    tokensSeen,
    acks,
    deliveries,
    connectionCount: () => count,
    waitForConnection(n, timeoutMs = 20_000) {
      if (greeted.has(n)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`connection ${n} was not opened within ${timeoutMs} ms (have ${count})`)),
          timeoutMs,
        );
        greetWaiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    send(type, payload, opts = {}) {
      const envelopeId = opts.envelopeId ?? randomUUID();
      envelopes.set(envelopeId, {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: opts.acceptsResponsePayload ?? type !== "events_api",
        ...(type === "events_api" ? { retry_attempt: 0, retry_reason: "" } : {}),
      });
      const ackPromise = new Promise<Ack>((resolve) => waiters.set(envelopeId, resolve));
      deliver(envelopeId);
      return { envelopeId, acked: ackPromise };
    },
    redeliver(envelopeId) {
      const e = envelopes.get(envelopeId);
      if (!e) throw new Error(`no envelope ${envelopeId}`);
      if (e.type === "events_api") {
        e.retry_attempt = (e.retry_attempt ?? 0) + 1;
        e.retry_reason = "timeout";
      }
      deliver(envelopeId);
    },
    disconnect(reason = "refresh_requested") {
      current?.socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-fake" } }));
    },
    unacked: () => [...envelopes.keys()].filter((id) => !acked.has(id)),
    async close() {
      stopIssuing();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
