// `/pulse account <name or domain>`: the account card, or a pick list when several match.
import { getAccountCard } from "../../services/account-card.js";
import { recordAudit } from "../../services/audit.js";
import { resolveAccountQuery } from "../../services/find-accounts.js";
import { getPlanCardSummary } from "../../services/success-plans.js";
import { escapeMrkdwn } from "../block-kit.js";
import { accountCardBlocks, accountPickListBlocks } from "../views/account-card.js";
import { planCardBlocks } from "../views/success-plan.js";
import type { Reply, Subcommand, SubcommandInput } from "./types.js";

/** Renders one account's card and records that the user viewed it. */
export async function accountCardReply(
  input: Pick<SubcommandInput, "ctx" | "workspace" | "user" | "requestId">,
  accountId: number,
): Promise<Reply> {
  const [card, plan] = await Promise.all([
    getAccountCard(input.ctx.db, input.workspace.id, accountId, input.ctx.clock()),
    getPlanCardSummary(input.ctx.db, input.workspace.id, accountId, input.ctx.clock()),
  ]);
  await recordAudit(input.ctx.db, {
    workspaceId: input.workspace.id,
    actorSlackId: input.user.slackUserId,
    action: "account.view",
    entityType: "account",
    entityId: accountId,
    accountId,
    requestId: input.requestId,
  });
  return {
    text: `${escapeMrkdwn(card.account.name)}: ${card.latest ? `health ${card.latest.score} (${card.latest.band})` : "not scored yet"}`,
    // A churned account without a plan is not asked to agree the customer's goals.
    blocks: accountCardBlocks(card, card.account.status === "churned" && !plan ? [] : planCardBlocks(plan)),
  };
}

export async function lookupReply(
  input: Pick<SubcommandInput, "ctx" | "workspace" | "user" | "requestId">,
  query: string,
  /** The answer when no account matches; by default, that none does. */
  noMatch: () => Reply = () => ({
    text: `No account matches *${escapeMrkdwn(query)}*. Try part of the name or the domain.`,
  }),
): Promise<Reply> {
  if (!query.trim()) return { text: "Which account? Try `/pulse account acme` or `/pulse account acme.com`." };
  const found = await resolveAccountQuery(input.ctx.db, input.workspace.id, query);
  if (found.kind === "none") return noMatch();
  if (found.kind === "many")
    return {
      text: `Several accounts match ${escapeMrkdwn(query)}.`,
      blocks: accountPickListBlocks(query, found.accounts),
    };
  return accountCardReply(input, found.account.id);
}

export const accountSubcommand: Subcommand = {
  name: "account",
  keywords: ["health", "score", "card", "customer", "renewal", "doing", "trend"],
  usage: "/pulse account <name or domain>",
  summary: "an account's health card: score, trend, reasons, renewal, touchpoints, tasks",
  examples: ["/pulse account acme", "/pulse account acmeanalytics.com"],
  async run(input) {
    await input.respond(await lookupReply(input, input.rest));
  },
};
