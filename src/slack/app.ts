// Builds the Bolt app for the configured mode. Socket Mode when an app-level token is
// present (no public URL needed), else HTTP mode, where Slack's requests arrive through
// Pulse's own HTTP server (see src/http/server.ts) via the receiver's request listener.
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import type { AppContext } from "../app-context.js";
import { guardSlackRequests } from "../http/slack-request-guard.js";
import type { Logger } from "../log.js";
import type { WebClient } from "@slack/web-api";
import { AppError } from "../errors.js";
import { boltClientOptions, createWebClient, DEFAULT_CALL_POLICY } from "./client.js";
import type { PulseRequestDeps } from "./middleware/pulse-request.js";
import { processAckGate } from "./ack-gate.js";
import { ChannelGuardCache, createWebSlackPort } from "./slack-port.js";
import { BOT_SCOPES, createInstallationStore } from "./installation-store.js";
import { registerListeners } from "./listeners/index.js";
import { createPendingWork, trackDeliveries } from "./pending-work.js";
import { adoptDemoWorkspace } from "../services/workspace-users.js";
import { tokenCipherFor } from "./workspace-clients.js";

export const SLACK_EVENTS_PATH = "/slack/events";
export const SLACK_INSTALL_PATH = "/slack/install";
export const SLACK_OAUTH_REDIRECT_PATH = "/slack/oauth_redirect";

export interface SlackApp {
  app: App;
  /** Set in HTTP mode: mount under /slack/ on Pulse's HTTP server. */
  requestListener?: RequestListener;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Waits, at most `timeoutMs`, for work listeners still do after acknowledging Slack
   * (replies, confirmations, posts); resolves with what was still running.
   */
  drain(timeoutMs: number): Promise<string[]>;
  /** Requests whose listeners, and error replies, are still running. */
  inFlight(): number;
  /** Called each time a request is done, its error reply included. */
  onRequestSettled(hook: () => void): void;
}

/** Bolt's logger interface, backed by Pulse's structured logger. */
function boltLogger(logger: Logger) {
  const child = logger.child({ component: "bolt" });
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(" ")),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(" ")),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(" ")),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(" ")),
    setLevel: (l: typeof level) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * In single-workspace mode, the team the bot token belongs to adopts the demo portfolio
 * when that is all this Pulse holds, so a new install shows the demo in Slack at once.
 */
async function adoptDemoForBotTeam(app: App, ctx: AppContext): Promise<void> {
  // With OAuth installs there is no single bot team to adopt it.
  if (ctx.config.slack.oauth || !ctx.config.slack.botToken) return;
  try {
    const auth = await app.client.auth.test({ token: ctx.config.slack.botToken });
    if (auth.team_id && (await adoptDemoWorkspace(ctx.db, auth.team_id, auth.team ?? auth.team_id))) {
      ctx.logger.info({ teamId: auth.team_id }, "the connected Slack workspace adopted the demo portfolio");
    }
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not check the bot's workspace (auth.test)");
  }
}

/**
 * Each request's Slack port acts with the token Bolt authorised it with; clients are kept
 * per token (one for a single-workspace install), all under the bounded call policy.
 */
function requestPorts(ctx: AppContext): PulseRequestDeps {
  const guard = new ChannelGuardCache();
  const clients = new Map<string, WebClient>();
  const policy = { ...DEFAULT_CALL_POLICY, timeoutMs: ctx.config.slack.callTimeoutMs };
  const clientFor = (token: string | undefined): WebClient => {
    if (!token)
      throw new AppError("NOT_INSTALLED", "request without a bot token", "Pulse is not installed in this workspace.");
    let client = clients.get(token);
    if (!client) {
      if (clients.size >= 1000) clients.delete(clients.keys().next().value!);
      clients.set(token, (client = createWebClient(token, { apiUrl: ctx.config.slack.apiUrl, policy })));
    }
    return client;
  };
  return {
    portFor: (context, teamId) =>
      createWebSlackPort({ client: () => clientFor(context.botToken), scope: teamId, guard }),
  };
}

function requestTracking() {
  let running = 0;
  const hooks: (() => void)[] = [];
  return {
    deps: {
      onStart: () => void running++,
      onSettled: () => {
        running--;
        for (const hook of hooks) hook();
      },
    },
    api: { inFlight: () => running, onRequestSettled: (hook: () => void) => void hooks.push(hook) },
  };
}

/** Each request counts as awaiting its ack until its answer is sent (ack-gate.ts). */
type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

// Both apps are built with `convoStore: false`: Pulse keeps no conversation state in Bolt,
// and the store's middleware ran for every request.
function countedUntilAnswered(listener: RequestListener): RequestListener {
  return (req, res) => {
    const answered = processAckGate.enter();
    res.once("finish", answered);
    res.once("close", answered);
    listener(req, res);
  };
}

export function createSlackApp(ctx: AppContext): SlackApp {
  const { slack } = ctx.config;
  const clientOptions = boltClientOptions(slack.apiUrl, { ...DEFAULT_CALL_POLICY, timeoutMs: slack.callTimeoutMs });
  const tracking = requestTracking();
  const ports = { ...requestPorts(ctx), ...tracking.deps };
  const logger = boltLogger(ctx.logger);
  const pending = createPendingWork();
  const drain = (timeoutMs: number) => pending.drain(timeoutMs);
  if (slack.mode === "socket") {
    const app = new App({
      token: slack.botToken,
      appToken: slack.appToken,
      socketMode: true,
      clientOptions,
      logger,
      convoStore: false,
    });
    registerListeners(app, ctx, ports);
    trackDeliveries(app, pending);
    return {
      app,
      drain,
      ...tracking.api,
      start: async () => {
        await app.start();
        void adoptDemoForBotTeam(app, ctx);
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  if (slack.mode === "http") {
    // OAuth installs: Bolt serves the install page and the redirect, and authorizes every
    // request through the installation store; otherwise the single workspace's token.
    const oauth = slack.oauth
      ? {
          clientId: slack.oauth.clientId,
          clientSecret: slack.oauth.clientSecret,
          stateSecret: slack.oauth.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: createInstallationStore(ctx, tokenCipherFor(ctx.config)),
          installerOptions: {
            installPath: SLACK_INSTALL_PATH,
            redirectUriPath: SLACK_OAUTH_REDIRECT_PATH,
            directInstall: false,
            clientOptions,
          },
        }
      : {};
    const receiver = new HTTPReceiver({
      signingSecret: slack.signingSecret!,
      endpoints: [SLACK_EVENTS_PATH],
      processBeforeResponse: false,
      // Verified once, by guardSlackRequests in front of this receiver (which also refuses
      // timestamps from the future, as Bolt does not): a second HMAC per request is waste.
      // requestListener below is the only way in.
      signatureVerification: false,
      logger,
      ...oauth,
    });
    const app = new App({
      ...(slack.oauth ? {} : { token: slack.botToken }),
      receiver,
      clientOptions,
      logger,
      convoStore: false,
    });
    registerListeners(app, ctx, ports);
    trackDeliveries(app, pending);
    return {
      app,
      drain,
      ...tracking.api,
      requestListener: countedUntilAnswered(
        guardSlackRequests(receiver.requestListener, {
          signingSecret: slack.signingSecret!,
          logger: ctx.logger,
          eventsPath: SLACK_EVENTS_PATH,
        }),
      ),
      // In the background: a slow or unreachable Slack must not hold up the start.
      start: async () => void adoptDemoForBotTeam(app, ctx),
      stop: async () => undefined,
    };
  }
  throw new Error("createSlackApp called in local mode");
}
