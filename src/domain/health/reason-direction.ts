// Reasons with a direction (issue 15, blocker 3). A snapshot's reasons are signed: what
// lowered the score and what held it up. Readers show the first apart from the second, and
// explain a drop by what changed between two snapshots, not by the strongest reason of
// either (a red card once led with "Logins on 30 of the last 30 days").
import type { HealthReason } from "./snapshot.js";

/** Smaller moves are rounding, not reasons. */
const NOISE = 0.5;

export interface DirectedReasons {
  /** What lowered the score, the largest drag first. */
  lowered: HealthReason[];
  /** What held it up, the largest lift first. */
  heldUp: HealthReason[];
}

export function splitReasons(reasons: HealthReason[]): DirectedReasons {
  return {
    lowered: reasons.filter((r) => r.impact <= -NOISE).sort((a, b) => a.impact - b.impact),
    heldUp: reasons.filter((r) => r.impact >= NOISE).sort((a, b) => b.impact - a.impact),
  };
}

/** The reason to show beside a score: the largest drag on it, or none when nothing lowered it. */
export function topLoweringReason(reasons: HealthReason[]): HealthReason | null {
  return splitReasons(reasons).lowered[0] ?? null;
}

/** How one reason moved the score between two snapshots. */
export interface ReasonShift {
  code: string;
  component: HealthReason["component"];
  /** The reason's words now (or, for one that is gone, as it was, prefixed "No longer: "). */
  text: string;
  /** Points it moves the score now minus then: negative when it pulls the score down more. */
  delta: number;
  /** Points it moves the score now (0 for one that is gone). */
  impact: number;
}

/**
 * What changed between the comparison snapshot (`before`) and now, by reason: the ones
 * that pulled the score down more first (`worse`), then those that helped (`better`).
 * A reason missing on one side counts as 0 there.
 */
export function reasonShifts(
  now: HealthReason[],
  before: HealthReason[],
): { worse: ReasonShift[]; better: ReasonShift[] } {
  const was = new Map(before.map((r) => [r.code, r]));
  const is = new Map(now.map((r) => [r.code, r]));
  const shifts: ReasonShift[] = [];
  for (const r of now)
    shifts.push({
      code: r.code,
      component: r.component,
      text: r.text,
      delta: round1(r.impact - (was.get(r.code)?.impact ?? 0)),
      impact: r.impact,
    });
  for (const r of before)
    if (!is.has(r.code))
      shifts.push({
        code: r.code,
        component: r.component,
        text: `No longer: ${lowerFirst(r.text)}`,
        delta: round1(-r.impact),
        impact: 0,
      });
  return {
    worse: shifts.filter((s) => s.delta <= -NOISE).sort((a, b) => a.delta - b.delta || a.code.localeCompare(b.code)),
    better: shifts.filter((s) => s.delta >= NOISE).sort((a, b) => b.delta - a.delta || a.code.localeCompare(b.code)),
  };
}

/**
 * What explains a drop: reasons that took at least a point off since the comparison
 * snapshot and now pull the score down (or that held it up and are gone). A reason that
 * still holds the score up ("Active users held steady") never explains a drop, even when
 * it holds it up a little less.
 */
export function explainDrop(now: HealthReason[], before: HealthReason[]): ReasonShift[] {
  return reasonShifts(now, before).worse.filter(
    (s) => s.delta <= -1 && (s.impact < 0 || s.text.startsWith("No longer: ")),
  );
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
