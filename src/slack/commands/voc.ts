// `/pulse voc [segment] [period]`: what customers say, by segment or, within a segment, by owner.
import { parseTrendPeriod, PERIOD_HELP } from "../../domain/period.js";
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
      `By ${r.groupBy}. Trend against ${r.previous.label}. NPS = % promoters (9-10) − % detractors (0-6); CSAT = % of 4-5 answers; CES = mean effort (1-7, lower is easier).`,
    ]),
  ];
}

export const vocSubcommand: Subcommand = {
  name: "voc",
  usage: "/pulse voc [segment] [period]",
  summary: "NPS, CSAT and CES by segment (or by owner within a segment), with trend",
  examples: ["/pulse voc", "/pulse voc enterprise 2026-Q3"],
  async run({ ctx, workspace, args, respond }) {
    const now = ctx.clock();
    const periodArg = args.find((a) => parseTrendPeriod(a, now));
    const segment = args.filter((a) => a !== periodArg).join(" ") || null;
    const period = parseTrendPeriod(periodArg, now);
    if (!period) {
      await respond({ text: `I could not read that period. Try ${PERIOD_HELP}.` });
      return;
    }
    const report = await vocReport(ctx.db, workspace.id, { period, segment });
    await respond({ text: `Voice of the customer, ${period.label}`, blocks: vocBlocks(report) });
  },
};
