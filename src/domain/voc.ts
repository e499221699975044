// Voice-of-the-customer metrics, by their standard definitions:
// - NPS: % promoters (9-10) minus % detractors (0-6), on -100..100;
// - CSAT: % of answers that are 4 or 5 on a 1-5 scale;
// - CES: mean effort on a 1-7 scale.
// No answers give a null value with a count of 0, never NaN or a silent zero.
import type { SurveyKind } from "./vocabulary.js";
export interface NpsResult {
  value: number | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface ShareResult {
  value: number | null;
  responses: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function computeNps(scores: number[]): NpsResult {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = scores.length - promoters - detractors;
  return {
    value: scores.length ? round1(((promoters - detractors) / scores.length) * 100) : null,
    responses: scores.length,
    promoters,
    passives,
    detractors,
  };
}

export function computeCsat(scores: number[]): ShareResult {
  return {
    value: scores.length ? round1((scores.filter((s) => s >= 4).length / scores.length) * 100) : null,
    responses: scores.length,
  };
}

export function computeCes(scores: number[]): ShareResult {
  return {
    value: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
    responses: scores.length,
  };
}

export interface VocAnswer {
  kind: SurveyKind;
  score: number;
  group: string;
}

export interface VocRow {
  group: string;
  nps: NpsResult;
  csat: ShareResult;
  ces: ShareResult;
}

/** Metrics per group (segment, owner, account) plus an "All" row, groups sorted by name. */
export function vocByGroup(answers: VocAnswer[]): VocRow[] {
  const groups = new Map<string, VocAnswer[]>();
  for (const a of answers) {
    const list = groups.get(a.group);
    if (list) list.push(a);
    else groups.set(a.group, [a]);
  }
  const row = (group: string, list: VocAnswer[]): VocRow => ({
    group,
    nps: computeNps(list.filter((a) => a.kind === "nps").map((a) => a.score)),
    csat: computeCsat(list.filter((a) => a.kind === "csat").map((a) => a.score)),
    ces: computeCes(list.filter((a) => a.kind === "ces").map((a) => a.score)),
  });
  return [
    row("All", answers),
    ...[...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([g, list]) => row(g, list)),
  ];
}
