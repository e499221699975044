// The plain view models services hand to the Slack port. Each names what a message says,
// never how it looks: src/slack/views/messages.ts renders them to Block Kit, so services
// stay free of Slack (imports run cli → main → jobs → slack/http → services → db → domain).
import type { BandChange, BandPoint, ChurnReasonKey } from "../domain/churn-post-mortem.js";
import type { DigestContent } from "../domain/digest/compose.js";

/** A playbook task as its owner sees it (DM, account card, App Home, digest). */
export interface TaskRow {
  id: number;
  title: string;
  accountName: string;
  dueOn: Date;
  detail?: string | null;
  /** Set while the task is snoozed. */
  snoozedUntil?: Date | null;
}

export interface StageSuggestionRow {
  signalId: number;
  accountName: string;
  from: string;
  to: string;
  reason: string;
}

/** A churn event as the retro thread shows it. */
export interface RetroEventView {
  id: number;
  accountName: string;
  currency: string;
  kind: "full" | "downgrade";
  churnedOn: Date;
  arrBefore: number;
  arrLost: number;
  primaryReason: ChurnReasonKey;
  reasonOther: string | null;
  contributingFactors: ChurnReasonKey[];
  warningSigns: string | null;
  warningSeenOn: Date | null;
  couldHaveDone: string | null;
  lessons: string | null;
  preventable: boolean | null;
  firstRedOn: Date | null;
  daysOfWarning: number | null;
  filedBySlackId: string | null;
  retroStatus: "pending" | "open" | "closed";
  reversedAt: Date | null;
}

export interface RetroEvidence {
  event: RetroEventView;
  /** The time zone a channel's readers share: the workspace's (PULSE_TIMEZONE). */
  timeZone?: string | null;
  windowStart: Date;
  windowEnd: Date;
  history: BandPoint[];
  bandChanges: BandChange[];
  touchpoints: {
    occurredAt: Date;
    kind: string;
    sentiment: string | null;
    notes: string | null;
    loggedBySlackId: string | null;
    /** Named, not mentioned, where Pulse knows the name: a retro thread pings nobody per row. */
    loggedByName?: string | null;
  }[];
  surveys: { respondedAt: Date; kind: string; score: number; comment: string | null }[];
  tasks: {
    title: string;
    dueOn: Date;
    status: string;
    completedAt: Date | null;
    createdAt: Date;
    ownerSlackId: string | null;
    ownerName?: string | null;
  }[];
}

export interface RetroSummaryInput {
  event: RetroEventView;
  closedBySlackId: string;
  notes: { authorSlackId: string; text: string }[];
  actionItems: { title: string; ownerSlackId: string; dueOn: Date; status: string }[];
}

export type ChartOutcome = { uploaded: true } | { uploaded: false; reason: string };

export interface RetroActionItemView {
  title: string;
  ownerSlackId: string;
  dueOn: Date;
  createdBySlackId: string;
}

export interface DigestView {
  kind: "digest";
  content: DigestContent;
  title: string;
  now: Date;
  /** The subscription it was built for: its "See all" button pages through every account. */
  subscriptionId?: number;
}

/** "#acme-shared looks like Acme Labs — link it?", to one person, privately. */
export interface ChannelLinkSuggestionView {
  kind: "channel-link-suggestion";
  channelId: string;
  channelName: string | null;
  accountName: string;
  /** The external organisation as Slack names it, when it does. */
  organisationName: string | null;
  matchedBy: "email domain" | "name" | "channel name";
}

/** Everything a service may ask the port to send, as data. */
export type MessageView =
  | DigestView
  | { kind: "playbook-tasks"; tasks: TaskRow[] }
  /** To an account's previous owner when someone takes it over. */
  | { kind: "account-reassigned"; accountName: string; newOwnerSlackId: string; tasksMoved: number }
  | { kind: "stage-suggestions"; suggestions: StageSuggestionRow[] }
  | ChannelLinkSuggestionView
  | { kind: "retro-parent"; event: RetroEventView }
  | { kind: "retro-health"; evidence: RetroEvidence; chart: ChartOutcome }
  | { kind: "retro-touchpoints" | "retro-surveys" | "retro-tasks"; evidence: RetroEvidence }
  | { kind: "retro-summary"; summary: RetroSummaryInput }
  | { kind: "retro-action-item-posted"; item: RetroActionItemView }
  | { kind: "retro-action-item-dm"; item: RetroActionItemView & { accountName: string; permalinkHint: string } };
