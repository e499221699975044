// fast-check arbitraries for fuzz-receiver.test.ts: every payload kind Slack sends to the
// HTTP receiver, shaped like /work/shared/fixtures and Pulse's own test payloads, with
// fields replaced by nulls, wrong types, huge values, foreign team and user ids and
// mrkdwn control sequences.
import fc from "fast-check";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { commandText, hostileText, longText, modalCase, type ModalIds } from "./fuzz-arbitraries.js";

/**
 * Control sequences a user could type, each distinct from anything Pulse writes by itself
 * (labels, ids and hosts no fixture uses), so finding one verbatim in what Pulse posted
 * means it copied input into mrkdwn unescaped.
 */
export const CONTROL_SEQUENCES = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0FUZZ|@cs-leads>",
  "<@U0FUZZ99|boss>",
  "<#C0FUZZ77|secret-deals>",
  "<http://evil.test/login|Slack sign-in>",
  "<mailto:ceo@evil.test|ceo>",
] as const;

export const controlText = fc.oneof(
  fc.constantFrom(...CONTROL_SEQUENCES),
  fc
    .tuple(
      fc.constantFrom("Acme ", "call ", "", "how is "),
      fc.constantFrom(...CONTROL_SEQUENCES),
      fc.constantFrom("", " now", " &lt; &amp; &gt;", " *bold*"),
    )
    .map((p) => p.join("")),
  fc.constantFrom("&lt;!channel&gt;", "&lt;@U0FUZZ99&gt;", "<<!here>>", "<!channel|x>"),
);

/** The team a payload claims: the installed one mostly, else another, an unknown, none or garbage. */
export const teamId = fc.oneof(
  { weight: 12, arbitrary: fc.constant("T111") },
  { weight: 2, arbitrary: fc.constant("T222") },
  { weight: 1, arbitrary: fc.constantFrom("TFOREIGN9", "E0ENTERPRISE") },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "T".repeat(300), "T111\u0000", "<!channel>") },
);

export const userId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("UADMIN", "UCSM") },
  { weight: 1, arbitrary: fc.constantFrom("UOTHER", "W0FOREIGN", "U".repeat(300), "", "<@UADMIN>") },
);

/** A JSON field's replacement: null, the wrong type, a huge value or hostile text. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(0, -1, 1.5, 2_147_483_648, Number.MAX_SAFE_INTEGER, 1e308),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 2 }),
  hostileText,
  controlText,
  fc.constantFrom("99999999999999999999", "-1", "0", "1e9", "T222", "UOTHER"),
  fc.constant("x".repeat(100_000)),
);

/** Rolls per mutation decision: a field is mutated when its roll lands in the top `chance` of them. */
const ROLLS = 10_000;

/**
 * Replaces some of an object's fields (top level) with weird values, or deletes them: each
 * field independently, with probability `chance`. The roll is a uniform integer: fc.double
 * spreads its values over the representable doubles, nine in ten of which lie below 0.08 in
 * [0, 1], so a "chance" of 8% mutated nearly every field and almost no payload stayed well
 * formed. Mutating the top rolls (not the bottom ones) lets shrinking, which heads for 0,
 * lead to the fewest mutated fields.
 */
export function mutated(
  base: Record<string, unknown>,
  keys: string[],
  chance = 0.15,
): fc.Arbitrary<Record<string, unknown>> {
  const roll = fc.noBias(fc.integer({ min: 0, max: ROLLS - 1 }));
  return fc.tuple(...keys.map(() => fc.tuple(roll, fc.boolean(), weirdValue))).map((choices) => {
    const out = { ...base };
    choices.forEach(([n, remove, value], i) => {
      if (n < ROLLS * (1 - chance)) return;
      if (remove) delete out[keys[i]!];
      else out[keys[i]!] = value;
    });
    return out;
  });
}

export interface GeneratedRequest {
  kind: string;
  contentType: string;
  body: string;
  /** Where Pulse's reply for this request goes, when it has a response_url. */
  responsePath?: string;
  /** True when nothing in the payload names a team (Pulse must refuse it). */
  noTeam: boolean;
}

/** fast-check prints counterexamples with this: huge fields shortened, so a report stays readable. */
function describeRequest(this: GeneratedRequest): string {
  const body =
    this.contentType === "application/json"
      ? this.body
      : [...new URLSearchParams(this.body)].map(([k, v]) => `${k}=${v}`).join("&");
  const short = body.replace(
    /(.)\1{199,}/gs,
    (run, c: string) => `${c.repeat(20)}…(${run.length} × ${JSON.stringify(c)})`,
  );
  return `${this.kind} ${this.contentType} ${short.length > 4_000 ? `${short.slice(0, 4_000)}…` : short}`;
}

