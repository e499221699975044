// A digest a team reads (issue 15, defect 6): a headline of what changed, at most ten
// accounts with one line each, grouped next steps, mentions only for what changed, and
// "See all N" opening the full list page by page.
import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/dates.js";
import { composeDigest, rowsInPriorityOrder, type DigestAccount } from "../../../src/domain/digest/compose.js";
import { digestBlocks, digestListModal } from "../../../src/slack/views/digest.js";

const NOW = new Date("2026-11-23T09:00:00Z");
let nextId = 1;
function account(over: Partial<DigestAccount>): DigestAccount {
  const id = nextId++;
  return {
    id,
    name: `Account ${id}`,
    ownerSlackId: `UOWNER${id}`,
    ownerName: `Owner ${id}`,
    arr: 100_000 - id,
    currency: "USD",
    score: 55,
    band: "yellow",
    previousScore: 55,
    previousBand: "yellow",
    topReason: { component: "usage", impact: -10, text: "Weekly active users fell 30%", code: "usage.wau_drop" },
    renewalDate: null,
    lastTouchAt: addDays(NOW, -60),
    detractors: [],
    overdueTasks: 0,
    snooze: null,
    ...over,
  };
}

type AnyBlock = { type: string; text?: { text: string }; elements?: { text: { text: string } | string }[] };

describe("the digest message", () => {
  const turned = account({
    name: "Turned Co",
    score: 41,
    band: "red",
    previousScore: 50,
    previousBand: "yellow",
    topReason: { component: "usage", impact: 4, text: "Active users held steady", code: "usage.steady" },
    changeReason: { component: "perception", text: "Two detractor answers this week", delta: -7 },
  });
  // 59 accounts: one turned red, the rest without a touchpoint for 60 days, all with the same step.
  const quiet = Array.from({ length: 58 }, () => account({}));
  const content = composeDigest([turned, ...quiet], {
    bands: ["red", "yellow"],
    noTouchDays: 30,
    now: NOW,
    previousCounts: null,
  });
  const { blocks, text } = digestBlocks(content, { title: "Digest", now: NOW, subscriptionId: 42 });
  const json = JSON.stringify(blocks);
  const rowBlocks = (blocks as AnyBlock[]).filter(
    (b) =>
      b.type === "section" &&
      (b as { accessory?: { action_id: string } }).accessory?.action_id === "pulse_pick_account",
  );

  it("opens with what changed since yesterday", () => {
    expect((blocks[1] as AnyBlock).text!.text).toBe("Since yesterday — *Turned red*: 1");
    expect(text).toContain("59 accounts need attention");
  });

  it("lists at most ten accounts, one line each, in priority order", () => {
    expect(rowBlocks).toHaveLength(10);
    for (const b of rowBlocks) expect(b.text!.text).not.toContain("\n");
    expect(rowBlocks[0]!.text!.text).toContain("*Turned Co*");
    expect(blocks.length).toBeLessThanOrEqual(20);
  });

  it("explains the drop by what changed, and mentions only the owner of what changed", () => {
    expect(rowBlocks[0]!.text!.text).toContain("Two detractor answers this week (-7)");
    expect(rowBlocks[0]!.text!.text).not.toContain("held steady");
    expect(json.match(/<@U/g)).toHaveLength(1);
    expect(rowBlocks[0]!.text!.text).toContain(`<@${turned.ownerSlackId}>`);
    expect(rowBlocks[1]!.text!.text).toContain("Owner ");
  });

  it("groups the suggested next steps instead of repeating one per row", () => {
    const steps = (blocks as AnyBlock[]).find((b) => b.type === "section" && b.text!.text.startsWith("*Next steps*"))!;
    const lines = steps.text!.text.split("\n").slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^:point_right: Schedule a check-in with the sponsor this week — (\*Account \d+\*, ){8}\*Account \d+\*$/,
    );
  });

  it("says how many it shows of how many, and offers them all", () => {
    expect(json).toContain("Showing 10 of 59 accounts needing attention");
    const last = blocks.at(-1) as { elements: { text: { text: string }; value: string; action_id: string }[] };
    expect(last.elements[0]).toMatchObject({ text: { text: "See all 59" }, action_id: "pulse_digest_see_all" });
    expect(JSON.parse(last.elements[0]!.value)).toEqual({ s: 42, p: 0 });
  });

  it("the full list pages through every account with its buttons", () => {
    const all = composeDigest([turned, ...quiet], {
      bands: ["red", "yellow"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: null,
      rowsPerSection: Number.POSITIVE_INFINITY,
    });
    const rows = rowsInPriorityOrder(all);
    expect(rows).toHaveLength(59);
    const page = digestListModal({
      subscriptionId: 42,
      channelId: "CDIGEST",
      page: 5,
      pages: 6,
      total: 59,
      rows: rows.slice(50, 60),
    });
    const pageJson = JSON.stringify(page.blocks);
    expect(pageJson).toContain("page 6 of 6");
    expect(pageJson).toContain("pulse_digest_snooze");
    expect(pageJson).toContain("pulse_digest_page_previous");
    expect(pageJson).not.toContain("pulse_digest_page_next");
    expect(page.blocks.length).toBeLessThanOrEqual(100);
  });
});

describe("the full list's rows", () => {
  it("say a reason once: 'Lowers it most' only beside a change, never repeating the line above", () => {
    // Renewing soon, score up: the row shows its top reason, so a second line with it would repeat it.
    const renewing = account({
      name: "Renewing Co",
      score: 27,
      band: "red",
      previousScore: 22,
      previousBand: "red",
      renewalDate: addDays(NOW, 45),
      lastTouchAt: addDays(NOW, -5),
      topReason: {
        component: "engagement",
        impact: -12,
        text: "The sponsor left on 14 Oct and no other sponsor is on record",
        code: "engagement.sponsor_left",
      },
      changeReason: { component: "usage", text: "Active users rose 20%", delta: 5 },
    });
    const all = composeDigest([renewing], {
      bands: ["red", "yellow"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: null,
      rowsPerSection: Number.POSITIVE_INFINITY,
    });
    const rows = rowsInPriorityOrder(all);
    const page = digestListModal({ subscriptionId: 1, channelId: "C1", page: 0, pages: 1, total: 1, rows });
    const text = JSON.stringify(page.blocks);
    expect(text.match(/The sponsor left on 14 Oct/g)).toHaveLength(1);
    expect(text).not.toContain("Lowers it most");
  });
});
