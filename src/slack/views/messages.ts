// Renders the plain view models services hand to the Slack port (src/services/message-views.ts)
// with the view builders, so Block Kit is only ever built in src/slack. Every port
// implementation (Web API, local mode, tests' recorder) renders through here.
import type { MessageView } from "../../services/message-views.js";
import type { MessageBody, MessageContent, OutgoingMessage, RenderedMessage } from "../../services/slack-port.js";
import { channelLinkSuggestionMessage } from "./channel-link-suggestion.js";
import { digestBlocks } from "./digest.js";
import { playbookTasksMessage } from "./playbook-tasks.js";
import {
  retroActionItemDm,
  retroActionItemPostedMessage,
  retroHealthMessage,
  retroParentMessage,
  retroSummaryMessage,
  retroSurveysMessage,
  retroTasksMessage,
  retroTouchpointsMessage,
} from "./retro-thread.js";
import { stageSuggestionsMessage } from "./stage-suggestions.js";
import { accountReassignedMessage } from "./tasks.js";

export function renderMessageView(view: MessageView): MessageContent {
  switch (view.kind) {
    case "digest":
      return digestBlocks(view.content, { title: view.title, now: view.now, subscriptionId: view.subscriptionId });
    case "playbook-tasks":
      return playbookTasksMessage(view.tasks);
    case "account-reassigned":
      return accountReassignedMessage(view);
    case "stage-suggestions":
      return stageSuggestionsMessage(view.suggestions);
    case "channel-link-suggestion":
      return channelLinkSuggestionMessage(view);
    case "retro-parent":
      return retroParentMessage(view.event);
    case "retro-health":
      return retroHealthMessage(view.evidence, view.chart);
    case "retro-touchpoints":
      return retroTouchpointsMessage(view.evidence);
    case "retro-surveys":
      return retroSurveysMessage(view.evidence);
    case "retro-tasks":
      return retroTasksMessage(view.evidence);
    case "retro-summary":
      return retroSummaryMessage(view.summary);
    case "retro-action-item-posted":
      return retroActionItemPostedMessage(view.item);
    case "retro-action-item-dm":
      return retroActionItemDm(view.item);
  }
}

export function renderBody(body: MessageBody): MessageContent {
  return "view" in body
    ? renderMessageView(body.view)
    : { text: body.text, ...(body.blocks ? { blocks: body.blocks } : {}) };
}

/** The message with its view model (if any) rendered; target fields kept as they are. */
export function renderOutgoing(message: OutgoingMessage): RenderedMessage {
  const { channel, threadTs, metadata } = message;
  return { channel, ...(threadTs ? { threadTs } : {}), ...(metadata ? { metadata } : {}), ...renderBody(message) };
}
