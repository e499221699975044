// The QBR pack on the demo portfolio: every figure it holds is recomputed here from the
// database for that quarter, and the customer version holds no internal field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { toCustomerPack, type QbrPackContent } from "../../src/domain/success-plan-qbr.js";
import { approveCustomerPack, buildQbrPack, composeQbrPack, parseQuarter } from "../../src/services/qbr-pack.js";
import { nightlyRunFor } from "../../src/jobs/score-accounts.js";
import { seedDemoWithHistory } from "../../src/services/seed-demo.js";
import { saveMilestone, saveObjective, setAdkarStage } from "../../src/services/success-plans.js";
import { qbrMarkdown } from "../../src/slack/views/qbr-pack.js";
import { testContext } from "../helpers/app-context.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { testConfig } from "../helpers/portfolio.js";

const NOW = new Date("2026-11-23T03:00:00Z");
const Q = { quarter: "2026-Q3", start: "2026-07-01", end: "2026-10-01", prevStart: "2026-04-01" };
const SECRET_NOTE = "INTERNAL: sponsor thinks the price is too high";
let t: TestDatabase;
let workspaceId: number;
let account: { id: number; name: string; ownerSlackId: string };
let pack: QbrPackContent;
let packId: number;
let buildMs = 0;

const round1 = (n: number) => Math.round(n * 10) / 10;

beforeAll(async () => {
  t = await createTestDatabase();
  const seedCtx = { ...testContext(t.db, { url: t.url, clock: () => NOW }), config: testConfig };
  workspaceId = (await seedDemoWithHistory(seedCtx, { now: NOW, nightly: nightlyRunFor(seedCtx, "seed-demo") }))
    .workspaceId;
  // The active account with the most touchpoints in the quarter: the fullest pack.
  const [row] = await t.db.$queryRaw<{ id: number; name: string; owner: string }[]>`
    SELECT a."id", a."name", u."slackUserId" AS "owner" FROM "account" a JOIN "app_user" u ON u."id" = a."ownerId"
     WHERE a."workspaceId" = ${workspaceId} AND a."status" = 'active'
     ORDER BY (SELECT count(*) FROM "touchpoint" t WHERE t."accountId" = a."id" AND t."occurredAt" >= ${Q.start}::date AND t."occurredAt" < ${Q.end}::date) DESC, a."id" LIMIT 1`;
  account = { id: row!.id, name: row!.name, ownerSlackId: row!.owner };
  const ctx = testContext(t.db, { url: t.url, clock: () => NOW });
  const actor = { workspaceId, slackUserId: account.ownerSlackId };
  const o = await saveObjective(ctx, actor, account.id, null, {
    title: "Cut report preparation from 3 days to 1",
    metric: "days to prepare the report",
    unit: "days",
    baseline: 3,
    target: 1,
    current: 2,
    measuredOn: new Date("2026-09-15T00:00:00Z"),
    targetDate: new Date("2027-03-31T00:00:00Z"),
    notes: SECRET_NOTE,
  });
  await saveMilestone(ctx, actor, account.id, null, {
    title: "Report templates live",
    owner: "Dana",
    dueOn: new Date("2026-09-01T00:00:00Z"),
    completedOn: new Date("2026-08-28T00:00:00Z"),
    objectiveId: o.id,
  });
  await saveMilestone(ctx, actor, account.id, null, {
    title: "Finance trained",
    owner: "Lee",
    dueOn: new Date("2026-11-01T00:00:00Z"),
    objectiveId: o.id,
  });
  await setAdkarStage(
    { db: t.db, clock: () => new Date("2026-08-10T09:00:00Z") },
    actor,
    account.id,
    "end_user",
    "knowledge",
  );
  await setAdkarStage(
    { db: t.db, clock: () => new Date("2026-09-20T09:00:00Z") },
    actor,
    account.id,
    "end_user",
    "ability",
  );
  await t.db.touchpoint.updateMany({
    where: { workspaceId, accountId: account.id, occurredAt: { gte: new Date(Q.start), lt: new Date(Q.end) } },
    data: { notes: `${SECRET_NOTE} (touchpoint)` },
  });
  const started = performance.now();
  const built = await buildQbrPack(ctx, actor, account.id, Q.quarter);
  buildMs = performance.now() - started;
  pack = built.content;
  packId = built.packId;
}, 300_000);
afterAll(async () => t.drop());

