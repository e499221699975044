// Where digests go and how Slack's failures are read. Through the Slack port, with message
// metadata that names the subscription and local date, so a digest posted just before a
// crash can be found again (conversations.history) instead of posted twice.
import type { AppContext } from "../app-context.js";
import type { Workspace } from "../generated/prisma/client.js";
import type { DigestView } from "./message-views.js";
import type { SlackPort } from "./slack-port.js";
import { slackErrorCode } from "../errors.js";

export interface DigestKey {
  subscriptionId: number;
  localDate: string;
}

export interface DigestPoster {
  /** Posts the digest (rendered by the port) and returns its ts. */
  post(channel: string, digest: DigestView, key: DigestKey): Promise<string>;
  /** The ts of a digest for `key` already in the channel since `since`, if any. */
  findPosted(channel: string, since: Date, key: DigestKey): Promise<string | undefined>;
  dm(userSlackId: string, text: string): Promise<void>;
}

export const DIGEST_EVENT_TYPE = "pulse_digest";

/** How a failed post should be handled. */
export type PostFailure = "channel_gone" | "channel_shared" | "auth_revoked" | "transient";

const CHANNEL_GONE = new Set(["channel_not_found", "not_in_channel", "is_archived", "channel_is_archived"]);
const AUTH_REVOKED = new Set(["invalid_auth", "token_revoked", "account_inactive", "not_authed", "team_not_found"]);

export function classifyPostError(error: unknown): { kind: PostFailure; code: string } {
  const code = slackErrorCode(error, String((error as Error | undefined)?.message ?? error));
  // The port's shared-channel guard: a channel now shared with another organisation.
  if (code === "EXTERNAL_CHANNEL") return { kind: "channel_shared", code };
  if (CHANNEL_GONE.has(code)) return { kind: "channel_gone", code };
  if (AUTH_REVOKED.has(code)) return { kind: "auth_revoked", code };
  return { kind: "transient", code };
}

/** Digests through the Slack port (the terminal in local mode). */
export function portDigestPoster(port: SlackPort): DigestPoster {
  return {
    async post(channel, digest, key) {
      const posted = await port.post({
        channel,
        view: digest,
        metadata: {
          eventType: DIGEST_EVENT_TYPE,
          payload: { subscription_id: key.subscriptionId, local_date: key.localDate },
        },
      });
      return posted.ts;
    },
    findPosted: (channel, since, key) =>
      port.findPost({
        channel,
        since,
        eventType: DIGEST_EVENT_TYPE,
        payload: { subscription_id: key.subscriptionId, local_date: key.localDate },
      }),
    async dm(userSlackId, text) {
      await port.dm(userSlackId, { text });
    },
  };
}

/** Each workspace's port: Slack when connected, the terminal in local mode. */
export function digestPosterFactory(ctx: Pick<AppContext, "slack">): (workspace: Workspace) => Promise<DigestPoster> {
  return async (workspace) => portDigestPoster(ctx.slack.forWorkspace(workspace.id));
}
