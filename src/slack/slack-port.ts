// The Slack port over the Web API. Every call goes through a client from client.ts (a
// timeout on each attempt, bounded retries); posts into channels pass the shared-channel
// guard first. Chart uploads use the external upload flow (filesUploadV2); when the token
// may not upload, or the upload fails, the caller falls back to a text sparkline.
import type { WebClient } from "@slack/web-api";
import { AppError } from "../errors.js";
import { DEMO_SLACK_USER_IDS } from "../domain/demo-portfolio.js";
import type {
  DocumentDelivery,
  PrivateDocument,
  RenderedMessage,
  SlackPort,
  UploadResult,
} from "../services/slack-port.js";
import { slackErrorCode } from "./client.js";
import { renderBody, renderOutgoing } from "./views/messages.js";

/** Slack errors meaning "this token cannot upload here", not "something broke". */
const UPLOAD_REFUSALS = new Set([
  "missing_scope",
  "not_allowed_token_type",
  "not_in_channel",
  "channel_not_found",
  "restricted_action",
  "file_uploads_disabled",
  "file_upload_size_restricted",
]);

/**
 * What conversations.info said about a channel, kept briefly: a post re-checks at most once
 * a minute per channel, so a burst of posts costs one lookup, and a channel that becomes
 * shared is refused within a minute.
 */
export class ChannelGuardCache {
  private readonly entries = new Map<string, number>();
  constructor(
    readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}
  isKnownInternal(key: string): boolean {
    const at = this.entries.get(key);
    if (at === undefined) return false;
    if (this.now() - at > this.ttlMs) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }
  rememberInternal(key: string): void {
    // Bounded: a long-running process sees many channels; dropping the oldest only costs a lookup.
    if (this.entries.size >= 10_000) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, this.now());
  }
}

/** Channels (C…, G…) can be shared; DMs (D…) and user ids (a DM by user) cannot. */
function isChannelId(channel: string): boolean {
  return /^[CG][A-Z0-9]+$/.test(channel);
}

export function externalChannelError(channel: string, why: string): AppError {
  return new AppError(
    "EXTERNAL_CHANNEL",
    `channel ${channel} refused: ${why}`,
    `That channel is shared with another organisation (Slack Connect), or Pulse could not check that it is not. Pulse posts health scores and ARR, so it only posts in channels internal to this workspace.`,
  );
}

export interface WebSlackPortOptions {
  client: () => Promise<WebClient> | WebClient;
  /** Cache key prefix: the workspace (or token) this port acts for. */
  scope: string;
  guard: ChannelGuardCache;
}

const messageFields = (m: RenderedMessage) => ({
  channel: m.channel,
  text: m.text,
  ...(m.blocks?.length ? { blocks: m.blocks } : {}),
  ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
});

/**
 * The demo's people are made up (U0DEMO…): Slack refuses to DM them or publish their App
 * Home (user_not_found), so the demo's nightly run would log a warning for each of them on
 * every night it runs in a connected workspace. Nothing is sent to them.
 */
const MADE_UP_PEOPLE = new Set(DEMO_SLACK_USER_IDS);

/**
 * A canvas created through the Web API (canvases.create), then opened to the one reader
 * alone (canvases.access.set): a standalone canvas belongs to its creator, the bot.
 */
async function createPrivateCanvas(client: WebClient, doc: PrivateDocument): Promise<DocumentDelivery> {
  const created = await client.canvases.create({
    title: doc.title,
    document_content: { type: "markdown", markdown: doc.markdown },
  });
  const canvasId = created.canvas_id;
  if (!canvasId)
    throw Object.assign(new Error("canvases.create answered without a canvas_id"), { code: "no_canvas_id" });
  await client.canvases.access.set({ canvas_id: canvasId, access_level: "write", user_ids: [doc.userSlackId] });
  // The link is a nicety; the canvas exists either way.
  const link = await client.files
    .info({ file: canvasId })
    .then((r) => r.file?.permalink)
    .catch(() => undefined);
  return { kind: "canvas", ref: canvasId, ...(link ? { link } : {}) };
}

