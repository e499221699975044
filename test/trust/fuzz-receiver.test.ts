// Fuzzing the HTTP receiver with every payload kind Slack sends (slash command forms,
// block_actions, view_submission, view_closed, shortcut, message_action, Events API
// callbacks and url_verification), signed correctly, with random and adversarial fields.
// Through the real path (Pulse's HTTP server, its request guard, Bolt's HTTPReceiver, the
// listeners, PostgreSQL), each request must:
//   - be answered 2xx or 4xx (never 5xx, never left hanging);
//   - leave the process standing (no unhandled rejection, no uncaught exception);
//   - write no row when it was refused (4xx, inline errors, a warning reply, or no team);
//   - never make Pulse post a mrkdwn control sequence taken from the input unescaped.
// Seeded (FUZZ_SEED, as in fuzz.test.ts); FUZZ_RECEIVER_SCALE multiplies the run counts.
import fc from "fast-check";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { parseSlackBody } from "../helpers/fake-slack.js";
import { SLACK_API_ORIGIN, sign, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";
import { createSmallWorkspace } from "../helpers/small-workspace.js";
import {
  blockActions,
  CONTROL_SEQUENCES,
  eventCallback,
  messageAction,
  shortcut,
  slashCommand,
  urlVerification,
  viewClosed,
  viewSubmission,
  type GeneratedRequest,
} from "./fuzz-receiver-arbitraries.js";

const NOW = new Date("2026-03-15T12:00:00Z");
const SEED = process.env.FUZZ_SEED === "random" ? undefined : Number(process.env.FUZZ_SEED ?? 20261124);
const SCALE = Number(process.env.FUZZ_RECEIVER_SCALE ?? 1);
const runs = (n: number) => ({
  numRuns: Math.max(1, Math.round(n * SCALE)),
  ...(SEED === undefined ? {} : { seed: SEED }),
});
/** A request not answered by now hangs (Bolt itself gives up on unacked requests after 3 s). */
const HANG_LIMIT_MS = 15_000;
const PROPERTY_TIMEOUT_MS = 150_000;
/** Rows these tables hold are bookkeeping every request may touch, not writes of its own. */
const BOOKKEEPING_TABLES = new Set(["_prisma_migrations", "slack_event_receipt", "job_run", "scoring_run"]);

let t: TestDatabase;
let app: SlackTestApp;
let countQuery: string;
const faults: unknown[] = [];
const onFault = (error: unknown) => faults.push(error);
/** Everything Pulse sent to Slack: Web API calls and response_url posts. */
const posted: { path: string; body: Record<string, unknown> }[] = [];
const ids = { accountIds: [] as number[], foreignAccountId: 0, churnEventIds: [] as number[], freshAccountId: 0 };

function fakeSlack(): void {
  const record = (uri: string, raw: unknown) => {
    const body =
      typeof raw === "string"
        ? parseSlackBody(raw, raw.startsWith("{") ? "application/json" : undefined)
        : ((raw ?? {}) as Record<string, unknown>);
    posted.push({ path: uri, body });
    return body;
  };
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(/^\/(commands|actions)\//)
    .reply(200, (uri, raw) => {
      record(uri, raw);
      return { ok: true };
    });
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply(200, (uri, raw) => {
      const body = record(uri, raw);
      const method = uri.replace(/^\/api\//, "");
      switch (method) {
        case "views.open":
        case "views.publish":
        case "views.update":
          return { ok: true, view: { id: "V1", hash: "h" } };
        case "chat.postMessage":
          return { ok: true, channel: body.channel, ts: "1700000000.000100" };
        case "chat.postEphemeral":
          return { ok: true, message_ts: "1700000000.000200" };
        case "chat.getPermalink":
          return { ok: true, permalink: "https://test.slack.com/archives/C111/p1700000000000100" };
        case "users.info":
          return {
            ok: true,
            user: {
              id: body.user,
              name: "someone",
              real_name: "Some One",
              tz: "UTC",
              profile: { real_name: "Some One" },
            },
          };
        case "conversations.open":
          return { ok: true, channel: { id: "D0FUZZ" } };
        case "conversations.info":
          return { ok: true, channel: { id: body.channel, name: "cs-team", is_member: true, is_ext_shared: false } };
        case "conversations.history":
          return { ok: true, messages: [], has_more: false };
        default:
          return { ok: true };
      }
    });
}

async function seed(): Promise<void> {
  const small = await createSmallWorkspace(t.db, "T111", { adminSlackId: "UADMIN" });
  const workspaceId = small.workspaceId;
  const csm = await t.db.user.create({ data: { workspaceId, slackUserId: "UCSM", name: "Chris CSM", role: "csm" } });
  const more = await t.db.account.createManyAndReturn({
    data: [
      { workspaceId, externalId: "globex", name: "Globex", domain: "globex.com", arr: 90000, ownerId: csm.id },
      { workspaceId, externalId: "fresh", name: "Fresh Co", arr: 50000 },
      {
        workspaceId,
        externalId: "gone",
        name: "Gone Ltd",
        arr: 0,
        status: "churned",
        churnedAt: new Date("2026-02-01"),
      },
    ],
  });
  ids.accountIds = [small.accountId, more[0]!.id];
  ids.freshAccountId = more[1]!.id;
  const event = await t.db.churnEvent.create({
    data: {
      workspaceId,
      accountId: more[2]!.id,
      kind: "full",
      churnedOn: new Date("2026-02-01"),
      arrBefore: 1000,
      arrLost: 1000,
      primaryReason: "budget_or_price",
      retroStatus: "pending",
      retroChannelId: "C0RETRO",
      retroThreadTs: "1700000000.000001",
    },
  });
  ids.churnEventIds = [event.id];
  const other = await createSmallWorkspace(t.db, "T222", { adminSlackId: "UOTHER", accountName: "Acme Secret Corp" });
  ids.foreignAccountId = other.accountId;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  await seed();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
  fakeSlack();
  const tables = await t.db.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  countQuery = tables
    .map((r) => r.table_name)
    .filter((name) => !BOOKKEEPING_TABLES.has(name))
    .map((name) => `SELECT '${name}' AS t, count(*)::int AS n FROM "${name}"`)
    .join(" UNION ALL ");
  process.on("unhandledRejection", onFault);
  process.on("uncaughtException", onFault);
});
afterEach(() => {
  expect(faults).toEqual([]);
});
afterAll(async () => {
  process.off("unhandledRejection", onFault);
  process.off("uncaughtException", onFault);
  await app?.close();
  await t?.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function rowCounts(): Promise<Record<string, number>> {
  const rows = await t.db.$queryRawUnsafe<{ t: string; n: number }[]>(countQuery);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/**
 * Who is asking is recorded on first contact (services/workspace-users.ts): a workspace
 * and a user row for a request that names its team is identity, not the request's write.
 * A request that names no team has no identity to record, so there every table counts.
 */
const IDENTITY_TABLES = new Set(["workspace", "app_user"]);

/** The tables whose row count changed between two counts. */
function changed(
  before: Record<string, number>,
  after: Record<string, number>,
  ignore: Set<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [table, n] of Object.entries(after))
    if (before[table] !== n && !ignore.has(table)) out[table] = `${before[table]} -> ${n}`;
  return out;
}

async function within<T>(request: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${HANG_LIMIT_MS} ms`)), HANG_LIMIT_MS)),
  );
  try {
    return await Promise.race([request, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Keys whose strings Slack never renders as mrkdwn (ids, inputs' own values, metadata). */
const NOT_RENDERED = new Set([
  "value",
  "initial_value",
  "private_metadata",
  "action_id",
  "block_id",
  "callback_id",
  "trigger_id",
  "url",
  "response_url",
  "channel",
  "user",
  "user_id",
  "thread_ts",
  "ts",
  "external_id",
  "view_id",
  "hash",
  "image_url",
  "alt_text",
]);

/** Strings in a posted body that Slack renders as mrkdwn: plain_text objects and ids are skipped. */
function renderedStrings(value: unknown, key = "", out: string[] = []): string[] {
  if (typeof value === "string") {
    if (!NOT_RENDERED.has(key)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) renderedStrings(v, key, out);
  } else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.type === "plain_text") return out;
    for (const [k, v] of Object.entries(o)) renderedStrings(v, k, out);
  }
  return out;
}

/** What the request carried, decoded, to tell which control sequences came from it. */
function decodedInput(r: GeneratedRequest): string {
  if (r.contentType === "application/json") return r.body;
  return [...new URLSearchParams(r.body).values()].join("\n");
}

/** Replies to this request's response_url that refuse (a warning, or nothing recorded). */
const REFUSAL = /^:warning:|nothing was (recorded|changed)/i;

const outcomes: Record<string, Record<string, number>> = {};

async function fire(r: GeneratedRequest): Promise<void> {
  const before = await rowCounts();
  const from = posted.length;
  const res = await within(
    fetch(`${app.baseUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": r.contentType, ...sign(r.body) },
      body: r.body,
    }),
  );
  const text = await res.text();
  await app.idle(HANG_LIMIT_MS);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const after = await rowCounts();
  const mine = posted.slice(from);

  const tally = (outcomes[r.kind] ??= {});
  tally[res.status] = (tally[res.status] ?? 0) + 1;
  expect(res.status, `${r.kind}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${r.kind}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(faults).toEqual([]);

  const inlineErrors = text.includes('"response_action":"errors"');
  const replies = r.responsePath ? mine.filter((p) => p.path === r.responsePath) : [];
  const refusedInReply = replies.some((p) => REFUSAL.test(String(p.body.text ?? "")));
  const refused = res.status >= 400 || inlineErrors || refusedInReply || r.noTeam;
  if (refused) {
    const why =
      res.status >= 400
        ? `answered ${res.status}`
        : inlineErrors
          ? "inline errors"
          : refusedInReply
            ? "refused in its reply"
            : "names no team";
    expect(
      changed(before, after, r.noTeam ? new Set() : IDENTITY_TABLES),
      `${r.kind} was refused (${why}) yet wrote rows`,
    ).toEqual({});
  }

  const input = decodedInput(r);
  const fromInput = CONTROL_SEQUENCES.filter((s) => input.includes(s));
  if (fromInput.length) {
    for (const p of mine) {
      for (const s of renderedStrings(p.body)) {
        for (const sequence of fromInput)
          expect(
            s.includes(sequence),
            `${r.kind}: Pulse posted ${sequence} unescaped to ${p.path}: ${s.slice(0, 300)}`,
          ).toBe(false);
      }
    }
  }
}

describe("fuzz: every Slack payload kind through the HTTP receiver", () => {
  it(
    "slash command forms",
    async () => {
      await fc.assert(fc.asyncProperty(slashCommand(SLACK_API_ORIGIN), fire), runs(40));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "block_actions",
    async () => {
      await fc.assert(fc.asyncProperty(blockActions(SLACK_API_ORIGIN, ids), fire), runs(40));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "view_submission",
    async () => {
      await fc.assert(fc.asyncProperty(viewSubmission(ids, NOW), fire), runs(40));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "view_closed",
    async () => {
      await fc.assert(fc.asyncProperty(viewClosed(), fire), runs(4));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "global shortcut",
    async () => {
      await fc.assert(fc.asyncProperty(shortcut(), fire), runs(10));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "message_action (message shortcut)",
    async () => {
      await fc.assert(fc.asyncProperty(messageAction(SLACK_API_ORIGIN), fire), runs(15));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "events: app_mention, message.im, app_home_opened",
    async () => {
      await fc.assert(fc.asyncProperty(eventCallback(), fire), runs(40));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "url_verification",
    async () => {
      await fc.assert(fc.asyncProperty(urlVerification(), fire), runs(10));
    },
    PROPERTY_TIMEOUT_MS,
  );

  it("exercised both answers and refusals", () => {
    // A fuzz run that only ever hit one path proves little: each kind was answered, and
    // the suite as a whole saw refusals too.
    for (const kind of [
      "slash_command",
      "block_actions",
      "view_submission:ok",
      "shortcut",
      "message_action",
      "event:app_mention",
      "url_verification",
    ]) {
      expect(Object.keys(outcomes[kind] ?? {}), kind).toContain("200");
    }
  });
});
