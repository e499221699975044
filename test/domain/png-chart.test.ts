import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CHART_COLORS,
  PNG_SIGNATURE,
  chartPointToPixel,
  crc32,
  defaultChartOptions,
  encodePng,
  rasteriseLineChart,
  renderLineChartPng,
  type ChartPoint,
} from "../../src/domain/png-chart.js";

interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunkTypes: string[];
  pixelAt(x: number, y: number): number[];
}

/** A minimal reader for what encodePng writes: checks every CRC and undoes filter 0. */
function decodePng(png: Buffer): DecodedPng {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    expect(crc, `CRC of ${type}`).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    chunkTypes.push(type);
    if (type === "IHDR") ihdr = data;
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const width = ihdr!.readUInt32BE(0);
  const height = ihdr!.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  expect(raw.length).toBe(stride * height);
  return {
    width,
    height,
    bitDepth: ihdr![8]!,
    colourType: ihdr![9]!,
    chunkTypes,
    pixelAt(x, y) {
      expect(raw[y * stride]).toBe(0);
      const i = y * stride + 1 + x * 4;
      return [raw[i]!, raw[i + 1]!, raw[i + 2]!, raw[i + 3]!];
    },
  };
}

describe("crc32", () => {
  it.each([
    ["", 0x00000000],
    ["a", 0xe8b7be43],
    ["123456789", 0xcbf43926],
    ["IEND", 0xae426082],
  ])("crc32(%j) = %s", (text, expected) => {
    expect(crc32(Buffer.from(text, "ascii"))).toBe(expected);
  });
});

describe("encodePng", () => {
  it("writes the signature, an RGBA IHDR with the image's size, IDAT and IEND, each with a valid CRC", () => {
    const pixels = new Uint8Array(3 * 2 * 4);
    pixels.set([255, 0, 0, 255], 0); // (0,0) red
    pixels.set([0, 0, 255, 128], (1 * 3 + 2) * 4); // (2,1) translucent blue
    const decoded = decodePng(encodePng({ width: 3, height: 2, pixels }));
    expect(decoded).toMatchObject({ width: 3, height: 2, bitDepth: 8, colourType: 6 });
    expect(decoded.chunkTypes).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(decoded.pixelAt(0, 0)).toEqual([255, 0, 0, 255]);
    expect(decoded.pixelAt(2, 1)).toEqual([0, 0, 255, 128]);
    expect(decoded.pixelAt(1, 1)).toEqual([0, 0, 0, 0]);
  });
});

describe("rasteriseLineChart / renderLineChartPng", () => {
  const options = defaultChartOptions({ width: 200, height: 100, xMin: 0, xMax: 10, padding: 5, lineWidth: 3 });
  const points: ChartPoint[] = [
    { x: 0, y: 80 },
    { x: 5, y: 50 },
    { x: 10, y: 20 },
  ];

  it("has the requested dimensions and draws the line through every data point", () => {
    const decoded = decodePng(renderLineChartPng(points, options));
    expect([decoded.width, decoded.height]).toEqual([200, 100]);
    for (const p of points) {
      const { px, py } = chartPointToPixel(p, options);
      expect(decoded.pixelAt(px, py), `pixel at data point (${p.x}, ${p.y})`).toEqual([...CHART_COLORS.line]);
    }
  });

  it("places points by their values: first top-left of plot, last near the bottom right", () => {
    expect(chartPointToPixel({ x: 0, y: 100 }, options)).toEqual({ px: 5, py: 5 });
    expect(chartPointToPixel({ x: 10, y: 0 }, options)).toEqual({ px: 194, py: 94 });
    expect(chartPointToPixel({ x: 10, y: 150 }, options)).toEqual({ px: 194, py: 5 });
  });

  it("shades the band areas away from the line and leaves the padding as background", () => {
    const img = rasteriseLineChart(points, options);
    const at = (x: number, y: number) => [...img.pixels.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];
    const red = chartPointToPixel({ x: 1, y: 10 }, options);
    const green = chartPointToPixel({ x: 9, y: 90 }, options);
    const yellow = chartPointToPixel({ x: 9, y: 55 }, options);
    expect(at(red.px, red.py)).toEqual([...CHART_COLORS.red]);
    expect(at(green.px, green.py)).toEqual([...CHART_COLORS.green]);
    expect(at(yellow.px, yellow.py)).toEqual([...CHART_COLORS.yellow]);
    expect(at(0, 0)).toEqual([...CHART_COLORS.background]);
  });

  it("draws a single point and an empty series without failing", () => {
    const one = rasteriseLineChart([{ x: 3, y: 60 }], options);
    const { px, py } = chartPointToPixel({ x: 3, y: 60 }, options);
    expect([...one.pixels.subarray((py * one.width + px) * 4, (py * one.width + px) * 4 + 4)]).toEqual([
      ...CHART_COLORS.line,
    ]);
    expect(rasteriseLineChart([], options).pixels.length).toBe(200 * 100 * 4);
  });

  it("refuses a size too small for its padding", () => {
    expect(() => rasteriseLineChart(points, { ...options, width: 10 })).toThrow(/too small/);
  });

  it("keeps a 180-day chart small", () => {
    const long = Array.from({ length: 180 }, (_, i) => ({ x: i, y: 80 - i / 3 }));
    expect(renderLineChartPng(long, defaultChartOptions()).length).toBeLessThan(30_000);
  });
});
