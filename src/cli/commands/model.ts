import { parseArgs } from "node:util";
import { openDatabase } from "../../db/open.js";
import { describeWeights } from "../../domain/health/learned-model.js";
import type { RankMetrics, ValidationReport } from "../../domain/health/model-validation.js";
import { startOfUtcDay } from "../../domain/dates.js";
import {
  adoptModelVersion,
  findModelVersion,
  fitWorkspaceModel,
  listModelVersions,
  loadAdoptedModel,
  type StoredModel,
} from "../../services/health-models.js";
import { UsageError, type CliCommand } from "../command.js";
import { parseDayOption, parseHorizon, progressLine } from "../options.js";
import { resolveOneWorkspace } from "../workspaces.js";

const fixed = (n: number | null, digits = 3) => (n === null ? "n/a" : n.toFixed(digits));
const pct = (n: number | null) => (n === null ? "n/a" : `${(n * 100).toFixed(1)}%`);

function metricsLine(name: string, m: RankMetrics): string {
  const interval = m.aucInterval ? ` [${m.aucInterval[0].toFixed(3)}, ${m.aucInterval[1].toFixed(3)}]` : "";
  return `  ${name.padEnd(8)} AUC ${fixed(m.auc)}${interval.padEnd(17)}  top-decile lift ${fixed(m.topDecileLift, 2).padStart(5)}   red: ${m.red.flagged} flagged, precision ${pct(m.red.precision)}, recall ${pct(m.red.recall)}`;
}

export function formatValidation(v: ValidationReport): string {
  const lines = [
    `Held-out comparison (${v.scheme === "rolling-origin" ? "rolling-origin time splits" : "cross-validation grouped by account"}, ${v.folds} fold(s), ${v.learned.rows} rows, ${v.learned.churned} churned):`,
    metricsLine("learned", v.learned),
    metricsLine("rules", v.rules),
    "  Calibration of the learned model (deciles of predicted risk):",
    "    decile   rows   predicted   observed",
    ...v.calibration.map(
      (b) =>
        `    ${String(b.decile).padStart(6)} ${String(b.rows).padStart(6)}   ${pct(b.predicted).padStart(9)}  ${pct(b.observed).padStart(9)}`,
    ),
  ];
  return lines.join("\n");
}

function formatModel(m: StoredModel, adopted: string | null): string {
  const b = m.spec.bands;
  return [
    `${m.version}${m.version === adopted ? " (adopted: it scores this workspace)" : ""}: churn within ${m.horizonDays} days, trained until ${m.trainedUntil} on ${m.trainingRows} rows with ${m.churns} churned accounts`,
    `  bands: red when more than ${pct(b.redAbove)} likely to churn within ${m.horizonDays} days, green when at most ${pct(b.greenBelow)} (base rate ${pct(m.spec.baseRate)})`,
    `  score = 100 at 0% risk, 70 at ${pct(b.greenBelow)}, 50 at ${pct(b.redAbove)}, 0 at 100% (linear between)`,
  ].join("\n");
}

export const modelCommand: CliCommand = {
  name: "model",
  summary: "Learn a churn model from the workspace's own history (fit), make it the score (adopt), or read it (show).",
  usage:
    "pulse model fit [--horizon 90d] [--until 2026-06-01] | adopt <version>|latest | show [<version>]   [--workspace T0123ABCD] [--json]",
  async run(args, { config, logger, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        horizon: { type: "string", default: "90d" },
        until: { type: "string" },
        workspace: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
      },
    });
    const [action, version, ...extra] = positionals;
    if (!action || !["fit", "adopt", "show"].includes(action))
      throw new UsageError("say what to do: fit, adopt or show");
    if (extra.length || (action === "fit" && version))
      throw new UsageError(
        `unexpected arguments: ${[...(action === "fit" && version ? [version] : []), ...extra].join(" ")}`,
      );
    if (action === "adopt" && !version)
      throw new UsageError("adopt needs a version (see `pulse model show`) or latest");
    const horizonDays = parseHorizon(values.horizon);
    const until = parseDayOption("until", values.until) ?? startOfUtcDay(new Date());
    const database = await openDatabase(config, logger);
    const ctx = { db: database.db, logger, config, databaseUrl: database.url };
    try {
      const workspace = await resolveOneWorkspace(database.db, values.workspace);
      if (action === "fit") {
        const progress = progressLine("reading history");
        const fitted = await fitWorkspaceModel(ctx, workspace.id, {
          horizonDays,
          until,
          now: new Date(),
          onDay: progress.update,
        });
        progress.done();
        if (values.json) {
          const { spec, ...rest } = fitted;
          io.out(`${JSON.stringify({ ...rest, bands: spec.bands, baseRate: spec.baseRate })}\n`);
        } else {
          io.out(
            [
              `Fitted ${fitted.version}: churn within ${horizonDays} days, from ${fitted.trainingRows} (account, day) rows on ${fitted.asOfDays} as-of days up to ${fitted.until}, ${fitted.churns} churned accounts.`,
              formatValidation(fitted.validation),
              `Adopt it with \`pulse model adopt ${fitted.version}\` (or latest); \`pulse model show ${fitted.version}\` lists its weights.`,
            ].join("\n") + "\n",
          );
        }
        return 0;
      }
      if (action === "adopt") {
        const adopted = await adoptModelVersion(database.db, workspace.id, version!, { now: new Date() });
        io.out(
          values.json
            ? `${JSON.stringify({ adopted: adopted.version })}\n`
            : `${formatModel(adopted, adopted.version)}\nIt scores ${workspace.name} from the next scoring run (\`pulse score\` runs one now).\n`,
        );
        return 0;
      }
      const current = await loadAdoptedModel(database.db, workspace.id);
      if (!version) {
        const list = await listModelVersions(database.db, workspace.id);
        if (values.json) {
          io.out(
            `${JSON.stringify({ adopted: current?.version ?? null, versions: list.map((m) => ({ version: m.version, horizonDays: m.horizonDays, trainedUntil: m.trainedUntil, auc: m.validation.learned.auc, rulesAuc: m.validation.rules.auc })) })}\n`,
          );
          return 0;
        }
        if (!list.length) {
          io.out(
            "No learned model yet: the rules model scores this workspace. `pulse model fit` learns one from its history.\n",
          );
          return 0;
        }
        io.out(
          `${current ? `Adopted: ${current.version}` : "No model adopted: the rules model scores this workspace."}\n`,
        );
        for (const m of list)
          io.out(
            `  ${m.version.padEnd(24)} horizon ${m.horizonDays}d, until ${m.trainedUntil}, held-out AUC ${fixed(m.validation.learned.auc)} (rules ${fixed(m.validation.rules.auc)})\n`,
          );
        return 0;
      }
      const model = await findModelVersion(database.db, workspace.id, version);
      const weights = describeWeights(model.spec);
      if (values.json) {
        io.out(`${JSON.stringify({ version: model.version, bands: model.spec.bands, weights })}\n`);
        return 0;
      }
      io.out(
        [
          formatModel(model, current?.version ?? null),
          formatValidation(model.validation),
          "What it weighs, strongest first:",
          ...weights.slice(0, 25).map((w) => `  ${w.text}`),
        ].join("\n") + "\n",
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
