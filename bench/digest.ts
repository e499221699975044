// `npm run bench -- digest`: 500 subscriptions over 100,000 scored accounts. Builds every
// digest (queries and blocks, no posting) the way a tick does: the workspace's evidence is
// gathered once and shared; each subscription filters, composes and renders.
import pg from "pg";
import { createDb } from "../src/db/client.js";
import { gatherDigestAccounts } from "../src/services/digest-data.js";
import { buildDigest } from "../src/services/digests.js";
import { renderMessageView } from "../src/slack/views/messages.js";
import { createLogger } from "../src/log.js";
import { createBenchDatabase, round } from "./_support.js";

const ACCOUNTS = 100_000;
const SUBSCRIPTIONS = 500;
const CSMS = 100;

async function fill(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO workspace ("slackTeamId", name, "updatedAt") VALUES ('TBENCH', 'Bench', now())`);
  await c.query(
    `INSERT INTO app_user ("workspaceId", "slackUserId", role, "updatedAt") SELECT 1, 'U' || g, 'csm', now() FROM generate_series(1, ${CSMS}) g`,
  );
  await c.query(`
    INSERT INTO account ("workspaceId", name, domain, segment, "ownerId", arr, stage, "renewalDate", "updatedAt")
    SELECT 1, 'Account ' || g, 'a' || g || '.example', (ARRAY['enterprise','mid-market','smb'])[1 + g % 3], 1 + g % ${CSMS},
           1000 + (g % 500) * 200, (ARRAY['onboarding','adoption','maturity'])[1 + g % 3]::"LifecycleStage", current_date + (g % 365), now()
      FROM generate_series(1, ${ACCOUNTS}) g`);
  const reasons = JSON.stringify([
    {
      component: "usage",
      impact: -12,
      text: "Weekly active users fell 30% against the previous 30 days",
      code: "usage.wau_drop",
    },
  ]);
  for (const [day, shift] of [
    ["current_date - 1", 0],
    ["current_date", 7],
  ] as const) {
    await c.query(
      `
      INSERT INTO health_snapshot ("workspaceId", "accountId", "scoredOn", score, band, components, reasons, "modelVersion")
      SELECT 1, g, ${day}, s, CASE WHEN s >= 70 THEN 'green' WHEN s >= 50 THEN 'yellow' ELSE 'red' END::"HealthBand", '{}', $1::jsonb, 'bench'
        FROM (SELECT g, (g * 37 + ${shift} * (g % 5)) % 100 AS s FROM generate_series(1, ${ACCOUNTS}) g) x`,
      [reasons],
    );
  }
  await c.query(
    `INSERT INTO touchpoint ("workspaceId", "accountId", kind, "occurredAt", "stakeholderTypes") SELECT 1, g, 'call', now() - (g % 60) * interval '1 day', '{sponsor}' FROM generate_series(1, ${ACCOUNTS}, 2) g`,
  );
  await c.query(
    `INSERT INTO survey_response ("workspaceId", "accountId", kind, score, comment, "respondedAt") SELECT 1, g, 'nps', g % 11, 'comment', now() - interval '2 hours' FROM generate_series(1, ${ACCOUNTS}, 97) g`,
  );
  await c.query(`
    INSERT INTO digest_subscription ("workspaceId", "channelId", "createdById", "ownerFilterId", segment, bands, "postAtMinutes", timezone, "updatedAt")
    SELECT 1, 'C' || g, 1, CASE WHEN g % 5 = 0 THEN NULL ELSE 1 + g % ${CSMS} END, CASE WHEN g % 7 = 0 THEN 'enterprise' END,
           '{red,yellow}', 540, 'Europe/Paris', now()
      FROM generate_series(1, ${SUBSCRIPTIONS}) g`);
  await c.query("ANALYZE");
  await c.end();
}

export async function run(): Promise<void> {
  const database = await createBenchDatabase("digest");
  try {
    await fill(database.url);
    const db = createDb(database.url);
    const ctx = { db, logger: createLogger("silent") };
    const subs = await db.digestSubscription.findMany({ orderBy: { id: "asc" } });
    const now = new Date();
    const started = performance.now();
    const accounts = await gatherDigestAccounts(db, 1, now);
    const gathered = performance.now();
    let blocks = 0;
    for (const sub of subs) {
      const built = renderMessageView((await buildDigest(ctx, sub, accounts, now, "2026-11-23")).view);
      blocks = Math.max(blocks, built.blocks?.length ?? 0);
    }
    const seconds = (performance.now() - started) / 1000;
    await db.$disconnect();
    console.log(
      JSON.stringify({
        scenario: "digest",
        subscriptions: subs.length,
        accounts: accounts.length,
        seconds: round(seconds, 2),
        per_digest_ms: round((seconds * 1000) / subs.length, 2),
        gather_seconds: round((gathered - started) / 1000, 2),
        max_blocks: blocks,
      }),
    );
  } finally {
    await database.drop();
  }
}
