// Charts drawn with Vega-Lite and rendered to PNG: the spec compiles to Vega, Vega draws
// SVG in Node (no canvas), and resvg rasterises the SVG. resvg draws text only with a font
// it has been given, and servers (node:20-slim) have none: the chart's font ships in the
// dejavu-fonts-ttf package and is the only one loaded, so every machine draws the same image.
import { createRequire } from "node:module";
import type { TopLevelSpec } from "vega-lite";
import { CHART_FONT_FAMILY } from "../domain/retro-chart.js";

const require = createRequire(import.meta.url);
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

/** The PNG is drawn at this many pixels per CSS pixel: sharp on high-density screens. */
export const CHART_PIXEL_RATIO = 2;

export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: tens of modules that commands which never draw a chart do not need.
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderChartPng(spec: TopLevelSpec): Promise<Buffer> {
  const svg = await renderChartSvg(spec);
  const { Resvg } = await import("@resvg/resvg-js");
  const image = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: CHART_FONT_FAMILY },
    fitTo: { mode: "zoom", value: CHART_PIXEL_RATIO },
    background: "white",
  }).render();
  return image.asPng();
}
