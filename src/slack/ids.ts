// Every id Slack echoes back (callback_id, action_id, block_id) lives here, so the
// manifest, the view builders and the listeners cannot drift apart.
export const SLASH_COMMAND = "/pulse";

export const CALLBACK = {
  logTouchpoint: "pulse_log_touchpoint",
  recordSurvey: "pulse_record_survey",
  globalLogTouchpoint: "pulse_global_log_touchpoint",
  messageSaveTouchpoint: "pulse_message_save_touchpoint",
} as const;

export const ACTION = {
  openLogTouchpoint: "pulse_open_log_touchpoint",
  openRecordSurvey: "pulse_open_record_survey",
  recomputeScore: "pulse_recompute_score",
  pickAccount: "pulse_pick_account",
  accountSelect: "pulse_account_select",
  quickSurveyConfirm: "pulse_quick_survey_confirm",
  quickSurveyCancel: "pulse_quick_survey_cancel",
  digestSnooze: "pulse_digest_snooze",
  digestAssignToMe: "pulse_digest_assign_to_me",
  taskDone: "pulse_task_done",
  taskSnooze: "pulse_task_snooze",
  stageConfirm: "pulse_stage_confirm",
  stageDismiss: "pulse_stage_dismiss",
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
