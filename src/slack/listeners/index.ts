// Registers every Slack listener. Listeners are thin: ack, parse, call a service, render.
// Each area adds a register*(app, ctx) call here.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../app-context.js";
import { SLASH_COMMAND } from "../ids.js";
import { registerChurnListeners } from "./churn/index.js";
import { pulseCommandCallback } from "./commands/pulse-command.js";

export function registerListeners(app: App, ctx: AppContext): void {
  app.command(SLASH_COMMAND, pulseCommandCallback(ctx));
  registerChurnListeners(app, ctx);
  app.error(async (error) => {
    ctx.logger.error({ err: error }, "unhandled Slack listener error");
  });
}
