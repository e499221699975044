import type { Server } from "node:http";
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app-context.js";
import { ingestionRoutes, MAX_BODY_BYTES } from "../../src/http/ingestion-routes.js";
import { TokenBucketLimiter } from "../../src/http/rate-limiter.js";
import { closeServer, createHttpServer, listen } from "../../src/http/server.js";
import { createApiKey, revokeApiKey } from "../../src/services/api-keys.js";
import { createWorkspace, testContext } from "../helpers/app-context.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

const NOW = new Date("2026-03-15T12:00:00Z");
let t: TestDatabase;
let ctx: AppContext;
let server: Server;
let base: string;
let limiter: TokenBucketLimiter;
let ws: number;
let key: string;

beforeAll(async () => {
  t = await createTestDatabase();
  ctx = testContext(t.db, {
    clock: () => NOW,
    env: { PULSE_MODULE_EVENTS: "Report Viewed=reports", PULSE_LOGIN_EVENTS: "Logged In,Signed In,login" },
  });
  server = createHttpServer({
    routes: ingestionRoutes(ctx, {
      limiter: { take: (k: string, now: number) => limiter.take(k, now) } as TokenBucketLimiter,
    }),
    logger: ctx.logger,
  });
  base = `http://127.0.0.1:${await listen(server, 0, "127.0.0.1")}`;
});
afterAll(async () => {
  await closeServer(server);
  await t.drop();
});
beforeEach(async () => {
  limiter = new TokenBucketLimiter(1000, 1000);
  ws = await createWorkspace(t.db);
  key = (await createApiKey(t.db, { workspaceId: ws, name: "segment", now: NOW })).key;
  await t.db.account.createMany({
    data: [
      { workspaceId: ws, externalId: "acme", name: "Acme", domain: "acme.example" },
      { workspaceId: ws, externalId: "globex", name: "Globex" },
    ],
  });
});

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${key}` }) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}

const track = (
  messageId: string,
  userId: string,
  event: string,
  timestamp: string,
  extra: Record<string, unknown> = {},
) => ({
  type: "track",
  messageId,
  userId,
  event,
  timestamp,
  context: { groupId: "acme" },
  ...extra,
});

async function usageRows(workspaceId = ws) {
  const rows = await t.db.usageDaily.findMany({
    where: { workspaceId },
    include: { account: true },
    orderBy: [{ accountId: "asc" }, { day: "asc" }],
  });
  return rows.map((r) => ({
    account: r.account.externalId,
    day: r.day.toISOString().slice(0, 10),
    activeUsers: r.activeUsers,
    logins: r.logins,
    modules: r.modules,
    source: r.source,
  }));
}

describe("POST /api/v1/events: authentication", () => {
  it("401 without a key or with a wrong one, 200 with Bearer or Segment-style Basic auth, 403 once revoked", async () => {
    const batch = { batch: [track("m1", "u1", "Logged In", "2026-03-14T10:00:00Z")] };
    const none = await post("/api/v1/events", batch, {});
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe("unauthorized");
    expect(none.headers.get("www-authenticate")).toMatch(/Bearer/);
    expect((await post("/api/v1/events", batch, { authorization: "Bearer pulse_sk_wrong" })).status).toBe(401);
    expect((await post("/api/v1/events", batch, { authorization: "Token abc" })).status).toBe(401);
    expect((await post("/api/v1/events", batch)).status).toBe(200);
    const basic = await post("/api/v1/events", batch, {
      authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
    });
    expect(basic.status).toBe(200);
    const keyRow = await t.db.apiKey.findFirstOrThrow({ where: { workspaceId: ws } });
    expect(keyRow.lastUsedAt).toEqual(NOW);
    await revokeApiKey(t.db, { workspaceId: ws, key: keyRow.id, now: NOW });
    const revoked = await post("/api/v1/events", batch);
    expect(revoked.status).toBe(403);
    expect(revoked.json).toEqual({ error: { code: "key_revoked", message: expect.stringContaining("revoked") } });
  });

  it("stores only a SHA-256 of the key and audits creation and revocation without it", async () => {
    const row = await t.db.apiKey.findFirstOrThrow({ where: { workspaceId: ws } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key);
    await revokeApiKey(t.db, { workspaceId: ws, key: row.prefix, now: NOW });
    const audit = await t.db.auditLog.findMany({ where: { workspaceId: ws }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["api_key.create", "api_key.revoke"]);
    expect(JSON.stringify(audit.map((a) => [a.details, a.entityId]))).not.toContain(key.slice(13));
  });
});

describe("POST /api/v1/events: roll-ups", () => {
  it("rolls events up into usage_daily exactly as counted by hand, through retries and late events", async () => {
    const events = [
      // 2026-03-13 for acme: users u1, u2 (u2 anonymous), logins 2, reports 2, billing 1
      track("e1", "u1", "Logged In", "2026-03-13T08:00:00Z"),
      track("e2", "u1", "Report Viewed", "2026-03-13T08:05:00Z"),
      track("e3", "u1", "Report Viewed", "2026-03-13T09:00:00Z", { properties: { module: "reports" } }),
      {
        type: "track",
        messageId: "e4",
        anonymousId: "anon-2",
        event: "signed_in",
        timestamp: "2026-03-13T23:59:59.999Z",
        context: { groupId: "acme" },
      },
      track("e5", "u1", "Invoice Sent", "2026-03-13T12:00:00Z", { properties: { module: "billing" } }),
      // 2026-03-14 for acme: u1 only; for globex (via properties.groupId): u3 with a login
      track("e6", "u1", "Dashboard Opened", "2026-03-14T00:00:00Z"),
      {
        type: "track",
        messageId: "e7",
        userId: "u3",
        event: "login",
        timestamp: "2026-03-14T10:00:00+02:00",
        properties: { groupId: "globex" },
      },
      // a page view counts as activity
      {
        type: "page",
        messageId: "e8",
        userId: "u4",
        name: "Home",
        timestamp: "2026-03-14T11:00:00Z",
        context: { groupId: "acme" },
      },
      // identify is accepted and ignored
      { type: "identify", messageId: "e9", userId: "u1", traits: { email: "u1@acme.example" } },
    ];
    const first = await post("/api/v1/events", { batch: events });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ success: true, received: 9, stored: 8, duplicates: 0, ignored: 1 });
    const expected = [
      {
        account: "acme",
        day: "2026-03-13",
        activeUsers: 2,
        logins: 2,
        modules: { reports: 2, billing: 1 },
        source: "api",
      },
      { account: "acme", day: "2026-03-14", activeUsers: 2, logins: 0, modules: {}, source: "api" },
      { account: "globex", day: "2026-03-14", activeUsers: 1, logins: 1, modules: {}, source: "api" },
    ];
    expect(await usageRows()).toEqual(expected);

    // A retry of the same batch changes nothing, not even updatedAt.
    const stamps = await t.db.usageDaily.findMany({
      where: { workspaceId: ws },
      select: { updatedAt: true },
      orderBy: [{ accountId: "asc" }, { day: "asc" }],
    });
    const retry = await post("/api/v1/events", { batch: events });
    expect(retry.json).toMatchObject({ stored: 0, duplicates: 8 });
    expect(await usageRows()).toEqual(expected);
    expect(
      await t.db.usageDaily.findMany({
        where: { workspaceId: ws },
        select: { updatedAt: true },
        orderBy: [{ accountId: "asc" }, { day: "asc" }],
      }),
    ).toEqual(stamps);
    expect(await t.db.usageEvent.count({ where: { workspaceId: ws } })).toBe(8);

    // A late event for 2026-03-13 from a new user: the day is recomputed, not incremented.
    const late = await post("/api/v1/events", track("e10", "u9", "Logged In", "2026-03-13T15:00:00Z"));
    expect(late.json).toMatchObject({ stored: 1 });
    expect((await usageRows())[0]).toEqual({ ...expected[0], activeUsers: 3, logins: 3 });
  });

  it("attributes events without a groupId to the account of the user's latest group call", async () => {
    const r1 = await post("/api/v1/events", {
      batch: [
        { type: "track", messageId: "t1", userId: "u1", event: "Clicked", timestamp: "2026-03-14T10:00:00Z" },
        {
          type: "group",
          messageId: "g1",
          userId: "u1",
          groupId: "ACME.example",
          timestamp: "2026-03-14T09:00:00Z",
          traits: { name: "Acme" },
        },
      ],
    });
    expect(r1.status).toBe(200);
    const r2 = await post("/api/v1/events", {
      type: "track",
      messageId: "t2",
      userId: "u1",
      event: "Clicked",
      timestamp: "2026-03-14T11:00:00Z",
    });
    expect(r2.json).toMatchObject({ stored: 1 });
    await post("/api/v1/events", {
      type: "group",
      messageId: "g2",
      userId: "u1",
      groupId: "globex",
      timestamp: "2026-03-14T12:00:00Z",
    });
    await post("/api/v1/events", {
      type: "track",
      messageId: "t3",
      userId: "u1",
      event: "Clicked",
      timestamp: "2026-03-14T13:00:00Z",
    });
    const stored = await t.db.usageEvent.findMany({
      where: { workspaceId: ws, type: "track" },
      include: { account: true },
      orderBy: { messageId: "asc" },
    });
    expect(stored.map((e) => [e.messageId, e.account?.externalId])).toEqual([
      ["t1", "acme"],
      ["t2", "acme"],
      ["t3", "globex"],
    ]);
  });

  it("keeps roll-ups exact when batches for the same account and day arrive at once", async () => {
    const batches = Array.from({ length: 6 }, (_, b) => ({
      batch: Array.from({ length: 50 }, (_, i) =>
        track(`c${b}-${i}`, `user-${(b * 50 + i) % 70}`, i % 5 === 0 ? "Logged In" : "Clicked", "2026-03-14T10:00:00Z"),
      ),
    }));
    const results = await Promise.all(batches.map((b) => post("/api/v1/events", b)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await usageRows()).toEqual([
      { account: "acme", day: "2026-03-14", activeUsers: 70, logins: 60, modules: {}, source: "api" },
    ]);
  });
});

describe("POST /api/v1/events: bad input", () => {
  it("stores the good events of a batch and reports each bad one by index with a reason (422)", async () => {
    const res = await post("/api/v1/events", {
      batch: [
        track("ok1", "u1", "Clicked", "2026-03-14T10:00:00Z"),
        { type: "track", messageId: "bad1", event: "Clicked", context: { groupId: "acme" } },
        track("bad2", "u1", "Clicked", "not a date"),
        track("bad3", "u1", "Clicked", "2025-01-01T00:00:00Z"),
        track("bad4", "u1", "Clicked", "2026-03-14T10:00:00Z", { context: { groupId: "initech" } }),
        { type: "track", messageId: "bad5", userId: "nobody", event: "Clicked", timestamp: "2026-03-14T10:00:00Z" },
        { type: "launch", messageId: "bad6", userId: "u1" },
        "not an object",
        track("ok2", "u2", "Clicked", "2026-03-14T10:00:00Z"),
      ],
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("invalid_events");
    expect(res.json.error.details.map((d: { index: number }) => d.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(res.json.error.details[0].reason).toBe("has neither userId nor anonymousId");
    expect(res.json.error.details[1].reason).toMatch(/timestamp "not a date" is not an ISO 8601/);
    expect(res.json.error.details[2].reason).toMatch(/older than the 90-day retention/);
    expect(res.json.error.details[3].reason).toMatch(/no account has external id or domain "initech"/);
    expect(res.json.error.details[4].reason).toMatch(/no groupId and no group call/);
    expect(res.json).toMatchObject({ received: 9, stored: 2 });
    expect(await t.db.usageEvent.count({ where: { workspaceId: ws } })).toBe(2);
  });

  it("refuses an event holding a NUL character, which PostgreSQL cannot store, and keeps the rest", async () => {
    const res = await post("/api/v1/events", {
      batch: [
        track("nul-ok", "u1", "Clicked", "2026-03-14T10:00:00Z", { properties: { note: "a literal \\u0000 is fine" } }),
        track("nul-bad", "u1", "Clicked", "2026-03-14T10:00:00Z", { properties: { note: "a\u0000b" } }),
      ],
    });
    expect(res.status).toBe(422);
    expect(res.json.error.details).toEqual([
      { index: 1, reason: "contains a NUL character (\\u0000), which cannot be stored" },
    ]);
    expect(res.json).toMatchObject({ stored: 1 });
  });

  it("400 for malformed JSON, 413 for bodies over 5 MB or batches over 10,000 events", async () => {
    const malformed = await post("/api/v1/events", "{ not json");
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe("malformed_json");

    const tooMany = await post("/api/v1/events", {
      batch: Array.from({ length: 10_001 }, (_, i) => ({ type: "identify", userId: `u${i}` })),
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error.code).toBe("too_many_events");

    const big = JSON.stringify({
      batch: [
        track("big", "u1", "Clicked", "2026-03-14T10:00:00Z", { properties: { blob: "x".repeat(5 * 1024 * 1024) } }),
      ],
    });
    const declared = await post("/api/v1/events", big);
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe("payload_too_large");
  });

  it("answers 413 to a streamed (chunked) body once it passes 5 MB", async () => {
    // The sender writes just past the limit and then waits for the answer before ending the
    // body, so nothing of ours is in flight when the server closes the connection: a write
    // racing that close could meet a reset that discards the 413 before it is read.
    const chunk = Buffer.alloc(256 * 1024, "x");
    const pastLimit = MAX_BODY_BYTES + chunk.length;
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let answered = false;
      const req = request(
        `${base}/api/v1/events`,
        { method: "POST", headers: { authorization: `Bearer ${key}`, "transfer-encoding": "chunked" } },
        (res) => {
          answered = true;
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("close", () => resolve({ status: res.statusCode!, body }));
          req.end();
        },
      );
      req.on("error", (error) => (answered ? undefined : reject(error)));
      let sent = 0;
      const pump = () => {
        while (sent < pastLimit) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      req.write('{"batch":["');
      pump();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe("payload_too_large");
  });

  it("accepts a gzip-compressed body", async () => {
    const res = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-encoding": "gzip", "content-type": "application/json" },
      body: gzipSync(JSON.stringify({ batch: [track("gz1", "u1", "Clicked", "2026-03-14T10:00:00Z")] })),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 1 });
  });

  it("429 with Retry-After once a key spends its burst; other keys are unaffected", async () => {
    limiter = new TokenBucketLimiter(0.5, 2);
    const body = { type: "identify", userId: "u1" };
    expect((await post("/api/v1/events", body)).status).toBe(200);
    expect((await post("/api/v1/events", body)).status).toBe(200);
    const limited = await post("/api/v1/events", body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.json.error.code).toBe("rate_limited");
    const other = (await createApiKey(t.db, { workspaceId: ws, name: "other", now: NOW })).key;
    expect((await post("/api/v1/events", body, { authorization: `Bearer ${other}` })).status).toBe(200);
  });
});

describe("POST /api/v1/accounts", () => {
  it("upserts accounts by external id with ARR history, and reports invalid ones (422)", async () => {
    const created = await post("/api/v1/accounts", {
      accounts: [
        { externalId: "initech", name: "Initech", arr: 12000, stage: "onboarding", domain: "initech.example" },
      ],
    });
    expect(created.json).toEqual({ success: true, received: 1, created: 1, updated: 0, unchanged: 0 });
    const again = await post("/api/v1/accounts", { externalId: "initech", name: "Initech", arr: "12000.00" });
    expect(again.json).toMatchObject({ unchanged: 1 });
    const mixed = await post("/api/v1/accounts", [
      { externalId: "initech", name: "Initech", arr: 15000 },
      { externalId: "bad", name: "Bad", arr: -1 },
      { name: "No id" },
      { externalId: "x", name: "X", renewalDate: "31/12/2026" },
    ]);
    expect(mixed.status).toBe(422);
    expect(mixed.json).toMatchObject({ received: 4, updated: 1 });
    expect(mixed.json.error.details).toEqual([
      { index: 1, reason: "arr: negative ARR -1: it must be 0 or more" },
      { index: 2, reason: expect.stringMatching(/no column for externalId/) },
      { index: 3, reason: 'renewalDate: bad date "31/12/2026": expected YYYY-MM-DD' },
    ]);
    const history = await t.db.arrChange.findMany({ where: { workspaceId: ws }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.kind, h.arrAfter.toString()])).toEqual([
      ["new_business", "12000"],
      ["expansion", "15000"],
    ]);
  });
});

describe("POST /api/v1/accounts: contract terms and attribute history", () => {
  it("sets plan, billing term, auto-renew and status, and records attribute history with source api", async () => {
    const res = await post("/api/v1/accounts", {
      externalId: "acme",
      name: "Acme",
      plan: "Pro",
      billingTerm: "yearly",
      autoRenew: false,
      seats: 40,
      status: "churned",
      churnedOn: "2026-02-01",
    });
    expect(res.json).toEqual({ success: true, received: 1, created: 0, updated: 1, unchanged: 0 });
    const acme = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "acme" } });
    expect([
      acme.plan,
      acme.billingTerm,
      acme.autoRenew,
      acme.seats,
      acme.status,
      acme.churnedAt?.toISOString().slice(0, 10),
    ]).toEqual(["Pro", "annual", false, 40, "churned", "2026-02-01"]);
    const changes = await t.db.accountAttributeChange.findMany({
      where: { workspaceId: ws, accountId: acme.id },
      orderBy: { attribute: "asc" },
    });
    expect(changes.map((c) => [c.attribute, c.value, c.source, c.effectiveOn.toISOString().slice(0, 10)])).toEqual([
      ["autoRenew", false, "api", "2026-03-15"],
      ["billingTerm", "annual", "api", "2026-03-15"],
      ["plan", "Pro", "api", "2026-03-15"],
      ["seats", 40, "api", "2026-03-15"],
    ]);
    expect(await t.db.churnEvent.count({ where: { workspaceId: ws, accountId: acme.id, source: "api" } })).toBe(1);
  });
});

describe("POST /api/v1/churns", () => {
  it("records churns (200), is idempotent on account and day, and lists refusals by index (422) while storing the rest", async () => {
    await t.db.account.update({
      where: { workspaceId_externalId: { workspaceId: ws, externalId: "acme" } },
      data: { arr: 24000 },
    });
    const first = await post("/api/v1/churns", {
      churns: [
        { accountId: "acme", churnedOn: "2026-01-31", kind: "full", reason: "too expensive" },
        {
          externalId: "globex",
          churnedOn: "2025-12-15",
          kind: "partial",
          arrLost: 500,
          reason: "champion_left",
          wonBackOn: "2026-02-01",
        },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ success: true, received: 2, created: 2, updated: 0, unchanged: 0 });
    const events = await t.db.churnEvent.findMany({
      where: { workspaceId: ws },
      include: { account: true },
      orderBy: { churnedOn: "asc" },
    });
    expect(
      events.map((e) => [
        e.account.externalId,
        e.kind,
        e.arrLost.toString(),
        e.primaryReason,
        e.reversedAt?.toISOString().slice(0, 10) ?? null,
        e.source,
        e.retroStatus,
      ]),
    ).toEqual([
      ["globex", "downgrade", "500", "champion_left", "2026-02-01", "api", "closed"],
      ["acme", "full", "24000", "budget_or_price", null, "api", "closed"],
    ]);
    const acme = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "acme" } });
    expect([acme.status, acme.churnedAt?.toISOString().slice(0, 10)]).toEqual(["churned", "2026-01-31"]);

    const again = await post("/api/v1/churns", [
      { accountId: "acme", churnedOn: "2026-01-31", kind: "full", reason: "too expensive" },
    ]);
    expect(again.json).toMatchObject({ success: true, created: 0, unchanged: 1 });

    const mixed = await post("/api/v1/churns", [
      { accountId: "acme", churnedOn: "2026-01-31", wonBackOn: "2026-03-01" },
      { accountId: "nope", churnedOn: "2026-01-01" },
      { accountId: "globex", churnedOn: "2026-13-01" },
      { accountId: "globex", churnedOn: "2026-01-01", kind: "sideways" },
      { churnedOn: "2026-01-01" },
      "not an object",
    ]);
    expect(mixed.status).toBe(422);
    expect(mixed.json).toMatchObject({ received: 6, created: 0, updated: 1, error: { code: "invalid_churns" } });
    expect(mixed.json.error.details).toEqual([
      {
        index: 1,
        reason:
          'accountId: unknown account id "nope": create it first (POST /api/v1/accounts or pulse import accounts)',
      },
      { index: 2, reason: 'churnedOn: bad date "2026-13-01": expected YYYY-MM-DD' },
      { index: 3, reason: 'kind: unknown churn kind (full or partial) "sideways": expected one of full, downgrade' },
      { index: 4, reason: expect.stringMatching(/^no column for accountExternalId/) },
      { index: 5, reason: "is not a JSON object" },
    ]);
    const wonBack = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws, externalId: "acme" } });
    expect([wonBack.status, wonBack.churnedAt]).toEqual(["active", null]);
    expect((await post("/api/v1/churns", 42)).status).toBe(400);
    expect((await post("/api/v1/churns", { churns: [] }, {})).status).toBe(401);
  });
});

describe("workspace isolation", () => {
  it("a key of workspace A can neither attribute events to nor change accounts of workspace B", async () => {
    const otherWs = await createWorkspace(t.db, "B");
    await t.db.account.create({ data: { workspaceId: otherWs, externalId: "bcorp", name: "B Corp", arr: 500 } });
    const res = await post(
      "/api/v1/events",
      track("iso1", "u1", "Clicked", "2026-03-14T10:00:00Z", { context: { groupId: "bcorp" } }),
    );
    expect(res.status).toBe(422);
    expect(await t.db.usageEvent.count({ where: { workspaceId: otherWs } })).toBe(0);
    expect(await t.db.usageDaily.count({ where: { workspaceId: otherWs } })).toBe(0);

    const upsert = await post("/api/v1/accounts", { externalId: "bcorp", name: "Hijacked", arr: 0 });
    expect(upsert.json).toMatchObject({ created: 1 });
    const b = await t.db.account.findFirstOrThrow({ where: { workspaceId: otherWs, externalId: "bcorp" } });
    expect([b.name, b.arr.toString()]).toEqual(["B Corp", "500"]);
    expect(await t.db.account.count({ where: { workspaceId: ws, externalId: "bcorp" } })).toBe(1);

    // And the same messageId in two workspaces is two events, not a duplicate.
    const keyB = (await createApiKey(t.db, { workspaceId: otherWs, name: "b", now: NOW })).key;
    await post("/api/v1/events", track("shared-id", "u1", "Clicked", "2026-03-14T10:00:00Z"));
    const inB = await post(
      "/api/v1/events",
      track("shared-id", "u1", "Clicked", "2026-03-14T10:00:00Z", { context: { groupId: "bcorp" } }),
      { authorization: `Bearer ${keyB}` },
    );
    expect(inB.json).toMatchObject({ stored: 1 });
  });
});
