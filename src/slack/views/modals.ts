// The touchpoint and survey modals. Their input blocks use BLOCK ids and the element
// action id INPUT_ACTION, so the submission parsers read them back without guessing.
import { isoDay } from "../../domain/dates.js";
import {
  SENTIMENTS,
  STAKEHOLDER_TYPE_LABEL,
  STAKEHOLDER_TYPES,
  SURVEY_KINDS,
  SURVEY_SCALES,
  TOUCHPOINT_KINDS,
  type SurveyKind,
} from "../../domain/vocabulary.js";
import type { ModalView } from "@slack/types";
import { LIMITS, option, plainText, section, truncate, type Block } from "../block-kit.js";
import { ACTION, BLOCK, CALLBACK, INPUT_ACTION } from "../ids.js";
import { humanise } from "./format.js";

/** A touchpoint kind as a sentence says it: "a call", "an email", "a QBR", "a touchpoint". */
export function touchpointKindWithArticle(kind: string): string {
  const name = kind === "other" ? "touchpoint" : humanise(kind);
  return `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name}`;
}

export interface ModalMetadata {
  /** Where to confirm after saving (the channel the modal was opened from). */
  channelId?: string;
  permalink?: string;
  kind?: SurveyKind;
}

export function encodeMetadata(meta: ModalMetadata): string {
  return truncate(JSON.stringify(meta), LIMITS.privateMetadata);
}

function accountInput(prefill?: { id: number; name: string }): Block {
  return {
    type: "input",
    block_id: BLOCK.account,
    label: plainText("Account"),
    element: {
      type: "external_select",
      action_id: ACTION.accountSelect,
      placeholder: plainText("Type part of a name or domain"),
      min_query_length: 1,
      ...(prefill ? { initial_option: option(prefill.name, String(prefill.id)) } : {}),
    },
  };
}

function dateInput(label: string, initial: Date): Block {
  return {
    type: "input",
    block_id: BLOCK.date,
    label: plainText(label),
    element: { type: "datepicker", action_id: INPUT_ACTION, initial_date: isoDay(initial) },
  };
}

function textInput(
  blockId: string,
  label: string,
  opts: { multiline?: boolean; optional?: boolean; initial?: string; max?: number } = {},
): Block {
  return {
    type: "input",
    block_id: blockId,
    optional: opts.optional ?? true,
    label: plainText(label),
    element: {
      type: "plain_text_input",
      action_id: INPUT_ACTION,
      multiline: opts.multiline ?? false,
      max_length: opts.max ?? 3000,
      ...(opts.initial ? { initial_value: truncate(opts.initial, opts.max ?? 3000) } : {}),
    },
  };
}

export interface TouchpointModalOptions {
  account?: { id: number; name: string };
  today: Date;
  notes?: string;
  occurredOn?: Date;
  metadata: ModalMetadata;
  callbackId?: string;
}

export function touchpointModal(opts: TouchpointModalOptions): ModalView {
  return {
    type: "modal",
    callback_id: opts.callbackId ?? CALLBACK.logTouchpoint,
    title: plainText("Log touchpoint", LIMITS.modalTitle),
    submit: plainText("Save", LIMITS.modalSubmit),
    close: plainText("Cancel", LIMITS.modalSubmit),
    private_metadata: encodeMetadata(opts.metadata),
    blocks: [
      accountInput(opts.account),
      {
        type: "input",
        block_id: BLOCK.kind,
        label: plainText("Kind"),
        element: {
          type: "static_select",
          action_id: INPUT_ACTION,
          options: TOUCHPOINT_KINDS.map((k) =>
            option(
              humanise(k).replace(/^./, (c) => c.toUpperCase()),
              k,
            ),
          ),
        },
      },
      dateInput("Date", opts.occurredOn ?? opts.today),
      {
        type: "input",
        block_id: BLOCK.stakeholders,
        optional: true,
        label: plainText("Stakeholders met"),
        element: {
          type: "checkboxes",
          action_id: INPUT_ACTION,
          options: STAKEHOLDER_TYPES.map((s) =>
            option(
              { end_user: "End users", sponsor: "Managers / sponsors", implementer: "Implementers / admins" }[s],
              s,
            ),
          ),
        },
      },
      {
        type: "input",
        block_id: BLOCK.sentiment,
        optional: true,
        label: plainText("Sentiment"),
        element: {
          type: "radio_buttons",
          action_id: INPUT_ACTION,
          options: SENTIMENTS.map((s) =>
            option(
              s.replace(/^./, (c) => c.toUpperCase()),
              s,
            ),
          ),
        },
      },
      textInput(BLOCK.notes, "Notes", { multiline: true, initial: opts.notes }),
    ],
  };
}

