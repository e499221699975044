// Every message and view Pulse sends on a walk through the demo, read as a person reads it
// (issue 15; render-every-message.test.ts renders each view by itself). A workspace
// holding the demo portfolio is walked through as its people would: every `/pulse` command,
// App Home, a mention and a DM, the nightly run and the digest; then every button on every
// surface that walk produced is clicked from that surface, and the buttons of what those
// clicks open, in turn. Everything Pulse sends on the way is checked:
// - nothing is beyond Slack's limits (Slack refuses the whole message) and nothing looks cut
//   without a marker ("…"): no text stops at a limit, inside an escape, a link or a code span;
// - every button answers from the surface it is on, and never with the apology for a fault;
// - no list claims to show more than it does ("Showing 1–10 of 47" means 10 shown of 47);
// - dates are written one way.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nightlyRunFor, runScoreAccounts } from "../../src/jobs/score-accounts.js";
import { seedDemoWithHistory } from "../../src/services/seed-demo.js";
import { subcommands } from "../../src/slack/commands/index.js";
import { CALLBACK, POST_MORTEM_BLOCK } from "../../src/slack/ids.js";
import { topicOf } from "../../src/slack/commands/help.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { captureReplies, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TEAM = "T111";
// Real people in the seats of the demo's Maya (a CSM), Sam (the admin) and Priya (a manager):
// the demo's own people are made up, and Pulse sends them nothing.
const SEATS = { U0DEMOCSM1: "U1CSM", U0DEMOADMIN: "U1ADMIN", U0DEMOMGR: "U1MANAGER" } as const;
const CSM = SEATS.U0DEMOCSM1;
const ADMIN = SEATS.U0DEMOADMIN;
const MANAGER = SEATS.U0DEMOMGR;

/** One thing Pulse sent: a message (posted, ephemeral, updated, a response_url reply) or a view. */
interface Surface {
  /** How it got there, for the failure message: "command /pulse portfolio", "click pulse_task_done on …". */
  origin: string;
  kind: "message" | "modal" | "home";
  /** Where a click on it comes from. */
  channel?: string;
  viewId?: string;
  text?: string;
  blocks: Block[];
  /** A modal's callback_id and private_metadata, to submit it. */
  callbackId?: string;
  privateMetadata?: string;
}

type Block = Record<string, unknown>;
interface Element {
  type?: string;
  action_id?: string;
  value?: string;
  url?: string;
  text?: { text?: string };
  options?: { value?: string }[];
}

let t: TestDatabase;
let app: SlackTestApp;
const surfaces: Surface[] = [];
let viewSeq = 0;
let tsSeq = 0;
let responseSeq = 0;
let origin = "setup";

/** Records every Web API call that shows something, and answers as Slack would. */
function captureWebApi(): void {
  nock(SLACK_API_ORIGIN)
    .persist()
    .post(/^\/api\/[a-zA-Z.]+$/)
    .reply(200, (uri, raw) => {
      const method = uri.replace("/api/", "");
      const body = parseBody(raw);
      record(method, body);
      return answerFor(method, body);
    });
}

