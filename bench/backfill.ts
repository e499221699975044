// Scoring the past at scale: 5,000 accounts with 400 days of daily usage (2M rows),
// touchpoints and surveys, scored as of 24 monthly days (`pulse score --from … --every
// 1mo`), each day from only the evidence before it. Measures, in one run, the backfill and
// its floor: one ordinary scoring run of today over the same data (the one-pass job), so
// `ratio_to_one_pass` is the backfill against 24 such runs. It runs under the `pulse`
// command's Node flags, as `pulse score --from` does. Prints one JSON line; BENCH_ACCOUNTS
// scales it down.
import pg from "pg";
import { parseConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { createLogger } from "../src/log.js";
import { backfillScores, scoreWorkspace } from "../src/services/score-accounts.js";
import { createBenchDatabase, reranUnderLauncherFlags, round, sampleRss } from "./_support.js";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 5_000);
const DAYS = 400;
const MONTHS = 24;
const TODAY = new Date("2026-11-01T00:00:00Z");

async function fill(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ws = (
      await client.query<{ id: number }>(
        `INSERT INTO "workspace" ("slackTeamId", "name", "updatedAt") VALUES ('T0BACKFILL', 'Bench', now()) RETURNING id`,
      )
    ).rows[0]!.id;
    await client.query(
      `INSERT INTO "account" ("workspaceId", "externalId", "name", "segment", "seats", "contractStart", "plan", "billingTerm", "arr", "createdAt", "updatedAt")
       SELECT $1, 'B-' || g, 'Account ' || g, (ARRAY['enterprise','mid-market','smb'])[1 + g % 3], 20 + g % 200,
              $2::date - (60 + g % 700), (ARRAY['basic','pro','enterprise'])[1 + g % 3], (ARRAY['monthly','annual']::"BillingTerm"[])[1 + g % 2],
              1000 * (1 + g % 50), now(), now()
       FROM generate_series(1, $3) g`,
      [ws, TODAY.toISOString().slice(0, 10), ACCOUNTS],
    );
    const { rows } = await client.query<{ lo: number; hi: number }>(
      `SELECT min(id) AS lo, max(id) AS hi FROM "account" WHERE "workspaceId" = $1`,
      [ws],
    );
    await client.query(
      `INSERT INTO "usage_daily" ("workspaceId", "accountId", "day", "activeUsers", "logins", "modules", "source", "updatedAt")
       SELECT $1, a, ($2::date - d), u, u + u / 2,
              (ARRAY['{"dashboards": 4}', '{"dashboards": 4, "reports": 2}', '{"dashboards": 4, "reports": 2, "alerts": 1}']::jsonb[])[1 + (a + d) % 3],
              'import', now()
       FROM generate_series(${DAYS}, 1, -1) d CROSS JOIN generate_series($3::int, $4::int) a
       CROSS JOIN LATERAL (SELECT greatest(0, ((20 + a % 200) * (0.2 + 0.5 * ((a * 7919 + d) % 100) / 100.0))::int) AS u) x`,
      [ws, TODAY.toISOString().slice(0, 10), rows[0]!.lo, rows[0]!.hi],
    );
    await client.query(
      `INSERT INTO "touchpoint" ("workspaceId", "accountId", "kind", "occurredAt", "stakeholderTypes", "sentiment", "source")
       SELECT $1, a, (ARRAY['call','meeting','email','support_escalation']::"TouchpointKind"[])[1 + (a + k) % 4],
              $2::timestamptz - make_interval(days => (a * 13 + k * 29) % 700), ARRAY['end_user']::"StakeholderType"[],
              (ARRAY['positive','neutral','negative']::"Sentiment"[])[1 + (a * k) % 3], 'import'
       FROM generate_series($3::int, $4::int) a CROSS JOIN generate_series(1, 8) k`,
      [ws, TODAY.toISOString(), rows[0]!.lo, rows[0]!.hi],
    );
    await client.query(
      `INSERT INTO "survey_response" ("workspaceId", "accountId", "kind", "score", "respondedAt", "source")
       SELECT $1, a, 'nps', (a * 7 + k) % 11, $2::timestamptz - make_interval(days => (a * 11 + k * 50) % 700), 'import'
       FROM generate_series($3::int, $4::int) a CROSS JOIN generate_series(1, 4) k`,
      [ws, TODAY.toISOString(), rows[0]!.lo, rows[0]!.hi],
    );
    await client.query("VACUUM ANALYZE");
    return ws;
  } finally {
    await client.end();
  }
}

export async function run(): Promise<void> {
  if (reranUnderLauncherFlags()) return;
  const database = await createBenchDatabase("backfill");
  try {
    const ws = await fill(database.url);
    const db = createDb(database.url);
    const ctx = {
      db,
      logger: createLogger("silent"),
      config: parseConfig({ LOG_LEVEL: "silent" }),
      databaseUrl: database.url,
    };
    const peak = sampleRss();
    let started = performance.now();
    await scoreWorkspace(ctx, ws, new Date(TODAY.getTime() + 2 * 3600_000), { trigger: "bench" });
    const onePass = (performance.now() - started) / 1000;
    process.stderr.write(`one-pass scoring of today: ${onePass.toFixed(2)} s\n`);
    const from = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth() - MONTHS, 1));
    const to = new Date(Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth() - 1, 1));
    started = performance.now();
    const result = await backfillScores(ctx, ws, {
      from,
      to,
      everyMonths: 1,
      onDay: (d, n) => process.stderr.write(`\r  day ${d}/${n}`),
    });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write("\n");
    await db.$disconnect();
    console.log(
      JSON.stringify({
        scenario: "backfill",
        accounts: ACCOUNTS,
        usage_rows: ACCOUNTS * DAYS,
        as_of_days: result.days,
        seconds: round(seconds),
        rows_scored: result.snapshots,
        peak_rss_mb: peak(),
        one_pass_seconds: round(onePass),
        ratio_to_one_pass: round(seconds / (result.days * onePass)),
      }),
    );
  } finally {
    await database.drop();
  }
}
