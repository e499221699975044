// Small hand-made portfolios for scoring tests, filled set-based with SQL.
import type { Db } from "../../src/db/client.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";

export const testConfig = parseConfig({ LOG_LEVEL: "silent" });
export const silentLogger = createLogger("silent");

export async function createWorkspace(db: Db, teamId: string, settings: object = {}): Promise<number> {
  const w = await db.workspace.create({ data: { slackTeamId: teamId, name: `Test ${teamId}`, settings } });
  return w.id;
}

export interface AccountSpec {
  externalId: string;
  seats?: number;
  stage?: "orientation" | "onboarding" | "adoption" | "maturity" | "development";
  createdAt: Date;
  status?: "active" | "churned";
  churnedAt?: Date;
}

export async function createAccount(db: Db, workspaceId: number, spec: AccountSpec): Promise<number> {
  const a = await db.account.create({
    data: {
      workspaceId,
      externalId: spec.externalId,
      name: `Account ${spec.externalId}`,
      seats: spec.seats ?? 100,
      stage: spec.stage ?? "maturity",
      createdAt: spec.createdAt,
      status: spec.status ?? "active",
      churnedAt: spec.churnedAt ?? null,
    },
  });
  return a.id;
}

/** One usage row per day in [from, to): `active` users, as many logins, three modules. */
export async function fillUsage(
  db: Db,
  workspaceId: number,
  accountId: number,
  from: Date,
  to: Date,
  active: number,
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "usage_daily" ("workspaceId", "accountId", "day", "activeUsers", "logins", "seats", "modules", "source")
    SELECT ${workspaceId}, ${accountId}, d::date, ${active}, ${active}, NULL, '{"dashboards": 3, "reports": 2, "alerts": 1}'::jsonb, 'import'
    FROM generate_series(${from}::timestamptz, ${to}::timestamptz - interval '1 day', interval '1 day') AS d
    ON CONFLICT ("workspaceId", "accountId", "day") DO UPDATE SET "activeUsers" = EXCLUDED."activeUsers", "logins" = EXCLUDED."logins"`;
}

export async function addTouchpoint(db: Db, workspaceId: number, accountId: number, occurredAt: Date): Promise<void> {
  await db.touchpoint.create({
    data: {
      workspaceId,
      accountId,
      kind: "call",
      occurredAt,
      stakeholderTypes: ["sponsor", "end_user", "implementer"],
      sentiment: "positive",
      source: "import",
    },
  });
}

export async function addNps(
  db: Db,
  workspaceId: number,
  accountId: number,
  score: number,
  respondedAt: Date,
): Promise<void> {
  await db.surveyResponse.create({
    data: { workspaceId, accountId, kind: "nps", score, respondedAt, source: "import" },
  });
}
