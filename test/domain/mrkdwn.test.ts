import { describe, expect, it } from "vitest";
import { escapeMrkdwn, mentionedUserIds, slackMarkupToText, unescapeSlackText } from "../../src/domain/mrkdwn.js";

describe("unescapeSlackText", () => {
  it("undoes Slack's three entities once", () => {
    expect(unescapeSlackText("AT&amp;T &lt;b&gt; &amp;lt;")).toBe("AT&T <b> &lt;");
    expect(unescapeSlackText(escapeMrkdwn("Q&A <draft> & more"))).toBe("Q&A <draft> & more");
  });
});

describe("slackMarkupToText", () => {
  const names = new Map([["U01MAYA", "Maya Chen"]]);
  it("reads mentions, channels, links and broadcasts as a person does", () => {
    expect(
      slackMarkupToText(
        "<@U01MAYA> and <@U02NOBODY> in <#C0123|cs-team>: see <https://acme.example/plan|the plan>, <https://x.example> or <mailto:ana@acme.example|ana@acme.example> <!here>",
        (id) => names.get(id),
      ),
    ).toBe(
      "@Maya Chen and @someone in #cs-team: see the plan (https://acme.example/plan), https://x.example or ana@acme.example @here",
    );
  });

  it("uses a mention's own label when Pulse knows no name, and leaves other angle brackets alone", () => {
    expect(slackMarkupToText("<@U02X|ana> said <b>hi</b> <#C9>")).toBe("@ana said <b>hi</b> #a-channel");
  });

  it("lists the users a message mentions, once each", () => {
    expect(mentionedUserIds("<@U1A> <@W2B|b> <@U1A> <#C1>")).toEqual(["U1A", "W2B"]);
  });
});
