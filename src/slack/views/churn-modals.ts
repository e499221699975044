// The churn post-mortem modal and the retro action item modal, and the parsers that turn
// their submitted state back into plain values. Pure builders.
import type { InputBlock, ModalView } from "@slack/types";
import { z } from "zod";
import {
  CHURN_REASONS,
  CHURN_REASON_LABELS,
  formatMoney,
  type PostMortemDraft,
} from "../../domain/churn-post-mortem.js";
import { isoDay } from "../../domain/dates.js";
import {
  context,
  escapeMrkdwn,
  LIMITS,
  option,
  options,
  plainText,
  section,
  truncate,
  type Block,
} from "../block-kit.js";
import { CALLBACK, MAX_ROW_ID, parseRowId, POST_MORTEM_BLOCK as B, RETRO_ACTION_ITEM_BLOCK as R } from "../ids.js";

export interface ModalAccount {
  id: number;
  name: string;
  arr: number;
  currency: string;
}

export const postMortemMetadataSchema = z.object({
  accountId: z.number().int().positive().max(MAX_ROW_ID).optional(),
  channelId: z.string().optional(),
});
export type PostMortemMetadata = z.infer<typeof postMortemMetadataSchema>;

function input(
  blockId: string,
  label: string,
  element: Record<string, unknown>,
  opts: { optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: "input",
    block_id: blockId,
    label: plainText(label, LIMITS.plainInputLabel),
    element: { action_id: blockId, ...element } as InputBlock["element"],
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plainText(opts.hint, LIMITS.plainInputLabel) } : {}),
  };
}

const reasonOptions = () => options([...CHURN_REASONS], (r) => option(CHURN_REASON_LABELS[r], r));

/**
 * The post-mortem modal. With `account` the account is fixed (from the card or the
 * command); otherwise `choices` fill a picker of active accounts.
 */
export function postMortemModal(args: {
  account?: ModalAccount;
  choices?: ModalAccount[];
  moreAccounts?: boolean;
  today: Date;
  metadata: PostMortemMetadata;
}): ModalView {
  const blocks: Block[] = [];
  if (args.account) {
    blocks.push(
      section(
        `*Account*: ${escapeMrkdwn(args.account.name)} · ARR ${formatMoney(args.account.arr, args.account.currency)}`,
      ),
    );
  } else {
    blocks.push(
      input(
        B.account,
        "Account",
        {
          type: "static_select",
          placeholder: plainText("Choose the account (riskiest first)"),
          options: options(args.choices ?? [], (a) => option(a.name, String(a.id))),
        },
        {
          hint: args.moreAccounts
            ? "The 100 riskiest active accounts are listed, lowest score first; for another: /pulse churn <account name>."
            : undefined,
        },
      ),
    );
  }
  blocks.push(
    input(B.churnedOn, "Churn date", { type: "datepicker", initial_date: isoDay(args.today) }),
    input(B.kind, "What happened", {
      type: "radio_buttons",
      options: [option("Full churn (the account left)", "full"), option("Downgrade (ARR reduced)", "downgrade")],
    }),
    input(
      B.arrLost,
      "ARR lost",
      { type: "plain_text_input", placeholder: plainText("e.g. 12000") },
      {
        optional: true,
        hint: "Required for a downgrade. For a full churn leave it empty: the whole ARR is lost.",
      },
    ),
    input(B.primaryReason, "Primary reason", {
      type: "static_select",
      placeholder: plainText("Choose a reason"),
      options: reasonOptions(),
    }),
    input(B.reasonOther, "If other: the reason", { type: "plain_text_input", max_length: 500 }, { optional: true }),
    input(
      B.contributingFactors,
      "Contributing factors",
      { type: "multi_static_select", placeholder: plainText("Any others"), options: reasonOptions() },
      { optional: true },
    ),
    input(
      B.warningSigns,
      "Warning signs seen",
      { type: "plain_text_input", multiline: true, max_length: 3000 },
      { optional: true },
    ),
    input(B.warningSeenOn, "Warning signs first seen on", { type: "datepicker" }, { optional: true }),
    input(
      B.couldHaveDone,
      "What could we have done differently?",
      { type: "plain_text_input", multiline: true, max_length: 3000 },
      { optional: true },
    ),
    input(B.lessons, "Lessons", { type: "plain_text_input", multiline: true, max_length: 3000 }, { optional: true }),
    input(B.preventable, "Was it preventable?", {
      type: "radio_buttons",
      options: [option("Yes", "yes"), option("No", "no")],
    }),
    context([
      "Filing marks the account churned (or lowers its ARR) and starts a retrospective thread in the retro channel. A win-back reverses it.",
    ]),
  );
  return {
    type: "modal",
    callback_id: CALLBACK.churnPostMortem,
    title: plainText("Churn post-mortem", LIMITS.modalTitle),
    submit: plainText("File post-mortem", LIMITS.modalSubmit),
    close: plainText("Cancel", LIMITS.modalSubmit),
    private_metadata: truncate(JSON.stringify(args.metadata), LIMITS.privateMetadata),
    blocks,
  };
}

