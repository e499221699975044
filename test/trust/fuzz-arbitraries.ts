// fast-check arbitraries for the fuzz properties in fuzz.test.ts: `/pulse` command text
// from a grammar of real subcommands and hostile tokens, modal view states with right and
// wrong shapes, and Segment-style API bodies, near-valid and not.
import fc from "fast-check";
import { CHURN_REASONS } from "../../src/domain/churn-post-mortem.js";
import { LIFECYCLE_STAGES, SENTIMENTS, STAKEHOLDER_TYPES, TOUCHPOINT_KINDS } from "../../src/domain/vocabulary.js";
import {
  ACTION,
  BLOCK,
  CALLBACK,
  INPUT_ACTION,
  POST_MORTEM_BLOCK,
  RETRO_ACTION_ITEM_BLOCK,
} from "../../src/slack/ids.js";

/** Any text, astral planes included; NUL and friends come in through `hostileText`. */
export const anyText = (maxLength = 40) => fc.string({ unit: "binary", maxLength });

/** Strings that have broken parsers and databases before. */
export const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\t\n\r",
    "\u202e\u200b\ufeff",
    "🔥",
    "👩‍👩‍👧‍👦",
    ":fire:",
    "Ω≈ç√∫",
    "null",
    "undefined",
    "NaN",
    "-0",
    "1e309",
    "0x1F",
    "'; DROP TABLE account; --",
    "%s%n%x",
    "${7*7}",
    "<script>alert(1)</script>",
    "*bold* _it_ ~s~ `code`",
    "<!channel>",
    "\\",
    '"',
    "“",
    "”",
    "'",
  ),
  anyText(),
  fc.string({ unit: "grapheme", maxLength: 30 }),
);

export const longText = fc
  .integer({ min: 200, max: 6_000 })
  .chain((n) => fc.constantFrom("x", "é", "🔥", "a ").map((c) => c.repeat(n)));

const numberToken = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom(
    "9",
    "10",
    "11",
    "0",
    "-1",
    "5.5",
    "1,000",
    "$12,000",
    "99999999999999999999",
    "2147483648",
    "-2147483649",
    "Infinity",
  ),
);