function request(r: GeneratedRequest): GeneratedRequest {
  Object.defineProperty(r, fc.toStringMethod, { value: describeRequest, enumerable: false });
  return r;
}

let sequence = 0;
const next = () => ++sequence;

const form = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
const payloadForm = (payload: unknown) => form([["payload", JSON.stringify(payload)]]);

/** Text for a free-text field: ordinary words, control sequences, or hostile text. */
const freeText = fc.oneof(
  { weight: 3, arbitrary: controlText },
  { weight: 2, arbitrary: fc.lorem({ maxCount: 8 }) },
  { weight: 1, arbitrary: hostileText },
  { weight: 1, arbitrary: longText },
);

/** `/pulse …` as a form: real and near subcommands, control sequences, odd or repeated fields. */
export function slashCommand(origin: string): fc.Arbitrary<GeneratedRequest> {
  const text = fc.oneof(
    { weight: 3, arbitrary: commandText },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            "account ",
            "log ",
            "nps ",
            "portfolio ",
            "digest subscribe ",
            "admin role ",
            "admin erase contact ",
            "churn ",
            "override ",
            "stage ",
            "",
            "voc ",
            "csat acme 4 ",
          ),
          controlText,
        )
        .map(([a, b]) => a + b),
    },
  );
  return fc
    .record({
      text,
      team: teamId,
      user: userId,
      channel: fc.constantFrom("C111", "D111", "G111", "C0FUZZ77", ""),
      repeatText: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      dropUserName: fc.boolean(),
      userName: fc.oneof(fc.constant("ada"), controlText, hostileText),
    })
    .map((r) => {
      const n = next();
      const responsePath = `/commands/fz/${n}/response`;
      const pairs: [string, string][] = [
        ["token", "legacy"],
        ...(r.team === undefined ? [] : ([["team_id", r.team]] as [string, string][])),
        ["team_domain", "test"],
        ["channel_id", r.channel],
        ["channel_name", "cs-team"],
        ["user_id", r.user],
        ...(r.dropUserName ? [] : ([["user_name", r.userName]] as [string, string][])),
        ["command", "/pulse"],
        ["text", r.text],
        ...(r.repeatText ? ([["text", `${r.text} again`]] as [string, string][]) : []),
        ["api_app_id", "A111"],
        ["response_url", `${origin}${responsePath}`],
        ["trigger_id", `${n}.111.trigger`],
      ];
      return request({
        kind: "slash_command",
        contentType: "application/x-www-form-urlencoded",
        body: form(pairs),
        responsePath,
        noTeam: r.team === undefined,
      });
    });
}

const teamObject = (team: string | undefined) => (team === undefined ? undefined : { id: team, domain: "test" });

/** A button value: a row id of this workspace or another, a quick-survey JSON, or anything. */
function buttonValue(ids: ModalIds): fc.Arbitrary<unknown> {
  const quickSurvey = fc
    .record(
      {
        accountId: fc.oneof(fc.constantFrom(...ids.accountIds), fc.constant(ids.foreignAccountId), weirdValue),
        kind: fc.oneof(fc.constantFrom("nps", "csat", "ces"), weirdValue),
        score: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom(1.5, 9.99, 1e9), weirdValue),
        comment: fc.oneof(freeText, fc.constant("c".repeat(100_000)), weirdValue),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(...[...ids.accountIds, ids.foreignAccountId, ...ids.churnEventIds].map(String)),
    },
    { weight: 3, arbitrary: quickSurvey },
    { weight: 2, arbitrary: weirdValue },
  );
}

/** Action ids Pulse listens to; a few unknown ones (no listener: Bolt answers 404 after 3 s). */
const actionId = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.constantFrom(
      ...Object.values(ACTION).filter((a) => a !== ACTION.accountSelect && a !== ACTION.churnAccountSelect),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("not_a_pulse_action") },
);

