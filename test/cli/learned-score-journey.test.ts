// The customer's path from issue 13, with exactly its commands: accounts, monthly usage and
// churn history from CSV, scores for past months, a model fitted until a day, adopted, and
// back-tested with a per-account file anyone can recompute. The data comes from the churn
// simulator, exported the way a CRM and a product-analytics tool would.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulse, useCliDatabase } from "../helpers/cli.js";
import { addDays, isoDay } from "../../src/domain/dates.js";
import { rocAucOf } from "../../src/domain/health/model-validation.js";
import { simulate } from "../helpers/churn-simulator.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
let dir: string;
let restoreEnv: () => void;
const TEAM = "TJOURNEY1";
const START = new Date("2023-01-01T00:00:00Z");
const sim = simulate({ accounts: 400, months: 24, seed: 5, start: START });

beforeAll(async () => {
  t = await createTestDatabase();
  restoreEnv = useCliDatabase(t.url);
  dir = await mkdtemp(join(tmpdir(), "pulse-journey-"));
  await writeFile(
    join(dir, "accounts.csv"),
    [
      "Account ID,Account Name,Seats,Customer Since,Plan,Billing Term",
      ...sim.accounts.map(
        (a) => `${a.externalId},Sim ${a.index},${a.seats},${isoDay(a.startedOn)},${a.plan},${a.term}`,
      ),
    ].join("\n"),
  );
  // Monthly usage rows: the month's start, its average daily active users, its logins.
  const months = new Map<string, { active: number; logins: number; days: number }>();
  for (const w of sim.weeks) {
    const key = `${sim.accounts[w.account]!.externalId},${isoDay(w.day).slice(0, 7)}-01`;
    const m = months.get(key) ?? { active: 0, logins: 0, days: 0 };
    m.active += w.activeUsers;
    m.logins += w.logins;
    m.days += 7;
    months.set(key, m);
  }
  await writeFile(
    join(dir, "usage.csv"),
    [
      "account_id,month,active_users,logins",
      ...[...months].map(([key, m]) => `${key},${Math.round(m.active / m.days)},${m.logins}`),
    ].join("\n"),
  );
  await writeFile(
    join(dir, "churns.csv"),
    [
      "account_id,churned_on,kind,reason,won_back_on",
      ...sim.accounts
        .filter((a) => a.churnedOn)
        .map(
          (a) => `${a.externalId},${isoDay(a.churnedOn!)},full,Too expensive,${a.wonBackOn ? isoDay(a.wonBackOn) : ""}`,
        ),
    ].join("\n"),
  );
}, 60_000);
afterAll(async () => {
  restoreEnv();
  await t.drop();
});

describe("from CSV to an adopted, back-tested learned score", () => {
  it("imports, scores past months, fits until a day, adopts, and back-tests per account", async () => {
    expect(
      await pulse("import", "accounts", join(dir, "accounts.csv"), "--workspace", TEAM, "--create-workspace"),
    ).toMatchObject({ code: 0 });
    const usage = await pulse(
      "import",
      "usage",
      join(dir, "usage.csv"),
      "--period",
      "month",
      "--workspace",
      TEAM,
      "--map",
      "month=day",
    );
    expect(usage.err).toBe("");
    expect(usage.code).toBe(0);
    expect(await pulse("import", "churns", join(dir, "churns.csv"), "--workspace", TEAM)).toMatchObject({ code: 0 });

    const from = isoDay(addDays(START, 120));
    const to = isoDay(addDays(sim.end, -1));
    const scored = await pulse("score", "--from", from, "--to", to, "--every", "1mo", "--workspace", TEAM);
    expect(scored.code).toBe(0);
    expect(scored.out).toMatch(/stored \d+ snapshot\(s\) for 2\d day\(s\)/);

    const until = isoDay(addDays(sim.end, -150));
    const fit = await pulse("model", "fit", "--until", until, "--workspace", TEAM, "--json");
    expect(fit.err).toBe("");
    const fitted = JSON.parse(fit.out);
    expect(fitted.until).toBe(until);
    expect(fitted.validation.learned.auc).toBeGreaterThan(0.65);
    expect(fitted.validation.learned.aucInterval).toHaveLength(2);
    expect(fitted.validation.calibration).toHaveLength(10);

    const adopt = await pulse("model", "adopt", "latest", "--workspace", TEAM);
    expect(adopt.code).toBe(0);
    expect(adopt.out).toContain(`${fitted.version} (adopted`);
    const shown = await pulse("model", "show", fitted.version, "--workspace", TEAM);
    expect(shown.out).toMatch(/red when more than \d+\.\d% likely to churn within 90 days/);
    expect(shown.out).toContain("What it weighs, strongest first:");

    // Back-test the adopted model on the months after its training outcomes ended.
    const file = join(dir, "per-account.csv");
    const bt = await pulse(
      "backtest",
      "--from",
      until,
      "--to",
      isoDay(addDays(sim.end, -91)),
      "--every",
      "1mo",
      "--horizon",
      "90d",
      "--model",
      "current",
      "--per-account",
      file,
      "--workspace",
      TEAM,
    );
    expect(bt.code).toBe(0);
    expect(bt.out).toContain(`model ${fitted.version}`);
    expect(bt.out).toMatch(/ROC AUC\s+0\.\d{3} \(95% interval 0\.\d{3}–0\.\d{3}\)/);
    expect(bt.out).toMatch(/false alarms\s+\d+ of \d+ survivors went red within the horizon/);
    expect(bt.out).toMatch(/precision \d+\.\d%/);
    const csv = (await readFile(file, "utf8")).trim().split("\n");
    expect(csv[0]).toBe("account,as_of,score,band,churned_in_horizon");
    // Anyone can recompute the AUC from the file: it matches what was printed.
    const rows = csv.slice(1).map((l) => l.split(","));
    const auc = rocAucOf(
      rows.map((r) => -Number(r[2])),
      rows.map((r) => Number(r[4])),
    )!;
    expect(bt.out).toContain(`ROC AUC              ${auc.toFixed(3)}`);
    expect(auc).toBeGreaterThan(0.65);
  }, 240_000);

  it("refuses bad options with a usage error", async () => {
    expect(await pulse("score", "--from", "2024-01-01", "--workspace", TEAM)).toMatchObject({ code: 2 });
    expect(await pulse("score", "--as-of", "2024-13-01", "--workspace", TEAM)).toMatchObject({ code: 2 });
    expect(await pulse("backtest", "--from", "2024-01-01", "--every", "1 month", "--workspace", TEAM)).toMatchObject({
      code: 2,
    });
    expect(await pulse("model", "adopt", "--workspace", TEAM)).toMatchObject({ code: 2 });
    expect((await pulse("model", "adopt", "nope", "--workspace", TEAM)).err).toContain('No model version "nope"');
  });
});
