// The baseline for `bench load`: a bare Bolt app in HTTP mode that acknowledges the same
// requests and does nothing else. Prints its port on stdout.
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET!, endpoints: ["/slack/events"] });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command("/pulse", async ({ ack }) => {
  await ack();
});
app.view(/.*/, async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
const server = await receiver.start(0);
const address = server.address();
process.stdout.write(`PORT ${typeof address === "object" && address ? address.port : 0}\n`);
