import { describe, expect, it } from "vitest";
import { buildModuleLookup, messagesOf, readSegmentMessage } from "../../../src/domain/ingest/segment-events.js";

const now = new Date("2026-03-15T12:00:00Z");
const settings = { now, retentionDays: 90, moduleByEvent: buildModuleLookup({ "Report Viewed": "reports" }) };

describe("readSegmentMessage", () => {
  it.each([
    [
      "track with context.groupId",
      {
        type: "track",
        messageId: "m1",
        userId: "u1",
        event: "Logged In",
        timestamp: "2026-03-14T10:00:00Z",
        context: { groupId: "acme" },
      },
      { messageId: "m1", type: "track", event: "Logged In", userKey: "u1", groupId: "acme", module: null },
    ],
    [
      "anonymous track, groupId in properties, module by event name",
      { type: "track", messageId: "m2", anonymousId: "a1", event: "report viewed", properties: { groupId: 42 } },
      { userKey: "a1", groupId: "42", module: "reports" },
    ],
    [
      "explicit module wins",
      { type: "track", messageId: "m3", userId: "u1", event: "Report Viewed", properties: { module: "exports" } },
      { module: "exports", groupId: null },
    ],
    [
      "page with a name",
      { type: "page", messageId: "m4", userId: "u1", name: "Home" },
      { type: "page", event: "Home" },
    ],
    [
      "group call",
      { type: "group", messageId: "g1", userId: "u1", groupId: "acme", traits: { plan: "pro" } },
      { type: "group", groupId: "acme", properties: { groupId: "acme", traits: { plan: "pro" } } },
    ],
    [
      "type inferred from event",
      { messageId: "m5", userId: "u1", event: "Clicked" },
      { type: "track", event: "Clicked" },
    ],
  ])("%s", (_label, message, expected) => {
    const r = readSegmentMessage(message, settings);
    expect(r.kind).toBe("event");
    expect(r.kind === "event" && r.event).toMatchObject(expected);
  });

  it("uses the receipt time when the message has no timestamp, and hashes a missing messageId stably", () => {
    const message = { type: "track", userId: "u1", event: "Clicked" };
    const a = readSegmentMessage(message, settings);
    const b = readSegmentMessage({ ...message }, settings);
    expect(a.kind === "event" && a.event.occurredAt).toEqual(now);
    expect(a.kind === "event" && a.event.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.kind === "event" && b.kind === "event" && a.event.messageId === b.event.messageId).toBe(true);
  });

  it.each([
    ["identify", { type: "identify", userId: "u1" }],
    ["alias", { type: "alias", userId: "u1", previousId: "a1" }],
  ])("ignores %s", (_label, message) => expect(readSegmentMessage(message, settings)).toEqual({ kind: "ignored" }));

  it.each([
    ["not an object", 42, "is not a JSON object"],
    ["no user", { type: "track", event: "x" }, "has neither userId nor anonymousId"],
    ["track without event", { type: "track", userId: "u1" }, 'is a track call without an "event" name'],
    ["group without groupId", { type: "group", userId: "u1" }, "is a group call without a groupId"],
    [
      "unknown type",
      { type: "launch", userId: "u1" },
      'has type "launch"; expected track, page, screen, group, identify or alias',
    ],
    [
      "bad timestamp",
      { type: "track", userId: "u1", event: "x", timestamp: "tuesday" },
      'timestamp "tuesday" is not an ISO 8601 date-time',
    ],
    [
      "numeric timestamp",
      { type: "track", userId: "u1", event: "x", timestamp: 1773000000 },
      "timestamp 1773000000 is not an ISO 8601 date-time",
    ],
    // String() throws on this object; the reason must still be written.
    [
      "timestamp object without toString",
      { type: "track", userId: "u1", event: "x", timestamp: { toString: false } },
      "timestamp (an object) is not an ISO 8601 date-time",
    ],
    [
      "too old",
      { type: "track", userId: "u1", event: "x", timestamp: "2025-12-14T23:59:59Z" },
      "timestamp 2025-12-14T23:59:59.000Z is older than the 90-day retention of raw events",
    ],
    [
      "future",
      { type: "track", userId: "u1", event: "x", timestamp: "2026-03-17T00:00:00Z" },
      "timestamp 2026-03-17T00:00:00.000Z is more than a day in the future",
    ],
    [
      "properties not an object",
      { type: "track", userId: "u1", event: "x", properties: [1] },
      "properties is not an object",
    ],
  ])("refuses %s", (_label, message, reason) =>
    expect(readSegmentMessage(message, settings)).toEqual({ kind: "invalid", reason }),
  );

  it("accepts the first day inside retention", () => {
    expect(
      readSegmentMessage({ type: "track", userId: "u1", event: "x", timestamp: "2025-12-15T00:00:00Z" }, settings).kind,
    ).toBe("event");
  });
});

describe("messagesOf", () => {
  it.each([
    [
      { batch: [{ a: 1 }], context: { groupId: "g" } },
      { ok: true, messages: [{ a: 1 }], shared: { context: { groupId: "g" } } },
    ],
    [[{ a: 1 }, { a: 2 }], { ok: true, messages: [{ a: 1 }, { a: 2 }], shared: {} }],
    [{ type: "track" }, { ok: true, messages: [{ type: "track" }], shared: {} }],
    [{ batch: "x" }, { ok: false, reason: '"batch" must be an array of messages.' }],
    ["text", { ok: false, reason: 'The body must be a JSON object: a message, or { "batch": [messages] }.' }],
  ])("%j", (body, expected) => expect(messagesOf(body)).toEqual(expected));
});
