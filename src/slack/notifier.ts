// Where Pulse's outgoing messages go: Slack when connected, the terminal in local mode.
// Jobs (digests, playbook DMs, retro threads) talk to a Notifier, never to Slack directly,
// so local mode and tests need no special cases.
import type { WebClient } from "@slack/web-api";

export interface OutgoingMessage {
  workspaceId: number;
  /** Channel id, or a user id for a DM. */
  channel: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface Notifier {
  post(message: OutgoingMessage): Promise<PostedMessage>;
}

type BlockLike = { type?: string; text?: { text?: string } | string; fields?: { text?: string }[]; elements?: { text?: string | { text?: string } }[] };

/** Plain-text rendering of Block Kit, good enough to read a digest in a terminal. */
export function blocksToText(blocks: unknown[]): string {
  const lines: string[] = [];
  for (const raw of blocks as BlockLike[]) {
    const text = typeof raw.text === "string" ? raw.text : raw.text?.text;
    switch (raw.type) {
      case "header":
        lines.push(`== ${text ?? ""} ==`);
        break;
      case "divider":
        lines.push("----");
        break;
      case "context":
        lines.push(
          (raw.elements ?? []).map((e) => (typeof e.text === "string" ? e.text : (e.text?.text ?? ""))).join("  "),
        );
        break;
      default:
        if (text) lines.push(text);
        for (const f of raw.fields ?? []) if (f.text) lines.push(`  ${f.text}`);
    }
  }
  return lines.join("\n");
}

export class TerminalNotifier implements Notifier {
  private counter = 0;
  constructor(private readonly write: (text: string) => void = (t) => process.stdout.write(t)) {}

  async post(message: OutgoingMessage): Promise<PostedMessage> {
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.counter).padStart(6, "0")}`;
    const body = message.blocks?.length ? blocksToText(message.blocks) : message.text;
    const where = message.threadTs ? `${message.channel} (thread ${message.threadTs})` : message.channel;
    this.write(`\n[local mode: would post to ${where}]\n${body}\n`);
    return { channel: message.channel, ts };
  }
}

export class SlackNotifier implements Notifier {
  constructor(private readonly clientFor: (workspaceId: number) => Promise<WebClient>) {}

  async post(message: OutgoingMessage): Promise<PostedMessage> {
    const client = await this.clientFor(message.workspaceId);
    const result = await client.chat.postMessage({
      channel: message.channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    });
    return { channel: result.channel ?? message.channel, ts: result.ts ?? "" };
  }
}
