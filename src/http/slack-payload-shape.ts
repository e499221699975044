// The shape a signed Slack body must have before Bolt sees it. Bolt reads these fields
// without checking them: `'channel' in event` with `event: null` throws (a 500), a null
// `channel` on an action throws while routing, a repeated `text` in a command form arrives
// as an array and throws in the listener, and a view submission without `state.values`
// fails before it is acknowledged (Slack then sees a 404 after 3 s). Each is refused here
// with a 400 that names the field. The schemas are loose: they check only what Bolt and
// Pulse read, and let through every field Slack may add.
import { parse as parseQuery } from "node:querystring";
import { z } from "zod";

const id = z.string().min(1).max(255);
const object = z.looseObject({});
/** A field that may be left out, but is never null or of another type when present. */
const present = <T extends z.ZodType>(schema: T) => schema.optional();

const user = z.looseObject({ id });
// `team` is null for some org-wide (Enterprise Grid) installs; the edge resolves the team
// from user.team_id or the enterprise instead.
const team = z
  .looseObject({ id: present(id) })
  .nullable()
  .optional();
const channel = present(z.looseObject({ id }));

const event = z.looseObject({
  type: z.string().min(1),
  user: present(z.union([z.string(), object])),
  channel: present(z.union([z.string(), object])),
  item: present(object),
  message: present(object),
});

const eventsApiEnvelope = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("url_verification"), challenge: z.string() }),
  z.looseObject({
    type: z.literal("event_callback"),
    event,
    event_id: present(z.string()),
    team_id: z.string().nullable().optional(),
    authorizations: present(z.array(object)),
  }),
  z.looseObject({ type: z.literal("app_rate_limited") }),
]);

const view = z.looseObject({
  id,
  callback_id: z.string(),
  private_metadata: present(z.string()),
  hash: present(z.string()),
});

const interactive = { user, team, channel };

const interactivePayload = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("block_actions"),
    ...interactive,
    actions: z
      .array(z.looseObject({ action_id: z.string(), block_id: present(z.string()), value: present(z.string()) }))
      .min(1),
    view: present(view),
    message: present(object),
    container: present(object),
  }),
  z.looseObject({
    type: z.literal("block_suggestion"),
    ...interactive,
    action_id: z.string(),
    value: z.string(),
    view: present(view),
  }),
  z.looseObject({
    type: z.literal("view_submission"),
    ...interactive,
    view: view.extend({ state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), object)) }) }),
  }),
  z.looseObject({ type: z.literal("view_closed"), ...interactive, view }),
  z.looseObject({ type: z.literal("shortcut"), ...interactive, callback_id: z.string(), trigger_id: z.string() }),
  z.looseObject({
    type: z.literal("message_action"),
    ...interactive,
    callback_id: z.string(),
    trigger_id: z.string(),
    channel: z.looseObject({ id }),
    message: object,
  }),
]);

// Slash commands: every field once (querystring turns a repeated one into an array).
const slashCommand = z.looseObject({
  command: z.string().startsWith("/"),
  text: present(z.string()),
  user_id: id,
  team_id: present(z.string()),
  channel_id: present(z.string()),
  trigger_id: present(z.string()),
  response_url: present(z.string()),
});

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join(".") || "(body)";
  if (issue.code === "invalid_union" && "discriminator" in issue)
    return `${path || "type"}: not a payload type Pulse handles`;
  return `${path}: ${issue.message}`;
}

function check(schema: z.ZodType, value: unknown, what: string): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : `${what} ${describe(result.error)}`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Why a signed body cannot be a Slack request Pulse handles, or undefined when it can. */
export function slackBodyProblem(mediaType: string, rawBody: Buffer): string | undefined {
  const text = rawBody.toString("utf8");
  if (mediaType === "application/json") {
    const parsed = parseJson(text);
    if (!parsed.ok) return "the body is not valid JSON";
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value))
      return "the JSON body is not an object";
    return check(eventsApiEnvelope, parsed.value, "event envelope field");
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    const form = parseQuery(text);
    const repeated = Object.entries(form).find(([, v]) => Array.isArray(v));
    if (repeated) return `the form field ${repeated[0].slice(0, 40)} is repeated`;
    if (form.ssl_check === "1") return undefined;
    if (typeof form.payload === "string") {
      const parsed = parseJson(form.payload);
      if (!parsed.ok) return "the payload field is not valid JSON";
      if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value))
        return "the payload field is not a JSON object";
      return check(interactivePayload, parsed.value, "payload field");
    }
    if (typeof form.command === "string") return check(slashCommand, form, "command field");
    return "the form has neither a command nor a payload";
  }
  return `content type ${mediaType || "(none)"} is not one Slack sends`;
}
