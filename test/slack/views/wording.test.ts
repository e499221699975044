// Small words that looked careless (issue 15): articles, casing, doubled parentheses.
import { describe, expect, it } from "vitest";
import { TOUCHPOINT_KINDS } from "../../../src/domain/vocabulary.js";
import { surveyModal, touchpointKindWithArticle } from "../../../src/slack/views/modals.js";

describe("touchpointKindWithArticle", () => {
  it("says each kind with its article and casing", () => {
    expect(TOUCHPOINT_KINDS.map(touchpointKindWithArticle)).toEqual([
      "a call",
      "a meeting",
      "an email",
      "a QBR",
      "a support escalation",
      "a touchpoint",
    ]);
  });
});

describe("surveyModal", () => {
  it.each([
    ["nps", "NPS score (0-10)"],
    ["csat", "CSAT score (1-5)"],
    ["ces", "CES score (1-7)"],
  ] as const)("labels the %s score once, without nested parentheses", (kind, label) => {
    const modal = surveyModal({ kind, today: new Date("2026-11-23T00:00:00Z"), metadata: {} });
    const labels = JSON.stringify(modal.blocks);
    expect(labels).toContain(`"text":"${label}"`);
    expect(labels).not.toMatch(/\([^()]*\(/);
  });
});