export function blockActions(origin: string, ids: ModalIds): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      team: teamId,
      user: userId,
      action: actionId,
      value: buttonValue(ids),
      actionsShape: fc.constantFrom("one", "one", "one", "one", "one", "none", "null", "wrong"),
    })
    .chain((r) => {
      const n = next();
      const responsePath = `/actions/fz/${n}`;
      const action = {
        type: "button",
        action_id: r.action,
        block_id: "b",
        value: r.value,
        action_ts: `1700000000.${n}`,
      };
      const base: Record<string, unknown> = {
        type: "block_actions",
        team: teamObject(r.team),
        user: { id: r.user, username: "someone", name: "someone", team_id: r.team },
        api_app_id: "A111",
        token: "verification_token",
        trigger_id: `${n}.222.trigger`,
        response_url: `${origin}${responsePath}`,
        container: { type: "message", channel_id: "C111", is_ephemeral: true, message_ts: "1700000000.000100" },
        channel: { id: "C111", name: "cs-team" },
        message: { type: "message", ts: "1700000000.000100", text: "card", blocks: [] },
        actions: { one: [action], none: [], null: null, wrong: action }[r.actionsShape],
      };
      // The action id and team stay put (they route the request); the rest may be anything.
      return mutated(base, ["user", "channel", "container", "message", "trigger_id", "api_app_id"], 0.08).map(
        (payload) =>
          request({
            kind: "block_actions",
            contentType: "application/x-www-form-urlencoded",
            body: payloadForm(payload),
            responsePath,
            noTeam: r.team === undefined,
          }),
      );
    });
}

/** Sets some free-text inputs of a modal state to control sequences or other free text. */
function withFreeText(
  values: Record<string, Record<string, Record<string, unknown>>>,
  texts: string[],
): Record<string, unknown> {
  const out = structuredClone(values);
  let i = 0;
  for (const block of Object.values(out)) {
    for (const el of Object.values(block)) {
      if (el && el.type === "plain_text_input" && i < texts.length) el.value = texts[i++];
    }
  }
  return out;
}

export function viewSubmission(ids: ModalIds & { freshAccountId: number }, now: Date): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      c: modalCase(ids, now),
      texts: fc.array(freeText, { maxLength: 3 }),
      team: teamId,
      user: userId,
      shape: fc.constantFrom("ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "view-null", "state-null", "user-null"),
    })
    .map((r) => {
      const n = next();
      const values = withFreeText(r.c.values as Record<string, Record<string, Record<string, unknown>>>, r.texts);
      const view = {
        id: `VFZ${n}`,
        team_id: r.team ?? null,
        type: "modal",
        callback_id: r.c.callbackId,
        private_metadata: r.c.privateMetadata,
        state: r.shape === "state-null" ? null : { values },
        hash: `1700000000.h${n}`,
        app_id: "A111",
      };
      const payload = {
        type: "view_submission",
        team: teamObject(r.team),
        user:
          r.shape === "user-null"
            ? null
            : { id: r.user ?? r.c.userId, username: "someone", name: "someone", team_id: r.team },
        api_app_id: "A111",
        token: "verification_token",
        trigger_id: `${n}.333.trigger`,
        view: r.shape === "view-null" ? null : view,
        response_urls: [],
      };
      return request({
        kind: `view_submission:${r.shape}`,
        contentType: "application/x-www-form-urlencoded",
        body: payloadForm(payload),
        noTeam: r.team === undefined,
      });
    });
}

export function viewClosed(): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      team: teamId,
      callback: fc.constantFrom(...Object.values(CALLBACK)),
      meta: fc.oneof(controlText, fc.constant("{}")),
    })
    .map((r) =>
      request({
        kind: "view_closed",
        contentType: "application/x-www-form-urlencoded",
        body: payloadForm({
          type: "view_closed",
          team: teamObject(r.team),
          user: { id: "UCSM", username: "someone", team_id: r.team },
          api_app_id: "A111",
          token: "verification_token",
          view: {
            id: `VFZ${next()}`,
            team_id: r.team,
            type: "modal",
            callback_id: r.callback,
            private_metadata: r.meta,
            state: { values: {} },
            hash: "h",
          },
          is_cleared: false,
        }),
        noTeam: r.team === undefined,
      }),
    );
}

