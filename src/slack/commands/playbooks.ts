// `/pulse playbooks report`: each playbook's firings, tasks done and recovery, treated
// against its control group.
import {
  playbookReport,
  RECOVERY_DAYS,
  RECOVERY_GREEN,
  RECOVERY_POINTS,
  type GroupOutcome,
  type PlaybookOutcome,
} from "../../services/playbook-report.js";
import { context, header, section } from "../block-kit.js";
import type { Subcommand } from "./types.js";

const pct = (g: GroupOutcome) => (g.judged ? `${Math.round((g.recovered / g.judged) * 100)}% of ${g.judged}` : "—");

export function playbookOutcomeLine(o: PlaybookOutcome): string {
  const effect =
    "notEnoughData" in o.effect
      ? `effect: not enough data yet, ${o.effect.notEnoughData}`
      : `effect: ${o.effect.difference >= 0 ? "+" : ""}${Math.round(o.effect.difference * 100)} pts (95% CI ${Math.round(o.effect.low * 100)} to ${Math.round(o.effect.high * 100)})`;
  return (
    `*${o.name}* — fired ${o.treated.fired + o.control.fired} (control share ${Math.round(o.controlShare * 100)}%), tasks done ${o.tasks.done}/${o.tasks.total}\n` +
    `      recovered: treated ${pct(o.treated)} · control ${pct(o.control)} · ${effect}`
  );
}

export const playbooksSubcommand: Subcommand = {
  name: "playbooks report",
  keywords: ["automation", "recovery", "control"],
  usage: "/pulse playbooks report",
  summary: "how each playbook fired and whether accounts recovered, treated against control",
  async run({ ctx, workspace, respond }) {
    const report = await playbookReport(ctx.db, workspace.id, ctx.clock());
    await respond({
      text: "Playbook outcomes",
      blocks: [
        header("Playbook outcomes"),
        section(report.map(playbookOutcomeLine).join("\n") || "No playbooks have run yet."),
        context([
          `Recovered: ${RECOVERY_DAYS} days after firing, the score is green (≥ ${RECOVERY_GREEN}) or ${RECOVERY_POINTS}+ points higher. Firings younger than ${RECOVERY_DAYS} days are not judged yet.`,
        ]),
      ],
    });
  },
};
