// The card's small things (issue 15): notes cut with "…", the sparkline as plain text, no
// Recompute on a churned account, and "Record survey" offering NPS, CSAT and CES.
import { describe, expect, it } from "vitest";
import type { AccountCardData } from "../../../src/services/account-card.js";
import { excerpt } from "../../../src/slack/block-kit.js";
import { ACTION } from "../../../src/slack/ids.js";
import { accountCardBlocks } from "../../../src/slack/views/account-card.js";
import { surveyModal } from "../../../src/slack/views/modals.js";

const NOW = new Date("2026-11-23T10:00:00Z");

function card(over: Partial<AccountCardData["account"]> = {}, rest: Partial<AccountCardData> = {}): AccountCardData {
  return {
    readAt: NOW,
    account: {
      id: 5,
      name: "Acme",
      domain: null,
      segment: null,
      stage: "adoption",
      status: "active",
      arr: "1000",
      currency: "USD",
      renewalDate: null,
      churnedAt: null,
      ownerSlackId: null,
      ownerName: null,
      ...over,
    },
    latest: {
      score: 82,
      band: "green",
      scoredOn: NOW,
      components: null,
      reasons: [],
      modelVersion: "rules-1",
      comparison: null,
    },
    history: [
      { scoredOn: NOW, score: 20 },
      { scoredOn: NOW, score: 82 },
    ],
    change7d: null,
    change30d: null,
    touchpoints: [],
    latestNps: null,
    latestCsat: null,
    openTasks: [],
    openTaskCount: 0,
    controlGroup: null,
    override: null,
    channels: [],
    champions: [],
    unclassified: [],
    unclassifiedCount: 0,
    ...rest,
  };
}

type AnyBlock = { type: string; text?: { text: string }; elements?: { action_id?: string }[] };
const texts = (blocks: unknown[]) => (blocks as AnyBlock[]).map((b) => b.text?.text ?? "").join("\n");
const actionIds = (blocks: unknown[]) =>
  (blocks as AnyBlock[]).flatMap((b) => (b.elements ?? []).map((e) => e.action_id)).filter(Boolean);

describe("touchpoint notes on the card", () => {
  const long =
    "Walked the sponsor through the new reporting module and agreed next steps for the rollout to the finance team in January, pending budget";

  it("are cut at 120 characters at a word boundary, and say so with …", () => {
    const shown = excerpt(long, 120);
    expect(shown.length).toBeLessThanOrEqual(120);
    expect(shown.endsWith("…")).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    // At a word boundary: what comes next in the note is a space.
    expect(long[shown.length - 1]).toBe(" ");
  });

  it("are cut with … even when no word boundary is near, and kept whole when short", () => {
    expect(excerpt("x".repeat(300), 120)).toBe(`${"x".repeat(119)}…`);
    expect(excerpt("Short  note\nsecond line", 120)).toBe("Short note second line");
  });

  it("show on the card with the marker", () => {
    const blocks = accountCardBlocks(
      card(
        {},
        { touchpoints: [{ kind: "call", occurredAt: NOW, sentiment: null, notes: long, loggedBySlackId: null }] },
      ),
    );
    const line = texts(blocks)
      .split("\n")
      .find((l) => l.includes("Walked the sponsor"))!;
    expect(line.endsWith("…")).toBe(true);
    expect(line).not.toContain("pending budget");
  });
});

describe("the card's sparkline and buttons", () => {
  it("draws the sparkline as plain text, not inline code", () => {
    const health = texts(accountCardBlocks(card()))
      .split("\n")
      .find((l) => l.includes("last 90 days"))!;
    expect(health).toMatch(/[▁▂▃▄▅▆▇█]+ last 90 days/);
    expect(health).not.toContain("`");
  });

  it("offers Recompute on an active account and not on a churned one", () => {
    expect(actionIds(accountCardBlocks(card()))).toContain(ACTION.recomputeScore);
    const churned = accountCardBlocks(card({ status: "churned" }, { latest: null, history: [] }));
    expect(actionIds(churned)).not.toContain(ACTION.recomputeScore);
    expect(texts(churned)).not.toContain("Recompute");
  });
});

describe("a churned account's card", () => {
  it("says when it churned and how to reverse it, instead of a renewal it will not have", () => {
    const blocks = accountCardBlocks(
      card({
        status: "churned",
        renewalDate: new Date("2027-01-30T00:00:00Z"),
        churnedAt: new Date("2026-09-05T00:00:00Z"),
      }),
    );
    const json = JSON.stringify(blocks);
    expect(json).toContain("*Churned*\\n5 Sep 2026");
    expect(json).toContain('/pulse churn winback \\"Acme\\"');
    expect(json).not.toContain("*Renewal*");
    expect(json).toContain("Last scored 23 Nov 2026, before the churn,");
  });
});

describe("Record survey from the card", () => {
  it("offers NPS, CSAT and CES, and each kind draws its own scale", () => {
    const modal = surveyModal({ kind: "nps", today: NOW, metadata: {}, switchable: true });
    const choice = (modal.blocks as { elements?: { action_id: string; options: { value: string }[] }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.surveyKindSwitch);
    expect(choice?.options.map((o) => o.value)).toEqual(["nps", "csat", "ces"]);
    const ces = surveyModal({ kind: "ces", today: NOW, metadata: {}, switchable: true });
    expect(JSON.stringify(ces)).toContain('"text":"Record CES"');
    expect(JSON.parse(ces.private_metadata ?? "{}")).toMatchObject({ kind: "ces" });
  });
});
