// `/pulse voc [segment] [period]`: what customers say, by segment or, within a segment, by owner.
import { findSpokenPeriod, parseTrendPeriod, PERIOD_LEAD_WORDS, SPOKEN_PERIOD_HELP } from "../../domain/period.js";
import { vocReport, type VocReport } from "../../services/voc-report.js";
import { context, escapeMrkdwn, header, section, type Block } from "../block-kit.js";
import type { Subcommand } from "./types.js";

function metric(value: number | null, responses: number, suffix = ""): string {
  return value === null ? "—" : `${value}${suffix} (n=${responses})`;
}

function trend(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined) return "";
  const d = Math.round((now - before) * 10) / 10;
  return d === 0 ? " →" : d > 0 ? ` ↑${d}` : ` ↓${Math.abs(d)}`;
}

export function vocBlocks(r: VocReport): Block[] {
  const lines = r.rows.slice(0, 40).map((row) => {
    const prev = r.previousRows.get(row.group);
    return (
      `*${escapeMrkdwn(row.group)}*  NPS ${metric(row.nps.value, row.nps.responses)}${trend(row.nps.value, prev?.nps.value)}` +
      ` · CSAT ${metric(row.csat.value, row.csat.responses, "%")}${trend(row.csat.value, prev?.csat.value)}` +
      ` · CES ${metric(row.ces.value, row.ces.responses)}${trend(row.ces.value, prev?.ces.value)}`
    );
  });
  return [
    header(`Voice of the customer — ${r.period.label}${r.segment ? ` — ${r.segment}` : ""}`),
    section(lines.join("\n")),
    context([
      `By ${r.groupBy}. ↑ ↓ the change against the period before (${r.previous.label}), → unchanged. NPS = % promoters (9-10) − % detractors (0-6); CSAT = % of 4-5 answers; CES = mean effort (1-7, lower is easier).`,
    ]),
  ];
}

export const vocSubcommand: Subcommand = {
  name: "voc",
  keywords: ["nps", "csat", "ces", "feedback", "survey", "voice", "sentiment", "customer"],
  usage: "/pulse voc [segment] [period]",
  details: [`A period: ${SPOKEN_PERIOD_HELP}.`],
  summary: "NPS, CSAT and CES by segment (or by owner within a segment), with trend",
  examples: ["/pulse voc", "/pulse voc enterprise 2026-Q3", "/pulse voc last month"],
  async run({ ctx, workspace, args, respond }) {
    const now = ctx.clock();
    // Issue 15: "last month" was read as a segment called "last month".
    const found = findSpokenPeriod(args, now);
    const left = found?.rest ?? args;
    const lead = left.find((w) => PERIOD_LEAD_WORDS.includes(w.toLowerCase()));
    if (lead) {
      const said = left.slice(left.indexOf(lead)).join(" ").slice(0, 60);
      await respond({ text: `I could not read “${escapeMrkdwn(said)}” as a period. Try ${SPOKEN_PERIOD_HELP}.` });
      return;
    }
    const segment = left.join(" ") || null;
    const period = found?.period ?? parseTrendPeriod(undefined, now)!;
    const report = await vocReport(ctx.db, workspace.id, { period, segment });
    await respond({ text: `Voice of the customer, ${period.label}`, blocks: vocBlocks(report) });
  },
};
