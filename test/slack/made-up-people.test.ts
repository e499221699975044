// The demo's people are made up: Slack refuses a DM or an App Home for them
// (user_not_found), so the port sends them nothing instead of failing every night.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_SLACK_USER_IDS } from "../../src/domain/demo-portfolio.js";
import { createWebClient } from "../../src/slack/client.js";
import { ChannelGuardCache, createWebSlackPort } from "../../src/slack/slack-port.js";
import { SLACK_API_BASE, SLACK_API_ORIGIN } from "../helpers/slack.js";

let methods: string[] = [];
beforeEach(() => {
  methods = [];
  nock.disableNetConnect();
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(/^\/api\/[a-zA-Z.]+$/)
    .reply(200, (uri) => {
      methods.push(uri.replace("/api/", ""));
      return { ok: true, channel: "D1", ts: "1.1" };
    });
});
afterEach(() => nock.cleanAll());

const port = () =>
  createWebSlackPort({
    client: () => createWebClient("xoxb-1-2-test", { apiUrl: SLACK_API_BASE, retries: 0 }),
    scope: "made-up",
    guard: new ChannelGuardCache(),
  });

describe("the demo's made-up people", () => {
  it("get no DM, no App Home and no file; a real person gets all three", async () => {
    const demo = DEMO_SLACK_USER_IDS[0]!;
    const slack = port();
    await slack.dm(demo, { text: "3 new tasks" });
    await slack.publishHome(demo, { type: "home", blocks: [] });
    await slack.dmFile(demo, { filename: "x.md", title: "x", content: "x", initialComment: "x" });
    expect(methods).toEqual([]);
    await slack.dm("U1REAL", { text: "3 new tasks" });
    await slack.publishHome("U1REAL", { type: "home", blocks: [] });
    expect(methods).toEqual(["chat.postMessage", "views.publish"]);
  });
});
