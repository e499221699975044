// The retrospective's health chart as a Vega-Lite spec: 180 days of score to the churn,
// over the score bands (shaded and labelled with their thresholds), dated axes and a
// marker on the churn day. Pure data; src/services/chart-png.ts renders it to PNG.
import type { TopLevelSpec } from "vega-lite";
import { isoDay } from "./dates.js";

export interface RetroChartInput {
  accountName: string;
  history: readonly { scoredOn: Date; score: number }[];
  windowStart: Date;
  /** The churn day. */
  windowEnd: Date;
  bands: { redBelow: number; greenAtLeast: number };
}

/** Width and height of the chart in CSS pixels (the PNG is rendered at twice that). */
export const RETRO_CHART_SIZE = { width: 720, height: 360 } as const;

/** The font the chart names; the renderer ships it (text is not drawn without a font). */
export const CHART_FONT_FAMILY = "DejaVu Sans";

const BAND_COLORS = { red: "#f6c9c9", yellow: "#f8e7a6", green: "#c7ead0" } as const;
const BAND_TEXT_COLORS = { red: "#9b1c1c", yellow: "#7a5b00", green: "#1e6b34" } as const;
const LINE_COLOR = "#1d4ed8";

export function retroChartSpec(input: RetroChartInput): TopLevelSpec {
  const { redBelow, greenAtLeast } = input.bands;
  const bands = [
    { band: "red", from: 0, to: redBelow, label: `Red: below ${redBelow}` },
    { band: "yellow", from: redBelow, to: greenAtLeast, label: `Yellow: ${redBelow}–${greenAtLeast - 1}` },
    { band: "green", from: greenAtLeast, to: 100, label: `Green: ${greenAtLeast} and above` },
  ].map((b) => ({
    ...b,
    middle: (b.from + b.to) / 2,
    fill: BAND_COLORS[b.band as keyof typeof BAND_COLORS],
    ink: BAND_TEXT_COLORS[b.band as keyof typeof BAND_TEXT_COLORS],
  }));
  const scores = input.history.map((p) => ({ day: isoDay(p.scoredOn), score: p.score }));
  const churn = [{ day: isoDay(input.windowEnd), label: "Churned" }];
  const dayScale = { type: "utc" as const, domain: [isoDay(input.windowStart), isoDay(input.windowEnd)] };
  const scoreScale = { domain: [0, 100], nice: false, zero: true };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...RETRO_CHART_SIZE,
    autosize: { type: "fit", contains: "padding" },
    padding: 12,
    background: "white",
    title: {
      text: `${input.accountName}: health score up to the churn`,
      subtitle: `${formatChartDay(input.windowStart)} to ${formatChartDay(input.windowEnd)}`,
      anchor: "start",
    },
    config: {
      font: CHART_FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, labelColor: "#333", titleColor: "#333" },
    },
    layer: [
      {
        data: { values: bands },
        mark: { type: "rect", opacity: 0.8 },
        encoding: {
          y: { field: "from", type: "quantitative", scale: scoreScale, title: "Health score" },
          y2: { field: "to" },
          // The colours are in the data (scale: null), so the band text keeps colours of its own.
          color: { field: "fill", type: "nominal", scale: null },
        },
      },
      {
        data: { values: bands },
        mark: { type: "text", align: "left", baseline: "middle", dx: 6, fontSize: 11, fontWeight: "bold" },
        encoding: {
          x: { value: 0 },
          y: { field: "middle", type: "quantitative", scale: scoreScale },
          text: { field: "label" },
          color: { field: "ink", type: "nominal", scale: null },
        },
      },
      {
        data: { values: scores },
        mark: { type: "line", color: LINE_COLOR, strokeWidth: 2.5, interpolate: "monotone" },
        encoding: {
          x: {
            field: "day",
            type: "temporal",
            scale: dayScale,
            title: null,
            axis: {
              tickCount: { interval: "month", step: 1 },
              // Six month labels fit; without a canvas Vega overestimates text widths and would drop every other one.
              labelOverlap: false,
              grid: true,
              gridColor: "#ffffff",
              gridOpacity: 0.6,
              // Day and month on every tick, the year on the first and on January's.
              labelExpr:
                "utcFormat(datum.value, '%-d %b') + (datum.index === 0 || utcmonth(datum.value) === 0 ? utcFormat(datum.value, ' %Y') : '')",
            },
          },
          y: { field: "score", type: "quantitative", scale: scoreScale },
        },
      },
      {
        data: { values: churn },
        mark: { type: "rule", color: "#111", strokeDash: [4, 3] },
        encoding: { x: { field: "day", type: "temporal", scale: dayScale } },
      },
      {
        data: { values: churn },
        mark: { type: "text", align: "right", baseline: "top", dx: -4, dy: 4, fontSize: 11, color: "#111" },
        encoding: {
          x: { field: "day", type: "temporal", scale: dayScale },
          y: { value: 0 },
          text: { field: "label" },
        },
      },
    ],
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "1 Dec 2026", the chart's own dates (UTC days). */
function formatChartDay(day: Date): string {
  return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
}
