// What the churn listeners share: how to read their forms.
import type { z, ZodError, ZodType } from "zod";
import { viewStateSchema } from "../../views/churn-modals.js";

/** The inline error when a modal's private_metadata is not what Pulse wrote into it. */
const UNREADABLE_FORM = "Pulse could not read this form. Close it and open it again.";

/** A modal's private_metadata read with its schema; undefined when it is not what Pulse wrote. */
function readModalMetadata<T>(raw: string | undefined, schema: ZodType<T>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw || "{}");
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Inline errors for view state Slack sent in a shape Pulse does not read (values[block][action]
 * of another type): on each such block of the modal, else on `fallback`.
 */
function unreadableStateErrors(error: ZodError, blocks: readonly string[], fallback: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const block = typeof issue.path[0] === "string" && blocks.includes(issue.path[0]) ? issue.path[0] : fallback;
    out[block] = "Pulse could not read this answer. Please give it again.";
  }
  return out;
}

export type ChurnForm<M> =
  | { ok: true; metadata: M; state: z.infer<typeof viewStateSchema> }
  | { ok: false; problem: string; detail?: unknown; errors: Record<string, string> };

/**
 * A churn modal's metadata and state, or the inline errors to answer when either is not
 * what Pulse wrote (a forged or garbled submission): on each unreadable block, else on
 * `firstBlock`.
 */
export function readChurnForm<M>(
  view: { private_metadata?: string; state: { values: unknown } },
  metadataSchema: ZodType<M>,
  blocks: readonly string[],
  firstBlock: string,
): ChurnForm<M> {
  const metadata = readModalMetadata(view.private_metadata, metadataSchema);
  if (metadata === undefined)
    return { ok: false, problem: "unreadable private_metadata", errors: { [firstBlock]: UNREADABLE_FORM } };
  const state = viewStateSchema.safeParse(view.state.values);
  if (!state.success)
    return {
      ok: false,
      problem: "unreadable state",
      detail: state.error,
      errors: unreadableStateErrors(state.error, blocks, firstBlock),
    };
  return { ok: true, metadata, state: state.data };
}
