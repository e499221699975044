// Talking to Pulse (issue 15, item 10): words Pulse does not understand are answered as
// such, with the closest things it can do; a mistyped subcommand gets "did you mean".
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { subcommands } from "../../src/slack/commands/index.js";
import { closestCommands, didYouMean, editDistance } from "../../src/slack/commands/suggest.js";
import { BLOCK, CALLBACK } from "../../src/slack/ids.js";
import { unescapeIncomingText } from "../../src/slack/middleware/incoming-text.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

let t: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UCSM", name: "Maya", role: "csm" } });
  await t.db.account.create({ data: { workspaceId: ws.id, name: "Acme Corp", domain: "acme.example" } });
  await t.db.account.create({ data: { workspaceId: ws.id, name: "AT&T", domain: "att.example" } });
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

/** Records every call to a Web API method, JSON fields parsed. */
function capturePosts(method: string, reply: Record<string, unknown> = { ok: true, channel: "C111", ts: "1.1" }) {
  const bodies: Record<string, unknown>[] = [];
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(`/api/${method}`, (body: Record<string, unknown>) => {
      const parsed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body))
        parsed[k] = typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
      bodies.push(parsed);
      return true;
    })
    .reply(200, reply);
  return bodies;
}

function mention(text: string, id: string) {
  return {
    token: "x",
    team_id: "T111",
    api_app_id: "A111",
    type: "event_callback",
    event_id: id,
    event_time: 1700000000,
    event: {
      type: "app_mention",
      user: "UCSM",
      text: `<@UBOT> ${text}`,
      ts: "1700000001.000200",
      channel: "C111",
      event_ts: "1700000001.000200",
    },
  };
}

describe("suggestions", () => {
  it("counts a swap of two letters as one edit", () => {
    expect(editDistance("portfolo", "portfolio")).toBe(1);
    expect(editDistance("hepl", "help")).toBe(1);
    expect(editDistance("voc", "voc")).toBe(0);
  });

  it("means the command a typo is closest to, and no command for another word", () => {
    expect(didYouMean(["portfolo"], subcommands)?.name).toBe("portfolio");
    expect(didYouMean(["acount", "acme"], subcommands)?.name).toBe("account");
    expect(didYouMean(["admin", "roel", "U1", "admin"], subcommands)?.name).toBe("admin role");
    expect(didYouMean(["which", "renewals"], subcommands)).toBeUndefined();
  });

  it("ranks the commands whose words are closest to a sentence", () => {
    const names = (text: string) => closestCommands(text, subcommands).map((c) => c.name);
    expect(names("which renewals coming up")).toEqual(expect.arrayContaining(["portfolio", "account"]));
    expect(names("what is our nrr")[0]).toBe("churn report");
    expect(names("customer feedback by segment")[0]).toBe("voc");
    expect(names("zzz qqq")).toEqual(["account", "portfolio"]);
  });
});

describe("/pulse with words that are no command", () => {
  it("answers a sentence as not understood, with the closest commands, not as an account search", async () => {
    nockAuthTest();
    const replies = captureReplies();
    await app.command({ text: "which renewals coming up", user_id: "UCSM" });
    const text = String((await eventually(() => replies[0])).text);
    expect(text).toContain("I don't understand `/pulse which renewals coming up`. The closest things I can do:");
    expect(text).toContain("`/pulse portfolio");
    expect(text).toContain("`/pulse help`");
    expect(text).not.toContain("No account matches");
  });

  it("asks “did you mean” for a mistyped subcommand, keeping what followed", async () => {
    nockAuthTest();
    const replies = captureReplies();
    await app.command({ text: "acount acme", user_id: "UCSM" });
    expect(String((await eventually(() => replies[0])).text)).toContain(
      "I don't know `/pulse acount acme`. Did you mean `/pulse account acme`?",
    );
  });
});

describe("/pulse <topic> without one of its commands", () => {
  it("lists the topic's commands", async () => {
    nockAuthTest();
    const replies = captureReplies();
    await app.command({ text: "admin", user_id: "UCSM" });
    const text = String((await eventually(() => replies[0])).text);
    expect(text).toContain("I don't know `/pulse admin`. The admin commands:");
    expect(text).toContain("/pulse admin audit");
  });
});

