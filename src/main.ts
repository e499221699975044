// config -> database -> Slack app -> listeners -> jobs -> HTTP server.
// Shutdown runs the same path backwards and lets in-flight work finish first.
import { readFileSync } from "node:fs";
import type { AppContext } from "./app-context.js";
import { systemClock } from "./app-context.js";
import type { Config } from "./config.js";
import { openDatabase } from "./db/open.js";
import { createDatabaseProbe, healthRoute } from "./http/health.js";
import { ingestionRoutes } from "./http/ingestion-routes.js";
import { metricsRoute } from "./observability/metrics.js";
import { closeServer, createHttpServer, listen, type Route } from "./http/server.js";
import type { Logger } from "./log.js";
import { buildJobs } from "./jobs/index.js";
import { startScheduler } from "./jobs/scheduler.js";
import { nightlyRunFor } from "./jobs/score-accounts.js";
import { countOpenClaims } from "./services/open-claims.js";
import { seedDemoIfWanted } from "./services/seed-demo.js";
import { createSlackApp, type SlackApp } from "./slack/app.js";
import { createTerminalSlackPorts } from "./slack/local-slack-port.js";
import { createWebSlackPorts } from "./slack/slack-ports.js";

export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export interface RunningPulse {
  port: number;
  ctx: AppContext;
  stop(): Promise<void>;
  /** Resolves after a clean shutdown (signal or stop()). */
  stopped: Promise<void>;
}

export interface StartOptions {
  /** Extra HTTP routes (the ingestion API registers here). */
  routes?: (ctx: AppContext) => Route[];
  handleSignals?: boolean;
}

function localModeNotice(config: Config): string {
  const missing =
    config.slack.botToken === undefined
      ? "SLACK_BOT_TOKEN (and SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode)"
      : "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET";
  return (
    `No Slack connection configured: ${missing} not set.\n` +
    `Pulse runs in local mode: scheduled jobs run and what would be posted to Slack is printed here.\n` +
    `To connect a workspace, create an app from manifest.json and set the tokens (README: "Connect Slack").\n`
  );
}

export async function startPulse(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningPulse> {
  const database = await openDatabase(config, logger);
  let slack: SlackApp | undefined;
  try {
    // Posts go through the workspace's own client: its OAuth token, or the single token;
    // an inactive workspace's posts are refused there.
    const connected = Boolean(config.slack.botToken || config.slack.oauth);
    const slackPorts = connected ? createWebSlackPorts({ config, db: database.db }) : createTerminalSlackPorts();
    const ctx: AppContext = {
      config,
      db: database.db,
      databaseUrl: database.url,
      logger,
      slack: slackPorts,
      clock: systemClock,
    };

    // The notice first: in local mode the demo's first night prints the DMs it would send.
    if (config.slack.mode === "local") process.stdout.write(localModeNotice(config));
    await seedDemoIfWanted(ctx, { embedded: Boolean(database.embedded), nightly: nightlyRunFor(ctx, "seed-demo") });
    if (config.slack.mode !== "local") slack = createSlackApp(ctx);

    const probe = createDatabaseProbe(ctx.databaseUrl);
    const routes: Route[] = [
      healthRoute(probe, { version: VERSION, slackMode: config.slack.mode }),
      metricsRoute({ openClaims: () => countOpenClaims(ctx.db) }),
      ...ingestionRoutes(ctx),
      ...(options.routes?.(ctx) ?? []),
    ];
    const server = createHttpServer({ routes, logger, slackListener: slack?.requestListener });
    const port = await listen(server, config.port);
    await slack?.start();
    const scheduler = startScheduler(buildJobs(ctx), { db: ctx.db, databaseUrl: ctx.databaseUrl, logger });
    logger.info(
      { port, slackMode: config.slack.mode, embeddedDatabase: Boolean(database.embedded) },
      "Pulse is running",
    );

    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const timeoutMs = config.shutdownTimeoutMs;
        logger.info({ timeoutMs }, "shutting down: finishing in-flight work");
        const deadline = Date.now() + timeoutMs;
        const left = () => Math.max(0, deadline - Date.now());
        await scheduler.stop();
        await closeServer(server, timeoutMs);
        // Replies Slack is still owed and the jobs running now get what is left of the
        // timeout; whatever is still going then is dropped, by name.
        const [droppedWork, jobsFinished] = await Promise.all([
          slack?.drain(left()) ?? Promise.resolve([]),
          Promise.race([
            scheduler.idle().then(() => true),
            new Promise<false>((resolve) => setTimeout(() => resolve(false), left()).unref()),
          ]),
        ]);
        if (droppedWork.length)
          logger.warn(
            { dropped: droppedWork, count: droppedWork.length, timeoutMs },
            "shutdown: dropped work still waiting on Slack",
          );
        if (!jobsFinished)
          logger.warn(
            { timeoutMs },
            "shutdown: a scheduled job was still running; its run is closed as failed by the next start",
          );
        await slack?.stop().catch((error: unknown) => logger.warn({ err: error }, "Slack app did not stop cleanly"));
        await probe.close().catch(() => undefined);
        await database.close();
        logger.info("stopped");
        resolveStopped();
      })());

    if (options.handleSignals !== false) {
      const onSignal = (signal: NodeJS.Signals) => {
        logger.info({ signal }, "signal received");
        void stop().finally(() => process.exit(0));
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    }
    return { port, ctx, stop, stopped };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
