// Inbound text, unescaped once at the edge. Slack sends &, < and > as &amp;, &lt; and &gt;
// in every text a person typed; left alone, `/pulse account AT&T` searched for
// "AT&amp;T" (issue 15), and a note saved "&amp;" for every "&". Listeners get the text as
// typed; whatever Pulse writes back to Slack is escaped again where it is rendered.
import { unescapeSlackText } from "../../domain/mrkdwn.js";

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

function unescapeField(holder: unknown, key: string): void {
  if (isObject(holder) && typeof holder[key] === "string") holder[key] = unescapeSlackText(holder[key] as string);
}

/**
 * Unescapes, in place, the texts of a payload Bolt hands to listeners (they read the same
 * objects): a command's text, an event's text (messages, mentions), a message shortcut's
 * message, a type-ahead's typed value, and a modal's typed inputs.
 */
export function unescapeIncomingText(body: Loose): void {
  if (typeof body.command === "string") unescapeField(body, "text");
  if (isObject(body.event)) unescapeField(body.event, "text");
  if (body.type === "message_action") unescapeField(body.message, "text");
  if (body.type === "block_suggestion") unescapeField(body, "value");
  const view = body.view;
  if ((body.type === "view_submission" || body.type === "block_actions") && isObject(view) && isObject(view.state)) {
    const values = view.state.values;
    if (!isObject(values)) return;
    for (const block of Object.values(values)) {
      if (!isObject(block)) continue;
      for (const input of Object.values(block)) {
        if (isObject(input) && input.type === "plain_text_input") unescapeField(input, "value");
      }
    }
  }
}
