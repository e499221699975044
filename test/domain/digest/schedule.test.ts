import { describe, expect, it } from "vitest";
import { dueLocalDate, formatClock, localTime, parseClock } from "../../../src/domain/digest/schedule.js";

const at = (iso: string) => new Date(iso);
const sub = (postAt: string, timezone: string) => ({ postAtMinutes: parseClock(postAt)!, timezone });

describe("digest schedule", () => {
  it.each([
    // [now (UTC), post at, zone, due local date or undefined]
    ["2026-11-23T07:59:00Z", "09:00", "Europe/Paris", undefined], // 08:59 in Paris
    ["2026-11-23T08:00:00Z", "09:00", "Europe/Paris", "2026-11-23"],
    ["2026-11-23T22:30:00Z", "09:00", "Europe/Paris", "2026-11-23"], // caught up later the same local day
    ["2026-11-23T23:30:00Z", "09:00", "Europe/Paris", undefined], // 00:30 next local day: not yet
    ["2026-11-23T03:29:00Z", "09:00", "Asia/Kolkata", undefined], // 08:59 IST (+05:30)
    ["2026-11-23T03:30:00Z", "09:00", "Asia/Kolkata", "2026-11-23"],
    ["2026-11-22T20:00:00Z", "09:00", "Pacific/Auckland", "2026-11-23"], // already Monday there
    ["2026-11-23T13:59:00Z", "09:00", "America/New_York", undefined],
    ["2026-11-23T14:00:00Z", "09:00", "America/New_York", "2026-11-23"],
  ])("at %s, %s in %s is due for %s", (now, postAt, zone, expected) => {
    expect(dueLocalDate(sub(postAt, zone), at(now))).toBe(expected);
  });

  it("spring forward: a wall time that never happens fires at the next valid minute", () => {
    // New York, 8 Mar 2026: 02:00 jumps to 03:00. A digest at 02:30 is due at 03:00 EDT (07:00Z).
    const s = sub("02:30", "America/New_York");
    expect(dueLocalDate(s, at("2026-03-08T06:59:00Z"))).toBeUndefined(); // 01:59 EST
    expect(localTime(at("2026-03-08T07:00:00Z"), "America/New_York")).toEqual({ date: "2026-03-08", minutes: 180 });
    expect(dueLocalDate(s, at("2026-03-08T07:00:00Z"))).toBe("2026-03-08");
  });

  it("fall back: the repeated hour is due from its first occurrence, on one local date", () => {
    // New York, 1 Nov 2026: 01:00-02:00 happens twice (EDT then EST).
    const s = sub("01:30", "America/New_York");
    expect(dueLocalDate(s, at("2026-11-01T05:29:00Z"))).toBeUndefined(); // 01:29 EDT
    expect(dueLocalDate(s, at("2026-11-01T05:30:00Z"))).toBe("2026-11-01"); // 01:30 EDT
    expect(dueLocalDate(s, at("2026-11-01T06:30:00Z"))).toBe("2026-11-01"); // 01:30 EST, same date: the claim stops a repeat
  });

  it("Europe's own DST dates (last Sunday of March and October)", () => {
    const s = sub("09:00", "Europe/Paris");
    expect(dueLocalDate(s, at("2026-03-29T06:59:00Z"))).toBeUndefined(); // 08:59 CEST
    expect(dueLocalDate(s, at("2026-03-29T07:00:00Z"))).toBe("2026-03-29");
    expect(dueLocalDate(s, at("2026-10-25T07:59:00Z"))).toBeUndefined(); // 08:59 CET
    expect(dueLocalDate(s, at("2026-10-25T08:00:00Z"))).toBe("2026-10-25");
  });

  it.each([
    ["09:00", 540],
    ["9:05", 545],
    ["23:59", 1439],
    ["24:00", undefined],
    ["9", undefined],
    ["09:60", undefined],
  ])("parses %s", (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
  });

  it("formats minutes back", () => {
    expect(formatClock(545)).toBe("09:05");
  });
});
