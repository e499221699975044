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

/** `page 2` (or `page=2`) anywhere in the text: the page asked for, and the text without it. */
function readPage(text: string): { page: number | undefined; rest: string } {
  const m = /(?:^|\s)page\s*=?\s*(\d{1,4})(?=\s|$)/i.exec(text);
  if (!m) return { page: undefined, rest: text.trim() };
  return { page: Number(m[1]), rest: (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim() };
}

export const portfolioSubcommand: Subcommand = {
  name: "portfolio",
  keywords: ["accounts", "risk", "at-risk", "renewal", "book", "mine", "owned", "red", "yellow"],
  usage: "/pulse portfolio [@user|all] [page N]",
  summary: "the accounts a CSM owns, riskiest first (yours by default; `all` for everyone's)",
  examples: ["/pulse portfolio", "/pulse portfolio @maya", "/pulse portfolio all page 2"],
  async run({ ctx, workspace, user, rest: text, respond }) {
    const { page, rest } = readPage(text);
    if (/^all$/i.test(rest)) {
      const portfolio = await getPortfolio(ctx.db, workspace.id, null);
      await respond({
        text: `Every account: ${portfolio.counts.red} red, ${portfolio.counts.yellow} yellow, ${portfolio.counts.green} green`,
        blocks: portfolioBlocks("Every account", portfolio, { page, command: (n) => `/pulse portfolio all page ${n}` }),
      });
      return;
    }
    const targetSlackId = mentionedUserId(rest) ?? (rest ? undefined : user.slackUserId);
    if (!targetSlackId) {
      await respond({
        text: "Mention the person whose portfolio you want, e.g. `/pulse portfolio @maya` (Slack turns the mention into a link), or say `/pulse portfolio all` for every account.",
      });
      return;
    }
    const owner = await findUserBySlackId(ctx.db, workspace.id, targetSlackId);
    if (!owner) {
      await respond({ text: `<@${targetSlackId}> owns no accounts in Pulse yet.` });
      return;
    }
    const portfolio = await getPortfolio(ctx.db, workspace.id, owner.id);
    const own = owner.slackUserId === user.slackUserId;
    const title = own ? "Your portfolio" : `Portfolio of ${escapeMrkdwn(owner.name ?? owner.slackUserId)}`;
    await respond({
      text: `${title}: ${portfolio.counts.red} red, ${portfolio.counts.yellow} yellow, ${portfolio.counts.green} green`,
      blocks: portfolioBlocks(title, portfolio, {
        page,
        command: (n) => `/pulse portfolio${own ? "" : ` <@${owner.slackUserId}>`} page ${n}`,
      }),
    });
  },
};
