// Every message and view Pulse sends, rendered from the demo (test/helpers/demo-renders.ts),
// read as Slack and a person would: within Block Kit's limits, no text cut without "…",
// every button answered by a registered listener, no list claiming more than it shows
// without saying how to see the rest.
import type { App } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { LIMITS, escapeMrkdwn } from "../../src/slack/block-kit.js";
import { registerChurnListeners } from "../../src/slack/listeners/churn/index.js";
import { registerDigestActionListeners } from "../../src/slack/listeners/actions/digest.js";
import { registerEraseContactActionListeners } from "../../src/slack/listeners/actions/erase-contact.js";
import { registerActionListeners } from "../../src/slack/listeners/actions/index.js";
import { registerModelActionListeners } from "../../src/slack/listeners/actions/model.js";
import { registerStageActionListeners } from "../../src/slack/listeners/actions/stages.js";
import { registerChannelLinkActionListeners } from "../../src/slack/listeners/actions/channel-links.js";
import { registerTaskActionListeners } from "../../src/slack/listeners/actions/tasks.js";
import { registerImportListeners } from "../../src/slack/listeners/imports/index.js";
import { registerPlanListeners } from "../../src/slack/listeners/plans/index.js";
import { registerViewListeners } from "../../src/slack/listeners/views/submissions.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { renderDemo, textsOf, type Rendered } from "../helpers/demo-renders.js";
import { testContext } from "../helpers/app-context.js";

const NOW = new Date("2026-12-03T07:40:00Z");

let t: TestDatabase;
let rendered: Rendered[];
let sources: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  rendered = await renderDemo(t.db, t.url, NOW);
  // What people wrote or imported, which views quote and may shorten.
  const [notes, titles, comments] = await Promise.all([
    t.db.touchpoint.findMany({ select: { notes: true } }),
    t.db.playbookTask.findMany({ select: { title: true, detail: true } }),
    t.db.surveyResponse.findMany({ where: { comment: { not: null } }, select: { comment: true } }),
  ]);
  sources = [
    ...notes.map((n) => n.notes),
    ...titles.flatMap((x) => [x.title, x.detail]),
    ...comments.map((c) => c.comment),
  ].filter((s): s is string => typeof s === "string" && s.length >= 30);
}, 180_000);
afterAll(async () => t.drop());

type BlockLike = Record<string, unknown> & { type?: string };

const isModalLike = (surface: string) => /App Home|modal|digest list/.test(surface);

/** The interactive elements a person can click: actions blocks' elements and section accessories. */
function clickables(blocks: unknown[]): { action_id: string; type: string }[] {
  const out: { action_id: string; type: string }[] = [];
  for (const b of blocks as BlockLike[]) {
    const candidates =
      b.type === "actions" ? ((b.elements as BlockLike[]) ?? []) : b.accessory ? [b.accessory as BlockLike] : [];
    for (const e of candidates)
      if (typeof e.action_id === "string" && e.type !== "image")
        out.push({ action_id: e.action_id, type: String(e.type) });
  }
  return out;
}

function limitProblems(r: Rendered): string[] {
  const problems: string[] = [];
  const max = isModalLike(r.surface) ? LIMITS.modalBlocks : LIMITS.messageBlocks;
  if (r.blocks.length > max) problems.push(`${r.blocks.length} blocks (at most ${max})`);
  for (const b of r.blocks as BlockLike[]) {
    const text = (b.text as { text?: string } | undefined)?.text ?? "";
    if (b.type === "section" && text.length > LIMITS.sectionText) problems.push(`section of ${text.length} characters`);
    if (b.type === "header" && text.length > LIMITS.headerText) problems.push(`header of ${text.length} characters`);
    const fields = (b.fields as { text: string }[] | undefined) ?? [];
    if (fields.length > LIMITS.sectionFields) problems.push(`${fields.length} fields`);
    for (const f of fields) if (f.text.length > LIMITS.sectionFieldText) problems.push(`field of ${f.text.length}`);
    if (b.type === "context" && ((b.elements as unknown[]) ?? []).length > LIMITS.contextElements)
      problems.push("too many context elements");
    for (const e of b.type === "actions" ? ((b.elements as BlockLike[]) ?? []) : [])
      if (e.type === "button" && ((e.text as { text: string }).text ?? "").length > LIMITS.buttonText)
        problems.push(`button text “${(e.text as { text: string }).text}”`);
  }
  return problems.map((p) => `${r.surface}: ${p}`);
}

const PREFIX = 25;
const MIN_CUT = 40;

/**
 * Where a text quotes one of the sources (as escaped for mrkdwn) and stops before its end
 * without "…" right after: no source that starts the same way is quoted whole there.
 */
