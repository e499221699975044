// The retro chart drawn with Vega-Lite and rendered to PNG: a real image of the expected
// size, with the score line, the shaded bands and text (title, dated axis, band labels),
// which resvg only draws when it has a font.
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { RETRO_CHART_SIZE, retroChartSpec } from "../../src/domain/retro-chart.js";
import { CHART_PIXEL_RATIO, renderChartPng, renderChartSvg } from "../../src/services/chart-png.js";
import { decodePng, type DecodedPng } from "../helpers/png.js";

const windowStart = new Date("2025-12-01T00:00:00Z");
const windowEnd = addDays(windowStart, 179);
const history = Array.from({ length: 180 }, (_, i) => ({
  scoredOn: addDays(windowStart, i),
  score: Math.round(82 - i * 0.35),
}));
const input = {
  accountName: "Acme & <Co>",
  history,
  windowStart,
  windowEnd,
  bands: { redBelow: 50, greenAtLeast: 70 },
};

/** Pixels in a region that are near-black or dark coloured (text, the line), not band shading. */
function darkPixels(png: DecodedPng, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const [r, g, b] = png.pixelAt(x, y);
      if (r + g + b < 300) n++;
    }
  return n;
}

describe("the retro chart", () => {
  it("labels dates, the score axis and the band thresholds", async () => {
    const svg = await renderChartSvg(retroChartSpec(input));
    for (const text of [
      "1 Dec 2025",
      "1 Jan 2026",
      "1 Feb",
      "1 May",
      "Health score",
      "Red: below 50",
      "Yellow: 50–69",
      "Green: 70 and above",
      "Churned",
      "1 Dec 2025 to 29 May 2026",
    ])
      expect(svg, text).toContain(text);
    // The account's name is text in the SVG, escaped as such.
    expect(svg).toContain("Acme &amp; &lt;Co&gt;");
    expect(svg).not.toContain("<Co>");
  });

  it("follows the workspace's own thresholds", async () => {
    const svg = await renderChartSvg(retroChartSpec({ ...input, bands: { redBelow: 40, greenAtLeast: 75 } }));
    expect(svg).toContain("Red: below 40");
    expect(svg).toContain("Yellow: 40–74");
    expect(svg).toContain("Green: 75 and above");
  });

  it("renders to a PNG of the expected size that shows the line, the bands and text", async () => {
    const png = decodePng(await renderChartPng(retroChartSpec(input)));
    expect(png.width).toBe(RETRO_CHART_SIZE.width * CHART_PIXEL_RATIO);
    expect(png.height).toBe(RETRO_CHART_SIZE.height * CHART_PIXEL_RATIO);
    const colours = new Set<string>();
    let line = 0;
    for (let y = 0; y < png.height; y += 3)
      for (let x = 0; x < png.width; x += 3) {
        const [r, g, b] = png.pixelAt(x, y);
        colours.add(`${r >> 4},${g >> 4},${b >> 4}`);
        if (b > 150 && r < 80 && g < 120) line++;
      }
    expect(colours.size).toBeGreaterThan(20);
    expect(line, "pixels of the blue score line").toBeGreaterThan(100);
    // Text: the title strip (top) and the date labels strip (bottom) hold only text, so
    // dark pixels there mean the font was found and glyphs were drawn.
    const r = CHART_PIXEL_RATIO;
    expect(darkPixels(png, 0, 0, png.width, 30 * r), "title").toBeGreaterThan(500);
    expect(darkPixels(png, 60 * r, png.height - 28 * r, png.width, png.height), "date labels").toBeGreaterThan(300);
  });
});
