// Each vocabulary list is defined once, in src/domain/vocabulary.ts, and matches its Prisma enum.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BillingTerm,
  HealthBand,
  LifecycleStage,
  Sentiment,
  StakeholderType,
  SurveyKind,
  TouchpointKind,
} from "../src/generated/prisma/enums.js";
import {
  BILLING_TERMS,
  CONTACT_STAKEHOLDER_TYPES,
  HEALTH_BANDS,
  LIFECYCLE_STAGES,
  SENTIMENTS,
  STAKEHOLDER_TYPES,
  SURVEY_KINDS,
  SURVEY_SCALES,
  TOUCHPOINT_KINDS,
} from "../src/domain/vocabulary.js";

const LISTS = {
  LIFECYCLE_STAGES,
  STAKEHOLDER_TYPES,
  CONTACT_STAKEHOLDER_TYPES,
  TOUCHPOINT_KINDS,
  SENTIMENTS,
  SURVEY_KINDS,
  HEALTH_BANDS,
  BILLING_TERMS,
};
const ENUMS = {
  LIFECYCLE_STAGES: LifecycleStage,
  // The groups a CSM meets; "unknown" is only a contact's type until the CSM classifies them.
  STAKEHOLDER_TYPES: Object.fromEntries(Object.entries(StakeholderType).filter(([k]) => k !== "unknown")),
  CONTACT_STAKEHOLDER_TYPES: StakeholderType,
  TOUCHPOINT_KINDS: TouchpointKind,
  SENTIMENTS: Sentiment,
  SURVEY_KINDS: SurveyKind,
  HEALTH_BANDS: HealthBand,
  BILLING_TERMS: BillingTerm,
};

const SRC = join(import.meta.dirname, "..", "src");
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(SRC, "generated") ? [] : sourceFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

/** Array literals of two or more string literals (nothing else), in any order, and `"a" | "b"` unions. */
function stringSets(code: string): { members: string[]; text: string }[] {
  const found: { members: string[]; text: string }[] = [];
  const str = String.raw`(?:"[^"\\\n]*"|'[^'\\\n]*')`;
  for (const m of code.matchAll(new RegExp(String.raw`\[\s*${str}(?:\s*,\s*${str})+\s*,?\s*\]`, "g")))
    found.push({ text: m[0], members: [...m[0].matchAll(new RegExp(str, "g"))].map((s) => s[0].slice(1, -1)) });
  for (const m of code.matchAll(new RegExp(String.raw`${str}(?:\s*\|\s*${str})+`, "g")))
    found.push({ text: m[0], members: [...m[0].matchAll(new RegExp(str, "g"))].map((s) => s[0].slice(1, -1)) });
  return found;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set(a).size === a.length && a.every((x) => b.includes(x));

describe("vocabulary", () => {
  it.each(Object.keys(LISTS) as (keyof typeof LISTS)[])(
    "%s lists its Prisma enum's values, in schema order",
    (name) => {
      expect([...LISTS[name]]).toEqual(Object.values(ENUMS[name]));
    },
  );

  it("has a scale for every survey kind: NPS 0-10, CSAT 1-5, CES 1-7", () => {
    expect(Object.keys(SURVEY_SCALES).sort()).toEqual([...SURVEY_KINDS].sort());
    expect(SURVEY_SCALES.nps).toMatchObject({ min: 0, max: 10, label: "NPS", labelWithRange: "NPS (0-10)" });
    expect(SURVEY_SCALES.csat).toMatchObject({ min: 1, max: 5, label: "CSAT" });
    expect(SURVEY_SCALES.ces).toMatchObject({ min: 1, max: 7, label: "CES" });
  });

  it("finds a list spelt out again (so the scan below can fail)", () => {
    const sets = stringSets(
      `const X = ["red", "yellow", "green"] as const; type B = "positive" | "neutral" | "negative";`,
    );
    expect(sets.some((s) => sameSet(s.members, HEALTH_BANDS))).toBe(true);
    expect(sets.some((s) => sameSet(s.members, SENTIMENTS))).toBe(true);
  });

  it("is spelt out nowhere else in src/ (an array literal or a union of the same values, in any order)", () => {
    const copies: string[] = [];
    for (const file of sourceFiles(SRC)) {
      if (file === join(SRC, "domain", "vocabulary.ts")) continue;
      for (const set of stringSets(readFileSync(file, "utf8"))) {
        for (const [name, list] of Object.entries(LISTS)) {
          if (sameSet(set.members, list))
            copies.push(`${relative(SRC, file)}: ${set.text} (use ${name} from src/domain/vocabulary.ts)`);
        }
      }
    }
    expect(copies).toEqual([]);
  });
});
