// Writes a batch of `pulse import plans` rows in the import's transaction: objectives first
// (a milestone may point at an objective of the same batch), upserted by the row's external
// id. A column the file lacks leaves the stored value alone (undefined), as every import does.
import type { DbTx } from "../db/client.js";
import type { PlanRow } from "../domain/ingest/import-rows.js";

type Objective = Extract<PlanRow, { type: "objective" }>;
type Milestone = Extract<PlanRow, { type: "milestone" }>;

export async function upsertPlanRows(
  tx: DbTx,
  workspaceId: number,
  rows: PlanRow[],
): Promise<{ created: number; updated: number; unchanged: number }> {
  const objectives = rows.filter((r): r is Objective => r.type === "objective");
  const milestones = rows.filter((r): r is Milestone => r.type === "milestone");
  const [existingObjectives, existingMilestones] = await Promise.all([
    tx.successObjective.findMany({
      where: { workspaceId, externalId: { in: objectives.map((o) => o.externalId) } },
      select: { externalId: true },
    }),
    tx.successMilestone.findMany({
      where: { workspaceId, externalId: { in: milestones.map((m) => m.externalId) } },
      select: { externalId: true },
    }),
  ]);
  const known = new Set([
    ...existingObjectives.map((o) => `o:${o.externalId}`),
    ...existingMilestones.map((m) => `m:${m.externalId}`),
  ]);
  for (const { type: _type, externalId, ...data } of objectives) {
    await tx.successObjective.upsert({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      create: { workspaceId, externalId, ...data, stakeholderTypes: data.stakeholderTypes ?? [], source: "import" },
      update: { ...data, source: "import" },
    });
  }
  const refs = [...new Set(milestones.map((m) => m.objectiveExternalId).filter((x): x is string => Boolean(x)))];
  const objectiveIds = new Map(
    (
      await tx.successObjective.findMany({
        where: { workspaceId, externalId: { in: refs } },
        select: { id: true, externalId: true },
      })
    ).map((o) => [o.externalId!, o.id]),
  );
  for (const { type: _type, externalId, objectiveExternalId, ...data } of milestones) {
    const objectiveId =
      objectiveExternalId === undefined
        ? undefined
        : objectiveExternalId === null
          ? null
          : (objectiveIds.get(objectiveExternalId) ?? null);
    await tx.successMilestone.upsert({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      create: {
        workspaceId,
        externalId,
        ...data,
        objectiveId: objectiveId ?? null,
        stakeholderTypes: data.stakeholderTypes ?? [],
        source: "import",
      },
      update: { ...data, ...(objectiveId !== undefined ? { objectiveId } : {}), source: "import" },
    });
  }
  const updated =
    objectives.filter((o) => known.has(`o:${o.externalId}`)).length +
    milestones.filter((m) => known.has(`m:${m.externalId}`)).length;
  return { created: rows.length - updated, updated, unchanged: 0 };
}
