// `/pulse nps|csat|ces [account]` opens the survey modal; `/pulse nps acme 9 "comment"`
// records directly once the user confirms the account it matched.
import { z } from "zod";
import { escapeMrkdwn, actions, button, section } from "../block-kit.js";
import { resolveAccountQuery } from "../../services/find-accounts.js";
import { SURVEY_KINDS, SURVEY_SCALES, type SurveyKind } from "../../domain/vocabulary.js";
import { ACTION, MAX_ROW_ID } from "../ids.js";

/** A comment fits a button value (2,000 characters) with room for the rest of the JSON. */
const QUICK_COMMENT_MAX = 1500;
import { accountPickListBlocks } from "../views/account-card.js";
import { loadingModal, surveyModal } from "../views/modals.js";
import type { BaseSubcommandInput, Subcommand } from "./types.js";

/**
 * What a Record button carries back: everything needed to save without asking again. This
 * is only its shape (a forged or stale value that does not have it is "no longer valid");
 * what it says is then held to the survey's own rules (surveyInputSchema), like the modal,
 * so a score of 1.5 or a 100,000-character comment is refused with the rule it breaks.
 */
export const quickSurveyValueSchema = z
  .object({
    a: z.number().int().min(1).max(MAX_ROW_ID),
    k: z.enum(SURVEY_KINDS),
    s: z.number(),
    c: z.string().optional(),
  })
  .strict();
export type QuickSurveyValue = z.infer<typeof quickSurveyValueSchema>;

/** Splits `acme corp 9 "great onboarding"` into the account words, the score and the comment. */
export function parseQuickSurvey(
  args: string[],
): { accountQuery: string; score: number; comment?: string } | undefined {
  const scoreIndex = args.findIndex((a) => /^\d{1,2}$/.test(a));
  if (scoreIndex <= 0) return undefined;
  const comment = args
    .slice(scoreIndex + 1)
    .join(" ")
    .trim();
  return {
    accountQuery: args.slice(0, scoreIndex).join(" "),
    score: Number(args[scoreIndex]),
    comment: comment || undefined,
  };
}

async function runSurvey(kind: SurveyKind, input: BaseSubcommandInput): Promise<void> {
  const { ctx, slack, pulse, channelId, triggerId, args, respond } = input;
  const scale = SURVEY_SCALES[kind];
  const quick = parseQuickSurvey(args);
  if (!quick) {
    // The modal opens first (trigger_id's three seconds); a named account is filled in after.
    if (!args.length) {
      await slack.openView(triggerId, surveyModal({ kind, today: ctx.clock(), metadata: { channelId } }));
      return;
    }
    const { viewId } = await slack.openView(triggerId, loadingModal(`Record ${kind.toUpperCase()}`));
    const found = await resolveAccountQuery(ctx.db, (await pulse.workspace()).id, args.join(" "));
    const account = found.kind === "one" ? { id: found.account.id, name: found.account.name } : undefined;
    await slack.updateView(viewId, surveyModal({ kind, account, today: ctx.clock(), metadata: { channelId } }));
    return;
  }
  const workspace = await pulse.workspace();
  if (quick.score < scale.min || quick.score > scale.max) {
    await respond({
      text: `${kind.toUpperCase()} scores run from ${scale.min} to ${scale.max}; ${quick.score} is out of range. Nothing was recorded.`,
    });
    return;
  }
  const found = await resolveAccountQuery(ctx.db, workspace.id, quick.accountQuery);
  if (found.kind === "none") {
    await respond({ text: `No account matches *${escapeMrkdwn(quick.accountQuery)}*. Nothing was recorded.` });
    return;
  }
  if (found.kind === "many") {
    await respond({
      text: "Several accounts match; be more specific.",
      blocks: [
        section(
          `Several accounts match *${escapeMrkdwn(quick.accountQuery)}*; nothing was recorded. Run the command again with more of the name.`,
        ),
        ...accountPickListBlocks(quick.accountQuery, found.accounts).slice(1),
      ],
    });
    return;
  }
  const value: QuickSurveyValue = {
    a: found.account.id,
    k: kind,
    s: quick.score,
    ...(quick.comment ? { c: quick.comment.slice(0, QUICK_COMMENT_MAX) } : {}),
  };
  await respond({
    text: `Record ${kind.toUpperCase()} ${quick.score} for ${escapeMrkdwn(found.account.name)}?`,
    blocks: [
      section(
        `Record *${kind.toUpperCase()} ${quick.score}* for *${escapeMrkdwn(found.account.name)}*${quick.comment ? ` with “${escapeMrkdwn(quick.comment)}”` : ""}?`,
      ),
      actions([
        button("Record", ACTION.quickSurveyConfirm, JSON.stringify(value), "primary"),
        button("Cancel", ACTION.quickSurveyCancel, "cancel"),
      ]),
    ],
  });
}

export const surveySubcommands: Subcommand[] = SURVEY_KINDS.map((kind) => ({
  name: kind,
  usage: `/pulse ${kind} [account] [score "comment"]`,
  // "an NPS" (en-pee-ess), "a CSAT", "a CES": the article follows how the letters are said.
  summary: `record ${kind === "nps" ? "an" : "a"} ${SURVEY_SCALES[kind].labelWithRange} answer (a form, or directly)`,
  examples: kind === "nps" ? [`/pulse nps acme 9 "great onboarding"`] : undefined,
  keywords: ["survey", "feedback", "score", "answer"],
  lazy: true as const,
  run: (input: BaseSubcommandInput) => runSurvey(kind, input),
}));
