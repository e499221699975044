// The router collapses exact-id (and exact event type) registrations into one Bolt listener
// per kind. Driven through a real Bolt App and its processEvent, so the matching that is
// replaced is Bolt's own.
import { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { routeListenersById } from "../../src/slack/listener-router.js";

function boltApp(): App {
  return new App({
    signingSecret: "secret",
    tokenVerificationEnabled: false,
    convoStore: false,
    authorize: async () => ({ botToken: "xoxb-test", botId: "B1", botUserId: "UBOT", teamId: "T1" }),
  });
}

function eventBody(event: Record<string, unknown>) {
  return {
    body: {
      type: "event_callback",
      team_id: "T1",
      event: { ...event, event_ts: "1.1" },
      event_id: `Ev${Math.random()}`,
    },
    ack: async () => undefined,
  };
}

const listenersOf = (app: App) => (app as unknown as { listeners: unknown[] }).listeners.length;

describe("the listener router", () => {
  it("registers one Bolt listener for every event type and runs each type's listeners only", async () => {
    const bolt = boltApp();
    const app = routeListenersById(bolt);
    const seen: string[] = [];
    app.event("message", async () => void seen.push("message a"));
    app.event("message", async () => void seen.push("message b"));
    app.event("reaction_added", async () => void seen.push("reaction"));
    app.event("member_left_channel", async () => void seen.push("left"));
    expect(listenersOf(bolt)).toBe(1);

    await bolt.processEvent(eventBody({ type: "message", user: "U1", channel: "C1", ts: "1.1", text: "hi" }));
    expect(seen.sort()).toEqual(["message a", "message b"]);
    seen.length = 0;
    await bolt.processEvent(eventBody({ type: "reaction_added", user: "U1", reaction: "+1", item: {} }));
    expect(seen).toEqual(["reaction"]);
    seen.length = 0;
    await bolt.processEvent(eventBody({ type: "app_mention", user: "U1", channel: "C1", ts: "1.1", text: "x" }));
    expect(seen).toEqual([]);
  });

  it("runs every listener of a type to its end when one fails, and reports the failure", async () => {
    const bolt = boltApp();
    const app = routeListenersById(bolt);
    const errors: unknown[] = [];
    bolt.error(async (error) => void errors.push(error));
    let slowOneFinished = false;
    app.event("message", async () => {
      throw new Error("first listener failed");
    });
    app.event("message", async () => {
      await new Promise((r) => setTimeout(r, 20));
      slowOneFinished = true;
    });
    await bolt.processEvent(eventBody({ type: "message", user: "U1", channel: "C1", ts: "1.1", text: "hi" }));
    expect(slowOneFinished).toBe(true);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as { original?: Error }).original ?? errors[0])).toMatch(/first listener failed/);
  });

  it("leaves registrations it cannot route (a RegExp) to Bolt", () => {
    const bolt = boltApp();
    const app = routeListenersById(bolt);
    app.event(/^member_/, async () => undefined);
    app.action("a1", async () => undefined);
    app.action("a2", async () => undefined);
    expect(listenersOf(bolt)).toBe(2);
  });
});
