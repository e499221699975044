// `/pulse admin erase contact <email>`: shows whom erasing the address would touch and asks
// for confirmation; the confirmed button (listeners/actions/erase-contact.ts) erases.
import { previewContactErasure } from "../../services/privacy.js";
import { requireRole } from "../../services/workspace-users.js";
import { AppError } from "../../errors.js";
import { eraseConfirmationReply } from "../views/privacy-admin.js";
import type { Subcommand } from "./types.js";

/** Slack turns typed emails into "<mailto:a@b.c|a@b.c>". */
export function unwrapSlackEmail(text: string): string {
  const m = /^<mailto:([^|>]+)(\|[^>]*)?>$/.exec(text.trim());
  return m ? m[1]! : text.trim();
}

export const adminEraseContactSubcommand: Subcommand = {
  name: "admin erase contact",
  usage: "/pulse admin erase contact <email>",
  summary: "erase a person's name, email and title, their survey comments, and mentions in notes (admins)",
  examples: ["/pulse admin erase contact jane@acme.com"],
  writes: true,
  async run({ ctx, user, workspace, args, respond, requestId }) {
    requireRole(user, ["admin"], "erase personal data");
    if (args.length !== 1)
      throw new AppError(
        "INVALID_INPUT",
        "erase contact takes one email",
        "Give exactly one email: `/pulse admin erase contact jane@acme.com`.",
      );
    const preview = await previewContactErasure(ctx.db, workspace.id, unwrapSlackEmail(args[0]!));
    // The request id doubles as the confirmation token: the audit row of the erasure then
    // carries the id of the command that asked for it.
    await respond(eraseConfirmationReply(preview, requestId));
  },
};
