// Trust listeners: event de-duplication (in front of Bolt, before the delivery is
// acknowledged and before any area's event listener) and the workspace lifecycle events.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { claimEventsBeforeAck } from "./dedupe-events.js";
import { workspaceLifecycleCallback } from "./workspace-lifecycle.js";

export function registerTrustListeners(app: App, ctx: AppContext): void {
  claimEventsBeforeAck(app, ctx);
  app.event("app_uninstalled", workspaceLifecycleCallback(ctx));
  app.event("tokens_revoked", workspaceLifecycleCallback(ctx));
}
