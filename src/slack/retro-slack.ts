// The retro's Slack port over a Web API client. Chart uploads use the external upload flow
// (files.getUploadURLExternal, POST the bytes, files.completeUploadExternal, which is what
// filesUploadV2 does); when the token may not upload, or the upload fails, the caller
// falls back to a text sparkline.
import type { WebClient } from "@slack/web-api";
import type { RetroSlack } from "../services/retro.js";

/** Slack errors meaning "this token cannot upload here", not "something broke". */
const UPLOAD_REFUSALS = new Set(["missing_scope", "not_allowed_token_type", "not_in_channel", "channel_not_found", "restricted_action", "file_uploads_disabled", "file_upload_size_restricted"]);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

export function createRetroSlack(client: WebClient): RetroSlack {
  return {
    async post(message) {
      const result = await client.chat.postMessage({
        channel: message.channel,
        text: message.text,
        ...(message.blocks.length ? { blocks: message.blocks as never } : {}),
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        unfurl_links: false,
      });
      return { ts: result.ts ?? "" };
    },
    async uploadPng(file) {
      try {
        await client.filesUploadV2({
          channel_id: file.channel,
          thread_ts: file.threadTs,
          file: file.bytes,
          filename: file.filename,
          title: file.title,
          alt_text: file.altText,
        });
        return { uploaded: true };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && UPLOAD_REFUSALS.has(code)) return { uploaded: false, reason: code };
        // Any other failure still must not cost the managers their evidence: fall back too.
        return { uploaded: false, reason: `upload failed (${code ?? (error as Error).message ?? "unknown error"})` };
      }
    },
  };
}
