// NPS, CSAT and CES for a period, by segment (or by owner within one segment), with the
// previous period beside it for the trend.
import type { Db } from "../db/client.js";
import { previousPeriod, type Period } from "../domain/period.js";
import { vocByGroup, type VocAnswer, type VocRow } from "../domain/voc.js";
import type { SurveyKind } from "../domain/vocabulary.js";

export interface VocReport {
  period: Period;
  previous: Period;
  groupBy: "segment" | "owner";
  segment: string | null;
  rows: VocRow[];
  previousRows: Map<string, VocRow>;
}

interface AnswerRow {
  kind: SurveyKind;
  score: number;
  segment: string | null;
  owner: string | null;
  current: boolean;
}

export async function vocReport(
  db: Db,
  workspaceId: number,
  options: { period: Period; segment?: string | null },
): Promise<VocReport> {
  const previous = previousPeriod(options.period);
  const segment = options.segment?.trim() || null;
  const rows = await db.$queryRaw<AnswerRow[]>`
    SELECT r."kind"::text AS "kind", r."score", a."segment", coalesce(u."name", u."slackUserId") AS "owner",
           (r."respondedAt" >= ${options.period.start}) AS "current"
      FROM "survey_response" r
      JOIN "account" a ON a."workspaceId" = r."workspaceId" AND a."id" = r."accountId"
      LEFT JOIN "app_user" u ON u."workspaceId" = a."workspaceId" AND u."id" = a."ownerId"
     WHERE r."workspaceId" = ${workspaceId}
       AND r."respondedAt" >= ${previous.start} AND r."respondedAt" < ${options.period.end}
       AND (${segment}::text IS NULL OR lower(a."segment") = lower(${segment}::text))`;
  const groupBy = segment ? "owner" : "segment";
  const toAnswer = (r: AnswerRow): VocAnswer => ({
    kind: r.kind,
    score: r.score,
    group: (groupBy === "owner" ? r.owner : r.segment) ?? "(none)",
  });
  const current = vocByGroup(rows.filter((r) => r.current).map(toAnswer));
  const before = vocByGroup(rows.filter((r) => !r.current).map(toAnswer));
  return {
    period: options.period,
    previous,
    groupBy,
    segment,
    rows: current,
    previousRows: new Map(before.map((r) => [r.group, r])),
  };
}
