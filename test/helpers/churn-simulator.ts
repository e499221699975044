// A churn simulator the score was not designed with. Accounts live month by month: their
// active share of seats drifts, they use a number of modules, open support escalations,
// sometimes answer NPS, pay monthly or annually. Each month an account churns with a
// probability that follows a utility of those behaviours whose weights Pulse never sees
// (some good, some bad, one a sudden drop), plus churn at random. The `signal: false`
// variant churns at the same rate independent of any behaviour: a model that finds
// anything there is leaking. Some churners are won back two months later.
//
// Usage is written weekly (one row per account and week, carrying the week's totals), which
// keeps the database small; the 30-day windows the features read still sum a month of it.
import pg from "pg";
import { addDays, isoDay } from "../../src/domain/dates.js";
import { seededRandom } from "../../src/domain/health/model-validation.js";

export interface SimulationOptions {
  accounts: number;
  months: number;
  seed: number;
  /** false: churn independent of behaviour (the no-signal control). */
  signal?: boolean;
  /** First day of the simulation (UTC midnight). */
  start: Date;
  /** Monthly churn probability of an average account. */
  baseMonthlyChurn?: number;
}

export interface SimAccount {
  externalId: string;
  index: number;
  startedOn: Date;
  seats: number;
  plan: "basic" | "pro" | "enterprise";
  term: "monthly" | "annual";
  arr: number;
  churnedOn: Date | null;
  wonBackOn: Date | null;
}

export interface SimWeek {
  account: number;
  day: Date;
  activeUsers: number;
  logins: number;
  seats: number;
  modules: Record<string, number>;
}

export interface Simulation {
  accounts: SimAccount[];
  weeks: SimWeek[];
  escalations: { account: number; at: Date }[];
  calls: { account: number; at: Date }[];
  nps: { account: number; at: Date; score: number }[];
  end: Date;
}

/** The simulator draws from the same seeded generator the validation's bootstrap uses. */
export const mulberry = seededRandom;

