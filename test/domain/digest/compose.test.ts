import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.js";
import { composeDigest, suggestAction, type DigestAccount } from "../../../src/domain/digest/compose.js";
import { digestBlocks } from "../../../src/slack/views/digest.js";
import { LIMITS } from "../../../src/slack/block-kit.js";

const NOW = new Date("2026-11-23T09:00:00Z");
let nextId = 1;
function account(over: Partial<DigestAccount>): DigestAccount {
  return {
    id: nextId++,
    name: `Account ${nextId}`,
    ownerSlackId: "U1",
    arr: 10000,
    currency: "USD",
    score: 80,
    band: "green",
    previousScore: 80,
    previousBand: "green",
    topReason: { component: "usage", impact: -10, text: "Weekly active users fell 30%", code: "usage.wau_drop" },
    renewalDate: null,
    lastTouchAt: addDays(NOW, -3),
    detractors: [],
    overdueTasks: 0,
    snooze: null,
    ...over,
  };
}

describe("composeDigest", () => {
  it("puts each account in the first section it belongs to, with an action", () => {
    const turnedRed = account({ name: "Turned", score: 40, band: "red", previousScore: 62, previousBand: "yellow" });
    const dropped = account({ name: "Dropped", score: 58, band: "yellow", previousScore: 70, previousBand: "green" });
    const renewing = account({
      name: "Renewing",
      score: 55,
      band: "yellow",
      previousScore: 56,
      previousBand: "yellow",
      renewalDate: addDays(NOW, 30),
    });
    const detractor = account({ name: "Unhappy", detractors: [{ score: 3, comment: "Too slow" }] });
    const silent = account({
      name: "Silent",
      score: 60,
      band: "yellow",
      previousScore: 60,
      previousBand: "yellow",
      lastTouchAt: addDays(NOW, -45),
    });
    const fine = account({ name: "Fine" });
    const c = composeDigest([turnedRed, dropped, renewing, detractor, silent, fine], {
      bands: ["red", "yellow"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: { green: 4, yellow: 2, red: 0 },
    });
    expect(c.sections.map((s) => [s.kind, s.rows.map((r) => r.account.name)])).toEqual([
      ["turned_red", ["Turned"]],
      ["biggest_drops", ["Dropped"]],
      ["renewing", ["Renewing"]],
      ["detractors", ["Unhappy"]],
      ["no_touch", ["Silent"]],
    ]);
    expect(c.counts).toEqual({ green: 2, yellow: 3, red: 1 });
    expect(c.countChanges).toEqual({ green: -2, yellow: 1, red: 1 });
    expect(c.sections[1]!.rows[0]!.change).toBe(-12);
    expect(c.sections[3]!.rows[0]!.action).toBe("Call the respondent within 48 hours to close the loop");
    expect(c.quiet).toBe(false);
  });

  it("hides a snoozed account unless it got worse than when snoozed", () => {
    const snoozedSame = account({
      name: "Snoozed",
      score: 40,
      band: "red",
      previousScore: 60,
      previousBand: "yellow",
      snooze: { until: addDays(NOW, 3), scoreAtSnooze: 40 },
    });
    const snoozedWorse = account({
      name: "Worse",
      score: 35,
      band: "red",
      previousScore: 60,
      previousBand: "yellow",
      snooze: { until: addDays(NOW, 3), scoreAtSnooze: 45 },
    });
    const expired = account({
      name: "Expired",
      score: 40,
      band: "red",
      previousScore: 60,
      previousBand: "yellow",
      snooze: { until: addDays(NOW, -1), scoreAtSnooze: 40 },
    });
    const c = composeDigest([snoozedSame, snoozedWorse, expired], {
      bands: ["red"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: null,
    });
    expect(c.sections.flatMap((s) => s.rows.map((r) => r.account.name)).sort()).toEqual(["Expired", "Worse"]);
  });

  it("a quiet day is quiet", () => {
    const c = composeDigest([account({}), account({})], {
      bands: ["red", "yellow"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: null,
    });
    expect(c.quiet).toBe(true);
    expect(digestBlocks(c, { title: "Digest", now: NOW }).text).toContain("all clear");
  });

  it("suggests overdue tasks first, then by section and component", () => {
    expect(suggestAction("biggest_drops", { topReason: null, overdueTasks: 2 })).toBe(
      "Finish the 2 overdue playbook tasks first",
    );
    expect(
      suggestAction("turned_red", {
        topReason: { component: "engagement", impact: -5, text: "x", code: "e" },
        overdueTasks: 0,
      }),
    ).toBe("Reconnect with the sponsor and agree a success plan");
  });

  it("never exceeds 50 blocks, even with 5,000 risky accounts, and points to the rest", () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      account({
        name: `Risky ${i}`,
        score: 20 + (i % 30),
        band: "red",
        previousScore: 70,
        previousBand: "green",
        detractors: i % 7 ? [] : [{ score: 2, comment: "x".repeat(500) }],
        renewalDate: addDays(NOW, i % 90),
      }),
    );
    const c = composeDigest(many, { bands: ["red", "yellow"], noTouchDays: 30, now: NOW, previousCounts: null });
    const { blocks, text } = digestBlocks(c, { title: "Digest", now: NOW, subscriptionId: 7 });
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    // The rest is one click away, in a list of them all: not `/pulse portfolio`, which shows only the reader's own.
    expect(JSON.stringify(blocks.at(-2))).toContain("Showing 10 of 5000 accounts needing attention");
    expect(blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ text: { text: "See all 5000" } }] });
    expect(JSON.stringify(blocks)).not.toContain("/pulse portfolio");
    expect(text).toContain("5000 accounts need attention");
  });
});
