// Delivers a QBR pack to one person, never to a channel: a canvas created through the Web
// API (canvases.create, then canvases.access.set for that user alone), or, when canvases
// are not available (free plans, a missing canvases:write scope, any canvas API error), the
// same markdown uploaded as a file to the person's DM.
import type { WebClient } from "@slack/web-api";
import { slackErrorCode } from "../errors.js";

export interface QbrDelivery {
  kind: "canvas" | "markdown";
  /** The canvas id, or the uploaded file's id. */
  ref: string;
  link?: string;
  /** Why the canvas path was left, when it was. */
  fallbackReason?: string;
}

export interface QbrDocument {
  userSlackId: string;
  title: string;
  markdown: string;
  fileName: string;
}

async function createCanvas(client: WebClient, doc: QbrDocument): Promise<QbrDelivery> {
  const created = await client.canvases.create({
    title: doc.title,
    document_content: { type: "markdown", markdown: doc.markdown },
  });
  const canvasId = (created as { canvas_id?: string }).canvas_id;
  if (!canvasId)
    throw Object.assign(new Error("canvases.create answered without a canvas_id"), { code: "no_canvas_id" });
  // A standalone canvas is its creator's (the bot's): give the one reader access, no one else.
  await client.canvases.access.set({ canvas_id: canvasId, access_level: "write", user_ids: [doc.userSlackId] });
  // The link is a nicety; the canvas exists either way.
  const link = await client.files
    .info({ file: canvasId })
    .then((r) => (r.file as { permalink?: string } | undefined)?.permalink)
    .catch(() => undefined);
  return { kind: "canvas", ref: canvasId, ...(link ? { link } : {}) };
}

async function uploadMarkdown(client: WebClient, doc: QbrDocument, reason: string): Promise<QbrDelivery> {
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

export async function deliverQbrDocument(
  client: WebClient,
  doc: QbrDocument,
  onFallback?: (code: string) => void,
): Promise<QbrDelivery> {
  try {
    return await createCanvas(client, doc);
  } catch (error) {
    const code = slackErrorCode(error);
    onFallback?.(code);
    return uploadMarkdown(client, doc, code);
  }
}
