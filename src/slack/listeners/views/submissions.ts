// Touchpoint and survey modal submissions. Validation errors, a foreign account included,
// come back inline and the modal stays open with everything typed (the translator shows
// them, from the ValidationError thrown). The row is written after the ack; a write that
// fails then is told to the person with what they wrote (handleSubmission).
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { ZodError } from "zod";
import type { AppContext } from "../../../app-context.js";
import { isAppError, ValidationError } from "../../../errors.js";
import { logTouchpoint, touchpointInputSchema, type TouchpointInput } from "../../../services/log-touchpoint.js";
import { alertDetractor } from "../../../services/detractor-alert.js";
import { SURVEY_SCALES } from "../../../domain/vocabulary.js";
import { recordSurvey, surveyInputSchema, type SurveyInput } from "../../../services/record-survey.js";
import { accountBelongsTo, workspaceIdOfTeam } from "../../../services/known-owners.js";
import { escapeMrkdwn, truncate } from "../../block-kit.js";
import { BLOCK, CALLBACK } from "../../ids.js";
import { pulseOf, type PulseRequest } from "../../middleware/pulse-request.js";
import { afterAck, queueKey, tellUser } from "../define.js";
import { touchpointKindWithArticle, type ModalMetadata } from "../../views/modals.js";
import {
  dayToInstant,
  readAccountId,
  readDate,
  readMulti,
  readSelected,
  readText,
  type ViewState,
} from "../parse-view.js";

const TOUCHPOINT_FIELDS: Record<string, string> = {
  accountId: BLOCK.account,
  kind: BLOCK.kind,
  occurredAt: BLOCK.date,
  stakeholderTypes: BLOCK.stakeholders,
  sentiment: BLOCK.sentiment,
  notes: BLOCK.notes,
  permalink: BLOCK.notes,
  _fallback: BLOCK.notes,
};
const SURVEY_FIELDS: Record<string, string> = {
  accountId: BLOCK.account,
  // The kind travels in the modal's metadata and sets the score's scale.
  kind: BLOCK.score,
  score: BLOCK.score,
  respondentName: BLOCK.respondent,
  stakeholderType: BLOCK.stakeholderType,
  comment: BLOCK.comment,
  respondedAt: BLOCK.date,
  _fallback: BLOCK.comment,
};

function zodFieldErrors(error: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "_fallback")] ??= issue.message;
  return out;
}

/**
 * Pulse wrote private_metadata when it opened the modal; anything else in it (another JSON
 * value, a field of another type) reads as absent, and the schema names what is missing.
 */