export function shortcut(): fc.Arbitrary<GeneratedRequest> {
  return fc.record({ team: teamId, user: userId, trigger: fc.oneof(fc.constant("ok"), weirdValue) }).chain((r) => {
    const n = next();
    const base = {
      type: "shortcut",
      token: "verification_token",
      action_ts: `${n}.111`,
      team: teamObject(r.team),
      user: { id: r.user, username: "someone", team_id: r.team },
      callback_id: CALLBACK.globalLogTouchpoint,
      trigger_id: r.trigger === "ok" ? `${n}.444.trigger` : r.trigger,
    };
    return mutated(base, ["user", "action_ts"], 0.1).map((payload) =>
      request({
        kind: "shortcut",
        contentType: "application/x-www-form-urlencoded",
        body: payloadForm(payload),
        noTeam: r.team === undefined,
      }),
    );
  });
}

export function messageAction(origin: string): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      team: teamId,
      user: userId,
      text: freeText,
      ts: fc.oneof(
        { weight: 5, arbitrary: fc.constant("1763800000.000100") },
        { weight: 1, arbitrary: fc.constantFrom("abc", "-1", "99999999999999999999.1", "") },
      ),
    })
    .chain((r) => {
      const n = next();
      const base = {
        type: "message_action",
        token: "verification_token",
        action_ts: `${n}.222`,
        callback_id: CALLBACK.messageSaveTouchpoint,
        trigger_id: `${n}.555.trigger`,
        team: teamObject(r.team),
        user: { id: r.user, name: "someone", team_id: r.team },
        channel: { id: "C111", name: "cs-team" },
        message: { type: "message", user: "U9", ts: r.ts, text: r.text },
        message_ts: r.ts,
        response_url: `${origin}/actions/fz/${n}`,
      };
      return mutated(base, ["channel", "message", "user"], 0.08).map((payload) =>
        request({
          kind: "message_action",
          contentType: "application/x-www-form-urlencoded",
          body: payloadForm(payload),
          responsePath: `/actions/fz/${n}`,
          noTeam: r.team === undefined,
        }),
      );
    });
}

/** An Events API envelope: app_mention, a DM, App Home; with odd envelopes and null events. */
export function eventCallback(): fc.Arbitrary<GeneratedRequest> {
  const question = fc.oneof(
    fc
      .tuple(
        fc.constantFrom("how is ", "help ", "who is at risk ", "portfolio ", "account ", ""),
        fc.oneof(controlText, fc.constantFrom("Acme Corp", "acme", "Globex")),
        fc.constantFrom("", "?", " doing?"),
      )
      .map((p) => p.join("")),
    freeText,
  );
  const event = fc.oneof(
    fc.record({ text: question, user: userId, channel: fc.constantFrom("C111", "D111") }).map((e) => ({
      type: "app_mention",
      user: e.user,
      text: `<@UBOT> ${e.text}`,
      ts: `1700000${next()}.000100`,
      channel: e.channel,
      event_ts: "1700000000.000100",
    })),
    fc.record({ text: question, user: userId }).map((e) => ({
      type: "message",
      channel_type: "im",
      channel: "D111",
      user: e.user,
      text: e.text,
      ts: `1700001${next()}.000100`,
      event_ts: "1700000000.000100",
    })),
    fc
      .record({ user: userId, tab: fc.constantFrom("home", "home", "messages") })
      .map((e) => ({ type: "app_home_opened", user: e.user, channel: "D111", tab: e.tab, event_ts: "1700000000.1" })),
  );
  return fc
    .record({ team: teamId, event, eventShape: fc.constantFrom("ok", "ok", "ok", "ok", "ok", "ok", "null", "wrong") })
    .chain((r) => {
      const base = {
        token: "verification_token",
        team_id: r.team,
        api_app_id: "A111",
        type: "event_callback",
        event_id: `EvFZ${next()}`,
        event_time: 1700000000,
        event: { ok: r.event, null: null, wrong: "app_mention" }[r.eventShape],
        authorizations: r.team === undefined ? undefined : [{ team_id: r.team, user_id: "UBOT", is_bot: true }],
      };
      return mutated(base, ["event_time", "api_app_id", "authorizations"], 0.1).map((payload) =>
        request({
          kind: `event:${r.eventShape === "ok" ? (r.event as { type: string }).type : r.eventShape}`,
          contentType: "application/json",
          body: JSON.stringify(payload),
          noTeam: r.team === undefined && !payload.authorizations,
        }),
      );
    });
}

export function urlVerification(): fc.Arbitrary<GeneratedRequest> {
  return fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), weirdValue).map((challenge) =>
    request({
      kind: "url_verification",
      contentType: "application/json",
      body: JSON.stringify({ token: "verification_token", challenge, type: "url_verification" }),
      noTeam: false,
    }),
  );
}