describe("mentions Pulse does not understand", () => {
  it("says it did not understand, with the closest things it can do", async () => {
    nockAuthTest();
    const ephemeral = capturePosts("chat.postEphemeral");
    await app.event(mention("which renewals are coming up next quarter?", "EvTalk1"));
    const text = String((await eventually(() => ephemeral[0])).text);
    expect(text).toContain("I don't understand “which renewals are coming up next quarter?”");
    expect(text).toContain("Or ask me “how is Acme doing?”");
    expect(text).toContain("`/pulse portfolio");
    expect(text).not.toContain("No account matches");
  });

  it("still answers a question about an account", async () => {
    nockAuthTest();
    const ephemeral = capturePosts("chat.postEphemeral");
    await app.event(mention("how is Acme doing?", "EvTalk2"));
    expect(String((await eventually(() => ephemeral[0])).text)).toContain("Acme Corp");
  });

  it("says a short unknown name matches no account, beside the suggestions", async () => {
    nockAuthTest();
    const ephemeral = capturePosts("chat.postEphemeral");
    await app.event(mention("how is Initech doing?", "EvTalk3"));
    const text = String((await eventually(() => ephemeral[0])).text);
    expect(text).toContain("I don't understand “how is Initech doing?”, and no account matches *initech*");
    expect(text.match(/^• /gm)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe("incoming text is unescaped once, at the edge", () => {
  it("finds AT&T for `/pulse account AT&T` (Slack sends AT&amp;T)", async () => {
    nockAuthTest();
    const replies = captureReplies();
    await app.command({ text: "account AT&amp;T", user_id: "UCSM" });
    const reply = await eventually(() => replies[0]);
    expect(String(reply.text)).not.toContain("No account matches");
    // Written back to Slack escaped again, exactly once.
    expect(String(reply.text)).toMatch(/^AT&amp;T: /);
    expect(JSON.stringify(reply.blocks)).not.toContain("&amp;amp;");
  });

  it("answers a DM about AT&T", async () => {
    nockAuthTest();
    const posted = capturePosts("chat.postMessage", { ok: true, channel: "D111", ts: "1.3" });
    await app.event({
      token: "x",
      team_id: "T111",
      api_app_id: "A111",
      type: "event_callback",
      event_id: "EvTalkAtt",
      event_time: 1700000000,
      event: {
        type: "message",
        channel_type: "im",
        channel: "D111",
        user: "UCSM",
        text: "how is AT&amp;T doing?",
        ts: "1700000002.000300",
      },
    });
    expect(String((await eventually(() => posted[0])).text)).toMatch(/^AT&amp;T: /);
  });

  it("unescapes a modal's typed inputs and nothing Pulse chose itself", () => {
    const body = {
      type: "view_submission",
      view: {
        state: {
          values: {
            [BLOCK.notes]: { value: { type: "plain_text_input", value: "Q&amp;A with &lt;sponsor&gt;" } },
            [BLOCK.kind]: { value: { type: "static_select", selected_option: { value: "call" } } },
          },
        },
      },
    };
    unescapeIncomingText(body);
    expect(body.view.state.values[BLOCK.notes].value.value).toBe("Q&A with <sponsor>");
    expect(body.view.state.values[BLOCK.kind].value.selected_option.value).toBe("call");
  });
});

describe("Save as touchpoint", () => {
  it("fills the notes with the message as a person reads it, not Slack's markup", async () => {
    nockAuthTest();
    const permalink = "https://test.slack.com/archives/C111/p1763800000000100";
    capturePosts("chat.getPermalink", { ok: true, permalink });
    // Someone Pulse does not know: Slack is asked (no display name set, so the real name).
    const asked = capturePosts("users.info", {
      ok: true,
      user: { id: "U0STRANGER", real_name: "Rita Levi", profile: { display_name: "", real_name: "Rita Levi" } },
    });
    const opened = capturePosts("views.open", { ok: true, view: { id: "V9" } });
    const updated = capturePosts("views.update", { ok: true, view: { id: "V9" } });
    await app.interaction({
      type: "message_action",
      callback_id: CALLBACK.messageSaveTouchpoint,
      team: { id: "T111", domain: "test" },
      user: { id: "UCSM", name: "maya" },
      channel: { id: "C111", name: "cs" },
      message: {
        type: "message",
        user: "U9",
        ts: "1763800000.000100",
        text: "<@UCSM> met <@U0STRANGER> in <#C0CS|cs-team> about Q&amp;A: <https://acme.example/notes|the notes>",
      },
      trigger_id: "444.555.talk",
      response_url: `${SLACK_API_ORIGIN}/actions/response`,
      message_ts: "1763800000.000100",
    });
    type Modal = { view: { blocks: { block_id?: string; element?: { initial_value?: string } }[] } };
    const notesOf = (m: Record<string, unknown>) =>
      (m as Modal).view.blocks.find((b) => b.block_id === BLOCK.notes)?.element?.initial_value;
    expect(notesOf(await eventually(() => opened[0]))).toBe(
      "@someone met @someone in #cs-team about Q&A: the notes (https://acme.example/notes)",
    );
    expect(notesOf(await eventually(() => updated[0]))).toBe(
      "@Maya met @Rita Levi in #cs-team about Q&A: the notes (https://acme.example/notes)",
    );
    // Only the person Pulse did not know was asked about.
    expect(asked.map((b) => b.user)).toEqual(["U0STRANGER"]);
  });
});
