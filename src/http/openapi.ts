// The ingestion API described: an OpenAPI 3.1 document built from zod schemas with zod 4's
// JSON Schema output (draft 2020-12, the dialect OpenAPI 3.1 uses), served without a key at
// GET /api/v1/openapi.json. The request schemas describe what the routes accept; the
// per-item rules (the accounts and churns CSV's fields, Segment's message types) are
// checked by the services, which answer 422 with each refusal.
// test/http/openapi.test.ts checks that every route in ingestion-routes.ts and every status
// it can answer is here.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { MAX_ACCOUNTS_PER_REQUEST } from "../services/ingest-accounts.js";
import { MAX_CHURNS_PER_REQUEST } from "../services/ingest-churns.js";
import { MAX_EVENTS_PER_BATCH } from "../services/ingest-events.js";
import { sendJson, type Route } from "./server.js";

export const OPENAPI_PATH = "/api/v1/openapi.json";

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

const segmentMessage = z
  .looseObject({
    type: z
      .enum(["track", "page", "screen", "group", "identify", "alias"])
      .describe(
        "track, page and screen are activity; group ties a user to an account; identify and alias are accepted and ignored.",
      ),
    messageId: z
      .string()
      .optional()
      .describe("Idempotency key: a retried message is stored once. Derived from the content when absent."),
    userId: z.string().optional(),
    anonymousId: z.string().optional(),
    event: z.string().optional().describe("track: the event name (logins and modules are counted from it)."),
    groupId: z.string().optional().describe("group: the account's external id (or domain)."),
    timestamp: z.string().optional().describe("ISO 8601; else originalTimestamp, sentAt, the time of receipt."),
    properties: z.record(z.string(), z.unknown()).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    traits: z.record(z.string(), z.unknown()).optional(),
  })
  .describe("A Segment message.");

const eventsBody = z.union([
  segmentMessage,
  z.array(segmentMessage).max(MAX_EVENTS_PER_BATCH),
  z.looseObject({ batch: z.array(segmentMessage).max(MAX_EVENTS_PER_BATCH) }),
]);

const accountItem = z
  .looseObject({
    externalId: z.string().describe("The account's id in your CRM: the upsert key."),
    name: z.string().optional(),
    domain: z.string().optional(),
    segment: z.string().optional(),
    owner: z.string().optional().describe("A Slack user id (U…) or the exact name of a Pulse user."),
    arr: z.union([z.number().min(0), z.string()]).optional(),
    currency: z.string().length(3).optional(),
    seats: z.union([z.number().int().min(0), z.string()]).optional(),
    stage: z.string().optional(),
    status: z.string().optional(),
    plan: z.string().max(100).optional(),
    billingTerm: z.string().optional(),
  })
  .describe("An account, with the fields and rules of the accounts CSV (docs/ingestion.md).");

const accountsBody = z.union([
  accountItem,
  z.array(accountItem).max(MAX_ACCOUNTS_PER_REQUEST),
  z.looseObject({ accounts: z.array(accountItem).max(MAX_ACCOUNTS_PER_REQUEST) }),
]);

const churnItem = z
  .looseObject({
    accountId: z.string().optional().describe("The account's external id (or externalId)."),
    externalId: z.string().optional(),
    churnedOn: z.string().describe("YYYY-MM-DD"),
    kind: z.enum(["full", "partial"]).optional(),
    arrLost: z
      .union([z.number().min(0), z.string()])
      .optional()
      .describe("Required for a partial churn."),
    reason: z.string().optional(),
    wonBackOn: z.string().optional().describe("YYYY-MM-DD, after churnedOn."),
  })
  .describe("A churn, with the fields and rules of the churns CSV (docs/ingestion.md).");

const churnsBody = z.union([
  churnItem,
  z.array(churnItem).max(MAX_CHURNS_PER_REQUEST),
  z.looseObject({ churns: z.array(churnItem).max(MAX_CHURNS_PER_REQUEST) }),
]);

const errorBody = z.object({
  error: z.object({
    code: z.string().describe("A stable, machine-readable code (listed per status)."),
    message: z.string(),
    requestId: z.string().optional(),
  }),
});

const refusal = z.object({ index: z.number().int().min(0), reason: z.string() });

const upsertCounts = {
  received: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
};
const eventCounts = {
  received: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  ignored: z.number().int(),
};

function partialBody(counts: Record<string, z.ZodType>) {
  return z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(refusal) }), ...counts });
}

