// `/pulse log [account]`: opens the touchpoint modal at once (inside the trigger_id's three
// seconds, before any query), then fills in the account when the words name exactly one.
import { resolveAccountQuery } from "../../services/find-accounts.js";
import { loadingModal, touchpointModal } from "../views/modals.js";
import type { Subcommand } from "./types.js";

export const logSubcommand: Subcommand = {
  name: "log",
  keywords: ["touchpoint", "call", "meeting", "email", "note", "qbr", "escalation", "record"],
  usage: "/pulse log [account]",
  summary: "log a call, meeting, email, QBR or escalation",
  examples: ["/pulse log acme"],
  lazy: true,
  async run({ ctx, slack, pulse, channelId, triggerId, rest }) {
    const today = ctx.clock();
    if (!rest.trim()) {
      await slack.openView(triggerId, touchpointModal({ today, metadata: { channelId } }));
      return;
    }
    const { viewId } = await slack.openView(triggerId, loadingModal("Log touchpoint"));
    const found = await resolveAccountQuery(ctx.db, (await pulse.workspace()).id, rest);
    const account = found.kind === "one" ? { id: found.account.id, name: found.account.name } : undefined;
    await slack.updateView(viewId, touchpointModal({ account, today, metadata: { channelId } }));
  },
};