function parseBody(raw: unknown): Record<string, unknown> {
  const entries: [string, unknown][] =
    typeof raw === "string"
      ? [...new URLSearchParams(raw)]
      : Object.entries((raw as Record<string, unknown> | undefined) ?? {});
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = typeof v === "string" && /^[[{]/.test(v) ? (JSON.parse(v) as unknown) : v;
  return out;
}

function record(method: string, body: Record<string, unknown>): void {
  if (["chat.postMessage", "chat.postEphemeral", "chat.update"].includes(method))
    surfaces.push({
      origin,
      kind: "message",
      channel: String(body.channel ?? "C111"),
      text: typeof body.text === "string" ? body.text : undefined,
      blocks: (body.blocks as Block[] | undefined) ?? [],
    });
  if (["views.open", "views.push", "views.update", "views.publish"].includes(method)) {
    const view = body.view as { type?: string; blocks?: Block[]; callback_id?: string; private_metadata?: string };
    surfaces.push({
      origin,
      kind: view.type === "home" ? "home" : "modal",
      viewId: String(body.view_id ?? `VSEEN${viewSeq}`),
      blocks: view.blocks ?? [],
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
    });
  }
}

function answerFor(method: string, body: Record<string, unknown>): Record<string, unknown> {
  switch (method) {
    case "views.open":
    case "views.push":
    case "views.update":
    case "views.publish":
      return { ok: true, view: { id: String(body.view_id ?? `VSEEN${++viewSeq}`) } };
    case "chat.postMessage":
    case "chat.update":
      return { ok: true, channel: body.channel, ts: `1700000000.${String(++tsSeq).padStart(6, "0")}` };
    case "conversations.open":
      return { ok: true, channel: { id: `D${String(body.users ?? "X")}` } };
    case "users.info":
      return {
        ok: true,
        user: { id: body.user, tz: "Europe/London", real_name: "Someone", profile: { email: "x@example.com" } },
      };
    case "conversations.info":
      return { ok: true, channel: { id: body.channel, is_ext_shared: false } };
    case "files.getUploadURLExternal":
      return { ok: true, upload_url: `${SLACK_API_ORIGIN}/upload/1`, file_id: "F1" };
    case "canvases.create":
      return { ok: true, canvas_id: "F0CANVAS" };
    default:
      return { ok: true };
  }
}

/** Replies to response URLs: each command and each click from a message gets a URL of its own. */
let replies: Record<string, unknown>[] = [];
let replySeen = 0;
function collectReplies(): void {
  for (; replySeen < replies.length; replySeen++) {
    const body = replies[replySeen]!;
    surfaces.push({
      origin,
      kind: "message",
      channel: "C111",
      text: typeof body.text === "string" ? body.text : undefined,
      blocks: (body.blocks as Block[] | undefined) ?? [],
    });
  }
}

/** What jobs sent through the app's own port (digests, task DMs, App Home refreshes). */
let postSeen = 0;
let homeSeen = 0;
function collectNotifier(): void {
  const { posts, homes } = app.notifier;
  for (; postSeen < posts.length; postSeen++) {
    const p = posts[postSeen]!;
    surfaces.push({
      origin,
      kind: "message",
      channel: p.channel,
      text: p.text,
      blocks: (p.blocks ?? []) as unknown as Block[],
    });
  }
  for (; homeSeen < homes.length; homeSeen++) {
    const h = homes[homeSeen]!;
    surfaces.push({
      origin,
      kind: "home",
      viewId: `VHOME${homeSeen}`,
      blocks: (h.view.blocks ?? []) as unknown as Block[],
    });
  }
}

const nextResponseUrl = () => `${SLACK_API_ORIGIN}/responses/${++responseSeq}`;

async function settle(): Promise<void> {
  await app.idle(20_000);
  collectReplies();
  collectNotifier();
}

async function command(user: string, text: string, channel = "C111"): Promise<void> {
  origin = `/pulse ${text} (as ${user})`;
  const res = await app.command({ text, user_id: user, channel_id: channel, response_url: nextResponseUrl() });
  expect(res.status, origin).toBe(200);
  const ack = await res.text();
  if (ack) {
    const body = JSON.parse(ack) as { text?: string; blocks?: Block[] };
    surfaces.push({ origin, kind: "message", channel, text: body.text, blocks: body.blocks ?? [] });
  }
  await settle();
}

async function event(inner: Record<string, unknown>, label: string): Promise<void> {
  origin = label;
  const res = await app.event({
    token: "legacy",
    team_id: TEAM,
    api_app_id: "A111",
    type: "event_callback",
    event_id: `Ev${++tsSeq}`,
    event_time: Math.floor(NOW.getTime() / 1000),
    event: inner,
  });
  expect(res.status, origin).toBe(200);
  await settle();
}

let clickSeq = 0;
function clickPayload(surface: Surface, element: Element, user: string): Record<string, unknown> {
  clickSeq += 1;
  const action = {
    type: element.type,
    action_id: element.action_id,
    block_id: `blk${clickSeq}`,
    text: element.text,
    ...(element.value !== undefined ? { value: element.value } : {}),
    action_ts: `1700000100.${clickSeq}`,
  };
  const common = {
    type: "block_actions",
    user: { id: user, username: "someone", name: "someone", team_id: TEAM },
    api_app_id: "A111",
    token: "legacy",
    trigger_id: `444.555.${clickSeq}`,
    team: { id: TEAM, domain: "test" },
    enterprise: null,
    is_enterprise_install: false,
    actions: [action],
  };
  if (surface.kind === "message")
    return {
      ...common,
      container: { type: "message", message_ts: "1700000000.000001", channel_id: surface.channel, is_ephemeral: false },
      channel: { id: surface.channel, name: "somewhere" },
      message: { type: "message", ts: "1700000000.000001", text: surface.text ?? "", blocks: surface.blocks },
      response_url: nextResponseUrl(),
    };
  return {
    ...common,
    container: { type: "view", view_id: surface.viewId },
    view: {
      id: surface.viewId,
      team_id: TEAM,
      type: surface.kind,
      blocks: surface.blocks,
      private_metadata: "",
      callback_id: "",
      state: { values: {} },
      hash: `1700000000.${clickSeq}`,
      root_view_id: surface.viewId,
      app_id: "A111",
      app_installed_team_id: TEAM,
      bot_id: "BBOT",
    },
  };
}

/** Every interactive element of a surface's blocks (accessories and actions blocks). */
function elementsOf(blocks: Block[]): Element[] {
  return blocks.flatMap((b) => {
    const accessory = b.accessory as Element | undefined;
    const elements = (b.elements as Element[] | undefined) ?? [];
    return [accessory, ...(b.type === "actions" ? elements : [])].filter((e): e is Element => !!e?.action_id);
  });
}

/** Every piece of text a person reads on a surface, with the Slack limit it must fit. */
function textsOf(surface: Surface): { text: string; limit: number; where: string }[] {
  const out: { text: string; limit: number; where: string }[] = [];
  if (surface.text) out.push({ text: surface.text, limit: 40_000, where: "text" });
  for (const b of surface.blocks) {
    const type = String(b.type);
    const text = (b.text as { text?: string } | undefined)?.text;
    if (text !== undefined) out.push({ text, limit: type === "header" ? 150 : 3000, where: type });
    for (const f of (b.fields as { text: string }[] | undefined) ?? [])
      out.push({ text: f.text, limit: 2000, where: "field" });
    for (const e of (b.elements as Element[] | undefined) ?? []) {
      const t = (e as { text?: unknown }).text;
      if (typeof t === "string") out.push({ text: t, limit: 2000, where: "context" });
      else if (t && typeof (t as { text?: string }).text === "string")
        out.push({ text: (t as { text: string }).text, limit: e.type === "button" ? 75 : 2000, where: String(e.type) });
    }
    const accessory = b.accessory as Element | undefined;
    if (accessory?.text?.text) out.push({ text: accessory.text.text, limit: 75, where: "accessory" });
  }
  return out;
}

function submission(form: Surface, user: string, values: Record<string, Record<string, unknown>>) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [blockId, value] of Object.entries(values)) state[blockId] = { [blockId]: value };
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "test" },
    user: { id: user, name: "someone", team_id: TEAM },
    api_app_id: "A111",
    trigger_id: `444.556.${++clickSeq}`,
    view: {
      id: form.viewId,
      type: "modal",
      callback_id: form.callbackId,
      private_metadata: form.privateMetadata ?? "",
      state: { values: state },
      hash: `1700000000.${clickSeq}`,
      team_id: TEAM,
      app_id: "A111",
      bot_id: "BBOT",
    },
    response_urls: [],
  };
}

