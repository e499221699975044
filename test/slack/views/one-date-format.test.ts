// One date format everywhere Pulse writes to Slack: "1 Dec 2026". Renders what the demo
// shows people (task DMs, App Home, cards, the digest, a retro thread) and reads every date
// in it. Also the formatter itself: reader time zones, and one Intl formatter per zone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDay } from "../../../src/slack/views/format.js";
import { retroTouchpointsMessage, type RetroEvidence } from "../../../src/slack/views/retro-thread.js";
import { renderDemo, textsOf, type Rendered } from "../../helpers/demo-renders.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";

const NOW = new Date("2026-12-03T07:40:00Z");
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const ONE_FORMAT = new RegExp(`^\\d{1,2} ${MONTH} \\d{4}$`);

let t: TestDatabase;
let rendered: Rendered[];

beforeAll(async () => {
  t = await createTestDatabase();
  rendered = await renderDemo(t.db, t.url, NOW);
}, 180_000);
afterAll(async () => t.drop());

/** Every date-looking phrase in a text: ISO days, "Dec 1, 2026", "1 Dec 2026", "12/01/2026", "Sept". */
function datesIn(text: string): string[] {
  const patterns = [
    /\b\d{4}-\d{2}-\d{2}\b/g,
    new RegExp(`\\b${MONTH}[a-z]* \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b`, "g"),
    new RegExp(`\\b\\d{1,2} ${MONTH}[a-z]*\\.? \\d{4}\\b`, "g"),
    /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g,
  ];
  return patterns.flatMap((p) => text.match(p) ?? []);
}

describe("dates Pulse writes to Slack", () => {
  it("renders the surfaces it checks, with dates in them", () => {
    const surfaces = new Set(rendered.map((r) => r.surface.replace(/ (of|to) .*/, "")));
    for (const s of ["App Home", "card", "message", "retro health", "retro touchpoints", "retro tasks"])
      expect(surfaces, s).toContain(s);
    const all = rendered.flatMap((r) => [...textsOf(r.blocks), r.text ?? ""]).flatMap(datesIn);
    expect(all.length).toBeGreaterThan(100);
  });

  it("are all written one way, 1 Dec 2026", () => {
    const wrong: string[] = [];
    for (const r of rendered)
      for (const text of [...textsOf(r.blocks), r.text ?? ""])
        for (const date of datesIn(text))
          if (!ONE_FORMAT.test(date)) wrong.push(`${r.surface}: ${date} in “${text.slice(0, 80)}”`);
    expect(wrong).toEqual([]);
  });

  it("show an instant on the reader's day and time, a calendar day as itself", () => {
    const lateEvening = new Date("2026-12-01T23:40:00Z");
    expect(formatDay(new Date("2026-12-01T00:00:00Z"))).toBe("1 Dec 2026");
    expect(formatDay(new Date("2026-09-05T00:00:00Z"))).toBe("5 Sep 2026");
    expect(formatDate(lateEvening, "Europe/Paris")).toBe("2 Dec 2026");
    expect(formatDate(lateEvening, "America/Los_Angeles")).toBe("1 Dec 2026");
    expect(formatDateTime(lateEvening, "Asia/Tokyo")).toBe("2 Dec 2026, 08:40 GMT+9");
    expect(formatDateTime(lateEvening, null)).toBe("1 Dec 2026, 23:40 UTC");
    expect(formatDateTime(lateEvening, "Not/AZone")).toBe("1 Dec 2026, 23:40 UTC");
    expect(formatDay(null)).toBe("—");
  });

  it("a retro thread dates what happened on the workspace's day", () => {
    const ev = {
      event: { accountName: "Acme" },
      timeZone: "Asia/Tokyo",
      touchpoints: [
        {
          occurredAt: new Date("2026-11-30T20:00:00Z"),
          kind: "call",
          sentiment: null,
          notes: null,
          loggedBySlackId: null,
        },
      ],
    } as unknown as RetroEvidence;
    expect(textsOf(retroTouchpointsMessage(ev).blocks).join("\n")).toContain("• 1 Dec 2026 · call");
    expect(textsOf(retroTouchpointsMessage({ ...ev, timeZone: null }).blocks).join("\n")).toContain(
      "• 30 Nov 2026 · call",
    );
  });

  it("App Home tells its reader the time in the reader's own zone", () => {
    const homes = rendered.filter((r) => r.surface.startsWith("App Home"));
    const updated = homes.flatMap((h) => textsOf(h.blocks)).filter((x) => x.startsWith("Updated "));
    expect(updated.length).toBe(homes.length);
    // The demo's CSMs live in Los Angeles, Berlin, Madrid, Chicago and Lagos.
    expect(updated.some((u) => u.includes("23:40") || u.includes("08:40"))).toBe(true);
    expect(new Set(updated.map((u) => u.slice(0, 30))).size).toBeGreaterThan(1);
  });

  it("builds one Intl formatter per time zone, not one per date", () => {
    const Real = Intl.DateTimeFormat;
    let built = 0;
    // biome-ignore lint/complexity/useArrowFunction: it is called with `new`, like the constructor it stands in for
    const counting = function (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      built++;
      return new Real(...args);
    };
    Intl.DateTimeFormat = counting as unknown as typeof Intl.DateTimeFormat;
    try {
      for (let i = 0; i < 500; i++) formatDateTime(new Date(NOW.getTime() + i * 3_600_000), "Pacific/Auckland");
      for (let i = 0; i < 500; i++) formatDate(new Date(NOW.getTime() + i * 3_600_000), "Pacific/Auckland");
      for (let i = 0; i < 500; i++) formatDay(new Date(NOW.getTime() + i * 86_400_000));
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect(built).toBeLessThanOrEqual(1);
  });
});
