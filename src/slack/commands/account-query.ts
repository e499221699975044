// The account a subcommand names: one match goes on; none, or several, is answered here
// (several with a pick list), so each subcommand reads as its own work.
import type { Db } from "../../db/client.js";
import { resolveAccountQuery, type AccountMatch } from "../../services/find-accounts.js";
import { escapeMrkdwn } from "../block-kit.js";
import { accountPickListBlocks } from "../views/account-card.js";
import type { Reply } from "./types.js";

export interface AccountQueryReplies {
  /** Appended to "No account matches …", e.g. "; nothing changed". */
  noneSuffix?: string;
  /** Said above the pick list when several accounts match. */
  many?: string;
}

export async function oneAccountOrReply(
  input: { ctx: { db: Db }; workspace: { id: number }; respond(reply: Reply): Promise<void> },
  query: string,
  replies: AccountQueryReplies = {},
): Promise<AccountMatch | undefined> {
  const found = await resolveAccountQuery(input.ctx.db, input.workspace.id, query);
  if (found.kind === "one") return found.account;
  if (found.kind === "none")
    await input.respond({ text: `No account matches *${escapeMrkdwn(query)}*${replies.noneSuffix ?? ""}.` });
  else
    await input.respond({
      text: replies.many ?? "Several accounts match; say which.",
      blocks: accountPickListBlocks(query, found.accounts),
    });
  return undefined;
}
