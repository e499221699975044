// Every id Slack echoes back (callback_id, action_id, block_id) lives here, so the
// manifest, the view builders and the listeners cannot drift apart.
import { z } from "zod";
import { AppError } from "../errors.js";

export const SLASH_COMMAND = "/pulse";

export const CALLBACK = {
  logTouchpoint: "pulse_log_touchpoint",
  recordSurvey: "pulse_record_survey",
  globalLogTouchpoint: "pulse_global_log_touchpoint",
  messageSaveTouchpoint: "pulse_message_save_touchpoint",
  // Churn post-mortems and retrospectives (docs/churn.md).
  churnPostMortem: "pulse_churn_post_mortem",
  retroActionItem: "pulse_retro_action_item",
  // Success plans and QBR packs (docs/success-plans.md).
  successPlan: "pulse_success_plan",
  planObjective: "pulse_plan_objective",
  planMilestone: "pulse_plan_milestone",
} as const;

export const ACTION = {
  openLogTouchpoint: "pulse_open_log_touchpoint",
  openRecordSurvey: "pulse_open_record_survey",
  /** The survey form's NPS / CSAT / CES choice; selected value: the kind. */
  surveyKindSwitch: "pulse_survey_kind_switch",
  recomputeScore: "pulse_recompute_score",
  pickAccount: "pulse_pick_account",
  accountSelect: "pulse_account_select",
  quickSurveyConfirm: "pulse_quick_survey_confirm",
  quickSurveyCancel: "pulse_quick_survey_cancel",
  digestSnooze: "pulse_digest_snooze",
  digestAssignToMe: "pulse_digest_assign_to_me",
  /** The digest's "See all N", and its modal's Previous / Next; value: DigestPageValue (JSON). */
  digestSeeAll: "pulse_digest_see_all",
  digestPagePrevious: "pulse_digest_page_previous",
  digestPageNext: "pulse_digest_page_next",
  taskDone: "pulse_task_done",
  taskSnooze: "pulse_task_snooze",
  stageConfirm: "pulse_stage_confirm",
  stageDismiss: "pulse_stage_dismiss",
  /** The DM'd link suggestion for a shared channel; value: the channel id. */
  channelLinkAccept: "pulse_channel_link_accept",
  channelLinkDismiss: "pulse_channel_link_dismiss",
  /** `/pulse admin erase contact`'s confirmation; value: EraseContactValue (JSON). */
  eraseContactConfirm: "pulse_erase_contact_confirm",
  adoptModel: "pulse_adopt_model",
  retireModel: "pulse_retire_model",
  eraseContactCancel: "pulse_erase_contact_cancel",
  // Churn post-mortems and retrospectives (docs/churn.md).
  /** On the account card; value: the account id. */
  openChurnPostMortem: "pulse_open_churn_post_mortem",
  /** In the post-mortem modal when no account was named. */
  churnAccountSelect: "pulse_churn_account_select",
  /** Value: the churn event id. */
  churnWinBack: "pulse_churn_win_back",
  retroAddActionItem: "pulse_retro_add_action_item",
  retroClose: "pulse_retro_close",
  // Success plans and QBR packs (docs/success-plans.md). Values: JSON written by the views.
  openSuccessPlan: "pulse_open_success_plan",
  planAddObjective: "pulse_plan_add_objective",
  planEditObjective: "pulse_plan_edit_objective",
  planAddMilestone: "pulse_plan_add_milestone",
  planEditMilestone: "pulse_plan_edit_milestone",
  /** One button per stage, suffixed with the stage: pulse_adkar_set_awareness, … */
  adkarSet: "pulse_adkar_set",
  adkarAccept: "pulse_adkar_accept",
  qbrApprove: "pulse_qbr_approve",
  /**
   * On the card, one button per stakeholder type for a customer person not classified yet,
   * suffixed with the type: pulse_contact_type_end_user, …; value: the contact id.
   */
  contactType: "pulse_contact_type",
  /** A DM'd CSV's report: apply the dry run, or import the valid rows; value: ImportApplyValue (JSON). */
  importApply: "pulse_import_apply",
} as const;

/** Block ids of the objective and milestone modals; each input's element uses INPUT_ACTION. */
export const PLAN_BLOCK = {
  title: "plan_title",
  metric: "plan_metric",
  unit: "plan_unit",
  baseline: "plan_baseline",
  target: "plan_target",
  current: "plan_current",
  measuredOn: "plan_measured_on",
  targetDate: "plan_target_date",
  status: "plan_status",
  stakeholderTypes: "plan_stakeholders",
  notes: "plan_notes",
  owner: "plan_owner",
  dueOn: "plan_due_on",
  completedOn: "plan_completed_on",
  objectiveId: "plan_objective",
} as const;

/** Block ids of the churn post-mortem modal; each input's action id is the same string. */
export const POST_MORTEM_BLOCK = {
  account: "pm_account",
  churnedOn: "pm_churned_on",
  kind: "pm_kind",
  arrLost: "pm_arr_lost",
  primaryReason: "pm_primary_reason",
  reasonOther: "pm_reason_other",
  contributingFactors: "pm_contributing_factors",
  warningSigns: "pm_warning_signs",
  warningSeenOn: "pm_warning_seen_on",
  couldHaveDone: "pm_could_have_done",
  lessons: "pm_lessons",
  preventable: "pm_preventable",
} as const;

/** Block ids of the retro action item modal; each input's action id is the same string. */
export const RETRO_ACTION_ITEM_BLOCK = {
  owner: "rai_owner",
  dueOn: "rai_due_on",
  title: "rai_title",
} as const;

/** Input blocks of Pulse's modals; each input's element uses action_id "value". */
export const BLOCK = {
  account: "account",
  kind: "kind",
  date: "date",
  stakeholders: "stakeholders",
  sentiment: "sentiment",
  notes: "notes",
  respondent: "respondent",
  stakeholderType: "stakeholder_type",
  score: "score",
  comment: "comment",
} as const;

export const INPUT_ACTION = "value";

/**
 * Row ids Slack echoes back (option values, private_metadata) are PostgreSQL integers; a
 * larger number names no row, and querying with it fails in the database instead.
 */
export const MAX_ROW_ID = 2_147_483_647;

/** The row id in a value Pulse wrote (a button, an option), or undefined when it is not one. */
export function parseRowId(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id >= 1 && id <= MAX_ROW_ID ? id : undefined;
}

/** A row id inside a JSON value Pulse wrote (a button's value): a positive int32. */
export const rowIdSchema = z.number().int().min(1).max(MAX_ROW_ID);

/** A button's row id; a value that is not one (forged, or from an old message) is refused plainly. */
export function buttonRowId(value: string | undefined): number {
  const id = parseRowId(value);
  if (id === undefined)
    throw new AppError(
      "INVALID_INPUT",
      `button value ${JSON.stringify(value)} is not a row id`,
      "That button no longer points at anything in Pulse.",
    );
  return id;
}
