// `/pulse override <account> green|yellow|red "reason" [days=30]`, `override clear <account>`,
// `override list`: a CSM's read shown beside the computed score.
import { resolveAccountQuery } from "../../services/find-accounts.js";
import { HEALTH_BANDS } from "../../domain/vocabulary.js";
import { clearOverride, listOverrides, setOverride } from "../../services/sentiment-overrides.js";
import { escapeMrkdwn } from "../block-kit.js";
import { BAND_EMOJI, formatDay } from "../views/format.js";
import type { Subcommand, SubcommandInput } from "./types.js";

const USAGE =
  '/pulse override <account> green|yellow|red "reason" [days=30] | override clear <account> | override list';

async function oneAccount(input: SubcommandInput, query: string): Promise<{ id: number; name: string } | undefined> {
  const found = await resolveAccountQuery(input.ctx.db, input.workspace.id, query);
  if (found.kind === "one") return found.account;
  await input.respond({
    text:
      found.kind === "none"
        ? `No account matches *${escapeMrkdwn(query)}*.`
        : `Several accounts match *${escapeMrkdwn(query)}*; be more specific.`,
  });
  return undefined;
}

export const overrideSubcommand: Subcommand = {
  name: "override",
  keywords: ["sentiment", "gut", "opinion", "feeling"],
  usage: USAGE,
  summary: "your own read of an account (with a reason and an expiry), shown beside its score",
  examples: ['/pulse override acme red "champion is leaving" days=14'],
  writes: true,
  async run(input) {
    const { ctx, workspace, user, args, respond } = input;
    const actor = { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId };
    if (args[0]?.toLowerCase() === "list") {
      const list = await listOverrides(ctx.db, workspace.id, ctx.clock());
      await respond({
        text: list.length
          ? `Overrides in force:\n${list.map((o) => `• ${BAND_EMOJI[o.band]} *${escapeMrkdwn(o.account.name)}* — “${escapeMrkdwn(o.reason)}” by <@${o.setBy.slackUserId}>, until ${formatDay(o.expiresAt)}`).join("\n")}`
          : "No overrides in force.",
      });
      return;
    }
    if (args[0]?.toLowerCase() === "clear") {
      const account = await oneAccount(input, args.slice(1).join(" "));
      if (!account) return;
      const cleared = await clearOverride(ctx, actor, account.id);
      await respond({
        text: cleared
          ? `Override on *${escapeMrkdwn(account.name)}* cleared.`
          : `*${escapeMrkdwn(account.name)}* has no override in force.`,
      });
      return;
    }
    const bandIndex = args.findIndex((a) => (HEALTH_BANDS as readonly string[]).includes(a.toLowerCase()));
    if (bandIndex <= 0 || !args[bandIndex + 1]) {
      await respond({ text: `Usage: \`${USAGE}\`` });
      return;
    }
    const account = await oneAccount(input, args.slice(0, bandIndex).join(" "));
    if (!account) return;
    const daysArg = args.slice(bandIndex + 2).find((a) => /^days=/i.test(a));
    const days = daysArg ? Number(daysArg.split("=")[1]) : 30;
    const { expiresAt } = await setOverride(ctx, actor, {
      accountId: account.id,
      band: args[bandIndex]!.toLowerCase(),
      reason: args[bandIndex + 1]!,
      days,
    });
    await respond({
      text: `${BAND_EMOJI[args[bandIndex]!.toLowerCase() as "red"]} Your read of *${escapeMrkdwn(account.name)}* is shown beside its score until ${formatDay(expiresAt)}. The computed score is unchanged.`,
    });
  },
};
