// `/pulse admin model`: which model scores the workspace, how the newest fitted one
// compares with the rules on held-out rows, what the weekly check found, and the buttons to
// adopt it or go back to the rules. Pure Block Kit; every figure is Pulse's own.
import type { KnownBlock } from "@slack/types";
import { modelCheckLine, type ModelCheck } from "../../domain/health/model-check.js";
import type { RankMetrics } from "../../domain/health/model-validation.js";
import type { ModelStatus, StoredModel } from "../../services/health-models.js";
import { actions, button, context, escapeMrkdwn, header, section } from "../block-kit.js";
import type { Reply } from "../commands/types.js";
import { ACTION } from "../ids.js";

const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
const auc = (m: RankMetrics) =>
  m.auc === null
    ? "n/a"
    : `${m.auc.toFixed(3)}${m.aucInterval ? ` (${m.aucInterval[0].toFixed(2)}–${m.aucInterval[1].toFixed(2)})` : ""}`;

function comparison(model: StoredModel): string {
  const v = model.validation;
  return [
    `*${escapeMrkdwn(model.version)}*: churn within ${model.horizonDays} days, trained until ${model.trainedUntil} on ${model.trainingRows} rows (${model.churns} churned accounts)`,
    `Held out (${v.scheme === "rolling-origin" ? "later days" : "other accounts"}): learned AUC ${auc(v.learned)}, rules ${auc(v.rules)}`,
    `Top-decile lift ${v.learned.topDecileLift ?? "n/a"} vs ${v.rules.topDecileLift ?? "n/a"} · red precision ${pct(v.learned.red.precision)} vs ${pct(v.rules.red.precision)}, recall ${pct(v.learned.red.recall)} vs ${pct(v.rules.red.recall)}`,
    `Bands: red above ${pct(model.spec.bands.redAbove)} likely to churn, green at most ${pct(model.spec.bands.greenBelow)}`,
  ].join("\n");
}

/** The one line App Home shows about the adopted model, when it has been checked. */
export function modelCheckContext(status: Pick<ModelStatus, "adopted" | "check">): KnownBlock[] {
  if (!status.adopted || !status.check) return [];
  return [
    context([
      `Churn model ${escapeMrkdwn(status.adopted.version)}: ${modelCheckLine(status.check)}${status.check.dropped ? " · less accurate than when adopted" : ""}`,
    ]),
  ];
}

function checkText(check: ModelCheck | null): string {
  if (!check) return "Not checked yet: the weekly check back-tests it on the newest outcomes.";
  return `Last check (${check.from} to ${check.to}): ${modelCheckLine(check)}; AUC ${check.auc?.toFixed(3) ?? "n/a"}${check.dropped ? " — *less accurate than when adopted*" : ""}.`;
}

export function modelAdminReply(status: ModelStatus): Reply {
  const blocks: KnownBlock[] = [header("Churn model")];
  if (status.adopted) {
    blocks.push(
      section(`The learned model scores this workspace.\n${comparison(status.adopted)}`),
      context([checkText(status.check)]),
    );
  } else {
    blocks.push(section("The *rules model* scores this workspace."));
  }
  const candidate = status.latest && status.latest.version !== status.adopted?.version ? status.latest : null;
  if (candidate) blocks.push(section(`Newest fitted, not adopted:\n${comparison(candidate)}`));
  if (!status.latest)
    blocks.push(
      context([
        "No learned model yet: `pulse model fit` learns one from the workspace's own churn history (at least 30 churns).",
      ]),
    );
  const buttons = [
    ...(candidate
      ? [
          {
            ...button(`Adopt ${candidate.version}`, ACTION.adoptModel, candidate.version, "primary"),
            confirm: {
              title: { type: "plain_text", text: "Adopt this model?" },
              text: {
                type: "plain_text",
                text: `From the next scoring run, ${candidate.version} gives every account's score, band and reasons.`,
              },
              confirm: { type: "plain_text", text: "Adopt" },
              deny: { type: "plain_text", text: "Cancel" },
            },
          } as const,
        ]
      : []),
    ...(status.adopted
      ? [
          {
            ...button("Back to the rules model", ACTION.retireModel, status.adopted.version, "danger"),
            confirm: {
              title: { type: "plain_text", text: "Use the rules model?" },
              text: {
                type: "plain_text",
                text: "From the next scoring run, the rules model scores every account again.",
              },
              confirm: { type: "plain_text", text: "Use the rules" },
              deny: { type: "plain_text", text: "Cancel" },
            },
          } as const,
        ]
      : []),
  ];
  if (buttons.length) blocks.push(actions(buttons));
  const text = status.adopted
    ? `Churn model: ${status.adopted.version} scores this workspace`
    : "Churn model: the rules model scores this workspace";
  return { text, blocks };
}