const dateToken = fc.oneof(
  fc.constantFrom(
    "2026-03-15",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "2026-Q3",
    "2026-Q9",
    "2026-10",
    "last-90d",
    "last-30d",
    "last-0d",
    "last-99999999999d",
    "this-quarter",
    "last-quarter",
    "yesterday",
    "1970-01-01",
  ),
  fc
    .date({ min: new Date("1900-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

const slackRef = fc.oneof(
  fc.constantFrom(
    "<@UADMIN>",
    "<@UCSM|chris>",
    "<@U123|x>",
    "<@>",
    "<@U999",
    "@chris",
    "<#C1|x>",
    "<#C111>",
    "<#C999|cs-team>",
    "#general",
    "<!here>",
    "<https://acme.test|acme>",
    "<mailto:jane.doe@acme.test|jane>",
  ),
  fc.stringMatching(/^<@[UW][A-Z0-9]{1,12}(\|[a-z]{1,8})?>$/),
  fc.stringMatching(/^<#C[A-Z0-9]{1,12}(\|[a-z-]{1,8})?>$/),
);

const domainToken = fc.oneof(
  fc.constantFrom(
    "acme",
    "Acme Corp",
    "acme.test",
    "ACME-1",
    "globex",
    "jane.doe@acme.test",
    "bob@acme.test",
    "nobody@nowhere.test",
    "%",
    "_",
    "*",
  ),
  ...LIFECYCLE_STAGES.map((s) => fc.constant(s)),
  fc.constantFrom(
    "admin",
    "manager",
    "csm",
    "owner",
    "green",
    "yellow",
    "red",
    "clear",
    "list",
    "create",
    "revoke",
    "subscribe",
    "unsubscribe",
    "preview",
    "send-now",
    "report",
    "winback",
    "#1",
    "#999999999999",
    "2147483648",
  ),
  fc.constantFrom(
    "owner=me",
    "owner=all",
    "owner=<@UCSM>",
    "segment=enterprise",
    "stage=adoption",
    "min-arr=50000",
    "min-arr=-1",
    "min-arr=99999999999999999",
    "min-arr=999999999999.999",
    "bands=red,yellow",
    "bands=purple",
    "at=09:00",
    "at=25:99",
    "tz=Europe/Paris",
    "tz=Mars/Olympus",
    "quiet=nothing",
    "no-touch-days=30",
    "no-touch-days=1e9",
    "days=30",
    "days=-5",
    "days=99999999999",
  ),
  fc.tuple(fc.stringMatching(/^[a-z-]{1,12}$/), anyText(12)).map(([k, v]) => `${k}=${v}`),
);

const quoted = fc
  .tuple(fc.constantFrom(['"', '"'], ["“", "”"], ["'", "'"], ['"', ""], ["“", '"']), anyText(30))
  .map(([[open, close], s]) => `${open}${s}${close}`);

export const commandToken = fc.oneof(
  { weight: 4, arbitrary: domainToken },
  { weight: 3, arbitrary: numberToken },
  { weight: 2, arbitrary: dateToken },
  { weight: 2, arbitrary: slackRef },
  { weight: 2, arbitrary: quoted },
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: longText },
);

/** Every subcommand name as the user might type it. */
const SUBCOMMAND_NAMES = [
  "help",
  "account",
  "log",
  "nps",
  "csat",
  "ces",
  "portfolio",
  "digest",
  "digest subscribe",
  "digest list",
  "digest unsubscribe",
  "digest preview",
  "digest send-now",
  "voc",
  "playbooks report",
  "playbooks",
  "stage",
  "override",
  "override clear",
  "override list",
  "churn",
  "churn winback",
  "churn report",
  "admin",
  "admin role",
  "admin retro-channel",
  "admin api-key",
  "admin api-key create",
  "admin api-key list",
  "admin api-key revoke",
  "admin import",
  "admin export",
  "admin erase contact",
  "admin audit",
];

const subcommandPrefix = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...SUBCOMMAND_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...SUBCOMMAND_NAMES).map((s) => s.toUpperCase()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "acount", "  account", "\naccount", "adminrole", "admin  role", "churn\treport"),
  },
);

const separator = fc.constantFrom(" ", " ", " ", "  ", "\t", "\n", "\u00a0", "");

/** `/pulse` text: a (real or near) subcommand, then tokens joined by odd whitespace. */
export const commandText = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(
        subcommandPrefix,
        fc.array(fc.tuple(separator, commandToken), { maxLength: 6 }),
        fc.constantFrom("", " ", "\n"),
      )
      .map(
        ([name, tokens, trailing]) => `${name}${tokens.map(([sep, tok]) => `${sep || " "}${tok}`).join("")}${trailing}`,
      ),
  },
  { weight: 1, arbitrary: fc.oneof(anyText(200), hostileText, longText) },
);

// ---------------------------------------------------------------------------------------
// Modal submissions

export type ElementState = Record<string, unknown>;

/** A field's state: well formed or not, including shapes Slack never sends. */
export function elementState(
  kind: "text" | "select" | "multi" | "date" | "user",
  good: fc.Arbitrary<string>,
  hostile = true,
): fc.Arbitrary<ElementState | undefined> {
  const text = hostile
    ? fc.oneof(
        { weight: 16, arbitrary: good },
        { weight: 3, arbitrary: hostileText },
        { weight: 1, arbitrary: longText },
      )
    : good;
  const wellFormed: fc.Arbitrary<ElementState> = {
    text: text.map((value) => ({ type: "plain_text_input", value })),
    select: text.map((value) => ({
      type: "static_select",
      selected_option: { text: { type: "plain_text", text: "x" }, value },
    })),
    multi: fc
      .oneof(
        { weight: 5, arbitrary: fc.array(text, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.array(text, { maxLength: 6 }) },
      )
      .map((values) => ({ type: "checkboxes", selected_options: values.map((value) => ({ value })) })),
    date: text.map((selected_date) => ({ type: "datepicker", selected_date })),
    user: text.map((selected_user) => ({ type: "users_select", selected_user })),
  }[kind];
  const empty: ElementState = {
    text: { type: "plain_text_input", value: null },
    select: { type: "static_select", selected_option: null },
    multi: { type: "checkboxes", selected_options: [] },
    date: { type: "datepicker", selected_date: null },
    user: { type: "users_select", selected_user: null },
  }[kind];
  const wrongShape = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ type: "plain_text_input", value: v })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ type: "static_select", selected_option: v })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ type: "checkboxes", selected_options: v })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ type: "datepicker", selected_date: v })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ type: "users_select", selected_user: v })),
  );
  if (!hostile) return wellFormed;
  return fc.oneof(
    { weight: 24, arbitrary: wellFormed },
    { weight: 1, arbitrary: fc.constant(empty) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: wrongShape },
  );
}

