// `/pulse admin channel-signals on|off`: whether linked customer channels are read at all.
import { AppError } from "../../errors.js";
import { setChannelSignals } from "../../services/channel-links.js";
import type { Subcommand } from "./types.js";

export const adminChannelSignalsSubcommand: Subcommand = {
  name: "admin channel-signals",
  usage: "/pulse admin channel-signals on|off",
  summary: "read linked customer channels as evidence, or stop (admins)",
  details: ["Off: events from linked channels are dropped unread; what was recorded stays until erased."],
  writes: true,
  async run({ ctx, workspace, user, args, respond, requestId }) {
    const choice = args[0]?.toLowerCase();
    if (choice !== "on" && choice !== "off")
      throw new AppError(
        "INVALID_INPUT",
        "channel-signals needs on or off",
        "Say `on` or `off`: `/pulse admin channel-signals off`.",
      );
    await setChannelSignals(ctx.db, { workspaceId: workspace.id, actor: user, enabled: choice === "on", requestId });
    await respond({
      text:
        choice === "on"
          ? "Pulse reads linked customer channels again (counts, response times, who joins or leaves; never the text)."
          : "Pulse no longer reads linked customer channels: their events are dropped unread.",
    });
  },
};
