// Block Kit within Slack's limits, in one place. Builders produce blocks freely; these
// helpers clamp text and counts so Slack never rejects a message, and say what was left
// out instead of dropping it silently. Limits: https://docs.slack.dev/reference/block-kit
export { escapeMrkdwn } from "../domain/mrkdwn.js";
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  PlainTextOption,
  SectionBlock,
} from "@slack/types";
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  sectionFieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  options: 100,
  contextElements: 10,
  actionsElements: 25,
  plainInputLabel: 2000,
  modalTitle: 24,
  modalSubmit: 24,
  privateMetadata: 3000,
  blockId: 255,
  actionValue: 2000,
} as const;

/** Slack's own block types (@slack/types), so a malformed block fails to compile, not in Slack. */
export type Block = KnownBlock;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A short one-line excerpt of longer text (a note on a card): whitespace folded, cut at a
 * word boundary when one is near, and always marked with "…" when cut.
 */
export function excerpt(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const room = max - 1;
  const space = line.lastIndexOf(" ", room);
  const cut = space > room / 2 ? space : room;
  return `${line.slice(0, cut).trimEnd()}…`;
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: { type: "plain_text", text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function section(text: string, accessory?: SectionBlock["accessory"]): SectionBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(text || " ", LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function fields(texts: string[]): SectionBlock {
  return {
    type: "section",
    fields: texts
      .slice(0, LIMITS.sectionFields)
      .map((t) => ({ type: "mrkdwn", text: truncate(t || " ", LIMITS.sectionFieldText) })),
  };
}

export function context(texts: string[]): ContextBlock {
  return {
    type: "context",
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: "mrkdwn", text: truncate(t || " ", LIMITS.sectionText) })),
  };
}

export function divider(): DividerBlock {
  return { type: "divider" };
}

export function button(text: string, actionId: string, value?: string, style?: "primary" | "danger"): Button {
  return {
    type: "button",
    text: { type: "plain_text", text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    ...(value !== undefined ? { value: truncate(value, LIMITS.actionValue) } : {}),
    ...(style ? { style } : {}),
  };
}

/** What Slack's confirm dialog on a button says (Block Kit's limits: 100, 300 and 30 characters). */
export interface ConfirmDialog {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
}

/**
 * A button that asks first: for clicks that change who owns something or what state it is
 * in (issue 15, item 7). Plain text, so names in it need no escaping.
 */
export function withConfirm(b: Button, dialog: ConfirmDialog): Button {
  return {
    ...b,
    confirm: {
      title: plainText(dialog.title, 100),
      text: plainText(dialog.text, 300),
      confirm: plainText(dialog.confirm, 30),
      deny: plainText(dialog.deny ?? "Cancel", 30),
    },
  };
}

export function actions(elements: ActionsBlock["elements"], blockId?: string): ActionsBlock {
  return {
    type: "actions",
    elements: elements.slice(0, LIMITS.actionsElements),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: { type: "plain_text", text: truncate(text, LIMITS.optionText) }, value };
}

/** At most 100 options; Slack rejects more. */
export function options<T>(items: T[], toOption: (item: T) => ReturnType<typeof option>): ReturnType<typeof option>[] {
  return items.slice(0, LIMITS.options).map(toOption);
}

/**
 * Lines packed into as few sections as fit Slack's 3,000 characters each, never cutting a
 * line; a single longer line is split at a space, and its parts say they continue.
 */
export function sections(lines: string[], max: number = LIMITS.sectionText): SectionBlock[] {
  const parts = lines.flatMap((line) => splitLine(line, max));
  const out: SectionBlock[] = [];
  let current = "";
  for (const part of parts) {
    if (current && current.length + 1 + part.length > max) {
      out.push(section(current));
      current = part;
    } else current = current ? `${current}\n${part}` : part;
  }
  if (current) out.push(section(current));
  return out;
}

function splitLine(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const mark = " …";
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const room = max - mark.length;
    const cut = rest.lastIndexOf(" ", room);
    const at = cut > room / 2 ? cut : room;
    out.push(`${rest.slice(0, at)}${mark}`);
    rest = `… ${rest.slice(at).trimStart()}`;
  }
  return [...out, rest];
}

/**
 * Fits blocks into a surface's limit. When they do not fit, keeps the first ones and ends
 * with a context line saying how many were left out and where to see the rest.
 */
export function fitBlocks(blocks: Block[], max: number, moreHint: (omitted: number) => string): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context([moreHint(blocks.length - kept.length)])];
}

/**
 * Fits rows, each of which renders to one or more blocks, under a budget of blocks,
 * keeping whole rows only, then appends a summary of the rows left out.
 */
export function fitRows<T>(
  rows: T[],
  render: (row: T) => Block[],
  budget: number,
  summarise: (omitted: T[]) => Block,
): Block[] {
  const out: Block[] = [];
  let i = 0;
  for (; i < rows.length; i++) {
    const rendered = render(rows[i]!);
    const reserve = i < rows.length - 1 ? 1 : 0; // room for the summary line
    if (out.length + rendered.length + reserve > budget) break;
    out.push(...rendered);
  }
  if (i < rows.length) out.push(summarise(rows.slice(i)));
  return out;
}

export function plainText(
  text: string,
  max: number = LIMITS.sectionText,
): { type: "plain_text"; text: string; emoji: true } {
  return { type: "plain_text", text: truncate(text, max), emoji: true };
}

/** A text sparkline of values (e.g. 90 days of scores), for cards and threads. */
export function sparkline(values: number[], width = 30): string {
  const bars = "▁▂▃▄▅▆▇█";
  if (!values.length) return "";
  const step = Math.max(1, Math.ceil(values.length / width));
  const sampled: number[] = [];
  for (let i = 0; i < values.length; i += step) {
    const bucket = values.slice(i, i + step);
    sampled.push(bucket.reduce((a, b) => a + b, 0) / bucket.length);
  }
  return sampled.map((v) => bars[Math.min(bars.length - 1, Math.max(0, Math.floor((v / 100) * bars.length)))]).join("");
}

/**
 * The blocks with those of the given ids replaced, where the first of them was; undefined
 * when none is among them (a row clicked in a message, replaced in place by its ids).
 */
export function replaceBlocksById(
  blocks: readonly Block[] | undefined,
  blockIds: readonly string[],
  replacement: Block[],
): Block[] | undefined {
  if (!blocks) return undefined;
  const ids = new Set(blockIds);
  const at = blocks.findIndex((b) => b.block_id !== undefined && ids.has(b.block_id));
  if (at < 0) return undefined;
  const kept = blocks.filter((b) => !(b.block_id !== undefined && ids.has(b.block_id)));
  return [...kept.slice(0, at), ...replacement, ...kept.slice(at)];
}