const isoDays = (from: Date, to: Date) =>
  fc.date({ min: from, max: to, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** `good`; in hostile cases, sometimes `bad`. */
const orBad = <T>(hostile: boolean, good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  hostile ? fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: bad }) : good;

const DAY_MS = 86_400_000;

/** A calendar day: in the past (or the future) of `now`; in hostile cases, sometimes anything. */
export const dayValue = (now: Date, direction: "past" | "future", hostile: boolean) =>
  orBad(
    hostile,
    direction === "past"
      ? isoDays(new Date(now.getTime() - 400 * DAY_MS), now)
      : isoDays(now, new Date(now.getTime() + 400 * DAY_MS)),
    fc.oneof(
      isoDays(new Date(now.getTime() - 3 * DAY_MS), new Date(now.getTime() + 3 * DAY_MS)),
      isoDays(new Date("1900-01-01"), new Date("2999-12-31")),
      dateToken,
    ),
  );

/** state.values: block_id -> action_id -> element state; blocks left undefined are absent. */
function stateValues(
  blocks: { block: string; action: string; state: fc.Arbitrary<ElementState | undefined> }[],
): fc.Arbitrary<Record<string, Record<string, ElementState>>> {
  return fc.tuple(...blocks.map((b) => b.state)).map((states) => {
    const out: Record<string, Record<string, ElementState>> = {};
    states.forEach((s, i) => {
      if (s !== undefined) out[blocks[i]!.block] = { [blocks[i]!.action]: s };
    });
    return out;
  });
}

export interface ModalIds {
  /** Accounts of the submitting workspace. */
  accountIds: number[];
  /** An account of another workspace. */
  foreignAccountId: number;
  churnEventIds: number[];
}

const idText = (ids: number[], foreign: number, hostile: boolean) =>
  orBad(
    hostile,
    fc.constantFrom(...ids.map(String)),
    fc.constantFrom(String(foreign), "0", "-1", "1.5", "abc", "2147483648", "99999999999999999999", "007"),
  );

const choice = (values: readonly string[], hostile: boolean) =>
  orBad(hostile, fc.constantFrom(...values), fc.constantFrom(values[0]!.toUpperCase(), "unknown", ""));

const metadata = (good: fc.Arbitrary<Record<string, unknown>>, hostile: boolean) =>
  !hostile
    ? good.map((m) => JSON.stringify(m))
    : fc.oneof(
        { weight: 8, arbitrary: good.map((m) => JSON.stringify(m)) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
        {
          weight: 1,
          arbitrary: fc.oneof(hostileText, fc.constantFrom("{", "[]", "null", '{"kind":"nps"', '{"accountId":"1"}')),
        },
      );

export interface ModalCase {
  callbackId: string;
  values: Record<string, Record<string, ElementState>>;
  privateMetadata: string;
  userId: string;
}

const submitter = fc.constantFrom("UADMIN", "UCSM", "UNEWCOMER");

export function touchpointCase(ids: ModalIds, now: Date, hostile: boolean): fc.Arbitrary<ModalCase> {
  const notes = fc.oneof(fc.lorem({ maxCount: 20 }), fc.constantFrom("  padded notes  ", "Zoë 🔥 <@U1>"));
  const permalink = orBad(
    hostile,
    fc.constant("https://test.slack.com/archives/C111/p1700000000000100"),
    fc.constantFrom("not a url", ""),
  );
  return fc.record({
    callbackId: fc.constantFrom(CALLBACK.logTouchpoint, CALLBACK.messageSaveTouchpoint),
    values: stateValues([
      {
        block: BLOCK.account,
        action: ACTION.accountSelect,
        state: elementState("select", idText(ids.accountIds, ids.foreignAccountId, hostile), hostile),
      },
      {
        block: BLOCK.kind,
        action: INPUT_ACTION,
        state: elementState("select", choice(TOUCHPOINT_KINDS, hostile), hostile),
      },
      { block: BLOCK.date, action: INPUT_ACTION, state: elementState("date", dayValue(now, "past", hostile), hostile) },
      {
        block: BLOCK.stakeholders,
        action: INPUT_ACTION,
        state: elementState("multi", choice(STAKEHOLDER_TYPES, hostile), hostile),
      },
      {
        block: BLOCK.sentiment,
        action: INPUT_ACTION,
        state: elementState("select", choice(SENTIMENTS, hostile), hostile),
      },
      { block: BLOCK.notes, action: INPUT_ACTION, state: elementState("text", notes, hostile) },
    ]),
    privateMetadata: metadata(
      fc.record({ channelId: fc.constantFrom("C111", "D111", "G1"), permalink }, { requiredKeys: [] }),
      hostile,
    ),
    userId: submitter,
  });
}

export function surveyCase(ids: ModalIds, now: Date, hostile: boolean): fc.Arbitrary<ModalCase> {
  // 1-5 is on every scale; hostile cases try the rest.
  const score = orBad(
    hostile,
    fc.integer({ min: 1, max: 5 }).map(String),
    fc.oneof(fc.integer({ min: -1, max: 11 }).map(String), numberToken),
  );
  const respondent = orBad(hostile, fc.constantFrom("Jane Doe", " Bob ", "Zoë 🔥"), fc.constant("X".repeat(201)));
  const kind = orBad(
    hostile,
    fc.constantFrom("nps", "csat", "ces"),
    fc.constantFrom("NPS", "xyz", "toString", "__proto__"),
  );
  return fc.record({
    callbackId: fc.constant(CALLBACK.recordSurvey),
    values: stateValues([
      {
        block: BLOCK.account,
        action: ACTION.accountSelect,
        state: elementState("select", idText(ids.accountIds, ids.foreignAccountId, hostile), hostile),
      },
      { block: BLOCK.score, action: INPUT_ACTION, state: elementState("select", score, hostile) },
      { block: BLOCK.respondent, action: INPUT_ACTION, state: elementState("text", respondent, hostile) },
      {
        block: BLOCK.stakeholderType,
        action: INPUT_ACTION,
        state: elementState("select", choice(STAKEHOLDER_TYPES, hostile), hostile),
      },
      { block: BLOCK.comment, action: INPUT_ACTION, state: elementState("text", fc.lorem({ maxCount: 30 }), hostile) },
      { block: BLOCK.date, action: INPUT_ACTION, state: elementState("date", dayValue(now, "past", hostile), hostile) },
    ]),
    privateMetadata: metadata(
      fc.record({ channelId: fc.constantFrom("C111", "D111"), kind }, { requiredKeys: ["kind"] }),
      hostile,
    ),
    userId: submitter,
  });
}

export function postMortemCase(
  ids: ModalIds & { freshAccountId: number },
  now: Date,
  hostile: boolean,
): fc.Arbitrary<ModalCase> {
  const B = POST_MORTEM_BLOCK;
  const text = orBad(hostile, fc.lorem({ maxCount: 20 }), fc.constant("x".repeat(3001)));
  const account = orBad(
    hostile,
    fc.constant(String(ids.freshAccountId)),
    idText(ids.accountIds, ids.foreignAccountId, true),
  );
  // The fresh account's ARR is 50,000: a full churn loses all of it, a downgrade some.
  const kindAndArr = orBad(
    hostile,
    fc.oneof(
      fc.tuple(fc.constant("full"), fc.constantFrom(undefined, "", "50000", "50,000")),
      fc.tuple(fc.constant("downgrade"), fc.integer({ min: 1, max: 49_999 }).map(String)),
    ),
    fc.tuple(
      choice(["full", "downgrade"], true),
      fc.option(
        fc.oneof(
          fc.integer({ min: -10, max: 200_000 }).map(String),
          fc.constantFrom("12,000", "12000.50", "$5", "1e6", "abc", "0", "99999999999999999"),
        ),
        { nil: undefined },
      ),
    ),
  );
  const reasons = orBad(
    hostile,
    fc.tuple(
      fc.constantFrom(...CHURN_REASONS.filter((r) => r !== "other")),
      fc.constant<string | undefined>(undefined),
    ),
    fc.tuple(choice(CHURN_REASONS, true), fc.option(text, { nil: undefined })),
  );
  const state = (arb: fc.Arbitrary<string | undefined>, kind: "text" | "select") =>
    arb.chain((v) => (v === undefined ? fc.constant(undefined) : elementState(kind, fc.constant(v), hostile)));
  return fc
    .record({
      kindAndArr,
      reasons,
      rest: stateValues([
        { block: B.account, action: B.account, state: elementState("select", account, hostile) },
        {
          block: B.churnedOn,
          action: B.churnedOn,
          state: elementState("date", dayValue(now, "past", hostile), hostile),
        },
        {
          block: B.contributingFactors,
          action: B.contributingFactors,
          state: elementState("multi", choice(CHURN_REASONS, hostile), hostile),
        },
        { block: B.warningSigns, action: B.warningSigns, state: elementState("text", text, hostile) },
        {
          block: B.warningSeenOn,
          action: B.warningSeenOn,
          state: hostile ? elementState("date", dayValue(now, "past", true), true) : fc.constant(undefined),
        },
        { block: B.couldHaveDone, action: B.couldHaveDone, state: elementState("text", text, hostile) },
        { block: B.lessons, action: B.lessons, state: elementState("text", text, hostile) },
        {
          block: B.preventable,
          action: B.preventable,
          state: elementState("select", choice(["yes", "no"], hostile), hostile),
        },
      ]),
      privateMetadata: metadata(
        fc.record(
          {
            accountId: orBad(
              hostile,
              fc.constant(ids.freshAccountId),
              fc.constantFrom(ids.foreignAccountId, 0, -1, 1.5, 2_147_483_648, Number.MAX_SAFE_INTEGER),
            ),
            channelId: fc.constantFrom("C111", "D1"),
          },
          { requiredKeys: [] },
        ),
        hostile,
      ),
      userId: submitter,
    })
    .chain(({ kindAndArr: [kind, arr], reasons: [reason, other], rest, privateMetadata, userId }) =>
      fc
        .record({
          kind: state(fc.constant(kind), "select"),
          arr: state(fc.constant(arr), "text"),
          reason: state(fc.constant(reason), "select"),
          other: state(fc.constant(other), "text"),
        })
        .map((fields) => {
          const values = { ...rest };
          const put = (block: string, s: ElementState | undefined) => {
            if (s !== undefined) values[block] = { [block]: s };
          };
          put(B.kind, fields.kind);
          put(B.arrLost, fields.arr);
          put(B.primaryReason, fields.reason);
          put(B.reasonOther, fields.other);
          return { callbackId: CALLBACK.churnPostMortem, values, privateMetadata, userId };
        }),
    );
}

export function actionItemCase(ids: ModalIds, now: Date, hostile: boolean): fc.Arbitrary<ModalCase> {
  const R = RETRO_ACTION_ITEM_BLOCK;
  const title = orBad(
    hostile,
    fc.lorem({ maxCount: 8 }).map((s) => s.trim() || "follow up"),
    fc.constantFrom("y".repeat(201), "", "   "),
  );
  // The first churn event's retro is open; the second's is closed.
  const churnEventId = orBad(
    hostile,
    fc.constant(ids.churnEventIds[0]!),
    fc.constantFrom(ids.churnEventIds[1]!, 0, -3, 999_999, 2_147_483_648, 1.5),
  );
  return fc.record({
    callbackId: fc.constant(CALLBACK.retroActionItem),
    values: stateValues([
      { block: R.title, action: R.title, state: elementState("text", title, hostile) },
      {
        block: R.owner,
        action: R.owner,
        state: elementState("user", fc.constantFrom("UCSM", "UADMIN", "UOWNER2", "W123"), hostile),
      },
      { block: R.dueOn, action: R.dueOn, state: elementState("date", dayValue(now, "future", hostile), hostile) },
    ]),
    privateMetadata: metadata(fc.record({ churnEventId }), hostile),
    userId: submitter,
  });
}

/**
 * A submission of any Pulse modal: a third built only from well-formed fields (so writes
 * happen often enough to check), the rest with hostile values and shapes mixed in.
 */
export function modalCase(ids: ModalIds & { freshAccountId: number }, now: Date): fc.Arbitrary<ModalCase> {
  const of = (hostile: boolean) =>
    fc.oneof(
      touchpointCase(ids, now, hostile),
      surveyCase(ids, now, hostile),
      postMortemCase(ids, now, hostile),
      actionItemCase(ids, now, hostile),
    );
  return fc.oneof({ weight: 1, arbitrary: of(false) }, { weight: 2, arbitrary: of(true) });
}

// ---------------------------------------------------------------------------------------
// Ingestion API bodies

export const GROUP_IDS = ["acme", "globex", "acme.example"] as const;

/** A Segment message Pulse should store, given a unique messageId. */
export function validMessage(now: Date): fc.Arbitrary<Record<string, unknown>> {
  const timestamp = fc
    .date({ min: new Date(now.getTime() - 20 * 86_400_000), max: now, noInvalidDate: true })
    .map((d) => d.toISOString());
  const user = fc.stringMatching(/^u[a-z0-9]{1,8}$/);
  return fc.oneof(
    fc.record({
      type: fc.constantFrom("track", "Track", "TRACK"),
      messageId: fc.uuid(),
      userId: user,
      event: fc.constantFrom("Logged In", "Report Viewed", "Invoice Sent", "login"),
      timestamp,
      context: fc.record({ groupId: fc.constantFrom(...GROUP_IDS) }),
      properties: fc.dictionary(
        fc.string({ maxLength: 8 }),
        fc.jsonValue({ maxDepth: 1 }).filter((v) => !JSON.stringify(v).includes("\\u0000")),
        { maxKeys: 3 },
      ),
    }),
    fc.record({
      type: fc.constant("page"),
      messageId: fc.uuid(),
      anonymousId: user,
      name: fc.constantFrom("Home", "Settings"),
      timestamp,
      properties: fc.record({ groupId: fc.constantFrom(...GROUP_IDS) }),
    }),
    fc.record({
      type: fc.constant("group"),
      messageId: fc.uuid(),
      userId: user,
      groupId: fc.constantFrom(...GROUP_IDS),
      timestamp,
      traits: fc.record({ name: fc.string({ maxLength: 10 }) }),
    }),
  );
}

const MESSAGE_KEYS = [
  "type",
  "messageId",
  "userId",
  "anonymousId",
  "event",
  "name",
  "timestamp",
  "originalTimestamp",
  "sentAt",
  "context",
  "properties",
  "groupId",
  "traits",
  "batch",
];

/** Replaces, deletes or adds one field with something hostile. */
function mutate(message: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const hostileValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    hostileText,
    longText,
    fc.constantFrom(
      null,
      true,
      0,
      -1,
      1e308,
      "",
      " ",
      "2026-02-30T00:00:00Z",
      "1970-01-01T00:00:00Z",
      "3000-01-01T00:00:00Z",
      "2026-03-15",
      "yesterday",
      { groupId: "acme\u0000" },
      "x".repeat(300),
    ),
  );
  return fc
    .tuple(
      fc.constantFrom(...MESSAGE_KEYS, "properties.groupId", "context.groupId"),
      fc.oneof(
        hostileValue.map((v) => ({ set: v })),
        fc.constant({ del: true as const }),
      ),
    )
    .map(([key, change]) => {
      const copy: Record<string, unknown> = structuredClone(message);
      const [head, tail] = key.split(".") as [string, string | undefined];
      if (tail) {
        const inner =
          typeof copy[head] === "object" && copy[head] !== null && !Array.isArray(copy[head])
            ? { ...(copy[head] as Record<string, unknown>) }
            : {};
        if ("del" in change) delete inner[tail];
        else inner[tail] = change.set;
        copy[head] = inner;
      } else if ("del" in change) delete copy[head];
      else copy[head] = change.set;
      return copy;
    });
}

export interface EventItem {
  message: unknown;
  /** Built valid and left unmutated: must be stored unless refused with a reason. */
  pristine: boolean;
}

export function eventItem(now: Date): fc.Arbitrary<EventItem> {
  return fc.oneof(
    { weight: 4, arbitrary: validMessage(now).map((message) => ({ message, pristine: true })) },
    {
      weight: 4,
      arbitrary: validMessage(now)
        .chain(mutate)
        .map((message) => ({ message, pristine: false })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom({ type: "identify", userId: "u1", traits: {} }, { type: "alias", previousId: "a", userId: "b" })
        .map((message) => ({ message, pristine: false })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((message) => ({ message, pristine: false })) },
  );
}

export type RawBody = { kind: "json"; value: unknown; items?: EventItem[] } | { kind: "bytes"; bytes: Uint8Array };

export function eventsBody(now: Date): fc.Arbitrary<RawBody> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .array(eventItem(now), { maxLength: 12 })
        .chain((items) =>
          fc.tuple(
            fc.constant(items),
            fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
            fc.constantFrom("batch", "array"),
          ),
        )
        .map(([items, context, shape]) => ({
          kind: "json" as const,
          items,
          value:
            shape === "batch"
              ? { batch: items.map((i) => i.message), ...(context === undefined ? {} : { context }) }
              : items.map((i) => i.message),
        })),
    },
    {
      weight: 2,
      arbitrary: eventItem(now).map((item) => ({ kind: "json" as const, items: [item], value: item.message })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: "json" as const, value })) },
    {
      weight: 1,
      arbitrary: fc.record({ batch: fc.jsonValue({ maxDepth: 2 }) }).map((value) => ({ kind: "json" as const, value })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc
            .constantFrom("", "{", "[1,", "nul", '{"batch":[}', "\u0000", "\ufeff{}")
            .map((s) => new TextEncoder().encode(s)),
        )
        .map((bytes) => ({ kind: "bytes" as const, bytes })),
    },
  );
}

