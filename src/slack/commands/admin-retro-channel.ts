// `/pulse admin retro-channel #channel`: where churn retrospectives are posted. A channel
// shared with another organisation is refused: retros carry ARR and reasons.
import { AppError } from "../../errors.js";
import { setRetroChannel } from "../../services/retro.js";
import type { Subcommand } from "./types.js";

export const adminRetroChannelSubcommand: Subcommand = {
  name: "admin retro-channel",
  usage: "/pulse admin retro-channel #channel",
  summary: "set the channel churn retrospectives are posted in (admins and managers)",
  examples: ["/pulse admin retro-channel #cs-retros"],
  writes: true,
  async run({ ctx, slack, workspace, user, args, respond, requestId }) {
    if (!args[0])
      throw new AppError(
        "INVALID_INPUT",
        "no channel",
        "Name the channel, e.g. `/pulse admin retro-channel #cs-retros`.",
      );
    const channelId = await setRetroChannel(ctx.db, {
      workspaceId: workspace.id,
      actor: user,
      channelText: args[0],
      requestId,
      assertInternal: (id) => slack.assertInternalChannel(id),
    });
    await respond({
      text: `Churn retrospectives will be posted in <#${channelId}>. Invite @Pulse there (\`/invite @Pulse\`) so it can post.`,
    });
  },
};
