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
import { checkAdoptedModel } from "../../src/services/model-check.js";
import { modelCheckLine } from "../../src/domain/health/model-check.js";
import type { SlackPort, SlackPorts } from "../../src/services/slack-port.js";
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
  const keys = [...new Set(train.flatMap((r) => Object.keys(r.values)))].filter((k) =>
    train.some((r) => typeof r.values[k] === "number"),
  );
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
  return rocAucOf(
    risk,
    test.map((r) => r.label),
  )!;
}

interface Prepared {
  ws: number;
  until: Date;
  rows: TrainingRow[];
  days: Date[];
}

async function prepare(teamId: string, signal: boolean): Promise<Prepared> {
  const ws = await createWorkspace(t.db, teamId);
  const sim = simulate({ accounts: 600, months: 24, seed: signal ? 7 : 11, start: START, signal });
  await writeSimulation(t.url, ws, sim);
  const { rows, days } = await buildTrainingRows(t.db, ws, DEFAULT_HEALTH_MODEL, {
    horizonDays: HORIZON,
    until: sim.end,
  });
  return { ws, until: sim.end, rows, days };
}

/** Train on rows whose outcome was known by the split day, test on the rows from it on. */
function timeSplit(p: Prepared) {
  const split = Math.floor(p.days[Math.floor(p.days.length * 0.6)]!.getTime() / 86_400_000);
  return { train: p.rows.filter((r) => r.asOfDay + HORIZON <= split), test: p.rows.filter((r) => r.asOfDay >= split) };
}

const heldOutAuc = (train: TrainingRow[], test: TrainingRow[]) => {
  const spec = fitLearnedModel(train, { version: "test", horizonDays: HORIZON });
  return rocAucOf(
    test.map((r) => predictChurn(spec, r.values)),
    test.map((r) => r.label),
  )!;
};
const rulesAuc = (test: TrainingRow[]) =>
  rocAucOf(
    test.map((r) => -r.rulesScore),
    test.map((r) => r.label),
  )!;

let withSignal: Prepared;
let noSignal: Prepared;

