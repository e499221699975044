// The ingestion API's OpenAPI document: valid OpenAPI 3.1, served without a key, and
// complete: every route ingestion-routes.ts registers and every status and error code the
// ingestion code can answer (read from its source, so a new one cannot be left out).
import { readFileSync } from "node:fs";
import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { parseConfig } from "../../src/config.js";
import { ingestionRoutes } from "../../src/http/ingestion-routes.js";
import { buildOpenApiDocument, OPENAPI_PATH } from "../../src/http/openapi.js";
import { createHttpServer, listen, type Route } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";

type Operation = { responses: Record<string, { description: string }>; security?: unknown[] };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

const document = buildOpenApiDocument() as unknown as Document;
// Building the routes touches no database; only their handlers would.
const ctx = { config: parseConfig({}), db: undefined, logger: createLogger("silent") } as unknown as AppContext;
const routes: Route[] = ingestionRoutes(ctx);

const source = (path: string) => readFileSync(new URL(`../../src/http/${path}`, import.meta.url), "utf8");
const ingestionSource = source("ingestion-routes.ts");
const bodySource = source("read-body.ts");

function statusesIn(text: string): Set<string> {
  const found = new Set<string>();
  // \s* between arguments: the formatter may break a long call over several lines.
  for (const m of text.matchAll(/(?:sendError|sendJson)\(\s*res,\s*(\d{3})/g)) found.add(m[1]!);
  for (const m of text.matchAll(/status: (\d{3})/g)) found.add(m[1]!);
  return found;
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("has every route ingestion-routes.ts registers, including POST /api/v1/churns", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        "POST /api/v1/events",
        "POST /api/v1/accounts",
        "POST /api/v1/churns",
        `GET ${OPENAPI_PATH}`,
      ]),
    );
    for (const route of routes)
      expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("lists, on every ingestion route, each status the routes, the body reader and the server's failure path can answer", () => {
    const statuses = new Set([...statusesIn(ingestionSource), ...statusesIn(bodySource), "500"]);
    expect([...statuses].sort()).toEqual(["200", "400", "401", "403", "413", "415", "422", "429", "500"]);
    for (const route of routes.filter((r) => r.method === "POST")) {
      const responses = Object.keys(document.paths[route.path]!.post!.responses);
      expect(responses.sort(), route.path).toEqual([...statuses].sort());
    }
  });

  it("names every error code the ingestion code sends", () => {
    const codes = new Set<string>();
    for (const m of ingestionSource.matchAll(/sendError\(\s*res,\s*(?:\d{3}|body\.status),\s*"([a-z_]+)"/g))
      codes.add(m[1]!);
    for (const m of bodySource.matchAll(/code: "([a-z_]+)"/g)) codes.add(m[1]!);
    // Batch answers name their kind: invalid_<noun> (422) and, for upserts, too_many_<noun> (413).
    for (const noun of ["events", "accounts", "churns"]) codes.add(`invalid_${noun}`);
    for (const noun of ["accounts", "churns"]) codes.add(`too_many_${noun}`);
    codes.add("internal");
    expect(codes.size).toBeGreaterThanOrEqual(14);
    const text = JSON.stringify(document);
    for (const code of codes) expect(text, code).toContain(`\`${code}\``);
  });
});

describe(`GET ${OPENAPI_PATH}`, () => {
  let server: ReturnType<typeof createHttpServer>;
  let port: number;
  beforeAll(async () => {
    server = createHttpServer({ routes, logger: createLogger("silent") });
    port = await listen(server, 0);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers without a key, with the document", async () => {
    const res = await fetch(`http://127.0.0.1:${port}${OPENAPI_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
