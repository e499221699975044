// Registers every Slack listener. Listeners are thin: ack, parse, call a service, render.
import type bolt from "@slack/bolt";
import type { AppContext } from "../../app-context.js";

export function registerListeners(app: InstanceType<typeof bolt.App>, ctx: AppContext): void {
  app.command("/pulse", async ({ ack }) => {
    await ack({
      response_type: "ephemeral",
      text: "Pulse is connected. Try `/pulse help`.",
    });
  });
  app.error(async (error) => {
    ctx.logger.error({ err: error }, "unhandled Slack listener error");
  });
}
