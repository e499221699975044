// Reading modal submissions back into plain values. Slack's view state is
// values[block_id][action_id] with a shape that depends on the element type.
import { parseIsoDay } from "../../domain/dates.js";
import { ACTION, BLOCK, INPUT_ACTION, parseRowId } from "../ids.js";

interface ElementState {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_date?: string | null;
}

export type ViewState = Record<string, Record<string, ElementState>>;

// Slack always sends these shapes, but a value of another type (a payload from an older or
// newer client, a hand-made request) must read as "not given", so the schema answers with
// the field's own inline error instead of a TypeError escaping the listener.
const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const optionValue = (o: unknown): string | undefined =>
  o && typeof o === "object" ? asString((o as { value?: unknown }).value) : undefined;

export function readText(state: ViewState, block: string): string | undefined {
  // PostgreSQL text cannot hold U+0000; it carries nothing a person typed.
  const v = asString(state[block]?.[INPUT_ACTION]?.value)?.replace(/\u0000/g, "");
  return v === undefined || v.trim() === "" ? undefined : v;
}

export function readSelected(state: ViewState, block: string, action: string = INPUT_ACTION): string | undefined {
  return optionValue(state[block]?.[action]?.selected_option);
}

export function readMulti(state: ViewState, block: string): string[] {
  const options: unknown = state[block]?.[INPUT_ACTION]?.selected_options;
  // An option without a string value is kept as "", which the schema refuses by name.
  return Array.isArray(options) ? options.map((o) => optionValue(o) ?? "") : [];
}

export function readDate(state: ViewState, block: string): Date | undefined {
  const v = asString(state[block]?.[INPUT_ACTION]?.selected_date);
  return v ? parseIsoDay(v) : undefined;
}

export function readAccountId(state: ViewState): number | undefined {
  const v = readSelected(state, BLOCK.account, ACTION.accountSelect);
  return parseRowId(v);
}

/**
 * A picked calendar day as an instant: noon UTC that day, but never later than now. Any
 * time zone's "today" is at most one day ahead of UTC's, so later than that is the future.
 */
export function dayToInstant(day: Date, now: Date): { instant: Date } | { future: true } {
  const noon = new Date(day.getTime() + 12 * 3_600_000);
  if (day.getTime() > now.getTime() + 86_400_000) return { future: true };
  return { instant: noon > now ? now : noon };
}

/** Maps zod issue paths (input field names) to the modal's block ids. */
export function toBlockErrors(
  fieldErrors: Record<string, string>,
  fieldToBlock: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const block = fieldToBlock[field] ?? fieldToBlock._fallback!;
    out[block] ??= message;
  }
  return out;
}
