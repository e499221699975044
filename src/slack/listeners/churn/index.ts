// Churn post-mortems and retrospectives: modals, buttons and thread replies.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { CALLBACK } from "../../ids.js";
import { actionItemSubmissionCallback } from "./action-item-submission.js";
import { postMortemSubmissionCallback } from "./post-mortem-submission.js";
import { registerRetroButtons } from "./retro-buttons.js";
import { retroReplyEventCallback } from "./retro-reply-event.js";

export function registerChurnListeners(app: App, ctx: AppContext): void {
  app.view(CALLBACK.churnPostMortem, postMortemSubmissionCallback(ctx));
  app.view(CALLBACK.retroActionItem, actionItemSubmissionCallback(ctx));
  registerRetroButtons(app, ctx);
  app.event("message", retroReplyEventCallback(ctx));
}
