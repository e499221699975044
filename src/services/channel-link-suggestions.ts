// The link suggestion: when Pulse is added to a channel shared with another organisation
// (it joined, or a channel it is in became shared) and nobody linked the channel yet, the
// organisation Slack names is matched to the workspace's accounts (domain/channel-link-match)
// and one person is asked, privately, "#acme-shared looks like Acme Labs — link it?". Never
// in the channel itself: the customer is in it, and the shared-channel guard refuses anyway.
//
// One suggestion per channel, ever: the row is claimed before the DM, so a redelivered event
// (or channel_shared after the join) asks nothing twice, and "Not now" is remembered.
import type { AppContext } from "../app-context.js";
import { matchAccountToOrganisation, type OrganisationEvidence } from "../domain/channel-link-match.js";
import { escapeMrkdwn } from "../domain/mrkdwn.js";
import { AppError } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import { channelSettingsFor } from "./channel-signals.js";
import { linkChannel } from "./channel-links.js";
import type { SlackPort } from "./slack-port.js";

type Ctx = Pick<AppContext, "db" | "logger" | "clock">;

export type SuggestionOutcome =
  | { suggested: true; accountId: number; toSlackId: string }
  | {
      suggested: false;
      why:
        | "signals off"
        | "linked"
        | "already suggested"
        | "not shared"
        | "no match"
        | "ambiguous"
        | "nobody to ask"
        | "dm failed";
    };

/** What the channel's external organisation is, as far as Slack tells this workspace. */
async function organisationOf(
  ctx: Ctx,
  slack: SlackPort,
  ourTeamId: string,
  teamIds: string[],
  channelName: string | undefined,
): Promise<OrganisationEvidence & { teamId?: string }> {
  const external = teamIds.filter((t) => t !== ourTeamId);
  // One external organisation is the customer; several (a channel shared three ways) is not one account's.
  const teamId = external.length === 1 ? external[0] : undefined;
  const team = teamId
    ? await slack.teamInfo(teamId).catch((error: unknown) => {
        // Without team:read (an install from before it was asked for) the channel's name is all there is.
        ctx.logger.info({ err: error }, "could not read the external organisation of a shared channel");
        return undefined;
      })
    : undefined;
  return {
    ...(teamId ? { teamId } : {}),
    teamName: team?.name ?? null,
    teamDomain: team?.domain ?? null,
    emailDomain: team?.emailDomain ?? null,
    channelName: channelName ?? null,
  };
}

/**
 * Pulse joined a channel (inviterSlackId: who added it, when Slack says) or a channel it is
 * in became shared: ask about linking it, once, if it looks like exactly one account.
 */
