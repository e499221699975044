// Local mode (no Slack connection): what Pulse would send is printed to the terminal, so
// jobs, digests and retros run the same code with or without Slack.
import type { KnownBlock } from "@slack/types";
import type { MessageBody, PostedMessage, SlackPort, SlackPorts } from "../services/slack-port.js";
import { renderBody } from "./views/messages.js";

type BlockLike = {
  type?: string;
  text?: { text?: string } | string;
  fields?: { text?: string }[];
  elements?: { text?: string | { text?: string } }[];
};

/** Plain-text rendering of Block Kit, good enough to read a digest in a terminal. */
export function blocksToText(blocks: readonly KnownBlock[] | readonly unknown[]): string {
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

export function createTerminalSlackPorts(write: (text: string) => void = (t) => process.stdout.write(t)): SlackPorts {
  let counter = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, "0")}`;
  const print = (where: string, unrendered: MessageBody): void => {
    const message = renderBody(unrendered);
    const body = message.blocks?.length ? blocksToText(message.blocks) : message.text;
    write(`\n[local mode: would post to ${where}]\n${body}\n`);
  };
  const port: SlackPort = {
    async post(message): Promise<PostedMessage> {
      print(message.threadTs ? `${message.channel} (thread ${message.threadTs})` : message.channel, message);
      return { channel: message.channel, ts: nextTs() };
    },
    async dm(userSlackId, message) {
      print(userSlackId, message);
      return { channel: userSlackId, ts: nextTs() };
    },
    async ephemeral(message) {
      print(`${message.channel} (only ${message.userSlackId} sees it)`, message);
    },
    async updateMessage(message) {
      print(`${message.channel} (update of ${message.ts})`, message);
    },
    async publishHome(userSlackId, view) {
      write(`\n[local mode: would publish the App Home of ${userSlackId}]\n${blocksToText(view.blocks)}\n`);
    },
    async openView() {
      return { viewId: `local-${nextTs()}` };
    },
    async pushView() {
      return { viewId: `local-${nextTs()}` };
    },
    async updateView() {},
    async uploadPng(file) {
      write(`\n[local mode: would upload ${file.filename} to ${file.channel} (thread ${file.threadTs})]\n`);
      return { uploaded: false, reason: "local mode" };
    },
    async dmFile(userSlackId, file) {
      write(`\n[local mode: would send ${file.filename} to ${userSlackId}]\n`);
    },
    async deliverPrivateDocument(doc) {
      write(`\n[local mode: would give ${doc.userSlackId} alone a canvas "${doc.title}"]\n${doc.markdown}\n`);
      return { kind: "canvas", ref: `local-${nextTs()}` };
    },
    async userTimeZone() {
      return undefined;
    },
    async userProfile() {
      return undefined;
    },
    async channelInfo() {
      return undefined;
    },
    async teamInfo() {
      return undefined;
    },
    async permalink() {
      return undefined;
    },
    async findPost() {
      return undefined;
    },
    async assertInternalChannel() {},
  };
  return { forWorkspace: () => port };
}