export function parseMetadata(raw: string | undefined): ModalMetadata {
  let parsed: unknown;
  try {
    parsed = raw ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const { channelId, permalink, kind } = parsed as Record<string, unknown>;
  return {
    ...(typeof channelId === "string" ? { channelId } : {}),
    ...(typeof permalink === "string" ? { permalink } : {}),
    ...(typeof kind === "string" && Object.hasOwn(SURVEY_SCALES, kind) ? { kind: kind as ModalMetadata["kind"] } : {}),
  };
}

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** What a submission failed after its ack keeps of what was typed, to submit it again. */
type Retype<T> = (input: T) => { what: string; typed: string | undefined };

/**
 * A modal submission: checked before the ack (the form and the account's workspace, the
 * latter without a query once known; see known-owners.ts), so every refusal is shown on
 * the form; written after it, in this person's turn of the follow-up queue. In a burst,
 * writing first kept the acks of everyone's submissions waiting behind everyone's writes.
 * A write that still fails (the database away, the account erased meanwhile) is told to
 * the person with what they typed; nothing is half-written (each save is one statement or
 * one transaction).
 */
function handleSubmission<T extends { accountId: number }>(
  ctx: AppContext,
  fields: Record<string, string>,
  build: (state: ViewState, meta: ModalMetadata, now: Date) => { input?: unknown; errors: Record<string, string> },
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  save: (actor: { workspaceId: number; userId: number; slackUserId: string }, input: T) => Promise<string>,
  retype: Retype<T>,
) {
  return async ({ ack, view, body, context }: ViewArgs): Promise<void> => {
    const pulse = pulseOf(context);
    // Errors thrown from here on are shown on these blocks by the translator.
    pulse.modal = { fieldBlocks: fields, fallbackBlock: fields._fallback! };
    const meta = parseMetadata(view.private_metadata);
    const built = build((view.state?.values ?? {}) as ViewState, meta, ctx.clock());
    const parsed = schema.safeParse(built.input);
    // The builder's errors are the more specific ("in the future" rather than "give a date").
    const errors = { ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...built.errors };
    if (Object.keys(errors).length || !parsed.success) throw new ValidationError(errors);
    const workspaceId = await workspaceIdOfTeam(ctx.db, pulse.teamId, body.team?.domain);
    if (!(await accountBelongsTo(ctx.db, workspaceId, parsed.data.accountId)))
      throw new ValidationError({ accountId: ACCOUNT_NOT_HERE });
    await ack();
    await afterAck(queueKey(pulse), async () => {
      try {
        const [workspace, user] = [await pulse.workspace(), await pulse.user()];
        // A second delivery of the same submission (a double click) writes nothing.
        if (!(await pulse.claimOnce())) return;
        const confirmation = await save(
          { workspaceId: workspace.id, userId: user.id, slackUserId: user.slackUserId },
          parsed.data,
        );
        await tellUser(pulse, meta.channelId, confirmation).catch((error: unknown) =>
          ctx.logger.warn({ err: error, requestId: pulse.requestId }, "could not confirm a saved modal"),
        );
      } catch (error) {
        await pulse.releaseClaim().catch(() => undefined);
        await tellSaveFailed(ctx, pulse, meta.channelId, retype(parsed.data), error);
      }
    });
  };
}

async function tellSaveFailed(
  ctx: AppContext,
  pulse: PulseRequest,
  channelId: string | undefined,
  { what, typed }: ReturnType<Retype<unknown>>,
  error: unknown,
): Promise<void> {
  const log = { err: error, requestId: pulse.requestId, teamId: pulse.teamId };
  if (isAppError(error)) ctx.logger.info(log, "a modal submission was refused after its acknowledgement");
  else ctx.logger.error(log, "a modal submission failed after its acknowledgement");
  const reason =
    error instanceof ValidationError
      ? escapeMrkdwn(Object.values(error.fieldErrors).join(" "))
      : isAppError(error)
        ? escapeMrkdwn(error.userMessage)
        : `something went wrong (ref ${pulse.requestId.slice(0, 8)})`;
  const retyped = typed?.trim() ? `\nWhat you wrote, to submit it again:\n${quoted(typed)}` : "";
  await tellUser(
    pulse,
    channelId,
    `:warning: Pulse could not record your ${what}: ${reason} Nothing was recorded.${retyped}`,
  ).catch((replyError: unknown) =>
    ctx.logger.warn({ err: replyError, requestId: pulse.requestId }, "could not tell the user a save failed"),
  );
}

/** Typed text as a mrkdwn quote, escaped, within a message's room. */
function quoted(text: string): string {
  return truncate(text.trim(), 2500)
    .split("\n")
    .map((line) => `> ${escapeMrkdwn(line)}`)
    .join("\n");
}

const ACCOUNT_NOT_HERE = "That account does not exist in this workspace.";

export function registerViewListeners(app: App, ctx: AppContext): void {
  const touchpointHandler = handleSubmission<TouchpointInput>(
    ctx,
    TOUCHPOINT_FIELDS,
    (state, meta, now) => {
      const errors: Record<string, string> = {};
      const day = readDate(state, BLOCK.date);
      let occurredAt: Date | undefined;
      if (day) {
        const when = dayToInstant(day, now);
        if ("future" in when) errors.occurredAt = "The date cannot be in the future.";
        else occurredAt = when.instant;
      }
      return {
        errors,
        input: {
          accountId: readAccountId(state),
          kind: readSelected(state, BLOCK.kind),
          occurredAt,
          stakeholderTypes: readMulti(state, BLOCK.stakeholders),
          sentiment: readSelected(state, BLOCK.sentiment),
          notes: readText(state, BLOCK.notes),
          permalink: meta.permalink,
        },
      };
    },
    touchpointInputSchema,
    async (actor, input) => {
      const logged = await logTouchpoint(ctx, actor, input);
      return `:white_check_mark: Logged ${touchpointKindWithArticle(input.kind)} with *${escapeMrkdwn(logged.accountName)}*.`;
    },
    (input) => ({ what: touchpointKindWithArticle(input.kind).replace(/^an? /, ""), typed: input.notes }),
  );
  app.view(CALLBACK.logTouchpoint, touchpointHandler);
  app.view(CALLBACK.messageSaveTouchpoint, touchpointHandler);

  app.view(
    CALLBACK.recordSurvey,
    handleSubmission<SurveyInput>(
      ctx,
      SURVEY_FIELDS,
      (state, meta, now) => {
        const errors: Record<string, string> = {};
        const day = readDate(state, BLOCK.date);
        let respondedAt: Date | undefined;
        if (day) {
          const when = dayToInstant(day, now);
          if ("future" in when) errors.respondedAt = "The date cannot be in the future.";
          else respondedAt = when.instant;
        }
        const score = readSelected(state, BLOCK.score);
        const scale = meta.kind ? SURVEY_SCALES[meta.kind] : undefined;
        if (scale && score !== undefined && (Number(score) < scale.min || Number(score) > scale.max)) {
          errors.score = `${meta.kind!.toUpperCase()} scores run from ${scale.min} to ${scale.max}.`;
        }
        return {
          errors,
          input: {
            accountId: readAccountId(state),
            kind: meta.kind,
            score: score === undefined ? undefined : Number(score),
            respondentName: readText(state, BLOCK.respondent),
            stakeholderType: readSelected(state, BLOCK.stakeholderType),
            comment: readText(state, BLOCK.comment),
            respondedAt,
          },
        };
      },
      surveyInputSchema,
      async (actor, input) => {
        const response = await recordSurvey(ctx, actor, input);
        void alertDetractor(ctx, response.id).catch((error: unknown) =>
          ctx.logger.warn({ err: error }, "detractor alert failed"),
        );
        return `:white_check_mark: Recorded ${input.kind.toUpperCase()} ${input.score} for *${escapeMrkdwn(response.accountName)}*.`;
      },
      (input) => ({ what: `${input.kind.toUpperCase()} ${input.score}`, typed: input.comment }),
    ),
  );
}
