// The DM asking whether a shared channel Pulse was added to is an account's: Link it / Not now.
import type { ChannelLinkSuggestionView } from "../../services/message-views.js";
import { actions, button, context, escapeMrkdwn, section, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";

const BY: Record<ChannelLinkSuggestionView["matchedBy"], string> = {
  "email domain": "its email domain is the account's domain",
  name: "its name matches the account's",
  "channel name": "the channel's name matches the account's",
};

export function channelLinkSuggestionMessage(v: ChannelLinkSuggestionView): { text: string; blocks: Block[] } {
  const account = escapeMrkdwn(v.accountName);
  const channelName = escapeMrkdwn(v.channelName ? `#${v.channelName}` : "A shared channel");
  const text = `${channelName} looks like ${account} — link it?`;
  const org = v.organisationName ? `Shared with *${escapeMrkdwn(v.organisationName)}*: ` : "";
  return {
    text,
    blocks: [
      section(`:link: <#${v.channelId}> looks like *${account}* — link it?`),
      context([
        `${org}${BY[v.matchedBy]}. Linking makes the channel evidence for the account: message counts, response times, who joins or leaves, never what anyone wrote. Pulse never posts in the channel.`,
      ]),
      actions([
        button("Link it", ACTION.channelLinkAccept, v.channelId, "primary"),
        button("Not now", ACTION.channelLinkDismiss, v.channelId),
      ]),
    ],
  };
}
