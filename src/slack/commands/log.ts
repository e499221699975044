// `/pulse log [account]`: opens the touchpoint modal, with the account preselected when
// the words name exactly one.
import { resolveAccountQuery } from "../../services/find-accounts.js";
import { touchpointModal } from "../views/modals.js";
import type { Subcommand } from "./types.js";

export const logSubcommand: Subcommand = {
  name: "log",
  usage: "/pulse log [account]",
  summary: "log a call, meeting, email, QBR or escalation",
  examples: ["/pulse log acme"],
  async run({ ctx, client, workspace, channelId, triggerId, rest }) {
    const found = rest.trim() ? await resolveAccountQuery(ctx.db, workspace.id, rest) : undefined;
    const account = found?.kind === "one" ? { id: found.account.id, name: found.account.name } : undefined;
    await client.views.open({ trigger_id: triggerId, view: touchpointModal({ account, today: ctx.clock(), metadata: { channelId } }) as never });
  },
};
