// Where digests go and how Slack's failures are read. Slack: chat.postMessage with message
// metadata that names the subscription and local date, so a digest posted just before a
// crash can be found again (conversations.history) instead of posted twice. Local mode:
// the terminal.
import type { WebClient } from "@slack/web-api";
import type { Notifier } from "../slack/notifier.js";

export interface DigestKey {
  subscriptionId: number;
  localDate: string;
}

export interface DigestPoster {
  post(channel: string, text: string, blocks: unknown[], key: DigestKey): Promise<string>;
  /** The ts of a digest for `key` already in the channel since `since`, if any. */
  findPosted(channel: string, since: Date, key: DigestKey): Promise<string | undefined>;
  dm(userSlackId: string, text: string): Promise<void>;
}

export const DIGEST_EVENT_TYPE = "pulse_digest";

/** How a failed post should be handled. */
export type PostFailure = "channel_gone" | "auth_revoked" | "transient";

const CHANNEL_GONE = new Set(["channel_not_found", "not_in_channel", "is_archived", "channel_is_archived"]);
const AUTH_REVOKED = new Set(["invalid_auth", "token_revoked", "account_inactive", "not_authed", "team_not_found"]);

export function classifyPostError(error: unknown): { kind: PostFailure; code: string } {
  const code = (error as { data?: { error?: string } }).data?.error ?? (error as { code?: string }).code ?? String((error as Error).message ?? error);
  if (CHANNEL_GONE.has(code)) return { kind: "channel_gone", code };
  if (AUTH_REVOKED.has(code)) return { kind: "auth_revoked", code };
  return { kind: "transient", code };
}

export class SlackDigestPoster implements DigestPoster {
  constructor(private readonly client: WebClient) {}

  async post(channel: string, text: string, blocks: unknown[], key: DigestKey): Promise<string> {
    const result = await this.client.chat.postMessage({
      channel,
      text,
      blocks: blocks as never,
      unfurl_links: false,
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { subscription_id: key.subscriptionId, local_date: key.localDate } },
    });
    return result.ts ?? "";
  }

  async findPosted(channel: string, since: Date, key: DigestKey): Promise<string | undefined> {
    const history = await this.client.conversations.history({ channel, oldest: String(Math.floor(since.getTime() / 1000) - 60), include_all_metadata: true, limit: 200 });
    const found = (history.messages ?? []).find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { subscription_id?: number; local_date?: string } } }).metadata;
      return meta?.event_type === DIGEST_EVENT_TYPE && meta.event_payload?.subscription_id === key.subscriptionId && meta.event_payload?.local_date === key.localDate;
    });
    return found?.ts;
  }

  async dm(userSlackId: string, text: string): Promise<void> {
    await this.client.chat.postMessage({ channel: userSlackId, text });
  }
}

export class NotifierDigestPoster implements DigestPoster {
  constructor(
    private readonly notifier: Notifier,
    private readonly workspaceId: number,
  ) {}

  async post(channel: string, text: string, blocks: unknown[]): Promise<string> {
    return (await this.notifier.post({ workspaceId: this.workspaceId, channel, text, blocks })).ts;
  }

  async findPosted(): Promise<string | undefined> {
    return undefined;
  }

  async dm(userSlackId: string, text: string): Promise<void> {
    await this.notifier.post({ workspaceId: this.workspaceId, channel: userSlackId, text });
  }
}
