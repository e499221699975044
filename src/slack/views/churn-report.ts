// The churn report, as Block Kit for Slack and as plain text for the command line. Every
// figure is shown with its period and its definition.
import { describePeriod, type ChurnMetrics, type Figure } from "../../domain/churn-metrics.js";
import { formatMoney } from "../../domain/churn-post-mortem.js";
import { countOf, formatDay } from "./format.js";
import { context, divider, header, section, truncate, LIMITS, type Block } from "../block-kit.js";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function show(f: Figure, format: (v: number) => string): string {
  return f.value === null ? (f.note ?? "not defined") : format(f.value);
}

export interface ReportLine {
  name: string;
  value: string;
  definition: string;
}

export function churnReportLines(m: ChurnMetrics, currency = "USD"): ReportLine[] {
  const money = (v: number) => formatMoney(v, currency);
  return [
    {
      name: "Accounts active at start",
      value: String(m.startingAccounts),
      definition: `ARR above zero on ${formatDay(m.period.start)}, ${money(m.startingArr)} ARR`,
    },
    {
      name: "Logo churn rate",
      value: `${show(m.logoChurnRate, pct)} (${m.logosChurned} of ${m.startingAccounts})`,
      definition: m.logoChurnRate.definition,
    },
    {
      name: "Annualised logo churn",
      value: show(m.annualisedLogoChurnRate, pct),
      definition: m.annualisedLogoChurnRate.definition,
    },
    {
      name: "Gross revenue churn",
      value: `${show(m.grossRevenueChurn, pct)} (${money(m.churnArr)} churn + ${money(m.contractionArr)} contraction)`,
      definition: m.grossRevenueChurn.definition,
    },
    {
      name: "Gross revenue retention",
      value: show(m.grossRevenueRetention, pct),
      definition: m.grossRevenueRetention.definition,
    },
    {
      name: "Net revenue retention",
      value: `${show(m.netRevenueRetention, pct)} (+${money(m.expansionArr)} expansion, +${money(m.winbackArr)} win-backs)`,
      definition: m.netRevenueRetention.definition,
    },
    {
      name: "Churns with 30+ days of warning",
      value: show(m.shareWithWarning, pct),
      definition: m.shareWithWarning.definition,
    },
    {
      name: "Median days of warning",
      value: show(m.medianDaysOfWarning, (v) => `${v} days`),
      definition: m.medianDaysOfWarning.definition,
    },
    { name: "Judged preventable", value: show(m.sharePreventable, pct), definition: m.sharePreventable.definition },
    {
      name: "Customer lifetime value",
      value: show(m.customerLifetimeValue, money),
      definition: `${m.customerLifetimeValue.definition}; average ARR ${show(m.averageArrPerAccount, money)}`,
    },
  ];
}

function reasonLines(m: ChurnMetrics, currency: string): string[] {
  return m.reasons.map((r) => `${r.label}: ${r.count} (${formatMoney(r.arrLost, currency)} ARR)`);
}

export function churnReportText(m: ChurnMetrics, currency = "USD"): string {
  const lines = churnReportLines(m, currency);
  const width = Math.max(...lines.map((l) => l.name.length));
  const out = [`Churn report for ${describePeriod(m.period)}`, ""];
  for (const l of lines) out.push(`${l.name.padEnd(width)}  ${l.value}`, `${" ".repeat(width)}  = ${l.definition}`);
  out.push("", `Reasons (${countOf(m.postMortems, "post-mortem")} dated in the period, by count and ARR lost):`);
  out.push(...(m.reasons.length ? reasonLines(m, currency).map((l) => `  ${l}`) : ["  none"]));
  if (m.newAccountsChurned)
    out.push(
      "",
      `${countOf(m.newAccountsChurned, "account")} signed during the period also churned in it; ${m.newAccountsChurned === 1 ? "it is" : "they are"} outside the starting base of the rates.`,
    );
  return `${out.join("\n")}\n`;
}

export function churnReportBlocks(m: ChurnMetrics, currency = "USD"): Block[] {
  const lines = churnReportLines(m, currency);
  const blocks: Block[] = [
    header(`Churn report: ${m.period.label}`),
    context([
      `${describePeriod(m.period)} · gross margin ${m.grossMargin} · rates use the accounts active at period start`,
    ]),
    ...lines.map((l) => section(`*${l.name}*: ${l.value}\n_${l.definition}_`)),
    divider(),
    section(
      truncate(
        `*Reasons* (${countOf(m.postMortems, "post-mortem")}, by count and ARR lost)\n${
          m.reasons.length
            ? reasonLines(m, currency)
                .map((l) => `• ${l}`)
                .join("\n")
            : "none"
        }`,
        LIMITS.sectionText,
      ),
    ),
  ];
  if (m.newAccountsChurned)
    blocks.push(
      context([
        `${countOf(m.newAccountsChurned, "account")} signed during the period also churned in it (outside the rates' base).`,
      ]),
    );
  return blocks;
}