/**
 * The survey kind as a choice at the top of the form, for the card's "Record survey": one
 * button, and NPS, CSAT or CES (issue 15). Changing it redraws the form with that scale.
 */
function surveyKindSwitch(kind: SurveyKind): Block {
  const choice = (k: SurveyKind) => option(SURVEY_SCALES[k].labelWithRange, k);
  return {
    type: "actions",
    block_id: SURVEY_KIND_BLOCK,
    elements: [
      {
        type: "static_select",
        action_id: ACTION.surveyKindSwitch,
        initial_option: choice(kind),
        options: SURVEY_KINDS.map(choice),
      },
    ],
  };
}

export const SURVEY_KIND_BLOCK = "survey_kind";

export function surveyModal(opts: {
  kind: SurveyKind;
  account?: { id: number; name: string };
  today: Date;
  metadata: ModalMetadata;
  /** Offer the other kinds too (from the card, which has one "Record survey" button). */
  switchable?: boolean;
}): ModalView {
  const scale = SURVEY_SCALES[opts.kind];
  const scores = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  return {
    type: "modal",
    callback_id: CALLBACK.recordSurvey,
    title: plainText(`Record ${opts.kind.toUpperCase()}`, LIMITS.modalTitle),
    submit: plainText("Save", LIMITS.modalSubmit),
    close: plainText("Cancel", LIMITS.modalSubmit),
    private_metadata: encodeMetadata({ ...opts.metadata, kind: opts.kind }),
    blocks: [
      ...(opts.switchable ? [surveyKindSwitch(opts.kind)] : []),
      accountInput(opts.account),
      textInput(BLOCK.respondent, "Respondent", { max: 200 }),
      {
        type: "input",
        block_id: BLOCK.stakeholderType,
        optional: true,
        label: plainText("Respondent's role"),
        element: {
          type: "static_select",
          action_id: INPUT_ACTION,
          options: STAKEHOLDER_TYPES.map((s) => option(STAKEHOLDER_TYPE_LABEL[s], s)),
        },
      },
      {
        type: "input",
        block_id: BLOCK.score,
        // "NPS score (0-10)", not "Score (NPS (0-10))" (issue 15).
        label: plainText(`${scale.label} score (${scale.min}-${scale.max})`),
        element: {
          type: "static_select",
          action_id: INPUT_ACTION,
          options: scores.map((n) => option(String(n), String(n))),
        },
      },
      textInput(BLOCK.comment, "Comment", { multiline: true }),
      dateInput("Answered on", opts.today),
    ],
  };
}

/**
 * Opened at once while the data a modal needs is read; views.update replaces it. Slack's
 * trigger_id expires three seconds after the click, a query may take longer.
 */
export function loadingModal(title: string): ModalView {
  return {
    type: "modal",
    title: plainText(title, LIMITS.modalTitle),
    close: plainText("Cancel"),
    blocks: [section(":hourglass_flowing_sand: Loading…")],
  };
}

/** A reply shown in a modal: the answer to a click on App Home or inside a modal, which have no response_url. */
export function replyModal(title: string, reply: { text: string; blocks?: Block[] }): ModalView {
  return {
    type: "modal",
    title: plainText(title, LIMITS.modalTitle),
    close: plainText("Close"),
    blocks: reply.blocks?.length ? reply.blocks.slice(0, LIMITS.modalBlocks) : [section(reply.text)],
  };
}

/** A modal that only says something (why a form could not be shown). */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: "modal",
    title: plainText(title, LIMITS.modalTitle),
    close: plainText("Close"),
    blocks: [section(text)],
  };
}
