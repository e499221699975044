// `/pulse stage <account> <stage>`: set an account's lifecycle stage by hand.
import { LIFECYCLE_STAGES } from "../../domain/vocabulary.js";
import { setStage } from "../../services/stages.js";
import { escapeMrkdwn } from "../block-kit.js";
import { oneAccountOrReply } from "./account-query.js";
import type { Subcommand } from "./types.js";

export const stageSubcommand: Subcommand = {
  name: "stage",
  keywords: ["lifecycle", "onboarding", "adoption", "phase"],
  usage: `/pulse stage <account> <${LIFECYCLE_STAGES.join("|")}>`,
  summary: "set an account's lifecycle stage (kept with its history)",
  examples: ["/pulse stage acme adoption"],
  writes: true,
  async run({ ctx, workspace, user, args, respond }) {
    const stage = args.at(-1)?.toLowerCase();
    const query = args.slice(0, -1).join(" ");
    if (!stage || !query || !(LIFECYCLE_STAGES as readonly string[]).includes(stage)) {
      await respond({ text: `Usage: \`/pulse stage <account> <${LIFECYCLE_STAGES.join("|")}>\`` });
      return;
    }
    const account = await oneAccountOrReply({ ctx, workspace, respond }, query, { noneSuffix: "; nothing changed" });
    if (!account) return;
    const r = await setStage(
      ctx,
      { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
      account.id,
      stage,
      "manual",
    );
    await respond({
      text:
        r.from === r.to
          ? `*${escapeMrkdwn(r.name)}* is already in ${r.to}.`
          : `*${escapeMrkdwn(r.name)}* moved from ${r.from} to *${r.to}*.`,
    });
  },
};
