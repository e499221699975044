// Learned churn models: fit one from the workspace's own history and store it as a
// candidate version, adopt a version (it then scores the workspace), show what it weighs.
import type { Prisma } from "../generated/prisma/client.js";
import { displayDay, isoDay, startOfUtcDay } from "../domain/dates.js";
import { fitLearnedModel, learnedModelSpecSchema, type LearnedModelSpec } from "../domain/health/learned-model.js";
import {
  crossValidate,
  MIN_CHURNS,
  validationReport,
  type ValidationReport,
} from "../domain/health/model-validation.js";
import { AppError } from "../errors.js";
import { modelCheckSchema, type ModelCheck } from "../domain/health/model-check.js";
import type { Db } from "../db/client.js";
import { buildTrainingRows } from "./churn-training-rows.js";
import { loadWorkspaceModel, type ScoringContext } from "./score-accounts.js";

export interface FitModelOptions {
  horizonDays: number;
  until: Date;
  /** The moment the fit runs (version names and createdAt). */
  now: Date;
  onDay?: (done: number, total: number) => void;
}

export interface FittedModel {
  version: string;
  horizonDays: number;
  until: string;
  trainingRows: number;
  churns: number;
  asOfDays: number;
  validation: ValidationReport;
  spec: LearnedModelSpec;
}

async function nextVersion(db: Db, workspaceId: number, now: Date): Promise<string> {
  const prefix = `learned-${isoDay(now)}`;
  const existing = await db.healthModelVersion.count({ where: { workspaceId, version: { startsWith: prefix } } });
  return `${prefix}.${existing + 1}`;
}

/** Builds the rows, validates out of sample, fits on every labelled row and stores the candidate. */
export async function fitWorkspaceModel(
  ctx: ScoringContext,
  workspaceId: number,
  options: FitModelOptions,
): Promise<FittedModel> {
  const until = startOfUtcDay(options.until);
  const { model: rules } = await loadWorkspaceModel(ctx, workspaceId);
  const { rows, days } = await buildTrainingRows(ctx.db, workspaceId, rules, {
    horizonDays: options.horizonDays,
    until,
    onDay: options.onDay,
  });
  // Churns, not churned rows: an account that churned is labelled on each as-of day of its horizon.
  const churns = new Set(rows.filter((r) => r.label).map((r) => r.accountId)).size;
  if (churns < MIN_CHURNS) {
    throw new AppError(
      "INVALID_INPUT",
      `Not enough history to learn from: ${churns} churned account(s) within ${options.horizonDays} days of ${rows.length} (account, day) rows up to ${displayDay(until)}; ` +
        `at least ${MIN_CHURNS} are needed (${MIN_CHURNS - churns} more). Import churn history with \`pulse import churns\`, score past days with ` +
        "`pulse score --from … --every 1mo`, or try a longer --horizon.",
    );
  }
  if (rows.every((r) => r.label))
    throw new AppError(
      "INVALID_INPUT",
      "Every row churned within the horizon: there is nothing to tell churners apart from.",
    );
  const cv = crossValidate(rows, { horizonDays: options.horizonDays });
  if (!cv.predictions.length)
    throw new AppError("INVALID_INPUT", "No fold had enough churns to validate a model on: import more churn history.");
  const validation = validationReport(cv.scheme, cv.folds, cv.predictions);
  const version = await nextVersion(ctx.db, workspaceId, options.now);
  const spec = fitLearnedModel(rows, { version, horizonDays: options.horizonDays });
  await ctx.db.healthModelVersion.create({
    data: {
      workspaceId,
      version,
      horizonDays: options.horizonDays,
      trainedUntil: until,
      trainingRows: rows.length,
      churns,
      spec: spec as unknown as Prisma.InputJsonValue,
      validation: { ...validation, asOfDays: days.map(isoDay) } as unknown as Prisma.InputJsonValue,
      createdAt: options.now,
    },
  });
  ctx.logger.info(
    { workspaceId, version, rows: rows.length, churns, auc: validation.learned.auc, rulesAuc: validation.rules.auc },
    "churn model fitted",
  );
  return {
    version,
    horizonDays: options.horizonDays,
    until: isoDay(until),
    trainingRows: rows.length,
    churns,
    asOfDays: days.length,
    validation,
    spec,
  };
}