const stateValueSchema = z
  .object({
    value: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
    selected_user: z.string().nullish(),
  })
  .loose();
export const viewStateSchema = z.record(z.string(), z.record(z.string(), stateValueSchema));
export type ViewState = z.infer<typeof viewStateSchema>;

function stateOf(values: ViewState, blockId: string) {
  return values[blockId]?.[blockId];
}

export function parsePostMortemState(values: ViewState): { accountId: number | null; draft: PostMortemDraft } {
  // PostgreSQL text cannot hold U+0000; it carries nothing a person typed.
  const text = (id: string) => stateOf(values, id)?.value?.replace(/\u0000/g, "") ?? null;
  const date = (id: string) => stateOf(values, id)?.selected_date ?? null;
  const choice = (id: string) => stateOf(values, id)?.selected_option?.value ?? null;
  const accountValue = choice(B.account);
  return {
    accountId: parseRowId(accountValue ?? undefined) ?? null,
    draft: {
      churnedOn: date(B.churnedOn),
      kind: choice(B.kind),
      arrLost: text(B.arrLost),
      primaryReason: choice(B.primaryReason),
      reasonOther: text(B.reasonOther),
      contributingFactors: (stateOf(values, B.contributingFactors)?.selected_options ?? []).map((o) => o.value),
      warningSigns: text(B.warningSigns),
      warningSeenOn: date(B.warningSeenOn),
      couldHaveDone: text(B.couldHaveDone),
      lessons: text(B.lessons),
      preventable: choice(B.preventable),
    },
  };
}

/** Field errors (by draft field) keyed by the modal's block ids, as Slack wants them. */
export function postMortemErrorsToBlocks(
  errors: Partial<Record<string, string>>,
  accountFixed: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    if (!message) continue;
    const blockId = (B as Record<string, string>)[field];
    // With the account fixed there is no account input to attach to: show it on the date.
    const target = field === "account" && accountFixed ? B.churnedOn : blockId;
    if (target) out[target] = out[target] ? `${out[target]} ${message}` : message;
  }
  return out;
}

export const actionItemMetadataSchema = z.object({ churnEventId: z.number().int().positive().max(MAX_ROW_ID) });

export function retroActionItemModal(args: { churnEventId: number; accountName: string; today: Date }): ModalView {
  return {
    type: "modal",
    callback_id: CALLBACK.retroActionItem,
    title: plainText("Retro action item", LIMITS.modalTitle),
    submit: plainText("Add", LIMITS.modalSubmit),
    close: plainText("Cancel", LIMITS.modalSubmit),
    private_metadata: JSON.stringify({ churnEventId: args.churnEventId }),
    blocks: [
      section(
        `From the retrospective of *${escapeMrkdwn(args.accountName)}*. The owner gets a DM and sees it in their App Home.`,
      ),
      input(R.title, "Action item", {
        type: "plain_text_input",
        max_length: 200,
        placeholder: plainText("e.g. Add a sponsor check to QBRs"),
      }),
      input(R.owner, "Owner", { type: "users_select", placeholder: plainText("Who does it") }),
      input(R.dueOn, "Due date", { type: "datepicker", initial_date: isoDay(args.today) }),
    ],
  };
}

export function parseActionItemState(values: ViewState): {
  ownerSlackId: string | null;
  dueOn: string | null;
  title: string | null;
} {
  return {
    ownerSlackId: stateOf(values, R.owner)?.selected_user ?? null,
    dueOn: stateOf(values, R.dueOn)?.selected_date ?? null,
    title: stateOf(values, R.title)?.value?.replace(/\u0000/g, "") ?? null,
  };
}

export function actionItemErrorsToBlocks(
  errors: Partial<Record<"owner" | "dueOn" | "title", string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) if (message) out[R[field as keyof typeof R]] = message;
  return out;
}
