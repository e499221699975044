// Drives Pulse's Slack surface end to end: a real Bolt app in HTTP mode behind Pulse's
// HTTP server, on a loopback port, receiving requests signed exactly as Slack signs them.
// Slack's Web API is a nock scope on SLACK_API_BASE; nothing leaves the machine.
import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import nock from "nock";
import type { AppContext } from "../../src/app-context.js";
import { parseConfig } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { closeServer, createHttpServer, listen } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { createSlackApp, type SlackApp } from "../../src/slack/app.js";
import type { View } from "@slack/types";
import type {
  ChannelInfo,
  OutgoingMessage,
  PrivateDocument,
  RenderedMessage,
  SlackPort,
  SlackPorts,
  TeamInfo,
} from "../../src/services/slack-port.js";
import { renderBody, renderOutgoing } from "../../src/slack/views/messages.js";

export const SLACK_API_ORIGIN = "http://slack.test";
export const SLACK_API_BASE = `${SLACK_API_ORIGIN}/api/`;
export const SIGNING_SECRET = "8f742231b10e8888abcd99aaabbb85a5";
export const BOT_TOKEN = "xoxb-1111-2222-testtoken";

export function sign(
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

export type RecordedPost = RenderedMessage & { workspaceId: number };

/** Records what jobs and services would post or DM (a DM's channel is the user id), for assertions. */
export class RecordingSlack implements SlackPorts {
  readonly posts: RecordedPost[] = [];
  readonly homes: { workspaceId: number; userSlackId: string; view: View }[] = [];
  readonly documents: (PrivateDocument & { workspaceId: number })[] = [];
  /** What users.info answers for a person (email, name); unknown people have no profile. */
  readonly profiles = new Map<string, { email?: string; name?: string }>();
  /** What conversations.info and team.info answer (a shared channel and its organisation); unknown: undefined. */
  readonly channels = new Map<string, ChannelInfo>();
  readonly teams = new Map<string, TeamInfo>();
  forWorkspace(workspaceId: number): SlackPort {
    // Recorded as Slack would receive it: view models rendered by the same builders.
    const record = (message: OutgoingMessage) => {
      this.posts.push({ ...message, ...renderOutgoing(message), workspaceId });
      return { channel: message.channel, ts: `${1700000000 + this.posts.length}.000100` };
    };
    return {
      post: async (message) => record(message),
      dm: async (userSlackId, message) => record({ ...renderBody(message), channel: userSlackId }),
      ephemeral: async (message) => void record(message),
      updateMessage: async (message) => void record(message),
      publishHome: async (userSlackId, view) => void this.homes.push({ workspaceId, userSlackId, view }),
      openView: async () => ({ viewId: "VRECORDED" }),
      pushView: async () => ({ viewId: "VRECORDED" }),
      updateView: async () => undefined,
      uploadPng: async () => ({ uploaded: false, reason: "recording" }),
      findPost: async () => undefined,
      dmFile: async () => undefined,
      deliverPrivateDocument: async (doc) => {
        this.documents.push({ ...doc, workspaceId });
        return { kind: "canvas" as const, ref: `FRECORDED${this.documents.length}` };
      },
      userTimeZone: async () => undefined,
      userProfile: async (userSlackId) => this.profiles.get(userSlackId),
      channelInfo: async (channel) => this.channels.get(channel),
      teamInfo: async (teamId) => this.teams.get(teamId),
      permalink: async () => undefined,
      assertInternalChannel: async () => undefined,
    };
  }
}

export interface SlackTestApp {
  baseUrl: string;
  /** The Bolt app, for tests that add a listener of their own. */
  app: SlackApp["app"];
  /** Called each time a request is done, its error reply included. */
  onRequestSettled(hook: () => void): void;
  ctx: AppContext;
  /** What jobs and services sent through ctx.slack. */
  notifier: RecordingSlack;
  /** POST a signed slash command; returns the HTTP response (the ack). */
  command(
    fields: {
      text: string;
      user_id?: string;
      team_id?: string;
      channel_id?: string;
      command?: string;
      trigger_id?: string;
      response_url?: string;
    },
    opts?: RequestOptions,
  ): Promise<Response>;
  /** POST a signed interactivity payload (block_actions, view_submission, shortcut, …). */
  interaction(payload: Record<string, unknown>, opts?: RequestOptions): Promise<Response>;
  /** POST a signed Events API envelope. */
  event(envelope: Record<string, unknown>, opts?: RequestOptions): Promise<Response>;
  /** Resolves once no request's listeners are still running (Bolt answers before they end). */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface RequestOptions {
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

export interface StartSlackTestAppOptions {
  db: Db;
  databaseUrl: string;
  clock?: () => Date;
  env?: Record<string, string>;
  /** Team the bot token belongs to (auth.test answers with it). */
  teamId?: string;
}

/**
 * Answers conversations.info for every channel as internal to the workspace (not shared
 * with another organisation), so the port's shared-channel guard lets posts through.
 */
export function nockInternalChannels(): nock.Scope {
  return nock(SLACK_API_ORIGIN)
    .persist()
    .post("/api/conversations.info")
    .reply(200, (_uri, body) => ({
      ok: true,
      channel: { id: new URLSearchParams(String(body)).get("channel") ?? "C000", is_ext_shared: false },
    }));
}

/** Replies to auth.test (Bolt calls it to learn the bot's ids) for as long as the test runs, and to conversations.info (internal channels). */
export function nockAuthTest(teamId = "T111"): nock.Scope {
  nockInternalChannels();
  return nock(SLACK_API_ORIGIN).persist().post("/api/auth.test").reply(200, {
    ok: true,
    url: "https://test.slack.com/",
    team: "Test",
    user: "pulse",
    team_id: teamId,
    user_id: "UBOT",
    bot_id: "BBOT",
  });
}

let triggerSeq = 0;

export async function startSlackTestApp(options: StartSlackTestAppOptions): Promise<SlackTestApp> {
  const config = parseConfig({
    DATABASE_URL: options.databaseUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: SLACK_API_BASE,
    PORT: "0",
    PULSE_SEED_DEMO: "never",
    ...options.env,
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const notifier = new RecordingSlack();
  const ctx: AppContext = {
    config,
    db: options.db,
    databaseUrl: options.databaseUrl,
    logger,
    slack: notifier,
    clock: options.clock ?? (() => new Date()),
  };
  // Bolt calls auth.test as soon as the app is built: answer it from the start.
  nockAuthTest(options.teamId);
  const slack = createSlackApp(ctx);
  const server = createHttpServer({ routes: [], logger, slackListener: slack.requestListener });
  const port = await listen(server, 0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port ?? port}`;

  const post = (body: string, contentType: string, opts: RequestOptions = {}) =>
    fetch(`${baseUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": contentType, ...sign(body, opts.timestamp, opts.secret), ...opts.headers },
      body,
    });

  return {
    baseUrl,
    app: slack.app,
    onRequestSettled: (hook) => slack.onRequestSettled(hook),
    ctx,
    notifier,
    command(fields, opts) {
      const body = new URLSearchParams({
        token: "legacy",
        team_id: fields.team_id ?? "T111",
        team_domain: "test",
        channel_id: fields.channel_id ?? "C111",
        channel_name: "cs-team",
        user_id: fields.user_id ?? "U111",
        user_name: "csm",
        command: fields.command ?? "/pulse",
        text: fields.text,
        response_url: fields.response_url ?? `${SLACK_API_ORIGIN}/commands/${fields.team_id ?? "T111"}/1/response`,
        // Slack makes a new trigger_id for every invocation; a repeat of one is a replay.
        trigger_id: fields.trigger_id ?? `111.222.${++triggerSeq}`,
        api_app_id: "A111",
      }).toString();
      return post(body, "application/x-www-form-urlencoded", opts);
    },
    interaction(payload, opts) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return post(body, "application/x-www-form-urlencoded", opts);
    },
    event(envelope, opts) {
      return post(JSON.stringify(envelope), "application/json", opts);
    },
    async idle(timeoutMs = 10_000) {
      await eventually(() => slack.inFlight() === 0, timeoutMs);
    },
    async close() {
      // Work Bolt still runs after acknowledging must not outlive the app (and its database).
      await eventually(() => slack.inFlight() === 0).catch(() => undefined);
      await slack.stop();
      await closeServer(server);
    },
  };
}

/** Polls until `check` returns a truthy value (Bolt finishes work after acking). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw last instanceof Error ? last : new Error("condition not met in time");
}

/**
 * Records every POST Pulse makes to `path` on the fake Slack host (a slash command's or a
 * block action's response_url), in order. Persistent: one capture per path per test.
 */
export function captureReplies(path: string | RegExp = "/commands/T111/1/response"): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(path, (body: Record<string, unknown>) => {
      bodies.push(body);
      return true;
    })
    .reply(200, { ok: true });
  return bodies;
}
