// Registers every Slack listener. Listeners are thin: ack, parse, call a service, render.
// Who is asking and what a failure looks like are handled once, by the first middleware.
// Each area adds a register*(app, ctx) call here.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../app-context.js";
import { SLASH_COMMAND } from "../ids.js";
import { routeListenersById } from "../listener-router.js";
import { pulseRequestMiddleware, type PulseRequestDeps } from "../middleware/pulse-request.js";
import { registerChurnListeners } from "./churn/index.js";
import { pulseCommandCallback } from "./commands/pulse-command.js";
import { registerDigestActionListeners } from "./actions/digest.js";
import { registerEraseContactActionListeners } from "./actions/erase-contact.js";
import { registerActionListeners } from "./actions/index.js";
import { registerStageActionListeners } from "./actions/stages.js";
import { registerChannelLinkActionListeners } from "./actions/channel-links.js";
import { registerModelActionListeners } from "./actions/model.js";
import { registerTaskActionListeners } from "./actions/tasks.js";
import { registerContactActionListeners } from "./actions/contacts.js";
import { registerChannelListeners } from "./events/channels.js";
import { registerEventListeners } from "./events/index.js";
import { registerImportListeners } from "./imports/index.js";
import { registerPlanListeners } from "./plans/index.js";
import { registerShortcutListeners } from "./shortcuts/index.js";
import { registerViewListeners } from "./views/submissions.js";
import { registerTrustListeners } from "./trust/index.js";

export function registerListeners(bolt: App, ctx: AppContext, deps: PulseRequestDeps): void {
  const app = routeListenersById(bolt);
  app.use(pulseRequestMiddleware(ctx, deps));
  registerTrustListeners(app, ctx);
  app.command(SLASH_COMMAND, pulseCommandCallback(ctx));
  registerViewListeners(app, ctx);
  registerActionListeners(app, ctx);
  registerDigestActionListeners(app, ctx);
  registerTaskActionListeners(app, ctx);
  registerContactActionListeners(app, ctx);
  registerStageActionListeners(app, ctx);
  registerChannelLinkActionListeners(app, ctx);
  registerModelActionListeners(app, ctx);
  registerEraseContactActionListeners(app, ctx);
  registerShortcutListeners(app, ctx);
  registerEventListeners(app, ctx);
  registerChannelListeners(app, ctx);
  registerImportListeners(app, ctx);
  registerChurnListeners(app, ctx);
  registerPlanListeners(app, ctx);
  // Only what the middleware's translator could not handle arrives here.
  app.error(async (error) => {
    ctx.logger.error({ err: error }, "unhandled Slack listener error");
  });
}
