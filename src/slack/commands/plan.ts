// `/pulse plan <account>`: opens the account's success plan in a modal (objectives,
// milestones, ADKAR per stakeholder group), where it is created and edited.
import { resolveAccountQuery } from "../../services/find-accounts.js";
import { getSuccessPlan } from "../../services/success-plans.js";
import { escapeMrkdwn } from "../block-kit.js";
import { accountPickListBlocks } from "../views/account-card.js";
import { successPlanModal } from "../views/success-plan.js";
import type { Subcommand } from "./types.js";

export const planSubcommand: Subcommand = {
  name: "plan",
  usage: "/pulse plan <account>",
  summary: "the account's success plan: objectives, milestones, and where each group stands (ADKAR)",
  examples: ["/pulse plan acme"],
  async run({ ctx, slack, workspace, triggerId, rest, respond }) {
    const query = rest.trim();
    if (!query) {
      await respond({ text: "Which account? Try `/pulse plan acme`." });
      return;
    }
    const found = await resolveAccountQuery(ctx.db, workspace.id, query);
    if (found.kind === "none") {
      await respond({ text: `No account matches *${escapeMrkdwn(query)}*.` });
      return;
    }
    if (found.kind === "many") {
      await respond({
        text: "Several accounts match; open the card of the one you mean and press *Success plan*.",
        blocks: accountPickListBlocks(query, found.accounts),
      });
      return;
    }
    const plan = await getSuccessPlan(ctx.db, workspace.id, found.account.id, ctx.clock());
    await slack.openView(triggerId, successPlanModal(plan) as never);
  },
};