describe("on a churn simulator the score was not designed with", () => {
  beforeAll(async () => {
    withSignal = await prepare("T0SIM", true);
    noSignal = await prepare("T0NOSIGNAL", false);
  }, 240_000);

  it("the learned model ranks held-out churners about as well as a plain logistic regression on the same inputs", () => {
    const { train, test } = timeSplit(withSignal);
    expect(test.filter((r) => r.label).length).toBeGreaterThan(100);
    const learned = heldOutAuc(train, test);
    const plain = plainLogisticAuc(train, test);
    expect(plain).toBeGreaterThan(0.65);
    expect(learned).toBeGreaterThanOrEqual(plain - 0.03);
  });

  it("the rules model ranks better than chance", () => {
    expect(rulesAuc(timeSplit(withSignal).test)).toBeGreaterThan(0.5);
  });

  it("on the no-signal control both stay near chance (no leakage)", () => {
    const { train, test } = timeSplit(noSignal);
    expect(heldOutAuc(train, test)).toBeGreaterThan(0.45);
    expect(heldOutAuc(train, test)).toBeLessThan(0.55);
    expect(rulesAuc(test)).toBeGreaterThan(0.45);
    expect(rulesAuc(test)).toBeLessThan(0.55);
  });

  it("fit validates out of sample, stores a candidate, and adopt makes it score the workspace", async () => {
    const fitted = await fitWorkspaceModel(ctx(), withSignal.ws, {
      horizonDays: HORIZON,
      until: withSignal.until,
      now: new Date("2026-12-01T10:00:00Z"),
    });
    expect(fitted.validation.scheme).toBe("rolling-origin");
    expect(fitted.validation.learned.auc!).toBeGreaterThan(0.7);
    expect(fitted.validation.learned.auc!).toBeGreaterThan(fitted.validation.rules.auc!);
    const [lo, hi] = fitted.validation.learned.aucInterval!;
    expect(lo).toBeLessThan(fitted.validation.learned.auc!);
    expect(hi).toBeGreaterThan(fitted.validation.learned.auc!);
    expect(fitted.validation.calibration).toHaveLength(10);
    // Calibrated enough to read: the riskiest decile churns far more than the safest.
    expect(fitted.validation.calibration.at(-1)!.observed).toBeGreaterThan(
      3 * fitted.validation.calibration[0]!.observed,
    );
    expect(fitted.version).toBe("learned-2026-12-01.1");

    expect(await loadAdoptedModel(t.db, withSignal.ws)).toBeNull();
    await adoptModelVersion(t.db, withSignal.ws, "latest", { now: new Date("2026-12-01T11:00:00Z") });
    const summary = await scoreWorkspace(ctx(), withSignal.ws, addDays(withSignal.until, -1), { trigger: "test" });
    expect(summary.modelVersion).toBe(fitted.version);
    const snapshots = await t.db.healthSnapshot.findMany({ where: { workspaceId: withSignal.ws } });
    expect(snapshots.length).toBe(summary.accountsScored);
    for (const s of snapshots) {
      const p = (s.components as { usage: { details: { churnProbability: number } } }).usage.details.churnProbability;
      const { redAbove, greenBelow } = fitted.spec.bands;
      expect(s.band).toBe(p > redAbove ? "red" : p <= greenBelow ? "green" : "yellow");
      const reasons = s.reasons as { code: string; impact: number }[];
      expect(reasons.every((r) => r.code.startsWith("learned."))).toBe(true);
    }
  }, 120_000);

  it("fit never reads an outcome after --until", async () => {
    const until = addDays(withSignal.until, -200);
    const first = await fitWorkspaceModel(ctx(), withSignal.ws, {
      horizonDays: HORIZON,
      until,
      now: new Date("2026-12-02T10:00:00Z"),
    });
    // Rewrite history after `until`: every account that survived it now churns the day after.
    const survivors = await t.db.account.findMany({
      where: { workspaceId: withSignal.ws, status: "active" },
      select: { id: true },
    });
    await t.db.churnEvent.createMany({
      data: survivors.map((a) => ({
        workspaceId: withSignal.ws,
        accountId: a.id,
        kind: "full" as const,
        churnedOn: addDays(until, 1),
        arrBefore: 1,
        arrLost: 1,
        primaryReason: "other" as const,
        retroStatus: "closed" as const,
      })),
    });
    const second = await fitWorkspaceModel(ctx(), withSignal.ws, {
      horizonDays: HORIZON,
      until,
      now: new Date("2026-12-02T11:00:00Z"),
    });
    expect(second.trainingRows).toBe(first.trainingRows);
    expect(second.churns).toBe(first.churns);
    expect(second.spec.intercept).toBeCloseTo(first.spec.intercept, 10);
    expect(second.spec.columns).toEqual(first.spec.columns);
    await t.db.churnEvent.deleteMany({
      where: { workspaceId: withSignal.ws, churnedOn: addDays(until, 1), arrBefore: 1 },
    });
  }, 120_000);

  it("refuses to fit below the minimum evidence and says how much more is needed", async () => {
    const ws = await createWorkspace(t.db, "T0TINY");
    await writeSimulation(t.url, ws, simulate({ accounts: 30, months: 8, seed: 3, start: START }));
    await expect(
      fitWorkspaceModel(ctx(), ws, { horizonDays: HORIZON, until: addDays(START, 240), now: new Date() }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(/at least 30 are needed \(\d+ more\)/),
    });
  });

  it("the weekly check records what the adopted model caught, and tells admins once when it drops", async () => {
    const ws = withSignal.ws;
    await t.db.user.create({ data: { workspaceId: ws, slackUserId: "UADMIN1", role: "admin", name: "Ada" } });
    const posts: { channel: string; text: string }[] = [];
    const port = {
      dm: async (channel: string, m: { text: string }) => (
        posts.push({ channel, text: m.text }), { channel, ts: "1.0" }
      ),
    } as unknown as SlackPort;
    const slack: SlackPorts = { forWorkspace: () => port };
    const now = addDays(withSignal.until, 5);
    const first = await checkAdoptedModel({ ...ctx(), slack }, ws, now);
    expect(first).toMatchObject({ dropped: false, alertedAt: null });
    expect(first!.churns).toBeGreaterThan(10);
    expect(modelCheckLine(first!)).toMatch(/^caught \d+ of the last \d+ churns/);
    expect(posts).toHaveLength(0);
    const stored = await loadAdoptedModel(t.db, ws);
    expect(stored!.lastCheck).toMatchObject({ version: first!.version, caught: first!.caught });

    // The world changes: the churners of the checked window are replaced by random survivors.
    const window = { gt: addDays(new Date(first!.from), 0), lte: addDays(new Date(first!.to), HORIZON) };
    const churned = await t.db.churnEvent.findMany({
      where: { workspaceId: ws, churnedOn: window },
      select: { id: true, accountId: true, churnedOn: true },
    });
    await t.db.arrChange.deleteMany({ where: { workspaceId: ws, churnEventId: { in: churned.map((c) => c.id) } } });
    await t.db.churnEvent.deleteMany({ where: { workspaceId: ws, churnedOn: window } });
    await t.db.account.updateMany({
      where: { workspaceId: ws, id: { in: churned.map((c) => c.accountId) } },
      data: { status: "active", churnedAt: null },
    });
    const healthy = await t.db.healthSnapshot.findMany({
      where: { workspaceId: ws, band: "green" },
      select: { accountId: true },
      distinct: ["accountId"],
      take: churned.length,
    });
    await t.db.churnEvent.createMany({
      data: healthy.map((h, i) => ({
        workspaceId: ws,
        accountId: h.accountId,
        kind: "full" as const,
        churnedOn: churned[i % churned.length]!.churnedOn,
        arrBefore: 1,
        arrLost: 1,
        primaryReason: "other" as const,
        retroStatus: "closed" as const,
      })),
    });
    const second = await checkAdoptedModel({ ...ctx(), slack }, ws, now);
    expect(second!.dropped).toBe(true);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ channel: "UADMIN1" });
    expect(posts[0]!.text).toContain("has become less accurate");
    const third = await checkAdoptedModel({ ...ctx(), slack }, ws, addDays(now, 7));
    expect(third!.dropped).toBe(true);
    expect(posts).toHaveLength(1);
  }, 120_000);
});