const schemas = {
  EventsRequest: eventsBody,
  AccountsRequest: accountsBody,
  ChurnsRequest: churnsBody,
  Error: errorBody,
  EventsResult: z.object({ success: z.literal(true), ...eventCounts }),
  EventsPartial: partialBody(eventCounts),
  UpsertResult: z.object({ success: z.literal(true), ...upsertCounts }),
  UpsertPartial: partialBody(upsertCounts),
} satisfies Record<string, z.ZodType>;

type SchemaName = keyof typeof schemas;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ "application/json": { schema: ref(name) } });

function errorResponse(description: string, codes: string[], headers?: Record<string, unknown>) {
  return {
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(", ")}.`,
    content: json("Error"),
    ...(headers ? { headers } : {}),
  };
}

/** What every authenticated ingestion route can answer besides its own 200 and 422. */
function commonErrors(tooMany: string) {
  return {
    "400": errorResponse("The body is not JSON, or not of the shape this route takes.", [
      "malformed_json",
      "malformed_body",
    ]),
    "401": errorResponse("No API key, or one Pulse does not know.", ["unauthorized"], {
      "WWW-Authenticate": { schema: { type: "string" } },
    }),
    "403": errorResponse("The key was revoked, or Pulse is no longer installed in its workspace.", [
      "key_revoked",
      "workspace_inactive",
    ]),
    "413": errorResponse("Over 5 MB (unpacked) or over the item limit.", ["payload_too_large", tooMany]),
    "415": errorResponse("A Content-Encoding other than identity, gzip or deflate.", ["unsupported_encoding"]),
    "429": errorResponse("Over the key's request rate.", ["rate_limited"], {
      "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } },
    }),
    "500": errorResponse("Pulse failed; nothing was recorded. Retry.", ["internal"]),
  };
}

function ingestOperation(options: {
  summary: string;
  description: string;
  request: SchemaName;
  result: SchemaName;
  partial: SchemaName;
  refused: string;
  tooMany: string;
}) {
  return {
    post: {
      summary: options.summary,
      description: options.description,
      security: [{ bearer: [] }, { basic: [] }],
      requestBody: { required: true, content: json(options.request) },
      responses: {
        "200": { description: "Every item was taken.", content: json(options.result) },
        "422": {
          description: `Some items were refused (\`${options.refused}\`), each listed in error.details by index; the others were taken.`,
          content: json(options.partial),
        },
        ...commonErrors(options.tooMany),
      },
    },
  };
}

export function buildOpenApiDocument(version = PACKAGE_VERSION): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Pulse ingestion API",
      version,
      description:
        "Usage events (Segment's format), accounts and churns for one workspace, chosen by the API key. See docs/ingestion.md.",
      license: { name: "MIT", identifier: "MIT" },
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths: {
      "/api/v1/events": ingestOperation({
        summary: "Send usage events",
        description: `One Segment message, an array, or {"batch": [...]}; at most ${MAX_EVENTS_PER_BATCH} events. Idempotent by messageId.`,
        request: "EventsRequest",
        result: "EventsResult",
        partial: "EventsPartial",
        refused: "invalid_events",
        tooMany: "too_many_events",
      }),
      "/api/v1/accounts": ingestOperation({
        summary: "Upsert accounts by externalId",
        description: `One account, an array, or {"accounts": [...]}; at most ${MAX_ACCOUNTS_PER_REQUEST}.`,
        request: "AccountsRequest",
        result: "UpsertResult",
        partial: "UpsertPartial",
        refused: "invalid_accounts",
        tooMany: "too_many_accounts",
      }),
      "/api/v1/churns": ingestOperation({
        summary: "Record churn history",
        description: `One churn, an array, or {"churns": [...]}; at most ${MAX_CHURNS_PER_REQUEST}.`,
        request: "ChurnsRequest",
        result: "UpsertResult",
        partial: "UpsertPartial",
        refused: "invalid_churns",
        tooMany: "too_many_churns",
      }),
      [OPENAPI_PATH]: {
        get: {
          summary: "This document",
          security: [],
          responses: {
            "200": {
              description: "The OpenAPI 3.1 document.",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
    },
    components: {
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => [
          name,
          jsonSchema(schema, name.endsWith("Request") ? "input" : "output"),
        ]),
      ),
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "Authorization: Bearer <Pulse API key> (pulse api-key create).",
        },
        basic: {
          type: "http",
          scheme: "basic",
          description: "The key as the username, empty password (Segment, RudderStack).",
        },
      },
    },
  };
}

/** GET /api/v1/openapi.json, without a key: a description is not data. */
export function openApiRoute(version = PACKAGE_VERSION): Route {
  const document = buildOpenApiDocument(version);
  return {
    method: "GET",
    path: OPENAPI_PATH,
    handler(_req, res) {
      sendJson(res, 200, document);
    },
  };
}
