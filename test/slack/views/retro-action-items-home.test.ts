import { describe, expect, it } from "vitest";
import { retroActionItemsHomeSection } from "../../../src/slack/views/retro-action-items-home.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const item = (id: number, due: string, title = `Item ${id}`) => ({
  id,
  title,
  dueOn: d(due),
  accountName: "Acme <&> Co",
  retroChannelId: "CRETRO1",
});
const texts = (blocks: { text?: { text?: string }; elements?: { text?: string }[] }[]) =>
  blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(" ") ?? "");

describe("retroActionItemsHomeSection", () => {
  it("says so when there is nothing open", () => {
    expect(texts(retroActionItemsHomeSection([]) as never)).toEqual([
      "Retro action items",
      "No open action items from churn retrospectives.",
    ]);
  });

  it("lists items soonest first, escapes names, links the retro channel and flags overdue ones", () => {
    const out = texts(
      retroActionItemsHomeSection([item(2, "2026-12-15"), item(1, "2026-11-01")], { today: d("2026-11-23") }) as never,
    );
    expect(out[0]).toBe("Retro action items");
    expect(out[1]).toBe("• *Item 1* — Acme &lt;&amp;&gt; Co · due 1 Nov 2026 :warning: overdue · retro in <#CRETRO1>");
    expect(out[2]).toBe("• *Item 2* — Acme &lt;&amp;&gt; Co · due 15 Dec 2026 · retro in <#CRETRO1>");
  });

  it("keeps within its block budget and says how many were left out", () => {
    const many = Array.from({ length: 30 }, (_, i) => item(i + 1, "2026-12-01"));
    const blocks = retroActionItemsHomeSection(many, { budget: 6 });
    expect(blocks).toHaveLength(6);
    expect(texts(blocks as never).at(-1)).toBe("…and 26 more open action items.");
  });
});