describe("the QBR pack", () => {
  it("is built in well under ten seconds on the demo portfolio (measured, reported, not asserted)", () => {
    console.info(`QBR pack for one demo account built in ${Math.round(buildMs)} ms`);
    expect(pack.quarter).toBe(Q.quarter);
    expect(pack.period).toMatchObject({ start: Q.start, end: "2026-09-30" });
  });

  it("holds only the quarter's health figures, band changes included", async () => {
    const rows = await t.db.$queryRaw<{ scoredOn: Date; score: number; band: string }[]>`
      SELECT "scoredOn", "score", "band"::text AS "band" FROM "health_snapshot" WHERE "workspaceId" = ${workspaceId} AND "accountId" = ${account.id}
         AND "scoredOn" >= ${Q.start}::date AND "scoredOn" < ${Q.end}::date ORDER BY "scoredOn"`;
    expect(rows.length).toBeGreaterThan(60);
    const h = pack.health!;
    expect(h.points.map((p) => p.score)).toEqual(rows.map((r) => r.score));
    expect([h.first, h.last, h.min, h.max]).toEqual([
      rows[0]!.score,
      rows.at(-1)!.score,
      Math.min(...rows.map((r) => r.score)),
      Math.max(...rows.map((r) => r.score)),
    ]);
    const changes = await t.db.$queryRaw<{ day: string; from: string; to: string }[]>`
      SELECT "scoredOn"::text AS "day", "prev" AS "from", "band" AS "to" FROM (
        SELECT "scoredOn", "band"::text AS "band", lag("band"::text) OVER (ORDER BY "scoredOn") AS "prev" FROM "health_snapshot"
         WHERE "workspaceId" = ${workspaceId} AND "accountId" = ${account.id} AND "scoredOn" >= ${Q.start}::date AND "scoredOn" < ${Q.end}::date) x
       WHERE "prev" IS NOT NULL AND "prev" <> "band" ORDER BY "scoredOn"`;
    expect(h.bandChanges).toEqual(changes);
    expect(h.cite.period).toBe("1 Jul 2026 to 30 Sep 2026");
  });

  it("holds the quarter's adoption, touchpoints and surveys as the database has them", async () => {
    const [usage] = await t.db.$queryRaw<{ share: number; days: number }[]>`
      SELECT avg(u."activeUsers"::float8 / nullif(coalesce(u."seats", a."seats"), 0)) AS "share", count(*)::int AS "days"
        FROM "usage_daily" u JOIN "account" a ON a."id" = u."accountId" WHERE u."accountId" = ${account.id} AND u."day" >= ${Q.start}::date AND u."day" < ${Q.end}::date`;
    expect(pack.adoption.activeSharePct).toBe(round1(usage!.share * 100));
    expect(pack.adoption.usageDays).toBe(usage!.days);
    const modules = await t.db.$queryRaw<{ name: string; uses: number }[]>`
      SELECT m.key AS "name", sum(m.value::int)::int AS "uses" FROM "usage_daily" u, jsonb_each_text(u."modules") m
       WHERE u."accountId" = ${account.id} AND u."day" >= ${Q.start}::date AND u."day" < ${Q.end}::date GROUP BY 1 HAVING sum(m.value::int) > 0 ORDER BY 2 DESC, 1`;
    expect(pack.adoption.modules).toEqual(modules);
    expect(pack.adoption.groups.find((g) => g.group === "end_user")).toMatchObject({
      stage: "ability",
      since: "2026-09-20",
      changes: [
        { day: "2026-08-10", from: null, to: "knowledge" },
        { day: "2026-09-20", from: "knowledge", to: "ability" },
      ],
    });

    const kinds = await t.db.$queryRaw<{ kind: string; n: number }[]>`
      SELECT "kind"::text AS "kind", count(*)::int AS "n" FROM "touchpoint" WHERE "accountId" = ${account.id} AND "occurredAt" >= ${Q.start}::date AND "occurredAt" < ${Q.end}::date GROUP BY 1`;
    expect(pack.touchpoints.total).toBe(kinds.reduce((s, k) => s + k.n, 0));
    expect(pack.touchpoints.total).toBeGreaterThan(0);
    expect(pack.touchpoints.byKind).toEqual(Object.fromEntries(kinds.map((k) => [k.kind, k.n])));

    const survey = (from: string, to: string) => t.db.$queryRaw<
      { nps: number | null; n_nps: number; csat: number | null; n_csat: number; ces: number | null; n_ces: number }[]
    >`
      SELECT round((100.0 * (count(*) FILTER (WHERE "kind" = 'nps' AND "score" >= 9) - count(*) FILTER (WHERE "kind" = 'nps' AND "score" <= 6)) / nullif(count(*) FILTER (WHERE "kind" = 'nps'), 0))::numeric, 1)::float8 AS "nps",
             count(*) FILTER (WHERE "kind" = 'nps')::int AS "n_nps",
             round((100.0 * count(*) FILTER (WHERE "kind" = 'csat' AND "score" >= 4) / nullif(count(*) FILTER (WHERE "kind" = 'csat'), 0))::numeric, 1)::float8 AS "csat",
             count(*) FILTER (WHERE "kind" = 'csat')::int AS "n_csat",
             round(avg("score") FILTER (WHERE "kind" = 'ces')::numeric, 2)::float8 AS "ces",
             count(*) FILTER (WHERE "kind" = 'ces')::int AS "n_ces"
        FROM "survey_response" WHERE "accountId" = ${account.id} AND "respondedAt" >= ${from}::date AND "respondedAt" < ${to}::date`;
    const [now] = await survey(Q.start, Q.end);
    const [before] = await survey(Q.prevStart, Q.start);
    expect(pack.surveys.nps).toEqual({
      value: now!.nps,
      responses: now!.n_nps,
      previous: before!.nps,
      previousResponses: before!.n_nps,
    });
    expect(pack.surveys.csat).toEqual({
      value: now!.csat,
      responses: now!.n_csat,
      previous: before!.csat,
      previousResponses: before!.n_csat,
    });
    expect(pack.surveys.ces).toEqual({
      value: now!.ces,
      responses: now!.n_ces,
      previous: before!.ces,
      previousResponses: before!.n_ces,
    });
  });

  it("holds the plan, the renewal and the ARR as stored, and proposes goals from what is still open", async () => {
    const stored = await t.db.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(pack.renewal).toMatchObject({
      arr: stored.arr.toFixed(2),
      currency: stored.currency,
      renewalDate: stored.renewalDate?.toISOString().slice(0, 10) ?? null,
    });
    const [o] = pack.objectives.items;
    expect(o).toMatchObject({
      baseline: 3,
      target: 1,
      current: 2,
      progressPct: 50,
      milestonesDone: 1,
      milestonesTotal: 2,
      measuredOn: "2026-09-15",
    });
    expect(pack.milestones.items.map((m) => m.state)).toEqual(["done", "overdue"]);
    expect(pack.nextQuarterGoals.items.map((g) => g.text)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("reach 1 days"),
        "Complete “Finance trained” (due 1 Nov 2026, overdue)",
      ]),
    );
    const openTasks = await t.db.playbookTask.count({
      where: { accountId: account.id, status: { in: ["open", "snoozed"] } },
    });
    expect(pack.risks!.openTasks.length).toBe(Math.min(20, openTasks));
  });

  it("cites a source and a period for every section, in the content and in the markdown", () => {
    const cites = [
      pack.objectives.cite,
      pack.milestones.cite,
      pack.health!.cite,
      pack.adoption.cite,
      pack.adoption.groupsCite,
      pack.touchpoints.cite,
      pack.surveys.cite,
      pack.risks!.cite,
      pack.renewal.cite,
      pack.nextQuarterGoals.cite,
    ];
    for (const c of cites) expect(c.source.length * c.period.length).toBeGreaterThan(0);
    const md = qbrMarkdown(pack);
    expect(md.match(/_Source: /g)?.length).toBe(cites.length + 1);
    expect(md).toContain(`Active share of seats: ${pack.adoption.activeSharePct}%`);
    if (pack.surveys.nps.value !== null)
      expect(md).toContain(`NPS: ${pack.surveys.nps.value} from ${pack.surveys.nps.responses}`);
  });

  // The pack is read by the customer too: its days are written as every date Pulse writes
  // ("1 Dec 2026"), and the sparkline is plain text (code draws every band in one colour).
  it("writes its days one way and draws the health trend as plain text", () => {
    const md = qbrMarkdown(pack);
    expect(md).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
    expect(md).toMatch(/Figures from \d{1,2} [A-Z][a-z]{2} 20\d\d to \d{1,2} [A-Z][a-z]{2} 20\d\d/);
    expect(md).not.toMatch(/`[▁▂▃▄▅▆▇█]/);
  });
});

describe("the customer version", () => {
  it("holds no score, no internal notes and no other account", async () => {
    const others = (
      await t.db.account.findMany({ where: { workspaceId, id: { not: account.id } }, select: { name: true } })
    ).map((a) => a.name);
    const customer = toCustomerPack(pack);
    const json = JSON.stringify(customer);
    const md = qbrMarkdown(customer);
    expect(customer.health).toBeNull();
    expect(customer.risks).toBeNull();
    for (const text of [json, md]) {
      expect(text).not.toContain("INTERNAL");
      expect(text).not.toMatch(/"score"|Health trend|Internal note|Risks and open tasks/);
      for (const name of others) expect(text.includes(name), name).toBe(false);
    }
    expect(md).toContain("Customer version");
    // The internal version did hold them.
    expect(qbrMarkdown(pack)).toContain("Internal note: INTERNAL");
  });

  it("is released only by approval of someone allowed, from the stored pack, once", async () => {
    const csm = await t.db.user.findFirstOrThrow({
      where: { workspaceId, role: "csm", slackUserId: { not: account.ownerSlackId } },
    });
    await expect(
      approveCustomerPack(t.db, { workspaceId, slackUserId: csm.slackUserId, role: "csm" }, packId, NOW),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await t.db.workspace.create({ data: { slackTeamId: "TQBROTHER", name: "Other" } });
    await expect(
      approveCustomerPack(
        t.db,
        { workspaceId: other.id, slackUserId: account.ownerSlackId, role: "admin" },
        packId,
        NOW,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(composeQbrPack(t.db, other.id, account.id, Q.quarter, NOW)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const approved = await approveCustomerPack(
      t.db,
      { workspaceId, slackUserId: account.ownerSlackId, role: "csm" },
      packId,
      addDays(NOW, 1),
    );
    expect(approved.alreadyApproved).toBe(false);
    expect(approved.content.audience).toBe("customer");
    expect(approved.content.adoption.activeSharePct).toBe(pack.adoption.activeSharePct);
    expect(
      (await approveCustomerPack(t.db, { workspaceId, slackUserId: account.ownerSlackId, role: "csm" }, packId, NOW))
        .alreadyApproved,
    ).toBe(true);
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "qbr.approve" } })).toBe(1);
    expect(await t.db.auditLog.count({ where: { workspaceId, action: "qbr.build" } })).toBe(1);
  });

  it("refuses quarters that are malformed or not started", () => {
    expect(() => parseQuarter("2026-Q5", NOW)).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining("is not a quarter: write it like 2026-Q4") }),
    );
    expect(() => parseQuarter("2027-Q1", NOW)).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining("has not started yet") }),
    );
    expect(parseQuarter(undefined, NOW).quarter).toBe("2026-Q4");
  });
});
