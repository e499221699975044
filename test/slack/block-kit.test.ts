import { describe, expect, it } from "vitest";
import {
  actions,
  button,
  context,
  fitBlocks,
  fitRows,
  header,
  LIMITS,
  option,
  options,
  section,
  sparkline,
  truncate,
} from "../../src/slack/block-kit.js";
import { portfolioBlocks } from "../../src/slack/views/portfolio.js";
import type { Portfolio } from "../../src/services/portfolio.js";

describe("Block Kit limits", () => {
  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["longer than ten", 10, "longer th…"],
  ])("truncate(%s, %d)", (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it("clamps header, section and button text", () => {
    expect((header("h".repeat(400)) as unknown as { text: { text: string } }).text.text).toHaveLength(
      LIMITS.headerText,
    );
    expect((section("s".repeat(5000)) as unknown as { text: { text: string } }).text.text).toHaveLength(
      LIMITS.sectionText,
    );
    expect((button("b".repeat(100), "a") as { text: { text: string } }).text.text).toHaveLength(LIMITS.buttonText);
    expect(option("o".repeat(100), "v").text.text).toHaveLength(LIMITS.optionText);
  });

  it("keeps at most 100 options, 25 action elements and 10 context elements", () => {
    expect(
      options(
        Array.from({ length: 250 }, (_, i) => i),
        (i) => option(String(i), String(i)),
      ),
    ).toHaveLength(100);
    expect(
      (actions(Array.from({ length: 40 }, (_, i) => button(String(i), `a${i}`))) as unknown as { elements: unknown[] })
        .elements,
    ).toHaveLength(25);
    expect(
      (context(Array.from({ length: 20 }, () => "x")) as unknown as { elements: unknown[] }).elements,
    ).toHaveLength(10);
  });

  it("fits blocks into a surface and says what was left out", () => {
    const many = Array.from({ length: 80 }, (_, i) => section(String(i)));
    const fitted = fitBlocks(many, 50, (n) => `${n} more`);
    expect(fitted).toHaveLength(50);
    expect(JSON.stringify(fitted.at(-1))).toContain("31 more");
    expect(fitBlocks(many.slice(0, 3), 50, () => "x")).toHaveLength(3);
  });

  it("fits whole rows under a budget and summarises the rest", () => {
    const rows = Array.from({ length: 30 }, (_, i) => i);
    const out = fitRows(
      rows,
      (r) => [section(`row ${r}`), context(["detail"])],
      11,
      (rest) => section(`${rest.length} more rows`),
    );
    expect(out).toHaveLength(11);
    expect(JSON.stringify(out.at(-1))).toContain("25 more rows");
    expect(
      fitRows(
        [1, 2],
        (r) => [section(String(r))],
        11,
        () => section("never"),
      ),
    ).toHaveLength(2);
  });

  it("draws a sparkline scaled 0-100", () => {
    expect(sparkline([0, 50, 100])).toBe("▁▅█");
    expect(sparkline([])).toBe("");
    expect(
      sparkline(
        Array.from({ length: 90 }, () => 70),
        30,
      ),
    ).toHaveLength(30);
  });

  it("a portfolio of 500 accounts stays within a message's 50 blocks and points to the rest", () => {
    const portfolio: Portfolio = {
      counts: { green: 200, yellow: 200, red: 100, unscored: 0 },
      rows: Array.from({ length: 500 }, (_, i) => ({
        id: i + 1,
        name: `Account ${i} ${"with a long name ".repeat(10)}`,
        score: i % 100,
        band: i < 100 ? "red" : i < 300 ? "yellow" : "green",
        topReason: "Weekly active users fell 42% against the previous 30 days ".repeat(20),
        arr: "1000",
        currency: "USD",
        renewalDate: null,
        stage: "maturity",
      })),
    };
    const blocks = portfolioBlocks("Your portfolio", portfolio);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(blocks.at(-1))).toContain(
      "Showing 1–47 of 500, riskiest first (page 1 of 11). Next: `/pulse portfolio page 2`.",
    );
    for (const b of blocks) {
      const t = (b as { text?: { text: string } }).text?.text;
      if (t) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
  });
});
