// The one port for everything Pulse sends to Slack. Services and jobs talk to this
// interface; src/slack/slack-port.ts implements it over the Web API (timeouts, bounded
// retries and the shared-channel guard inside), src/slack/local-slack-port.ts prints to the
// terminal in local mode. Type-only: nothing here imports Slack. Services hand it plain view
// models ({ view }, src/services/message-views.ts); the implementations render them with the
// builders in src/slack/views, so Block Kit is only ever built in src/slack.
import type { KnownBlock, View } from "@slack/types";
import type { MessageView } from "./message-views.js";

export interface MessageTarget {
  /** Channel id, or a user id for a DM. */
  channel: string;
  threadTs?: string;
  /** Message metadata, so an earlier post can be found again (findPost). */
  metadata?: { eventType: string; payload: Record<string, string | number> };
}

/** A message already worded by a view in src/slack (user text in it is already escaped). */
export interface MessageContent {
  /** The notification fallback. */
  text: string;
  blocks?: KnownBlock[];
}

/** What a message says: rendered content, or a plain view model the port renders (services use this). */
export type MessageBody = MessageContent | { view: MessageView };

export type OutgoingMessage = MessageTarget & MessageBody;

/** An outgoing message once its view model is rendered. */
export type RenderedMessage = MessageTarget & MessageContent;

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface PngUpload {
  channel: string;
  threadTs: string;
  filename: string;
  title: string;
  altText: string;
  bytes: Buffer;
}

/** A document only one person may read (a QBR pack): never posted to a channel. */
export interface PrivateDocument {
  userSlackId: string;
  title: string;
  markdown: string;
  fileName: string;
}

export interface DocumentDelivery {
  kind: "canvas" | "markdown";
  /** The canvas id, or the uploaded file's id. */
  ref: string;
  link?: string;
  /** Why the canvas path was left, when it was (the Slack error code). */
  fallbackReason?: string;
}

export type UploadResult = { uploaded: true } | { uploaded: false; reason: string };

export interface ChannelInfo {
  id: string;
  name?: string;
  /** Shared with another organisation, or an invitation to share is pending. */
  externallyShared: boolean;
  /** shared_team_ids and connected_team_ids together: every team in the channel, ours too. */
  teamIds: string[];
}

export interface TeamInfo {
  id: string;
  name?: string;
  /** The Slack subdomain ("acme-labs" of acme-labs.slack.com). */
  domain?: string;
  /** The team's email domain(s), comma-separated, when it shows them. */
  emailDomain?: string;
}

/** One workspace's port: every call acts with that workspace's bot token. */
export interface SlackPort {
  /** Posts in a channel (refused when the channel is shared with another organisation) or a DM. */
  post(message: OutgoingMessage): Promise<PostedMessage>;
  dm(userSlackId: string, message: MessageBody): Promise<PostedMessage>;
  ephemeral(message: RenderedMessage & { userSlackId: string }): Promise<void>;
  /**
   * Replaces a message Pulse posted (chat.update), e.g. a task row once it is done; a view
   * model is rendered (and escaped) by the port, and a channel passes the shared-channel guard.
   */
  updateMessage(message: OutgoingMessage & { ts: string }): Promise<void>;
  publishHome(userSlackId: string, view: View): Promise<void>;
  openView(triggerId: string, view: View): Promise<{ viewId: string }>;
  /** Opens a view on top of the modal the trigger came from (a click inside a modal). */
  pushView(triggerId: string, view: View): Promise<{ viewId: string }>;
  updateView(viewId: string, view: View): Promise<void>;
  /** Uploads into a thread; `uploaded: false` when the token may not upload (callers fall back to text). */
  uploadPng(file: PngUpload): Promise<UploadResult>;
  /** The ts of a message posted since `since` whose metadata matches, if any. */
  findPost(input: {
    channel: string;
    since: Date;
    eventType: string;
    payload: Record<string, string | number>;
  }): Promise<string | undefined>;
  /** Sends a text file (an export) to a person's DM with Pulse. */
  dmFile(
    userSlackId: string,
    file: { filename: string; title: string; content: string; initialComment: string },
  ): Promise<void>;
  /**
   * Gives one person a document no one else can read: a canvas shared with that user alone,
   * or, when canvases are not available, a markdown file in their DM. Never a channel.
   */
  deliverPrivateDocument(doc: PrivateDocument): Promise<DocumentDelivery>;
  /** The person's time zone as Slack knows it (users.info), if any. */
  userTimeZone(userSlackId: string): Promise<string | undefined>;
  /** The person's email and name as Slack shows them to this workspace (users.info; the email needs users:read.email). */
  userProfile(userSlackId: string): Promise<{ email?: string; name?: string } | undefined>;
  /**
   * What Slack says of a channel (conversations.info): its name, whether it is shared with
   * another organisation, and the teams it is shared with (ours among them). Undefined when
   * Slack would not say.
   */
  channelInfo(channel: string): Promise<ChannelInfo | undefined>;
  /** A team's name and domains (team.info with `team`; needs team:read), e.g. a Slack Connect customer's. */
  teamInfo(teamId: string): Promise<TeamInfo | undefined>;
  /** A link to a message (chat.getPermalink), if Slack gives one. */
  permalink(channel: string, messageTs: string): Promise<string | undefined>;
  /** Throws a coded EXTERNAL_CHANNEL error unless the channel is internal to the workspace (fails closed). */
  assertInternalChannel(channel: string): Promise<void>;
}

/** Ports by workspace, for jobs and services that act outside a Slack request. */
export interface SlackPorts {
  forWorkspace(workspaceId: number): SlackPort;
}
