// Reads Segment-spec messages (https://segment.com/docs/connections/spec/) as sent by
// Segment's HTTP API, RudderStack and the analytics libraries: `track`, `page` and
// `screen` are product activity, `group` ties a user to an account, `identify` and
// `alias` carry nothing Pulse scores and are accepted and ignored. Pure: `now` and the
// settings come in as arguments.
import { createHash } from "node:crypto";
import { DAY_MS, startOfUtcDay } from "../dates.js";
import { normalizeKey, clip } from "./values.js";

export const ACTIVITY_TYPES = ["track", "page", "screen"] as const;
export const IGNORED_TYPES = ["identify", "alias"] as const;

export interface UsageEventInput {
  messageId: string;
  type: "track" | "page" | "screen" | "group";
  event: string | null;
  /** userId, else anonymousId. */
  userKey: string;
  /** The account the message names itself (context.groupId, properties.groupId, or a group call's groupId). */
  groupId: string | null;
  module: string | null;
  occurredAt: Date;
  properties: Record<string, unknown>;
}

export type ReadMessageResult =
  | { kind: "event"; event: UsageEventInput }
  | { kind: "ignored" }
  | { kind: "invalid"; reason: string };

export interface ReadMessageSettings {
  now: Date;
  retentionDays: number;
  /** normalizeKey(event name) -> module. */
  moduleByEvent: Map<string, string>;
}

/** Events may be this far in the future (clock skew on devices) and no further. */
const MAX_FUTURE_MS = DAY_MS;
const MAX_ID_LENGTH = 255;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A sender's value, quoted for an error message; never throws (String() can, on objects). */
function describeValue(value: unknown): string {
  if (typeof value === "string") return `"${clip(value, 40)}"`;
  if (value === null || typeof value !== "object") return clip(String(value), 40);
  return Array.isArray(value) ? "(an array)" : "(an object)";
}

function idString(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

export function buildModuleLookup(moduleEvents: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(moduleEvents).map(([event, module]) => [normalizeKey(event), module]));
}

export function normalizeLoginEvents(names: string[]): string[] {
  return [...new Set(names.map(normalizeKey).filter(Boolean))];
}

/** The earliest instant an event may carry: raw events before it are already pruned. */
export function retentionStart(now: Date, retentionDays: number): Date {
  return new Date(startOfUtcDay(now).getTime() - retentionDays * DAY_MS);
}