const ACCOUNT_KEYS = [
  "externalId",
  "name",
  "domain",
  "segment",
  "owner",
  "arr",
  "currency",
  "seats",
  "contractStart",
  "renewalDate",
  "stage",
  "Account Name",
  "id",
  "unknown column",
];

export interface AccountItem {
  account: unknown;
  pristine: boolean;
}

export const validAccount = fc.record(
  {
    externalId: fc.stringMatching(/^[A-Z]{2,4}-[0-9]{1,6}$/),
    name: fc.stringMatching(/^[A-Z][a-z]{2,10}( Inc)?$/),
    domain: fc.stringMatching(/^[a-z]{3,10}\.(com|io|test)$/),
    segment: fc.constantFrom("SMB", "Enterprise"),
    arr: fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }).map(String)),
    currency: fc.constantFrom("USD", "EUR"),
    seats: fc.integer({ min: 0, max: 5000 }),
    renewalDate: isoDays(new Date("2026-01-01"), new Date("2028-12-31")),
    stage: fc.constantFrom(...LIFECYCLE_STAGES),
  },
  { requiredKeys: ["externalId", "name"] },
);

function mutateAccount(account: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const hostileValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    hostileText,
    longText,
    numberToken,
    dateToken,
    fc.constantFrom(
      null,
      true,
      -1,
      1e308,
      Number.MAX_SAFE_INTEGER,
      "",
      "NOT-A-STAGE",
      "UCSM",
      "Ada",
      "999999999999999.99",
      "12,000.505",
    ),
  );
  return fc
    .tuple(
      fc.constantFrom(...ACCOUNT_KEYS),
      fc.oneof(
        hostileValue.map((v) => ({ set: v })),
        fc.constant({ del: true as const }),
      ),
    )
    .map(([key, change]) => {
      const copy = { ...account };
      if ("del" in change) delete copy[key];
      else copy[key] = change.set;
      return copy;
    });
}

export const accountItem: fc.Arbitrary<AccountItem> = fc.oneof(
  { weight: 4, arbitrary: validAccount.map((account) => ({ account, pristine: true })) },
  { weight: 4, arbitrary: validAccount.chain(mutateAccount).map((account) => ({ account, pristine: false })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((account) => ({ account, pristine: false })) },
);

export function accountsBody(): fc.Arbitrary<RawBody & { accountItems?: AccountItem[] }> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.array(accountItem, { maxLength: 8 }).chain((items) =>
        fc.constantFrom("wrapped", "array").map((shape) => ({
          kind: "json" as const,
          accountItems: items,
          value: shape === "wrapped" ? { accounts: items.map((i) => i.account) } : items.map((i) => i.account),
        })),
      ),
    },
    {
      weight: 2,
      arbitrary: accountItem.map((item) => ({ kind: "json" as const, accountItems: [item], value: item.account })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: "json" as const, value })) },
    {
      weight: 1,
      arbitrary: fc
        .record({ accounts: fc.jsonValue({ maxDepth: 2 }) })
        .map((value) => ({ kind: "json" as const, value })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: "bytes" as const, bytes })) },
  );
}

export const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
);
