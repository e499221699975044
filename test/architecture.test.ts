// Imports run one way: cli → main → jobs → slack / http → services → db → domain
// (/work/shared/STYLE.md, "Imports run one way"). This reads every source file's imports —
// static, `export … from` and dynamic import() — resolves them to a folder under src/, and
// fails naming each file that reaches upward.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** Relative specifiers of a file's imports (packages are not layers). */
function importSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]!).filter((s) => s.startsWith("."));
}

/** The layer (first folder under src/, or the file name for top-level files) a path lies in. */
function layerOf(absolutePath: string): string {
  const rel = relative(SRC, absolutePath);
  if (rel.startsWith("..")) return "outside-src";
  const first = rel.split(sep)[0]!;
  return first.replace(/\.(ts|js|mts|mjs)$/, "");
}

interface Import {
  file: string;
  target: string;
  layer: string;
}

function importsOf(layer: string): Import[] {
  return sourceFiles(join(SRC, layer)).flatMap((file) =>
    importSpecifiers(readFileSync(file, "utf8")).map((spec) => {
      const target = resolve(dirname(file), spec);
      return { file: relative(ROOT, file), target: relative(ROOT, target), layer: layerOf(target) };
    }),
  );
}

function violations(from: string[], forbidden: string[]): string[] {
  return from.flatMap((layer) =>
    importsOf(layer)
      .filter((i) => forbidden.includes(i.layer))
      .map((i) => `${i.file} imports ${i.target}`),
  );
}

describe("import direction", () => {
  it("finds imports of every form (the check itself can fail)", () => {
    const source = [
      'import { a } from "../slack/block-kit.js";',
      'import type { B } from "../../http/server.js";',
      'export { c } from "./c.js";',
      'const d = await import("../jobs/d.js");',
      'import "./side-effect.js";',
      'import { z } from "zod";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual([
      "../slack/block-kit.js",
      "../../http/server.js",
      "./c.js",
      "../jobs/d.js",
      "./side-effect.js",
    ]);
  });

  it("services, db and domain never import slack or http", () => {
    expect(violations(["services", "db", "domain"], ["slack", "http"])).toEqual([]);
  });

  it("domain never imports services or db", () => {
    expect(violations(["domain"], ["services", "db"])).toEqual([]);
  });

  it("nothing below jobs imports jobs, cli or main", () => {
    expect(violations(["slack", "http", "services", "db", "domain"], ["jobs", "cli", "main"])).toEqual([]);
  });
});

// Everything Pulse sends to Slack goes through the port (src/services/slack-port.ts): its
// timeouts, bounded retries, shared-channel guard and escaping are skipped by a listener or
// a command that calls the Web API itself.
const DIRECT_WEB_API =
  /\b(?:client|app\.client)\s*\.\s*(?:chat|views|users|conversations|files|filesUploadV2|canvases|reactions|pins|bookmarks|apiCall)\b|\bargs\s*\.\s*client\b|\bslackClientFor\s*\(|\bnew\s+WebClient\b|from\s+["']@slack\/web-api["']/;

/** Lines of a source that talk to Slack's Web API without the port (comments aside). */
function directWebApiCalls(source: string): string[] {
  return source
    .split("\n")
    .filter((line) => !/^\s*(?:\/\/|\*|\/\*)/.test(line))
    .filter((line) => DIRECT_WEB_API.test(line))
    .map((line) => line.trim());
}

describe("outgoing Slack calls", () => {
  it("finds a direct Web API call in every form (the check itself can fail)", () => {
    const source = [
      "await args.client.views.open({ trigger_id, view });",
      "await client.chat.postMessage({ channel, text });",
      "const c = await slackClientFor(ctx, workspace.id);",
      'import type { WebClient } from "@slack/web-api";',
      "await client.canvases.access.set({ canvas_id });",
      "// client.chat.postMessage in a comment says why, it calls nothing",
      "await pulse.slack.openView(triggerId, view);",
      "await slack.dm(user, message);",
    ].join("\n");
    expect(directWebApiCalls(source)).toHaveLength(5);
  });

  it("listeners and commands send to Slack only through the port", () => {
    const offenders = ["slack/listeners", "slack/commands"].flatMap((dir) =>
      sourceFiles(join(SRC, dir)).flatMap((file) =>
        directWebApiCalls(readFileSync(file, "utf8")).map((line) => `${relative(ROOT, file)}: ${line}`),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