export function readSegmentMessage(message: unknown, settings: ReadMessageSettings): ReadMessageResult {
  if (!isObject(message)) return { kind: "invalid", reason: "is not a JSON object" };
  const rawType =
    message.type === undefined
      ? message.event !== undefined
        ? "track"
        : message.groupId !== undefined
          ? "group"
          : undefined
      : message.type;
  if (typeof rawType !== "string")
    return { kind: "invalid", reason: 'has no "type" (track, page, screen, group, identify or alias)' };
  const type = rawType.toLowerCase();
  if ((IGNORED_TYPES as readonly string[]).includes(type)) return { kind: "ignored" };
  if (type !== "group" && !(ACTIVITY_TYPES as readonly string[]).includes(type)) {
    return {
      kind: "invalid",
      reason: `has type "${clip(rawType, 40)}"; expected track, page, screen, group, identify or alias`,
    };
  }

  const userKey = idString(message.userId) ?? idString(message.anonymousId);
  if (!userKey) return { kind: "invalid", reason: "has neither userId nor anonymousId" };
  if (userKey.length > MAX_ID_LENGTH)
    return { kind: "invalid", reason: `userId is longer than ${MAX_ID_LENGTH} characters` };

  let messageId = idString(message.messageId);
  if (messageId && messageId.length > MAX_ID_LENGTH)
    return { kind: "invalid", reason: `messageId is longer than ${MAX_ID_LENGTH} characters` };
  // Segment's libraries always send a messageId; a hand-rolled sender may not. A hash of
  // the message keeps a verbatim retry idempotent all the same.
  messageId ??= `sha256:${createHash("sha256").update(JSON.stringify(message)).digest("hex")}`;

  const rawTimestamp = message.timestamp ?? message.originalTimestamp ?? message.sentAt;
  let occurredAt = settings.now;
  if (rawTimestamp !== undefined) {
    const parsed =
      typeof rawTimestamp === "string" && /^\d{4}-\d{2}-\d{2}/.test(rawTimestamp)
        ? new Date(rawTimestamp)
        : new Date(NaN);
    if (Number.isNaN(parsed.getTime()))
      return { kind: "invalid", reason: `timestamp ${describeValue(rawTimestamp)} is not an ISO 8601 date-time` };
    occurredAt = parsed;
  }
  if (occurredAt.getTime() < retentionStart(settings.now, settings.retentionDays).getTime()) {
    return {
      kind: "invalid",
      reason: `timestamp ${occurredAt.toISOString()} is older than the ${settings.retentionDays}-day retention of raw events`,
    };
  }
  if (occurredAt.getTime() > settings.now.getTime() + MAX_FUTURE_MS) {
    return { kind: "invalid", reason: `timestamp ${occurredAt.toISOString()} is more than a day in the future` };
  }

  const properties = message.properties === undefined ? {} : message.properties;
  if (!isObject(properties)) return { kind: "invalid", reason: "properties is not an object" };
  const context = isObject(message.context) ? message.context : {};

  if (type === "group") {
    const groupId = idString(message.groupId);
    if (!groupId) return { kind: "invalid", reason: "is a group call without a groupId" };
    const traits = isObject(message.traits) ? message.traits : {};
    return {
      kind: "event",
      event: {
        messageId,
        type: "group",
        event: null,
        userKey,
        groupId,
        module: null,
        occurredAt,
        properties: { groupId, traits },
      },
    };
  }

  let event: string | null = null;
  if (type === "track") {
    if (typeof message.event !== "string" || message.event.trim() === "")
      return { kind: "invalid", reason: 'is a track call without an "event" name' };
    event = message.event.trim();
  } else if (typeof message.name === "string" && message.name.trim() !== "") {
    event = message.name.trim();
  }
  if (event && event.length > 200) return { kind: "invalid", reason: "event name is longer than 200 characters" };

  const groupId = idString(context.groupId) ?? idString(properties.groupId) ?? null;
  const explicitModule =
    typeof properties.module === "string" && properties.module.trim() !== ""
      ? properties.module.trim().slice(0, 100)
      : undefined;
  const module = explicitModule ?? (event ? settings.moduleByEvent.get(normalizeKey(event)) : undefined) ?? null;
  return {
    kind: "event",
    event: {
      messageId,
      type: type as UsageEventInput["type"],
      event,
      userKey,
      groupId,
      module,
      occurredAt,
      properties,
    },
  };
}

/** The messages of a request body: Segment's `{ batch: [...] }`, a bare array, or one message. */
export function messagesOf(
  body: unknown,
): { ok: true; messages: unknown[]; shared: Record<string, unknown> } | { ok: false; reason: string } {
  if (Array.isArray(body)) return { ok: true, messages: body, shared: {} };
  if (!isObject(body))
    return { ok: false, reason: 'The body must be a JSON object: a message, or { "batch": [messages] }.' };
  if (body.batch !== undefined) {
    if (!Array.isArray(body.batch)) return { ok: false, reason: '"batch" must be an array of messages.' };
    // Segment's batch API lets context and integrations sit beside the batch, for every message.
    const shared = isObject(body.context) ? { context: body.context } : {};
    return { ok: true, messages: body.batch, shared };
  }
  return { ok: true, messages: [body], shared: {} };
}

/** Applies batch-level context to a message that has none of its own. */
export function withSharedContext(message: unknown, shared: Record<string, unknown>): unknown {
  if (!isObject(message) || !shared.context || message.context !== undefined) return message;
  return { ...message, context: shared.context };
}