function silentCuts(text: string, byPrefix: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [prefix, quoted] of byPrefix)
    for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
      let best = "";
      let whole = false;
      for (const q of quoted) {
        let same = 0;
        while (same < q.length && text[at + same] === q[same]) same++;
        if (same === q.length) whole = true;
        if (same > best.length) best = q.slice(0, same);
      }
      // A short shared opening ("Marco Schmidt (VP Operations)") is a quote of something else, not a cut.
      if (whole || best.length < MIN_CUT) continue;
      const after = text.slice(at + best.length, at + best.length + 2);
      if (!after.includes("…")) problems.push(`“${best}” then “${after}”`);
    }
  return problems;
}

/** How many items a surface lists: bullet lines, rows with a due date, or accounts with a band. */
function itemsShown(all: string): number {
  const bullets = all.split("\n").filter((line) => /^\s*(•|\d+\.)\s/.test(line)).length;
  const dated = all.match(/\bdue \d{1,2} [A-Z][a-z]{2} \d{4}/g)?.length ?? 0;
  const banded = all.match(/:(red_circle|large_yellow_circle|large_green_circle):/g)?.length ?? 0;
  return Math.max(bullets, dated, banded);
}

/** "N tasks" or "N accounts" claimed where fewer are listed and nothing says how to see the rest. */
function overclaims(r: Rendered): string[] {
  const all = textsOf(r.blocks).join("\n");
  const shown = itemsShown(all);
  const saysMore = /Showing \d+(?:[–-]\d+)? of \d+|…and \d+ more|and \d+ more|See all|page \d+/i.test(all);
  if (!shown || saysMore) return [];
  return [...all.matchAll(/\b(\d+) (?:new |open )?(?:playbook )?(tasks?|accounts?|items?)\b/g)]
    .filter((m) => Number(m[1]) > shown)
    .map((m) => `${r.surface}: says “${m[0]}”, shows ${shown}`);
}

describe("every message and view Pulse sends, with the demo", () => {
  it("covers the surfaces", () => {
    expect(rendered.length).toBeGreaterThan(30);
    expect(sources.length).toBeGreaterThan(1000);
  });

  it("stays within Block Kit's limits", () => {
    expect(rendered.flatMap(limitProblems)).toEqual([]);
  });

  it("never cuts people's text without a marker", () => {
    const byPrefix = new Map<string, string[]>();
    for (const source of new Set(sources)) {
      const quoted = escapeMrkdwn(source);
      byPrefix.set(quoted.slice(0, PREFIX), [...(byPrefix.get(quoted.slice(0, PREFIX)) ?? []), quoted]);
    }
    const problems: string[] = [];
    for (const r of rendered)
      for (const text of [...textsOf(r.blocks), r.text ?? ""])
        if (text.length >= PREFIX) for (const cut of silentCuts(text, byPrefix)) problems.push(`${r.surface}: ${cut}`);
    expect([...new Set(problems)].slice(0, 5)).toEqual([]);
  });

  it("answers every button it shows with a registered listener", () => {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    const record = (id: unknown) => {
      if (typeof id === "string") exact.add(id);
      else if (id instanceof RegExp) patterns.push(id);
      else if (id && typeof id === "object" && "action_id" in id) record((id as { action_id: unknown }).action_id);
    };
    const app = new Proxy({} as Record<string, unknown>, {
      get: (_target, property) => (property === "action" ? (id: unknown) => record(id) : () => undefined),
    }) as unknown as App;
    const ctx: AppContext = testContext(t.db, { url: t.url });
    for (const register of [
      registerViewListeners,
      registerActionListeners,
      registerDigestActionListeners,
      registerTaskActionListeners,
      registerStageActionListeners,
      registerChannelLinkActionListeners,
      registerModelActionListeners,
      registerEraseContactActionListeners,
      registerImportListeners,
      registerChurnListeners,
      registerPlanListeners,
    ])
      register(app, ctx);
    expect(exact.size).toBeGreaterThan(10);
    const shown = rendered.flatMap((r) => clickables(r.blocks).map((c) => ({ ...c, surface: r.surface })));
    expect(shown.length).toBeGreaterThan(20);
    const unanswered = shown
      .filter((c) => !exact.has(c.action_id) && !patterns.some((p) => p.test(c.action_id)))
      .map((c) => `${c.surface}: ${c.type} ${c.action_id}`);
    expect([...new Set(unanswered)]).toEqual([]);
  });

  it("never claims more items than a list shows without saying how to see the rest", () => {
    // The check itself: a list that claims more than it shows is caught, one that says so is not.
    const row = (i: number) => ({
      type: "section",
      text: { type: "mrkdwn", text: `*Task ${i}* — Acme, due 4 Dec 2026` },
    });
    const claiming = (extra: string) => ({
      surface: "sample",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "5 new playbook tasks" } },
        row(1),
        row(2),
        ...(extra ? [{ type: "context", elements: [{ type: "mrkdwn", text: extra }] }] : []),
      ],
    });
    expect(overclaims(claiming(""))).toHaveLength(1);
    expect(overclaims(claiming("Showing 2 of 5"))).toEqual([]);
    expect(rendered.flatMap(overclaims)).toEqual([]);
  });
});
