// Slack mrkdwn escaping as a pure rule, so services that word a reply and the Block Kit
// builders in src/slack share one definition (src/slack/block-kit.ts re-exports it).
// https://docs.slack.dev/messaging/formatting-message-text#escaping

/** Slack mrkdwn needs &, < and > escaped in user-provided text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Slack's escaping undone, once: text arrives with &, < and > as entities (issue 15:
 * `/pulse account AT&T` searched for "AT&amp;T"). One pass, so "&amp;lt;" becomes "&lt;".
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === "amp" ? "&" : name === "lt" ? "<" : ">"));
}

/**
 * A message's markup as a person reads it: `<@U…>` as their name (or "@someone"),
 * `<#C…|name>` as "#name", `<url|label>` as "label (url)", `<!here>` as "@here". Runs on
 * text already unescaped; only Slack's own token shapes are read, so "<b>" stays as typed.
 */
export function slackMarkupToText(
  text: string,
  nameOf: (userId: string) => string | undefined = () => undefined,
): string {
  return text.replace(
    /<([@#!])([^<>|\s]+)(?:\|([^<>]*))?>|<((?:https?|mailto):[^<>|\s]+)(?:\|([^<>]*))?>/g,
    (token, sigil?: string, id?: string, label?: string, url?: string, urlLabel?: string) => {
      if (url !== undefined) {
        const shown = url.startsWith("mailto:") ? url.slice("mailto:".length) : url;
        return urlLabel && urlLabel !== shown && urlLabel !== url ? `${urlLabel} (${shown})` : shown;
      }
      if (sigil === "@") {
        const name = nameOf(id!) ?? label?.replace(/^@/, "");
        return name ? `@${name}` : "@someone";
      }
      if (sigil === "#") return label ? `#${label}` : "#a-channel";
      if (sigil === "!") {
        if (label) return label;
        if (["here", "channel", "everyone"].includes(id!)) return `@${id}`;
        return token;
      }
      return token;
    },
  );
}

/** The Slack user ids a message mentions, in order, each once. */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g)].map((m) => m[1]!))];
}
