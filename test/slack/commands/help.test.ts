// `/pulse help`: a short index, a topic in full, nothing cut (issue 15, defect 5).
import { describe, expect, it } from "vitest";
import { sections } from "../../../src/slack/block-kit.js";
import { renderHelp, renderHelpTopic, topicOf } from "../../../src/slack/commands/help.js";
import { subcommands } from "../../../src/slack/commands/index.js";
import { IMPORT_KINDS } from "../../../src/domain/ingest/header-mapping.js";

type Section = { type: string; text?: { text: string } };
const texts = (blocks: unknown[] | undefined) =>
  (blocks as Section[]).filter((b) => b.type === "section").map((b) => b.text!.text);

describe("/pulse help", () => {
  it("indexes every topic in one short line each, and fits one Slack section", () => {
    const reply = renderHelp(subcommands);
    const topics = [...new Set(subcommands.map(topicOf))].filter((t) => t !== "help");
    const shown = texts(reply.blocks).join("\n");
    for (const topic of topics) expect(shown).toContain(`/pulse ${topic}`);
    expect(shown.split("\n")).toHaveLength(topics.length);
    expect(shown).toContain("/pulse admin …");
    expect(JSON.stringify(reply.blocks)).toContain("/pulse help digest");
    for (const t of texts(reply.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    expect(shown).not.toContain("…\n");
  });

  it("shows a topic's every command in full: admin keeps `/pulse admin audit`", () => {
    const reply = renderHelpTopic(subcommands, "admin");
    const shown = texts(reply.blocks).join("\n");
    for (const c of subcommands.filter((s) => topicOf(s) === "admin")) {
      expect(shown).toContain(c.usage);
      expect(shown).toContain(c.summary);
    }
    expect(shown).toContain("/pulse admin audit [account]");
  });

  // Who may use a command is said one way, at the end: "(admins)", not "admins: …" on some.
  it("says who may use a command the same way on every line, and names every kind an import takes", () => {
    for (const c of subcommands) expect(c.summary, c.name).not.toMatch(/^(admins|managers)\b/i);
    const importLine = subcommands.find((c) => c.name === "admin import")!.summary;
    for (const kind of IMPORT_KINDS) expect(importLine).toContain(kind);
  });

  it("shows the digest's options", () => {
    const shown = texts(renderHelpTopic(subcommands, "digest").blocks).join("\n");
    expect(shown).toContain("no-touch-days=30");
    expect(shown).toContain("/pulse digest preview");
  });

  it("answers an unknown topic with the topics there are", () => {
    const reply = renderHelpTopic(subcommands, "bananas");
    expect(reply.text).toContain("There is no help topic “bananas”");
    expect(reply.text).toContain("`digest`");
  });

  it("every command of the registry is in the help of its topic, however long the list grows", () => {
    const all = [...new Set(subcommands.map(topicOf))].flatMap((topic) =>
      texts(renderHelpTopic(subcommands, topic).blocks),
    );
    for (const c of subcommands) expect(all.join("\n")).toContain(c.usage);
    for (const t of all) expect(t.length).toBeLessThanOrEqual(3000);
  });
});

describe("sections", () => {
  it("packs lines under 3,000 characters a section without cutting one", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `• line ${i} ${"word ".repeat(30)}`);
    const out = sections(lines);
    expect(out.length).toBeGreaterThan(1);
    for (const s of out) expect(s.text!.text.length).toBeLessThanOrEqual(3000);
    expect(out.map((s) => s.text!.text).join("\n")).toBe(lines.join("\n"));
  });

  it("splits a single line longer than a section at a space, marking the parts", () => {
    const line = "word ".repeat(1000).trim();
    const out = sections([line]);
    expect(out).toHaveLength(2);
    expect(out[0]!.text!.text.endsWith(" …")).toBe(true);
    expect(out[1]!.text!.text.startsWith("… ")).toBe(true);
    expect(out.every((s) => s.text!.text.length <= 3000)).toBe(true);
  });
});