export interface StoredModel {
  version: string;
  horizonDays: number;
  trainedUntil: string;
  trainingRows: number;
  churns: number;
  createdAt: Date;
  adoptedAt: Date | null;
  spec: LearnedModelSpec;
  validation: ValidationReport;
  lastCheck: unknown;
}

function toStored(row: {
  version: string;
  horizonDays: number;
  trainedUntil: Date;
  trainingRows: number;
  churns: number;
  createdAt: Date;
  adoptedAt: Date | null;
  spec: unknown;
  validation: unknown;
  lastCheck: unknown;
}): StoredModel {
  const spec = learnedModelSpecSchema.safeParse(row.spec);
  if (!spec.success)
    throw new AppError(
      "INTERNAL",
      `Stored model ${row.version} is not a valid model: ${spec.error.issues[0]?.message}`,
    );
  return {
    ...row,
    trainedUntil: isoDay(row.trainedUntil),
    spec: spec.data,
    validation: row.validation as ValidationReport,
  };
}

/** The version that scores the workspace now, if one was adopted. */
export async function loadAdoptedModel(db: Db, workspaceId: number): Promise<StoredModel | null> {
  const row = await db.healthModelVersion.findFirst({
    where: { workspaceId, adoptedAt: { not: null }, retiredAt: null },
    orderBy: { adoptedAt: "desc" },
  });
  return row ? toStored(row) : null;
}

export async function findModelVersion(db: Db, workspaceId: number, version: string): Promise<StoredModel> {
  const row =
    version === "latest"
      ? await db.healthModelVersion.findFirst({
          where: { workspaceId },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        })
      : await db.healthModelVersion.findUnique({ where: { workspaceId_version: { workspaceId, version } } });
  if (!row) {
    throw new AppError(
      "NOT_FOUND",
      version === "latest"
        ? "No learned model has been fitted for this workspace yet: run `pulse model fit` first."
        : `No model version "${version}" in this workspace (see \`pulse model show\`).`,
    );
  }
  return toStored(row);
}

export async function listModelVersions(db: Db, workspaceId: number): Promise<StoredModel[]> {
  const rows = await db.healthModelVersion.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
  });
  return rows.map(toStored);
}

/** Makes `version` (or the latest fitted) the workspace's model; the one before is retired. */
export async function adoptModelVersion(
  db: Db,
  workspaceId: number,
  version: string,
  options: { now: Date; actorSlackId?: string | null },
): Promise<StoredModel> {
  const target = await findModelVersion(db, workspaceId, version);
  await db.$transaction(async (tx) => {
    await tx.healthModelVersion.updateMany({
      where: { workspaceId, adoptedAt: { not: null }, retiredAt: null, version: { not: target.version } },
      data: { retiredAt: options.now },
    });
    await tx.healthModelVersion.update({
      where: { workspaceId_version: { workspaceId, version: target.version } },
      data: { adoptedAt: options.now, retiredAt: null },
    });
    await tx.auditLog.create({
      data: {
        workspaceId,
        actorSlackId: options.actorSlackId ?? null,
        action: "model.adopt",
        entityType: "health_model_version",
        entityId: target.version,
        details: { horizonDays: target.horizonDays },
      },
    });
  });
  return { ...target, adoptedAt: options.now };
}

/** Goes back to the rules model. */
export async function retireAdoptedModel(db: Db, workspaceId: number, now: Date): Promise<number> {
  const { count } = await db.healthModelVersion.updateMany({
    where: { workspaceId, adoptedAt: { not: null }, retiredAt: null },
    data: { retiredAt: now },
  });
  return count;
}

export interface ModelStatus {
  /** The version scoring the workspace, if any. */
  adopted: StoredModel | null;
  /** The newest fitted version (it may be the adopted one). */
  latest: StoredModel | null;
  /** The adopted version's latest weekly check. */
  check: ModelCheck | null;
}

/** What `/pulse admin model` and App Home show about the workspace's churn model. */
export async function readModelStatus(db: Db, workspaceId: number): Promise<ModelStatus> {
  const [adopted, [latest]] = await Promise.all([
    loadAdoptedModel(db, workspaceId),
    listModelVersions(db, workspaceId),
  ]);
  const check = adopted?.lastCheck ? modelCheckSchema.safeParse(adopted.lastCheck) : null;
  return { adopted, latest: latest ?? null, check: check?.success ? check.data : null };
}
