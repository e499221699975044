// `/pulse portfolio [@user]`: the accounts a CSM owns, riskiest first.
import { getPortfolio } from "../../services/portfolio.js";
import { findUserBySlackId } from "../../services/workspace-users.js";
import { escapeMrkdwn } from "../block-kit.js";
import { portfolioBlocks } from "../views/portfolio.js";
import type { Subcommand } from "./types.js";

/** Slack renders a mention in command text as <@U123|name> (escaped) or plain @name. */
export function mentionedUserId(text: string): string | undefined {
  return /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/.exec(text)?.[1];
}

export const portfolioSubcommand: Subcommand = {
  name: "portfolio",
  usage: "/pulse portfolio [@user]",
  summary: "the accounts a CSM owns, riskiest first (yours by default)",
  examples: ["/pulse portfolio", "/pulse portfolio @maya"],
  async run({ ctx, workspace, user, rest, respond }) {
    const targetSlackId = mentionedUserId(rest) ?? (rest.trim() ? undefined : user.slackUserId);
    if (!targetSlackId) {
      await respond({
        text: "Mention the person whose portfolio you want, e.g. `/pulse portfolio @maya` (Slack turns the mention into a link).",
      });
      return;
    }
    const owner = await findUserBySlackId(ctx.db, workspace.id, targetSlackId);
    if (!owner) {
      await respond({ text: `<@${targetSlackId}> owns no accounts in Pulse yet.` });
      return;
    }
    const portfolio = await getPortfolio(ctx.db, workspace.id, owner.id);
    const title =
      owner.slackUserId === user.slackUserId
        ? "Your portfolio"
        : `Portfolio of ${escapeMrkdwn(owner.name ?? owner.slackUserId)}`;
    await respond({
      text: `${title}: ${portfolio.counts.red} red, ${portfolio.counts.yellow} yellow, ${portfolio.counts.green} green`,
      blocks: portfolioBlocks(title, portfolio),
    });
  },
};
