// `/pulse plan <account>`: opens the account's success plan in a modal (objectives,
// milestones, ADKAR per stakeholder group), where it is created and edited.
import { getSuccessPlan } from "../../services/success-plans.js";
import { successPlanModal } from "../views/success-plan.js";
import { oneAccountOrReply } from "./account-query.js";
import type { Subcommand } from "./types.js";

export const planSubcommand: Subcommand = {
  name: "plan",
  keywords: ["success", "objective", "milestone", "goal", "adkar"],
  usage: "/pulse plan <account>",
  summary: "the account's success plan: objectives, milestones, and where each group stands (ADKAR)",
  examples: ["/pulse plan acme"],
  async run({ ctx, slack, workspace, triggerId, rest, respond }) {
    const query = rest.trim();
    if (!query) {
      await respond({ text: "Which account? Try `/pulse plan acme`." });
      return;
    }
    const account = await oneAccountOrReply({ ctx, workspace, respond }, query, {
      many: "Several accounts match; open the card of the one you mean and press *Success plan*.",
    });
    if (!account) return;
    const plan = await getSuccessPlan(ctx.db, workspace.id, account.id, ctx.clock());
    await slack.openView(triggerId, successPlanModal(plan));
  },
};
