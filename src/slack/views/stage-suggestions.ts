// The owner's DM of nightly lifecycle stage suggestions, each with Move and Dismiss buttons.
import type { StageSuggestionRow } from "../../services/message-views.js";
import { actions, button, escapeMrkdwn, section, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";

// Slack allows 50 blocks in a message; two per suggestion plus the heading.
const MAX_SHOWN = 20;

export function stageSuggestionsMessage(suggestions: StageSuggestionRow[]): { text: string; blocks: Block[] } {
  const text = `:seedling: ${suggestions.length} lifecycle stage change${suggestions.length === 1 ? "" : "s"} suggested for your accounts`;
  const blocks: Block[] = [
    section(`*${text}*`),
    ...suggestions
      .slice(0, MAX_SHOWN)
      .flatMap((s) => [
        section(`*${escapeMrkdwn(s.accountName)}*: ${s.from} → *${s.to}* — ${escapeMrkdwn(s.reason)}`),
        actions([
          button(`Move to ${s.to}`, ACTION.stageConfirm, String(s.signalId), "primary"),
          button("Dismiss", ACTION.stageDismiss, String(s.signalId)),
        ]),
      ]),
  ];
  return { text, blocks };
}