/** The same markdown as a file in the person's DM (free plans, no canvases:write, any canvas error). */
async function uploadMarkdownToDm(client: WebClient, doc: PrivateDocument, reason: string): Promise<DocumentDelivery> {
  const dm = await client.conversations.open({ users: doc.userSlackId });
  const channelId = dm.channel?.id;
  if (!channelId)
    throw Object.assign(new Error("conversations.open answered without a channel"), { code: "no_dm_channel" });
  const uploaded = await client.files.uploadV2({
    channel_id: channelId,
    filename: doc.fileName,
    title: doc.title,
    content: doc.markdown,
  });
  const files = (uploaded as { files?: { files?: { id?: string }[] }[] }).files ?? [];
  const id = files.flatMap((f) => f.files ?? []).find((f) => f.id)?.id ?? doc.fileName;
  return { kind: "markdown", ref: id, fallbackReason: reason };
}

export function createWebSlackPort(options: WebSlackPortOptions): SlackPort {
  const { guard, scope } = options;
  const client = async () => options.client();

  async function assertInternalChannel(channel: string): Promise<void> {
    if (!isChannelId(channel)) return;
    const key = `${scope}:${channel}`;
    if (guard.isKnownInternal(key)) return;
    let info: Awaited<ReturnType<WebClient["conversations"]["info"]>>;
    try {
      info = await (await client()).conversations.info({ channel });
    } catch (error) {
      // Fail closed: a channel Pulse cannot inspect might be shared.
      throw externalChannelError(channel, `conversations.info failed (${slackErrorCode(error)})`);
    }
    const c = info.channel as { is_ext_shared?: boolean; is_pending_ext_shared?: boolean } | undefined;
    if (!c) throw externalChannelError(channel, "conversations.info returned no channel");
    if (c.is_ext_shared || c.is_pending_ext_shared) throw externalChannelError(channel, "is_ext_shared");
    guard.rememberInternal(key);
  }

  return {
    assertInternalChannel,
    async post(outgoing) {
      const message = renderOutgoing(outgoing);
      await assertInternalChannel(message.channel);
      const result = await (await client()).chat.postMessage({
        ...messageFields(message),
        unfurl_links: false,
        ...(message.metadata
          ? { metadata: { event_type: message.metadata.eventType, event_payload: message.metadata.payload } }
          : {}),
      });
      return { channel: result.channel ?? message.channel, ts: result.ts ?? "" };
    },
    async dm(userSlackId, message) {
      if (MADE_UP_PEOPLE.has(userSlackId)) return { channel: userSlackId, ts: "" };
      const result = await (await client()).chat.postMessage({
        ...messageFields({ ...renderBody(message), channel: userSlackId }),
        unfurl_links: false,
      });
      return { channel: result.channel ?? userSlackId, ts: result.ts ?? "" };
    },
    async ephemeral(message) {
      await (await client()).chat.postEphemeral({ ...messageFields(message), user: message.userSlackId });
    },
    async updateMessage(outgoing) {
      const message = renderOutgoing(outgoing);
      // A message in a channel that became shared since is not rewritten with health data.
      await assertInternalChannel(message.channel);
      await (await client()).chat.update({
        channel: message.channel,
        ts: outgoing.ts,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
      });
    },
    async publishHome(userSlackId, view) {
      if (MADE_UP_PEOPLE.has(userSlackId)) return;
      await (await client()).views.publish({ user_id: userSlackId, view });
    },
    async openView(triggerId, view) {
      const opened = await (await client()).views.open({ trigger_id: triggerId, view });
      return { viewId: opened.view?.id ?? "" };
    },
    async pushView(triggerId, view) {
      const pushed = await (await client()).views.push({ trigger_id: triggerId, view });
      return { viewId: pushed.view?.id ?? "" };
    },
    async updateView(viewId, view) {
      await (await client()).views.update({ view_id: viewId, view });
    },
    async uploadPng(file): Promise<UploadResult> {
      try {
        await assertInternalChannel(file.channel);
        await (await client()).filesUploadV2({
          channel_id: file.channel,
          thread_ts: file.threadTs,
          file: file.bytes,
          filename: file.filename,
          title: file.title,
          alt_text: file.altText,
        });
        return { uploaded: true };
      } catch (error) {
        if (error instanceof AppError) throw error;
        const code = slackErrorCode(error);
        if (UPLOAD_REFUSALS.has(code)) return { uploaded: false, reason: code };
        // Any other failure still must not cost the managers their evidence: fall back too.
        return {
          uploaded: false,
          reason: `upload failed (${code === "unknown" ? ((error as Error).message ?? "unknown error") : code})`,
        };
      }
    },
    async dmFile(userSlackId, file) {
      if (MADE_UP_PEOPLE.has(userSlackId)) return;
      const c = await client();
      const dm = await c.conversations.open({ users: userSlackId });
      const channelId = dm.channel?.id;
      if (!channelId) throw Object.assign(new Error("no DM channel"), { code: "no_dm_channel" });
      await c.files.uploadV2({
        channel_id: channelId,
        filename: file.filename,
        title: file.title,
        content: file.content,
        initial_comment: file.initialComment,
      });
    },
    async deliverPrivateDocument(doc) {
      const c = await client();
      try {
        return await createPrivateCanvas(c, doc);
      } catch (error) {
        return uploadMarkdownToDm(c, doc, slackErrorCode(error));
      }
    },
    async userProfile(userSlackId) {
      const info = await (await client()).users.info({ user: userSlackId });
      const u = info.user;
      if (!u) return undefined;
      const email = u.profile?.email ?? undefined;
      const name = u.real_name ?? u.profile?.real_name ?? u.name ?? undefined;
      return { ...(email ? { email } : {}), ...(name ? { name } : {}) };
    },
    async channelInfo(channel) {
      const info = await (await client()).conversations.info({ channel });
      const c = info.channel as
        | {
            id?: string;
            name?: string;
            is_ext_shared?: boolean;
            is_pending_ext_shared?: boolean;
            shared_team_ids?: string[];
            connected_team_ids?: string[];
          }
        | undefined;
      if (!c) return undefined;
      return {
        id: c.id ?? channel,
        ...(c.name ? { name: c.name } : {}),
        externallyShared: Boolean(c.is_ext_shared || c.is_pending_ext_shared),
        teamIds: [...new Set([...(c.shared_team_ids ?? []), ...(c.connected_team_ids ?? [])])],
      };
    },
    async teamInfo(teamId) {
      const info = await (await client()).team.info({ team: teamId });
      const t = info.team;
      if (!t) return undefined;
      return {
        id: t.id ?? teamId,
        ...(t.name ? { name: t.name } : {}),
        ...(t.domain ? { domain: t.domain } : {}),
        ...(t.email_domain ? { emailDomain: t.email_domain } : {}),
      };
    },
    async userTimeZone(userSlackId) {
      const info = await (await client()).users.info({ user: userSlackId });
      return info.user?.tz ?? undefined;
    },
    async permalink(channel, messageTs) {
      const found = await (await client()).chat.getPermalink({ channel, message_ts: messageTs });
      return found.permalink ?? undefined;
    },
    async findPost({ channel, since, eventType, payload }) {
      const history = await (await client()).conversations.history({
        channel,
        oldest: String(Math.floor(since.getTime() / 1000) - 60),
        include_all_metadata: true,
        limit: 200,
      });
      const found = (history.messages ?? []).find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }).metadata;
        return (
          meta?.event_type === eventType && Object.entries(payload).every(([k, v]) => meta.event_payload?.[k] === v)
        );
      });
      return found?.ts;
    },
  };
}
