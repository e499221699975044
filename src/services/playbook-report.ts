// Playbook outcomes, treated against control: how often each fired, how many tasks were
// done, and how often health recovered within 30 days. "Recovered": 30 days after firing,
// the score is green (≥ 70) or at least 10 points above where it was when the playbook fired.
import type { Db } from "../db/client.js";
import { addDays, startOfUtcDay } from "../domain/dates.js";
import { differenceOfProportions } from "../domain/playbooks/rules.js";

export const RECOVERY_DAYS = 30;
export const RECOVERY_POINTS = 10;
export const RECOVERY_GREEN = 70;

export interface GroupOutcome {
  fired: number;
  /** Firings old enough (30+ days) to judge. */
  judged: number;
  recovered: number;
}

export interface PlaybookOutcome {
  key: string;
  name: string;
  controlShare: number;
  treated: GroupOutcome;
  control: GroupOutcome;
  tasks: { total: number; done: number };
  effect: ReturnType<typeof differenceOfProportions>;
}

interface Row {
  key: string;
  name: string;
  controlShare: string;
  group: "treated" | "control";
  fired: number;
  judged: number;
  recovered: number;
}

export async function playbookReport(db: Db, workspaceId: number, now: Date): Promise<PlaybookOutcome[]> {
  const judgeBefore = addDays(startOfUtcDay(now), -RECOVERY_DAYS);
  const rows = await db.$queryRaw<Row[]>`
    SELECT p."key", p."name", p."controlShare"::text AS "controlShare", f."group"::text AS "group",
           count(*)::int AS "fired",
           count(*) FILTER (WHERE f."firedOn" <= ${judgeBefore}::date)::int AS "judged",
           count(*) FILTER (WHERE f."firedOn" <= ${judgeBefore}::date AND (
             later."score" >= ${RECOVERY_GREEN}::int OR later."score" >= coalesce(f."scoreAtFiring", 100) + ${RECOVERY_POINTS}::int))::int AS "recovered"
      FROM "playbook_firing" f
      JOIN "playbook" p ON p."workspaceId" = f."workspaceId" AND p."id" = f."playbookId"
      LEFT JOIN LATERAL (
        SELECT h."score" FROM "health_snapshot" h
         WHERE h."workspaceId" = f."workspaceId" AND h."accountId" = f."accountId"
           AND h."scoredOn" > f."firedOn" AND h."scoredOn" <= f."firedOn" + ${RECOVERY_DAYS}::int
         ORDER BY h."scoredOn" DESC LIMIT 1) later ON true
     WHERE f."workspaceId" = ${workspaceId}
     GROUP BY p."key", p."name", p."controlShare", f."group"`;
  const tasks = await db.playbookTask.groupBy({
    by: ["playbookId", "status"],
    where: { workspaceId, playbookId: { not: null } },
    _count: true,
  });
  const playbooks = await db.playbook.findMany({ where: { workspaceId }, orderBy: { key: "asc" } });
  return playbooks.map((p) => {
    const group = (g: "treated" | "control"): GroupOutcome => {
      const r = rows.find((x) => x.key === p.key && x.group === g);
      return { fired: r?.fired ?? 0, judged: r?.judged ?? 0, recovered: r?.recovered ?? 0 };
    };
    const mine = tasks.filter((t) => t.playbookId === p.id);
    const treated = group("treated");
    const control = group("control");
    return {
      key: p.key,
      name: p.name,
      controlShare: Number(p.controlShare),
      treated,
      control,
      tasks: {
        total: mine.reduce((n, t) => n + t._count, 0),
        done: mine.filter((t) => t.status === "done").reduce((n, t) => n + t._count, 0),
      },
      effect: differenceOfProportions(
        { successes: treated.recovered, n: treated.judged },
        { successes: control.recovered, n: control.judged },
      ),
    };
  });
}
