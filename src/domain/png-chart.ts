// A health-score line chart rendered to PNG in pure TypeScript (node:zlib only), so a
// retrospective thread can show 180 days of history without a native image library.
// Two layers: `rasteriseLineChart` draws into an RGBA buffer (band areas shaded, the score
// line on top); `encodePng` writes that buffer as a PNG (RFC 2083: signature, IHDR, IDAT,
// IEND; every chunk CRC-32'd). The geometry helper `chartPointToPixel` is exported so tests
// can check the line passes through known points.
import { deflateSync } from "node:zlib";

export type Rgba = readonly [number, number, number, number];

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major, top row first. */
  pixels: Uint8Array;
}

export interface ChartPoint {
  /** Any increasing unit (days since the window start, say). */
  x: number;
  /** The score, clamped into [yMin, yMax]. */
  y: number;
}

export interface BandArea {
  /** Inclusive lower bound of the band on the y axis. */
  from: number;
  to: number;
  color: Rgba;
}

export interface LineChartOptions {
  width: number;
  height: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** Blank border around the plot area, in pixels. */
  padding: number;
  background: Rgba;
  bands: BandArea[];
  lineColor: Rgba;
  /** Line thickness in pixels (a square brush). */
  lineWidth: number;
}

export const CHART_COLORS = {
  background: [255, 255, 255, 255],
  red: [251, 218, 218, 255],
  yellow: [253, 243, 205, 255],
  green: [220, 242, 222, 255],
  line: [29, 78, 216, 255],
} as const satisfies Record<string, Rgba>;

/** Default shading for a 0-100 health score, the score model's default bands: red below 50, yellow to 70, green above. */
export function healthBandAreas(thresholds: { red: number; green: number } = { red: 50, green: 70 }): BandArea[] {
  return [
    { from: 0, to: thresholds.red, color: CHART_COLORS.red },
    { from: thresholds.red, to: thresholds.green, color: CHART_COLORS.yellow },
    { from: thresholds.green, to: 100, color: CHART_COLORS.green },
  ];
}

export function defaultChartOptions(overrides: Partial<LineChartOptions> = {}): LineChartOptions {
  return {
    width: 720,
    height: 240,
    xMin: 0,
    xMax: 179,
    yMin: 0,
    yMax: 100,
    padding: 8,
    background: CHART_COLORS.background,
    bands: healthBandAreas(),
    lineColor: CHART_COLORS.line,
    lineWidth: 3,
    ...overrides,
  };
}

/** Where a data point lands, in whole pixels (column, row from the top). */
export function chartPointToPixel(point: ChartPoint, o: LineChartOptions): { px: number; py: number } {
  const plotW = o.width - 2 * o.padding - 1;
  const plotH = o.height - 2 * o.padding - 1;
  const xSpan = o.xMax - o.xMin || 1;
  const ySpan = o.yMax - o.yMin || 1;
  const y = Math.min(o.yMax, Math.max(o.yMin, point.y));
  const px = o.padding + Math.round(((point.x - o.xMin) / xSpan) * plotW);
  const py = o.padding + Math.round((1 - (y - o.yMin) / ySpan) * plotH);
  return { px, py };
}

function fillRect(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, c: Rgba): void {
  for (let y = Math.max(0, y0); y <= Math.min(img.height - 1, y1); y++) {
    for (let x = Math.max(0, x0); x <= Math.min(img.width - 1, x1); x++) {
      const i = (y * img.width + x) * 4;
      img.pixels[i] = c[0];
      img.pixels[i + 1] = c[1];
      img.pixels[i + 2] = c[2];
      img.pixels[i + 3] = c[3];
    }
  }
}

/** Bresenham's line with a square brush of `width` pixels. */
function drawLine(
  img: RgbaImage,
  a: { px: number; py: number },
  b: { px: number; py: number },
  width: number,
  c: Rgba,
): void {
  const half = Math.floor((width - 1) / 2);
  const extra = width - 1 - half;
  let x = a.px;
  let y = a.py;
  const dx = Math.abs(b.px - a.px);
  const dy = -Math.abs(b.py - a.py);
  const sx = a.px < b.px ? 1 : -1;
  const sy = a.py < b.py ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    fillRect(img, x - half, y - half, x + extra, y + extra, c);
    if (x === b.px && y === b.py) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

export function rasteriseLineChart(points: ChartPoint[], o: LineChartOptions): RgbaImage {
  if (
    !Number.isInteger(o.width) ||
    !Number.isInteger(o.height) ||
    o.width < 2 * o.padding + 2 ||
    o.height < 2 * o.padding + 2
  ) {
    throw new RangeError(`chart size ${o.width}×${o.height} is too small for padding ${o.padding}`);
  }
  const img: RgbaImage = { width: o.width, height: o.height, pixels: new Uint8Array(o.width * o.height * 4) };
  fillRect(img, 0, 0, o.width - 1, o.height - 1, o.background);
  for (const band of o.bands) {
    const left = chartPointToPixel({ x: o.xMin, y: band.to }, o);
    const right = chartPointToPixel({ x: o.xMax, y: band.from }, o);
    fillRect(img, left.px, left.py, right.px, right.py, band.color);
  }
  const sorted = [...points].sort((p, q) => p.x - q.x).map((p) => chartPointToPixel(p, o));
  if (sorted.length === 1) drawLine(img, sorted[0]!, sorted[0]!, o.lineWidth, o.lineColor);
  for (let i = 1; i < sorted.length; i++) drawLine(img, sorted[i - 1]!, sorted[i]!, o.lineWidth, o.lineColor);
  return img;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, the polynomial PNG and zlib use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}

/** 8-bit RGBA, no interlace; every scanline uses filter 0 (the chart is mostly flat colour, so deflate does the work). */
export function encodePng(img: RgbaImage): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = img.width * 4;
  const raw = Buffer.alloc((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(img.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

export function renderLineChartPng(points: ChartPoint[], options: LineChartOptions): Buffer {
  return encodePng(rasteriseLineChart(points, options));
}
