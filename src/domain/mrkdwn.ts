// Slack mrkdwn escaping as a pure rule, so services that word a reply and the Block Kit
// builders in src/slack share one definition (src/slack/block-kit.ts re-exports it).
// https://docs.slack.dev/messaging/formatting-message-text#escaping

/** Slack mrkdwn needs &, < and > escaped in user-provided text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
