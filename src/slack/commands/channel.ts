// `/pulse channel link|unlink|list`: customer channels as evidence for an account. Linking
// reads the channel's events; it never lets Pulse post there (the shared-channel guard).
import { AppError } from "../../errors.js";
import { linkChannel, listChannelLinks, unlinkChannel } from "../../services/channel-links.js";
import { escapeMrkdwn } from "../block-kit.js";
import { formatDay } from "../views/format.js";
import { oneAccountOrReply } from "./account-query.js";
import type { Subcommand } from "./types.js";

const LINK_USAGE = "/pulse channel link #channel <account>";

export const channelLinkSubcommand: Subcommand = {
  name: "channel link",
  usage: LINK_USAGE,
  summary: "read a customer's shared channel as evidence for the account (admins and the account's owner)",
  examples: ["/pulse channel link #acme-shared acme"],
  details: [
    "Pulse counts messages, questions, response times, reactions and who joins or leaves; it never stores what anyone wrote.",
    "Linking never lets Pulse post into the channel: a channel shared with another organisation stays off limits.",
    "Invite @Pulse to the channel (`/invite @Pulse`) so Slack sends it the channel's events.",
  ],
  writes: true,
  async run({ ctx, workspace, user, args, respond, requestId }) {
    const [channelText, ...rest] = args;
    const query = rest.join(" ").trim();
    if (!channelText || !query)
      throw new AppError(
        "INVALID_INPUT",
        "channel link needs a channel and an account",
        `Name the channel and the account, e.g. \`/pulse channel link #acme-shared acme\`.`,
      );
    const account = await oneAccountOrReply({ ctx, workspace, respond }, query, {
      noneSuffix: "; nothing linked",
      many: "Several accounts match; say which, then link again.",
    });
    if (!account) return;
    const r = await linkChannel(ctx.db, {
      workspaceId: workspace.id,
      actor: user,
      channelText,
      accountId: account.id,
      requestId,
    });
    await respond({
      text: r.alreadyLinked
        ? `<#${r.channelId}> is already linked to *${escapeMrkdwn(r.accountName)}*.`
        : `<#${r.channelId}> is now evidence for *${escapeMrkdwn(r.accountName)}*: messages, response times and who joins or leaves count, what people write is never stored. Invite @Pulse there (\`/invite @Pulse\`) if it is not in it yet.`,
    });
  },
};

export const channelUnlinkSubcommand: Subcommand = {
  name: "channel unlink",
  usage: "/pulse channel unlink #channel",
  summary: "stop reading a channel as evidence (admins and the account's owner)",
  examples: ["/pulse channel unlink #acme-shared"],
  writes: true,
  async run({ ctx, workspace, user, args, respond, requestId }) {
    const r = await unlinkChannel(ctx.db, {
      workspaceId: workspace.id,
      actor: user,
      channelText: args[0] ?? "",
      requestId,
    });
    await respond({ text: `<#${r.channelId}> is no longer linked to *${escapeMrkdwn(r.accountName)}*.` });
  },
};

export const channelListSubcommand: Subcommand = {
  name: "channel list",
  usage: "/pulse channel list",
  summary: "the customer channels linked to accounts",
  async run({ ctx, workspace, respond }) {
    const links = await listChannelLinks(ctx.db, workspace.id);
    if (!links.length) {
      await respond({ text: `No channel is linked yet. Link one with \`${LINK_USAGE}\`.` });
      return;
    }
    const lines = links.map(
      (l) =>
        `• <#${l.channelId}> → *${escapeMrkdwn(l.accountName)}* (linked by <@${l.linkedBySlackId}> on ${formatDay(l.linkedAt)})${l.endedReason ? ` — ${l.endedReason} by the customer` : ""}`,
    );
    await respond({ text: `Linked customer channels (${links.length}):\n${lines.join("\n")}` });
  },
};

export const channelSubcommands: Subcommand[] = [channelLinkSubcommand, channelUnlinkSubcommand, channelListSubcommand];