export async function suggestChannelLink(
  ctx: Ctx,
  slack: SlackPort,
  input: { slackTeamId: string; channelId: string; inviterSlackId?: string },
): Promise<SuggestionOutcome> {
  const settings = await channelSettingsFor(ctx.db, input.slackTeamId);
  if (!settings?.channelSignals) return { suggested: false, why: "signals off" };
  const { workspaceId } = settings;
  const key = { workspaceId_channelId: { workspaceId, channelId: input.channelId } };
  if (await ctx.db.channelLink.findUnique({ where: key, select: { accountId: true } }))
    return { suggested: false, why: "linked" };
  if (await ctx.db.channelLinkSuggestion.findUnique({ where: key, select: { accountId: true } }))
    return { suggested: false, why: "already suggested" };

  const channel = await slack.channelInfo(input.channelId);
  if (!channel?.externallyShared) return { suggested: false, why: "not shared" };
  const org = await organisationOf(ctx, slack, input.slackTeamId, channel.teamIds, channel.name);
  const accounts = await ctx.db.account.findMany({
    where: { workspaceId, status: "active" },
    select: { id: true, name: true, domain: true, owner: { select: { slackUserId: true } } },
  });
  const match = matchAccountToOrganisation(org, accounts);
  if (match.kind !== "one") return { suggested: false, why: match.kind === "none" ? "no match" : "ambiguous" };
  const account = match.account;

  // The person who added Pulse, when Pulse knows them as one of this workspace's users (an
  // inviter from the customer's side must not learn what the vendor calls them); else the owner.
  const inviter = input.inviterSlackId
    ? await ctx.db.user.findUnique({
        where: { workspaceId_slackUserId: { workspaceId, slackUserId: input.inviterSlackId } },
        select: { slackUserId: true },
      })
    : null;
  const toSlackId = inviter?.slackUserId ?? account.owner?.slackUserId;
  if (!toSlackId) return { suggested: false, why: "nobody to ask" };

  const claimed = await ctx.db.channelLinkSuggestion.createMany({
    data: [
      {
        workspaceId,
        channelId: input.channelId,
        accountId: account.id,
        channelName: channel.name ?? null,
        externalTeamId: org.teamId ?? null,
        suggestedToSlackId: toSlackId,
        suggestedAt: ctx.clock(),
      },
    ],
    skipDuplicates: true,
  });
  if (claimed.count !== 1) return { suggested: false, why: "already suggested" };
  try {
    await slack.dm(toSlackId, {
      view: {
        kind: "channel-link-suggestion",
        channelId: input.channelId,
        channelName: channel.name ?? null,
        accountName: account.name,
        organisationName: org.teamName ?? null,
        matchedBy: match.by,
      },
    });
  } catch (error) {
    // Nobody was asked: the next event about the channel may ask again.
    await ctx.db.channelLinkSuggestion.deleteMany({ where: { workspaceId, channelId: input.channelId } });
    ctx.logger.warn({ err: error, workspaceId }, "could not DM a channel link suggestion");
    return { suggested: false, why: "dm failed" };
  }
  return { suggested: true, accountId: account.id, toSlackId };
}

/** "Link it" (with linkChannel's rule: admins and the account's owner) or "Not now" (remembered). */
export async function answerChannelLinkSuggestion(
  ctx: Pick<AppContext, "db" | "clock">,
  input: { workspaceId: number; actor: User; channelId: string; link: boolean; requestId?: string },
): Promise<{ text: string }> {
  const key = { workspaceId_channelId: { workspaceId: input.workspaceId, channelId: input.channelId } };
  const suggestion = await ctx.db.channelLinkSuggestion.findUnique({
    where: key,
    include: { account: { select: { name: true } } },
  });
  if (!suggestion)
    throw new AppError(
      "NOT_FOUND",
      `no link suggestion for channel ${input.channelId}`,
      "That suggestion does not exist in this workspace (any more: its account may have been deleted). Link the channel with `/pulse channel link #channel <account>`.",
    );
  const answered = { answeredBySlackId: input.actor.slackUserId, answeredAt: ctx.clock() };
  if (!input.link) {
    if (suggestion.answer === "linked")
      return { text: `<#${input.channelId}> was already linked to *${escapeMrkdwn(suggestion.account.name)}*.` };
    await ctx.db.channelLinkSuggestion.update({ where: key, data: { answer: "dismissed", ...answered } });
    return {
      text: `Not now: <#${input.channelId}> stays unlinked and Pulse will not suggest it again. Link it any time with \`/pulse channel link #channel <account>\`.`,
    };
  }
  const name = suggestion.channelName?.replace(/[|>]/g, "");
  const r = await linkChannel(ctx.db, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    channelText: name ? `<#${input.channelId}|${name}>` : `<#${input.channelId}>`,
    accountId: suggestion.accountId,
    ...(input.requestId ? { requestId: input.requestId } : {}),
  });
  await ctx.db.channelLinkSuggestion.update({ where: key, data: { answer: "linked", ...answered } });
  return {
    text: r.alreadyLinked
      ? `<#${r.channelId}> is already linked to *${escapeMrkdwn(r.accountName)}*.`
      : `:link: <#${r.channelId}> is now evidence for *${escapeMrkdwn(r.accountName)}*: messages, response times and who joins or leaves count; what people write is never stored, and Pulse never posts there.`,
  };
}
