// Fitting and validating the learned churn model at scale: 100,000 (account, month) rows
// with the inputs the feature pass produces (numbers, categories, missing values, modules),
// churn drawn from a hidden utility. Measures, in one run: one fit on every row (the floor),
// and the whole `pulse model fit` computation (rolling-origin validation folds, the pooled
// report with its bootstrap intervals, the final fit). Prints one JSON line. BENCH_ROWS
// scales it down for a quick try.
import { fitLearnedModel, type TrainingRow } from "../src/domain/health/learned-model.js";
import { crossValidate, validationReport } from "../src/domain/health/model-validation.js";
import type { FeatureValues } from "../src/domain/health/churn-features.js";
import { mulberry } from "../test/helpers/churn-simulator.js";
import { round, sampleRss } from "./_support.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const MONTHS = 20;
const HORIZON = 90;

function makeRows(): TrainingRow[] {
  const rand = mulberry(42);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const accounts = Math.ceil(ROWS / MONTHS);
  const rows: TrainingRow[] = [];
  for (let a = 0; a < accounts; a++) {
    const fit = normal();
    const plan = ["basic", "pro", "enterprise"][Math.floor(rand() * 3)]!;
    const term = rand() < 0.4 ? "monthly" : "annual";
    const seats = Math.round(Math.exp(3 + normal()));
    for (let m = 0; m < MONTHS && rows.length < ROWS; m++) {
      const share = Math.min(1, Math.max(0, 0.3 + 0.15 * fit + normal() * 0.1));
      const tickets = Math.floor(rand() * 3);
      const values: FeatureValues = {
        active_share_7d: share,
        active_users_30d: seats * share,
        active_change_30d: normal() * 0.2,
        login_days_30d: Math.round(30 * share),
        logins_30d: Math.round(seats * share * 40),
        modules_30d: Math.round(1 + 4 * rand()),
        days_since_active: rand() < 0.1 ? Math.round(rand() * 60) : 0,
        seats,
        days_since_touch: rand() < 0.2 ? null : Math.round(rand() * 120),
        escalations_90d: tickets,
        nps_recent: rand() < 0.6 ? null : Math.round(Math.min(10, Math.max(0, 7 + fit * 1.5 + normal()))),
        tenure_days: 30 * (m + 1) + Math.round(rand() * 300),
        billing_term: term,
        plan,
        days_to_renewal: Math.round(rand() * 365),
        "module:reports": rand() < 0.6 ? 1 : 0,
        "module:api": rand() < 0.3 ? 1 : 0,
      };
      const utility =
        -3 - 4 * (share - 0.3) + 0.5 * tickets + (term === "monthly" ? 0.7 : 0) - 0.2 * (values.modules_30d as number);
      const label = rand() < 1 / (1 + Math.exp(-utility)) ? 1 : 0;
      rows.push({
        accountId: a + 1,
        asOfDay: 19_000 + m * 30,
        label,
        values,
        rulesScore: Math.round(100 * share),
        rulesBand: share < 0.2 ? "red" : share < 0.35 ? "yellow" : "green",
      });
    }
  }
  return rows;
}

export async function run(): Promise<void> {
  const peak = sampleRss();
  const rows = makeRows();
  let started = performance.now();
  fitLearnedModel(rows, { version: "bench", horizonDays: HORIZON });
  const floorSeconds = (performance.now() - started) / 1000;
  process.stderr.write(`one fit: ${floorSeconds.toFixed(2)} s\n`);
  started = performance.now();
  const cv = crossValidate(rows, { horizonDays: HORIZON });
  const report = validationReport(cv.scheme, cv.folds, cv.predictions);
  const spec = fitLearnedModel(rows, { version: "bench", horizonDays: HORIZON });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      scenario: "fit",
      rows: rows.length,
      columns: spec.columns.length,
      folds: cv.folds,
      seconds: round(seconds),
      single_fit_seconds: round(floorSeconds),
      ratio_to_single_fit: round(seconds / floorSeconds),
      held_out_auc: report.learned.auc,
      peak_rss_mb: peak(),
    }),
  );
}
