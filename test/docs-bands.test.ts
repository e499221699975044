// The docs state the health bands the score model uses (issue 15: they said red is below
// 40 while the model says 50). Every "red below N" / "red < N" / "green at N" in the docs
// and README must be the default model's.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_MODEL } from "../src/domain/health/model-config.js";

const root = new URL("../", import.meta.url);
const files = [
  "README.md",
  ...readdirSync(new URL("docs/", root))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("health bands in the docs", () => {
  it("match the score model's default bands", () => {
    const { redBelow, greenAtLeast } = DEFAULT_HEALTH_MODEL.bands;
    const stated: string[] = [];
    for (const file of files) {
      const text = readFileSync(new URL(file, root), "utf8");
      for (const m of text.matchAll(/\bred\s*(?:below|under|<)\s*(\d+)/gi))
        if (Number(m[1]) !== redBelow) stated.push(`${file}: ${m[0]}`);
      for (const m of text.matchAll(/\bgreen\s*(?:at|≥|>=)\s*(\d+)/gi))
        if (Number(m[1]) !== greenAtLeast) stated.push(`${file}: ${m[0]}`);
      for (const m of text.matchAll(/\byellow\s*(\d+)\s*[–-]\s*(\d+)/gi))
        if (Number(m[1]) !== redBelow) stated.push(`${file}: ${m[0]}`);
    }
    expect(stated).toEqual([]);
  });
});