const MODULES = ["reports", "dashboards", "alerts", "exports", "api", "workflows", "admin", "sso"];
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function simulate(options: SimulationOptions): Simulation {
  const rand = mulberry(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const poisson = (lambda: number) => {
    const limit = Math.exp(-lambda);
    let k = 0;
    for (let p = rand(); p > limit; p *= rand()) k++;
    return k;
  };
  const signal = options.signal ?? true;
  const base = options.baseMonthlyChurn ?? 0.03;
  const accounts: SimAccount[] = [];
  const weeks: SimWeek[] = [];
  const escalations: Simulation["escalations"] = [];
  const calls: Simulation["calls"] = [];
  const nps: Simulation["nps"] = [];
  const end = addDays(options.start, options.months * 30);
  for (let i = 0; i < options.accounts; i++) {
    // Accounts start over the first half of the simulation, so tenures differ.
    const startedOn = addDays(options.start, Math.floor(rand() * options.months * 15));
    const fit = normal();
    const frustration = rand();
    const seats = Math.max(3, Math.round(Math.exp(3 + normal() * 0.8)));
    const plan = rand() < 0.5 ? "basic" : rand() < 0.7 ? "pro" : "enterprise";
    const term = rand() < 0.45 ? "monthly" : "annual";
    const arr = Math.round(seats * (plan === "basic" ? 300 : plan === "pro" ? 600 : 1100));
    let share = clamp(0.25 + 0.15 * fit + normal() * 0.1, 0.02, 0.95);
    const drift = normal() * 0.015;
    const account: SimAccount = {
      externalId: `SIM-${i + 1}`,
      index: i,
      startedOn,
      seats,
      plan,
      term,
      arr,
      churnedOn: null,
      wonBackOn: null,
    };
    accounts.push(account);
    let previousShare = share;
    for (let month = 0; ; month++) {
      const monthStart = addDays(startedOn, month * 30);
      if (monthStart >= end) break;
      previousShare = share;
      share = clamp(share + drift + normal() * 0.04, 0.01, 0.98);
      const moduleCount = clamp(Math.round(1 + 4 * sigmoid(fit) + normal()), 1, MODULES.length);
      const tickets = poisson(0.15 + 0.9 * frustration * frustration);
      for (let w = 0; w < 4; w++) {
        const day = addDays(monthStart, w * 7 + 3);
        if (day >= end) break;
        const daily = Math.max(0, Math.round(seats * share * (0.9 + rand() * 0.2)));
        const modules: Record<string, number> = {};
        for (let m = 0; m < moduleCount; m++) modules[MODULES[m]!] = 1 + Math.floor(rand() * 20);
        weeks.push({
          account: i,
          day,
          activeUsers: daily * 7,
          logins: Math.round(daily * 7 * (1 + rand())),
          seats,
          modules,
        });
      }
      for (let t = 0; t < tickets; t++)
        escalations.push({ account: i, at: addDays(monthStart, Math.floor(rand() * 30)) });
      // CSM calls, independent of health: a touchpoint feed exists, but it carries no signal.
      if (rand() < 0.4) calls.push({ account: i, at: addDays(monthStart, Math.floor(rand() * 30)) });
      if (rand() < 0.25)
        nps.push({
          account: i,
          at: addDays(monthStart, 15),
          score: clamp(Math.round(7 + 1.2 * fit - 2.5 * frustration + normal() * 1.5), 0, 10),
        });
      // The hidden utility: low adoption, few modules, escalations, a sudden drop and a
      // monthly contract raise churn; everything else is noise.
      const utility = signal
        ? ((-2.2 * (share - 0.3)) / 0.2) * 0.5 -
          0.35 * (moduleCount - 3) +
          0.45 * tickets +
          6 * Math.max(0, previousShare - share) +
          (term === "monthly" ? 0.6 : -0.3)
        : 0;
      const hazard = signal ? 0.004 + sigmoid(Math.log(base / (1 - base)) + utility) : base;
      if (month > 0 && rand() < hazard) {
        account.churnedOn = addDays(monthStart, 15);
        if (rand() < 0.1) account.wonBackOn = addDays(account.churnedOn, 60);
        break;
      }
    }
  }
  return { accounts, weeks, escalations, calls, nps, end };
}

/**
 * Writes a simulation into a workspace with bulk statements: accounts (churned ones marked
 * so, with their ARR history), weekly usage, escalations, calls, NPS answers and churns.
 * Returns the account ids by simulation index.
 */
export async function writeSimulation(databaseUrl: string, workspaceId: number, sim: Simulation): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const ids: number[] = [];
    const chunk = <T>(list: T[], size: number) =>
      Array.from({ length: Math.ceil(list.length / size) }, (_, k) => list.slice(k * size, (k + 1) * size));
    for (const part of chunk(sim.accounts, 1000)) {
      const rows = part.map((a) => {
        const churned = a.churnedOn !== null && a.wonBackOn === null;
        return {
          e: a.externalId,
          n: `Sim ${a.index + 1}`,
          s: a.seats,
          arr: churned ? 0 : a.arr,
          cs: isoDay(a.startedOn),
          st: churned ? "churned" : "active",
          ch: churned ? isoDay(a.churnedOn!) : null,
          p: a.plan,
          t: a.term,
          c: isoDay(a.startedOn),
        };
      });
      const res = await client.query<{ id: number; externalId: string }>(
        `INSERT INTO "account" ("workspaceId", "externalId", name, seats, arr, "contractStart", status, "churnedAt", plan, "billingTerm", "createdAt", "updatedAt")
         SELECT $1, r.e, r.n, r.s, r.arr, r.cs::date, r.st::"AccountStatus", r.ch::date, r.p, r.t::"BillingTerm", r.c::timestamptz, now()
         FROM json_to_recordset($2::json) AS r(e text, n text, s int, arr numeric, cs text, st text, ch text, p text, t text, c text)
         RETURNING id, "externalId"`,
        [workspaceId, JSON.stringify(rows)],
      );
      const byExternal = new Map(res.rows.map((r) => [r.externalId, r.id]));
      for (const a of part) ids[a.index] = byExternal.get(a.externalId)!;
    }
    for (const part of chunk(sim.weeks, 5000)) {
      await client.query(
        `INSERT INTO "usage_daily" ("workspaceId", "accountId", day, "activeUsers", logins, seats, modules, source)
         SELECT $1, r.a, r.d::date, r.u, r.l, r.s, r.m, 'import' FROM json_to_recordset($2::json) AS r(a int, d text, u int, l int, s int, m jsonb)`,
        [
          workspaceId,
          JSON.stringify(
            part.map((w) => ({
              a: ids[w.account],
              d: isoDay(w.day),
              u: w.activeUsers,
              l: w.logins,
              s: w.seats,
              m: w.modules,
            })),
          ),
        ],
      );
    }
    const touches = [
      ...sim.escalations.map((t) => ({
        a: ids[t.account],
        k: "support_escalation",
        at: t.at.toISOString(),
        s: "negative",
      })),
      ...sim.calls.map((t) => ({ a: ids[t.account], k: "call", at: t.at.toISOString(), s: "neutral" })),
    ];
    for (const part of chunk(touches, 5000)) {
      await client.query(
        `INSERT INTO "touchpoint" ("workspaceId", "accountId", kind, "occurredAt", "stakeholderTypes", sentiment, source)
         SELECT $1, r.a, r.k::"TouchpointKind", r.at::timestamptz, ARRAY['end_user']::"StakeholderType"[], r.s::"Sentiment", 'import' FROM json_to_recordset($2::json) AS r(a int, k text, at text, s text)`,
        [workspaceId, JSON.stringify(part)],
      );
    }
    for (const part of chunk(sim.nps, 5000)) {
      await client.query(
        `INSERT INTO "survey_response" ("workspaceId", "accountId", kind, score, "respondedAt", source)
         SELECT $1, r.a, 'nps', r.s, r.at::timestamptz, 'import' FROM json_to_recordset($2::json) AS r(a int, s int, at text)`,
        [workspaceId, JSON.stringify(part.map((n) => ({ a: ids[n.account], s: n.score, at: n.at.toISOString() })))],
      );
    }
    const churners = sim.accounts.filter((a) => a.churnedOn);
    for (const part of chunk(churners, 1000)) {
      const rows = part.map((a) => ({
        a: ids[a.index],
        d: isoDay(a.churnedOn!),
        arr: a.arr,
        w: a.wonBackOn ? a.wonBackOn.toISOString() : null,
      }));
      await client.query(
        `WITH ev AS (
           INSERT INTO "churn_event" ("workspaceId", "accountId", kind, "churnedOn", "arrBefore", "arrLost", "primaryReason", "retroStatus", "reversedAt", source)
           SELECT $1, r.a, 'full', r.d::date, r.arr, r.arr, 'other', 'closed', r.w::timestamptz, 'import' FROM json_to_recordset($2::json) AS r(a int, d text, arr numeric, w text)
           RETURNING id, "accountId", "churnedOn", "arrBefore")
         INSERT INTO "arr_change" ("workspaceId", "accountId", "effectiveOn", kind, "arrBefore", "arrAfter", "churnEventId")
         SELECT $1, ev."accountId", ev."churnedOn", 'churn', ev."arrBefore", 0, ev.id FROM ev`,
        [workspaceId, JSON.stringify(rows)],
      );
    }
    await client.query("COMMIT");
    // Fresh bulk loads have no planner statistics; the feature pass needs them.
    await client.query(
      'ANALYZE "account", "usage_daily", "touchpoint", "survey_response", "churn_event", "arr_change"',
    );
    return ids;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