const describeSurface = (s: Surface) => `${s.kind} from ${s.origin}`;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
  // After auth.test and conversations.info, which the app's start registered first.
  captureWebApi();
  replies = captureReplies(/^\/responses\/\d+$/);
  origin = "the demo's first night";
  await seedDemoWithHistory(app.ctx, { now: NOW, teamId: TEAM, nightly: nightlyRunFor(app.ctx, "seed-demo") });
  collectNotifier();
  for (const [demo, real] of Object.entries(SEATS))
    await t.db.user.updateMany({ where: { slackUserId: demo }, data: { slackUserId: real } });
  origin = "the nightly run";
  await runScoreAccounts(app.ctx, NOW);
  collectNotifier();
}, 300_000);

afterAll(async () => {
  await app?.close();
  nock.cleanAll();
  await t?.drop();
});

const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*";
const DATE_FAMILIES: Record<string, RegExp> = {
  iso: /\b20\d\d-\d\d-\d\d\b/g,
  "day month year": new RegExp(`\\b\\d{1,2} ${MONTH} 20\\d\\d\\b`, "g"),
  "month day, year": new RegExp(`\\b${MONTH} \\d{1,2},? 20\\d\\d\\b`, "g"),
  "day/month/year": /\b\d{1,2}\/\d{1,2}\/20\d\d\b/g,
};
/** What a person reads: code spans (commands to type) and Slack's own tokens (<!date^…>, links) left out. */
const readable = (text: string) => text.replace(/```[\s\S]*?```|`[^`]*`|<[^>]*>/g, " ");

describe("the demo walked through as its people would", () => {
  let clicks = 0;

  it("walks every command, App Home, a mention, a DM, the nightly run and a digest, then every button", async () => {
    const ws = await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: TEAM } });
    const csm = await t.db.user.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: CSM } });
    const mine = await t.db.account.findMany({
      where: { workspaceId: ws.id, ownerId: csm.id, status: "active" },
      include: { healthSnapshots: { orderBy: { scoredOn: "desc" }, take: 1 } },
    });
    const red = mine.find((a) => a.healthSnapshots[0]?.band === "red") ?? mine[0]!;
    const green = mine.find((a) => a.healthSnapshots[0]?.band === "green") ?? mine[1]!;
    const churned = await t.db.account.findFirstOrThrow({ where: { workspaceId: ws.id, status: "churned" } });
    const contact = await t.db.contact.findFirst({ where: { workspaceId: ws.id, email: { not: null } } });

    const topics = [...new Set(subcommands.map(topicOf))];
    await command(CSM, "help");
    for (const topic of topics) await command(CSM, `help ${topic}`);
    for (const a of [red, green, churned]) await command(CSM, `account ${a.name}`);
    await command(CSM, "account no such company at all");
    for (const text of ["portfolio", "portfolio all", "portfolio all page 2", `portfolio <@${MANAGER}|priya>`])
      await command(CSM, text);
    for (const text of [`log ${red.name}`, `nps ${red.name}`, `csat ${green.name}`, `ces ${green.name}`, "log"])
      await command(CSM, text);
    // Slack escapes &, < and > in what people type.
    await command(CSM, `nps ${green.name} 9 "great onboarding &amp; support &lt;3"`);
    await command(CSM, `plan ${red.name}`);
    await command(CSM, `qbr ${green.name}`);
    await command(CSM, `stage ${green.name} adoption`);
    for (const text of ["voc", "voc enterprise", "churn", `churn ${churned.name}`, "churn report", "playbooks report"])
      await command(CSM, text);
    for (const text of ["override", "digest preview", "digest subscribe", "digest list", "digest send-now"])
      await command(CSM, text, "C0CSTEAM");
    for (const text of ["portfolio", `churn winback ${churned.name}`, "churn report"]) await command(MANAGER, text);
    for (const text of [
      "admin audit",
      `admin audit ${red.name}`,
      "admin model",
      "admin import",
      `admin export ${green.name}`,
      ...(contact?.email ? [`admin erase contact ${contact.email}`] : []),
      "admin retro-channel <#C0RETRO|cs-retro>",
      "admin api-key",
    ])
      await command(ADMIN, text);
    await command(CSM, "which renewals coming up");
    // A churn filed, so the retro thread and its buttons are walked too.
    const leaving = mine.find((a) => a.id !== red.id && a.id !== green.id)!;
    await command(ADMIN, `admin retro-channel <#C0RETRO|cs-retro>`);
    await command(MANAGER, `churn ${leaving.name}`);
    const form = surfaces.findLast((s) => s.callbackId === CALLBACK.churnPostMortem)!;
    expect(form, "the post-mortem form").toBeDefined();
    origin = `the post-mortem for ${leaving.name}, filed`;
    const B = POST_MORTEM_BLOCK;
    const filed = await app.interaction(
      submission(form, MANAGER, {
        [B.churnedOn]: { type: "datepicker", selected_date: "2026-11-20" },
        [B.kind]: { type: "radio_buttons", selected_option: { value: "full" } },
        [B.primaryReason]: { type: "static_select", selected_option: { value: "budget_or_price" } },
        [B.preventable]: { type: "radio_buttons", selected_option: { value: "yes" } },
        [B.warningSigns]: { type: "plain_text_input", value: "Usage fell for weeks & the sponsor <left>" },
      }),
    );
    expect(filed.status).toBe(200);
    expect(await filed.text(), "the post-mortem was accepted").not.toContain('"errors"');
    await settle();
    await event({ type: "app_home_opened", user: CSM, channel: "D0CSM", tab: "home", event_ts: "1.1" }, "App Home");
    await event(
      { type: "app_mention", user: CSM, text: "<@UBOT> who is at risk?", channel: "C111", ts: "1700000001.000100" },
      "a mention: who is at risk?",
    );
    await event(
      {
        type: "message",
        channel_type: "im",
        user: CSM,
        text: `how is ${red.name} doing?`,
        channel: "D0CSM",
        ts: "1700000002.000100",
      },
      "a DM: how is … doing?",
    );

    // Every button, once per kind of surface it is on, then the buttons of what it opened.
    const clicked = new Set<string>();
    for (let i = 0; i < surfaces.length && clicks < 250; i++) {
      const surface = surfaces[i]!;
      for (const element of elementsOf(surface.blocks)) {
        if (element.type !== "button" || element.url) continue;
        const key = `${surface.kind}:${element.action_id}`;
        if (clicked.has(key)) continue;
        clicked.add(key);
        clicks++;
        const before = surfaces.length;
        const repliesBefore = replies.length;
        const label = `click ${element.action_id} ("${element.text?.text}") on the ${describeSurface(surface)}`;
        origin = label;
        const owner = surface.origin.includes(`as ${ADMIN}`)
          ? ADMIN
          : surface.origin.includes(`as ${MANAGER}`)
            ? MANAGER
            : CSM;
        const res = await app.interaction(clickPayload(surface, element, owner));
        expect(res.status, label).toBe(200);
        const ack = await res.text();
        await settle();
        const answered = surfaces.length > before || replies.length > repliesBefore || ack.includes("response_action");
        expect(answered, `${label}: Pulse did not answer`).toBe(true);
        const apology = surfaces.slice(before).find((s) => /something went wrong/i.test(JSON.stringify(s)));
        expect(apology, `${label}: ${JSON.stringify(apology)}`).toBeUndefined();
      }
    }
    expect(clicks).toBeGreaterThan(20);
    expect(surfaces.length).toBeGreaterThan(80);
  }, 600_000);

  it("sends nothing beyond Slack's limits, and cuts nothing without a marker", () => {
    const problems: string[] = [];
    for (const s of surfaces) {
      const max = s.kind === "message" ? 50 : 100;
      if (s.blocks.length > max) problems.push(`${describeSurface(s)}: ${s.blocks.length} blocks (Slack takes ${max})`);
      for (const { text, limit, where } of textsOf(s)) {
        const at = `${describeSurface(s)}, ${where}: ${JSON.stringify(text.slice(-60))}`;
        if (text.length > limit) problems.push(`${at} is ${text.length} characters (Slack takes ${limit})`);
        else if (text.length === limit && !text.endsWith("…")) problems.push(`${at} stops at the limit with no "…"`);
        if (/&[a-z]{0,4}$/.test(text)) problems.push(`${at} ends inside an escape`);
        if (/<[^>]*$/.test(text)) problems.push(`${at} ends inside a link or mention`);
        if ((text.replace(/```/g, "").match(/`/g) ?? []).length % 2) problems.push(`${at} leaves a code span open`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("escapes what people wrote exactly once", () => {
    const problems: string[] = [];
    for (const s of surfaces)
      for (const { text, where } of textsOf(s)) {
        if (/&amp;(amp|lt|gt);/.test(text))
          problems.push(`${describeSurface(s)}, ${where}: escaped twice: ${text.slice(0, 120)}`);
        if (text.includes("<left>")) problems.push(`${describeSurface(s)}, ${where}: unescaped: ${text.slice(0, 120)}`);
      }
    expect(problems).toEqual([]);
  });

  it("never claims a list shows more than it does", () => {
    const problems: string[] = [];
    for (const s of surfaces)
      for (const { text } of textsOf(s))
        for (const m of text.matchAll(/Showing (\d+)(?:[–-](\d+))? of (\d+)/g)) {
          const [from, to, total] = [Number(m[1]), m[2] ? Number(m[2]) : Number(m[1]), Number(m[3])];
          if (to > total || from > to) problems.push(`${describeSurface(s)}: "${m[0]}"`);
          const more = /page|See all|Next|`\/pulse/i.test(JSON.stringify(s.blocks) + (s.text ?? ""));
          if (to < total && !more) problems.push(`${describeSurface(s)}: "${m[0]}" and no way to the rest`);
        }
    expect(problems).toEqual([]);
  });

  it("writes every date one way", () => {
    const seen = new Map<string, string>();
    for (const s of surfaces)
      for (const { text } of textsOf(s))
        for (const [family, pattern] of Object.entries(DATE_FAMILIES))
          for (const m of readable(text).matchAll(pattern))
            if (!seen.has(family)) seen.set(family, `"${m[0]}" in the ${describeSurface(s)}`);
    expect([...seen.entries()].length, [...seen.values()].join("; ")).toBeLessThanOrEqual(1);
  });

  // A last read as a careful first-week user reads (issue 15, "small things that look
  // careless"): the words, not the layout.
  it("reads as careful English: articles, counts, ordinals, one reason once, directions that hold", () => {
    const problems: string[] = [];
    const say = (s: Surface, what: string, text: string) =>
      problems.push(`${describeSurface(s)}: ${what}: ${JSON.stringify(text.slice(0, 160))}`);
    for (const s of surfaces)
      for (const { text } of textsOf(s)) {
        const words = readable(text);
        if (/\(s\)/.test(words)) say(s, "a count written as '(s)'", text);
        if (/\b1 (entries|accounts|tasks|records|notes|days|answers|items|changes|post-mortems)\b/.test(words))
          say(s, "'1' with a plural", text);
        if (/\ba (NPS|email|escalation|admin|implementer|owner|account|hour|API|item|objective)\b/.test(words))
          say(s, "'a' before a vowel sound", text);
        if (/\b(?:\d*[02-9])?[123]th\b/.test(words)) say(s, "a wrong ordinal", text);
        if (/won this account back/.test(words)) say(s, "a win-back said twice", text);
        const lines = text.split("\n").map((l) =>
          l
            .replace(/^(?:\s|•|:[a-z_]+:|Lowers it most:)+/g, "")
            .replace(/[*_]/g, "")
            .trim(),
        );
        lines.forEach((l, i) => {
          if (i > 0 && l.length > 20 && l === lines[i - 1]) say(s, "the same line twice in a row", l);
        });
        const heldUp = /\*What held it up\*\n((?:•[^\n]*\n?)+)/.exec(text)?.[1] ?? "";
        for (const line of heldUp.split("\n").filter(Boolean))
          if (/did not reach|\bfell\b|bottom quarter|^• No /.test(line))
            say(s, "a shortfall listed as holding the score up", line);
      }
    // A churned account's card: when it churned, no renewal, no prompt to agree goals.
    for (const s of surfaces.filter((x) => JSON.stringify(x.blocks).includes("(churned)"))) {
      const json = JSON.stringify(s.blocks);
      if (json.includes("*Renewal*")) say(s, "a churned account with a renewal date", "*Renewal*");
      if (json.includes("to agree the customer's goals")) say(s, "a churned account asked to agree goals", "");
    }
    expect(problems).toEqual([]);
  });
});
