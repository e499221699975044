// The learned churn model, end to end on data the score was not designed with: a churn
// simulator (test/helpers/churn-simulator.ts) written into real PostgreSQL, rows built by
// the same feature pass the nightly score uses, a model fitted and validated out of sample.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { fitLearnedModel, predictChurn, type TrainingRow } from "../../src/domain/health/learned-model.js";
import { rocAucOf } from "../../src/domain/health/model-validation.js";
import { DEFAULT_HEALTH_MODEL } from "../../src/domain/health/model-config.js";
import { buildTrainingRows } from "../../src/services/churn-training-rows.js";
import { adoptModelVersion, fitWorkspaceModel, loadAdoptedModel } from "../../src/services/health-models.js";
import { scoreWorkspace } from "../../src/services/score-accounts.js";
import { simulate, writeSimulation } from "../helpers/churn-simulator.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createWorkspace, silentLogger, testConfig } from "../helpers/portfolio.js";

const START = new Date("2024-01-01T00:00:00Z");
const HORIZON = 90;
let t: TestDatabase;
const ctx = () => ({ db: t.db, logger: silentLogger, config: testConfig, databaseUrl: t.url });

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** A plain logistic regression by gradient descent on standardised columns, numbers only, missing as 0. */
function plainLogisticAuc(train: TrainingRow[], test: TrainingRow[]): number {
  const keys = [...new Set(train.flatMap((r) => Object.keys(r.values)))].filter((k) => train.some((r) => typeof r.values[k] === "number"));
  const column = (r: TrainingRow, k: string) => (typeof r.values[k] === "number" ? (r.values[k] as number) : 0);
  const stats = keys.map((k) => {
    const xs = train.map((r) => column(r, k));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length) || 1;
    return { k, mean, sd };
  });
  const x = (r: TrainingRow) => stats.map(({ k, mean, sd }) => (column(r, k) - mean) / sd);
  const xtrain = train.map(x);
  const w = new Array(keys.length).fill(0);
  let b = 0;
  for (let epoch = 0; epoch < 300; epoch++) {
    const grad = new Array(keys.length).fill(0);
    let gb = 0;
    xtrain.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-(b + row.reduce((s, v, j) => s + v * w[j], 0))));
      const e = p - train[i]!.label;
      gb += e;
      row.forEach((v, j) => (grad[j] += e * v));
    });
    b -= (0.5 * gb) / train.length;
    for (let j = 0; j < w.length; j++) w[j] -= (0.5 * grad[j]) / train.length;
  }
  const risk = test.map((r) => b + x(r).reduce((s, v, j) => s + v * w[j], 0));
  return rocAucOf(risk, test.map((r) => r.label))!;
}

describe("the churn simulator", () => {
  it("explore", async () => {
    for (const signal of [true, false]) {
      const ws = await createWorkspace(t.db, signal ? "T0SIM" : "T0NOSIG");
      const sim = simulate({ accounts: 700, months: 24, seed: 7, start: START, signal });
      await writeSimulation(t.url, ws, sim);
      const until = sim.end;
      const started = Date.now();
      const { rows, days } = await buildTrainingRows(t.db, ws, DEFAULT_HEALTH_MODEL, { horizonDays: HORIZON, until });
      const built = Date.now() - started;
      const split = days[Math.floor(days.length * 0.6)]!;
      const splitDay = Math.floor(split.getTime() / 86_400_000);
      const train = rows.filter((r) => r.asOfDay + HORIZON <= splitDay);
      const test = rows.filter((r) => r.asOfDay >= splitDay);
      const spec = fitLearnedModel(train, { version: "t", horizonDays: HORIZON });
      const learned = rocAucOf(test.map((r) => predictChurn(spec, r.values)), test.map((r) => r.label));
      const plain = plainLogisticAuc(train, test);
      const rules = rocAucOf(test.map((r) => -r.rulesScore), test.map((r) => r.label));
      const fitted = await fitWorkspaceModel(ctx(), ws, { horizonDays: HORIZON, until, now: new Date("2026-12-01T00:00:00Z") });
      console.log(JSON.stringify({ signal, rows: rows.length, churns: rows.reduce((s, r) => s + r.label, 0), days: days.length, builtMs: built, train: train.length, test: test.length, learned, plain, rules, validation: fitted.validation }));
    }
    expect(true).toBe(true);
  }, 300_000);
});
