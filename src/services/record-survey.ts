// Recording an NPS, CSAT or CES answer on the survey's own scale.
import { z } from "zod";
import type { AppContext } from "../app-context.js";
import { STAKEHOLDER_TYPES, SURVEY_KINDS, SURVEY_SCALES } from "../domain/vocabulary.js";
import { ValidationError } from "../errors.js";
import type { SurveyResponse } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";

// Names the commands that exist: there is no `/pulse survey` (issue 15).
const OPEN_AGAIN = SURVEY_KINDS.map((k) => `/pulse ${k}`)
  .join(", ")
  .replace(/, ([^,]*)$/, " or $1");

export const surveyInputSchema = z
  .object({
    accountId: z.number({ message: "Choose an account." }).int().positive({ message: "Choose an account." }),
    kind: z.enum(SURVEY_KINDS, {
      error: `This form lost its survey kind (NPS, CSAT or CES): open it again with ${OPEN_AGAIN}.`,
    }),
    score: z.number({ message: "Give a score." }).int({ message: "The score must be a whole number." }),
    respondentName: z.string().trim().max(200).optional(),
    stakeholderType: z.enum(STAKEHOLDER_TYPES).optional(),
    comment: z.string().trim().max(3000, { message: "The comment must be 3,000 characters or fewer." }).optional(),
    respondedAt: z.date({ message: "Give the date of the answer." }),
  })
  .superRefine((v, ctx) => {
    const scale = SURVEY_SCALES[v.kind];
    if (v.score < scale.min || v.score > scale.max) {
      ctx.addIssue({
        code: "custom",
        path: ["score"],
        message: `${scale.label} scores run from ${scale.min} to ${scale.max}.`,
      });
    }
  });
export type SurveyInput = z.infer<typeof surveyInputSchema>;

export async function recordSurvey(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: { workspaceId: number; userId: number; slackUserId: string },
  input: SurveyInput,
): Promise<SurveyResponse & { accountName: string }> {
  const now = ctx.clock();
  if (input.respondedAt.getTime() > now.getTime() + 60_000)
    throw new ValidationError({ respondedAt: "The date cannot be in the future." });
  return ctx.db.$transaction(async (tx) => {
    const account = await tx.account.findFirst({
      where: { id: input.accountId, workspaceId: actor.workspaceId },
      select: { id: true, name: true },
    });
    if (!account) throw new ValidationError({ accountId: "That account does not exist in this workspace." });
    const response = await tx.surveyResponse.create({
      data: {
        workspaceId: actor.workspaceId,
        accountId: input.accountId,
        kind: input.kind,
        score: input.score,
        comment: input.comment || null,
        respondentName: input.respondentName || null,
        stakeholderType: input.stakeholderType ?? null,
        respondedAt: input.respondedAt,
        source: "slack",
        recordedById: actor.userId,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorSlackId: actor.slackUserId,
      action: "survey.create",
      entityType: "survey_response",
      entityId: response.id,
      accountId: input.accountId,
      details: { kind: input.kind, score: input.score },
    });
    return { ...response, accountName: account.name };
  });
}
