import { describe, expect, it } from "vitest";
import { parseIntent } from "../../src/domain/conversation.js";

describe("parseIntent", () => {
  it.each([
    ["<@UBOT> how is Acme doing?", { kind: "account", query: "acme" }],
    ["How's Acme Analytics going", { kind: "account", query: "acme analytics" }],
    ["what about globex.com?", { kind: "account", query: "globex.com" }],
    ["<@UBOT> who is at risk?", { kind: "at_risk" }],
    ["which accounts are risky", { kind: "at_risk" }],
    ["show my portfolio", { kind: "portfolio" }],
    ["<@UBOT> help", { kind: "help" }],
    ["<@UBOT>", { kind: "help" }],
    ["hi", { kind: "help" }],
  ])("%s", (text, intent) => {
    expect(parseIntent(text)).toEqual(intent);
  });
});
