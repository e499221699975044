// Workspace isolation across every surface: every slash command, modal, button, type-ahead,
// shortcut, event, ingestion route and job is driven as workspace A (T111) while workspace
// B (T222) holds look-alike data — the same account names, external ids, contact emails
// and Slack user ids — plus markers (see isolation-fixtures.ts). After each surface:
//   - nothing Pulse sent out (Web API calls, response_url replies, uploads, notifier
//     posts, HTTP answers) holds any B marker, and every Web API call used A's token;
//   - every row B owns, in every table that carries a workspaceId, is byte-identical;
// and each surface also shows that it did its work in A, so the test fails if it did not run.
// Buttons and modals are also sent B's ids as forged values: A must be refused, B unchanged.
import type { Server } from "node:http";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay, startOfUtcDay } from "../../src/domain/dates.js";
import { ingestionRoutes } from "../../src/http/ingestion-routes.js";
import { closeServer, createHttpServer, listen } from "../../src/http/server.js";
import { runDigestsJob } from "../../src/jobs/digests.js";
import { runEraseInactiveWorkspaces } from "../../src/jobs/erase-inactive-workspaces.js";
import { runPruneEventReceipts } from "../../src/jobs/prune-event-receipts.js";
import { runPruneUsageEvents } from "../../src/jobs/prune-usage-events.js";
import { refreshHomes } from "../../src/jobs/score-accounts.js";
import { alertPendingDetractors } from "../../src/services/detractor-alert.js";
import { runPlaybooksForWorkspace } from "../../src/services/run-playbooks.js";
import { scoreWorkspace } from "../../src/services/score-accounts.js";
import { suggestStages } from "../../src/services/stage-suggestions.js";
import { findSubcommand, subcommands } from "../../src/slack/commands/index.js";
import { tokenize } from "../../src/slack/commands/tokenize.js";
import {
  ACTION,
  BLOCK,
  CALLBACK,
  INPUT_ACTION,
  PLAN_BLOCK,
  POST_MORTEM_BLOCK as PM,
  RETRO_ACTION_ITEM_BLOCK as RAI,
} from "../../src/slack/ids.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { completeInstall, OAUTH_ENV } from "../helpers/oauth.js";
import { eventually, SLACK_API_ORIGIN, startSlackTestApp, type SlackTestApp } from "../helpers/slack.js";
import {
  API_KEY_B,
  expectNoBLeak,
  findBLeaks,
  SlackRecorder,
  seedLookAlikes,
  TEAM_A,
  TOKEN_A,
  workspaceRows,
  workspaceTables,
  type RecordedCall,
  type SeededA,
  type SeededB,
} from "./isolation-fixtures.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = startOfUtcDay(NOW);

let t: TestDatabase;
let app: SlackTestApp;
let api: Server;
let apiBase: string;
let a: SeededA;
let b: SeededB;
let tables: string[];
let bBefore: Record<string, string[]>;
const rec = new SlackRecorder();
/** Subcommands, action ids and callback ids driven, so a new one without isolation coverage fails the run. */
const driven = new Set<string>();

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  ({ a, b } = await seedLookAlikes(t.db, NOW));
  tables = await workspaceTables(t.db);
  rec.start();
  // OAuth mode: each workspace has its own bot token, so a call made "for A" with B's
  // token would show.
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW, env: OAUTH_ENV, teamId: TEAM_A });
  api = createHttpServer({ routes: ingestionRoutes(app.ctx), logger: app.ctx.logger });
  apiBase = `http://127.0.0.1:${await listen(api, 0, "127.0.0.1")}`;
});
afterAll(async () => {
  await app.close();
  await closeServer(api);
  await t.drop();
  nock.cleanAll();
  nock.enableNetConnect();
});

// ---------------------------------------------------------------------------------------
// Driving Slack's side as workspace A.

type Json = Record<string, any>;
const str = (x: unknown) => JSON.stringify(x);
const until = <T>(check: () => Promise<T> | T, ms = 10_000) => eventually(check, ms) as Promise<NonNullable<T>>;

/** Sends a request, then waits for what it should produce among the calls recorded after it. */
async function drive<T>(
  send: () => Promise<Response>,
  outcome: (mark: number) => T | undefined | Promise<T | undefined>,
): Promise<NonNullable<T>> {
  const mark = rec.mark();
  const res = await send();
  expect(res.status).toBe(200);
  return until(() => outcome(mark));
}
const reply = (mark: number) => rec.responses(mark)[0]?.body as Json | undefined;
const call =
  (method: string, where: (body: Json) => boolean = () => true) =>
  (mark: number) =>
    rec
      .to(method, mark)
      .map((c) => c.body as Json)
      .find(where);

function slash(text: string, user = "UCSM", channel = "CA1"): Promise<Response> {
  const sub = findSubcommand(tokenize(text));
  if (sub) driven.add(`/pulse ${sub.command.name}`);
  return app.command({ text, user_id: user, team_id: TEAM_A, channel_id: channel });
}
const command = (text: string, user?: string, channel?: string) => drive(() => slash(text, user, channel), reply);
/**
 * The modal a person ends up seeing: its views.update when the modal opened on a loading
 * view (the data is read after views.open), else the views.open itself.
 */
const shownModal = (mark: number) => {
  const updated = rec.to("views.update", mark).at(-1);
  if (updated) return updated.body as Json;
  const opened = rec.to("views.open", mark).at(-1);
  return opened && !JSON.stringify(opened.body).includes("Loading") ? (opened.body as Json) : undefined;
};
const commandOpens = async (text: string, user?: string) =>
  (await drive(() => slash(text, user), shownModal)).view as Json;
// Every click and submission is a new one, as in Slack (repeats are deduplicated).
let seq = 0;

function blockAction(actionId: string, value: string, user = "UCSM", channel = "CA1") {
  return {
    type: "block_actions",
    team: { id: TEAM_A, domain: "team-a" },
    user: { id: user, name: user.toLowerCase(), team_id: TEAM_A },
    api_app_id: "A111",
    trigger_id: `222.333.${++seq}`,
    response_url: `${SLACK_API_ORIGIN}/actions/${TEAM_A}/1/response`,
    container: { type: "message", message_ts: "1763800000.000100", channel_id: channel },
    channel: { id: channel, name: "cs" },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b",
        value,
        action_ts: `1763800001.${seq}`,
        text: { type: "plain_text", text: "b" },
      },
    ],
  };
}
function click(actionId: string, value: string, user?: string): Promise<Response> {
  driven.add(actionId);
  return app.interaction(blockAction(actionId, value, user));
}

function viewSubmission(callbackId: string, values: Json, metadata: Json, user = "UCSM") {
  return {
    type: "view_submission",
    team: { id: TEAM_A, domain: "team-a" },
    user: { id: user, name: user.toLowerCase(), team_id: TEAM_A },
    api_app_id: "A111",
    trigger_id: `333.444.${++seq}`,
    view: {
      id: `V${seq}`,
      team_id: TEAM_A,
      type: "modal",
      callback_id: callbackId,
      private_metadata: JSON.stringify(metadata),
      state: { values },
      hash: "h",
      app_id: "A111",
    },
  };
}
/** Submits a modal; returns Slack's answer (inline errors) or {} when it closed. */
async function submit(callbackId: string, values: Json, metadata: Json, user?: string): Promise<Json> {
  driven.add(callbackId);
  const res = await app.interaction(viewSubmission(callbackId, values, metadata, user));
  expect(res.status).toBe(200);
  const text = await res.text();
  return text ? (JSON.parse(text) as Json) : {};
}

function shortcut(payload: Json & { callback_id: string }): Promise<Response> {
  driven.add(payload.callback_id);
  return app.interaction(payload);
}

let eventSeq = 0;
function envelope(event: Json, eventId = `EvA${++eventSeq}`) {
  return {
    token: "x",
    team_id: TEAM_A,
    api_app_id: "A111",
    type: "event_callback",
    event_id: eventId,
    event_time: 1763800000,
    authorizations: [{ team_id: TEAM_A, user_id: "UBOT", is_bot: true }],
    event,
  };
}
const sendEvent = (event: Json, eventId?: string) => app.event(envelope(event, eventId));

// Modal state, as Slack sends it back.
const accountPick = (id: number) => ({
  [ACTION.accountSelect]: {
    type: "external_select",
    selected_option: { text: { type: "plain_text", text: "x" }, value: String(id) },
  },
});
const select = (v: string) => ({
  [INPUT_ACTION]: { type: "static_select", selected_option: { text: { type: "plain_text", text: v }, value: v } },
});
const date = (d: string) => ({ [INPUT_ACTION]: { type: "datepicker", selected_date: d } });
const text = (v: string) => ({ [INPUT_ACTION]: { type: "plain_text_input", value: v } });
const touchpointState = (accountId: number, notes: string) => ({
  [BLOCK.account]: accountPick(accountId),
  [BLOCK.kind]: select("meeting"),
  [BLOCK.date]: date(isoDay(addDays(TODAY, -1))),
  [BLOCK.notes]: text(notes),
});
const surveyState = (accountId: number) => ({
  [BLOCK.account]: accountPick(accountId),
  [BLOCK.score]: select("4"),
  [BLOCK.date]: date(isoDay(TODAY)),
  [BLOCK.comment]: text("Quick answers"),
});
const ownBlock = (values: Json) =>
  Object.fromEntries(Object.entries(values).map(([block, v]) => [block, { [block]: v }]));
const postMortemState = ownBlock({
  [PM.churnedOn]: { type: "datepicker", selected_date: "2026-11-20" },
  [PM.kind]: { type: "radio_buttons", selected_option: { value: "full" } },
  [PM.arrLost]: { type: "plain_text_input", value: null },
  [PM.primaryReason]: { type: "static_select", selected_option: { value: "competitor" } },
  [PM.reasonOther]: { type: "plain_text_input", value: null },
  [PM.contributingFactors]: { type: "multi_static_select", selected_options: [{ value: "low_adoption" }] },
  [PM.warningSigns]: { type: "plain_text_input", value: "Usage halved after the reorg" },
  [PM.warningSeenOn]: { type: "datepicker", selected_date: "2026-09-25" },
  [PM.couldHaveDone]: { type: "plain_text_input", value: "Exec sponsor meeting" },
  [PM.lessons]: { type: "plain_text_input", value: "Treat a reorg as a risk" },
  [PM.preventable]: { type: "radio_buttons", selected_option: { value: "yes" } },
});
const actionItemState = ownBlock({
  [RAI.title]: { type: "plain_text_input", value: "Add a sponsor check to every QBR" },
  [RAI.owner]: { type: "users_select", selected_user: "UCSM" },
  [RAI.dueOn]: { type: "datepicker", selected_date: "2026-12-15" },
});

async function postApi(path: string, body: unknown, key: string): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${apiBase}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

const aChurnEvent = () =>
  t.db.churnEvent.findFirstOrThrow({
    where: { workspaceId: a.workspaceId, accountId: a.globexId },
    orderBy: { id: "desc" },
  });
const refused =
  /does not exist|no longer exists|No account|not in this workspace|There is no digest|No API key|no churn or downgrade/;

// ---------------------------------------------------------------------------------------
// The surfaces, in the order they run. Each drives one thing as A and checks it landed in
// A; it may return payloads Pulse answered over HTTP (type-ahead, inline modal errors,
// the ingestion API) so they are scanned too, and name values it typed itself that
// Pulse may echo back ("No account matches <what you typed>").

interface Surface {
  name: string;
  echoes?: () => string[];
  run(): Promise<unknown[] | void>;
}

const surfaces: Surface[] = [
  // Slash commands ----------------------------------------------------------------------
  {
    name: "/pulse help",
    run: async () => expect(str(await command("help"))).toContain("/pulse account"),
  },
  {
    name: "/pulse account <name>: A's card, audited in A",
    run: async () => {
      const card = str(await command("account acme corp"));
      expect(card).toContain("Acme Corp");
      expect(card).toContain("120,000");
      expect(card).toContain("Weekly active users fell 42%");
      expect(
        await t.db.auditLog.count({
          where: { workspaceId: a.workspaceId, action: "account.view", accountId: a.acmeId },
        }),
      ).toBe(1);
    },
  },
  {
    name: "/pulse account <domain only B has>: no match",
    run: async () => expect((await command("account initech-b.test")).text).toContain("No account matches"),
  },
  {
    name: "/pulse log <account>: the modal preselects A's account",
    run: async () => expect(str(await commandOpens("log acme"))).toContain(`"value":"${a.acmeId}"`),
  },
  ...(["nps", "csat", "ces"] as const).map((kind) => ({
    name: `/pulse ${kind} <account>: the survey modal preselects A's account`,
    run: async () => {
      const view = await commandOpens(`${kind} acme`);
      expect(view.callback_id).toBe(CALLBACK.recordSurvey);
      expect(str(view)).toContain(`"value":"${a.acmeId}"`);
    },
  })),
  {
    name: '/pulse nps <account> 9 "comment", then Record: saved in A',
    run: async () => {
      const confirm = await command('nps acme 9 "great onboarding"');
      const record = (confirm.blocks as Json[])
        .flatMap((bl) => bl.elements ?? [])
        .find((e: Json) => e.action_id === ACTION.quickSurveyConfirm) as Json;
      expect(JSON.parse(record.value as string)).toMatchObject({ a: a.acmeId, s: 9 });
      expect(str(await drive(() => click(ACTION.quickSurveyConfirm, record.value as string), reply))).toContain(
        "Recorded NPS 9 for *Acme Corp*",
      );
      expect(
        await t.db.surveyResponse.count({
          where: { workspaceId: a.workspaceId, accountId: a.acmeId, comment: "great onboarding" },
        }),
      ).toBe(1);
    },
  },
  {
    name: "Record button forged with B's account: refused",
    echoes: () => [String(b.acmeId)],
    run: async () => {
      const answer = await drive(
        () => click(ACTION.quickSurveyConfirm, JSON.stringify({ a: b.acmeId, k: "nps", s: 0, c: "forged" })),
        reply,
      );
      expect(answer.text).toMatch(/does not exist|Nothing was recorded/);
      expect(await t.db.surveyResponse.count({ where: { comment: "forged" } })).toBe(0);
    },
  },
  {
    name: "Cancel button",
    run: async () =>
      expect((await drive(() => click(ACTION.quickSurveyCancel, "cancel"), reply)).text).toContain("Cancelled"),
  },
  {
    name: "/pulse portfolio and /pulse portfolio @user: A's accounts only",
    run: async () => {
      const mine = str(await command("portfolio"));
      expect(mine).toContain("Acme Corp");
      expect(mine).toContain("Globex");
      const admins = str(await command("portfolio <@UADMIN|ada>"));
      expect(admins).toContain("Portfolio of Ada");
      expect(admins).toContain("No active accounts");
    },
  },
  {
    name: "/pulse voc and /pulse voc <segment>: A's answers and owners",
    run: async () => {
      expect(str(await command("voc"))).toContain("*enterprise*");
      expect(str(await command("voc enterprise"))).toContain("*Chris*");
    },
  },
  {
    name: "/pulse digest subscribe | list | preview | send-now | unsubscribe",
    run: async () => {
      expect((await command("digest subscribe owner=me at=08:00 tz=UTC", "UCSM", "CA2")).text).toContain(
        "subscribed this channel",
      );
      const sub = await t.db.digestSubscription.findFirstOrThrow({
        where: { workspaceId: a.workspaceId, channelId: "CA2" },
      });
      const list = (await command("digest list", "UCSM", "CA2")).text as string;
      expect(list).toContain("<#CADIGEST>");
      expect(list).toContain("<#CA2>");
      expect(str(await command("digest preview", "UCSM", "CA2"))).toContain("Acme Corp");
      expect((await command("digest send-now", "UCSM", "CA2")).text).toContain("is posted in <#CA2>");
      expect(app.notifier.posts.at(-1)).toMatchObject({ workspaceId: a.workspaceId, channel: "CA2" });
      expect(
        await t.db.digestRun.count({ where: { workspaceId: a.workspaceId, subscriptionId: sub.id, status: "posted" } }),
      ).toBe(1);
      expect((await command("digest unsubscribe", "UCSM", "CA2")).text).toContain("is unsubscribed");
    },
  },
  {
    name: "/pulse digest preview|unsubscribe #<B's digest>: refused",
    echoes: () => [String(b.digestSubscriptionId)],
    run: async () => {
      expect((await command(`digest preview #${b.digestSubscriptionId}`)).text).toMatch(refused);
      expect((await command(`digest send-now #${b.digestSubscriptionId}`)).text).toMatch(refused);
      expect((await command(`digest unsubscribe #${b.digestSubscriptionId}`)).text).toMatch(refused);
    },
  },
  {
    name: "/pulse channel link|list|unlink and admin channel-signals: A's links; A's events in a channel B links too stay in A",
    run: async () => {
      expect((await command("channel link <#CSHARED|a-shared> acme", "UADMIN")).text).toContain(
        "<#CSHARED> is now evidence for *Acme Corp*",
      );
      const listed = (await command("channel list")).text as string;
      expect(listed).toContain("<#CSHARED> → *Acme Corp*");
      expect(listed).not.toContain("b-secret");
      // A customer message in the shared channel, delivered to A: recorded for A only.
      const res = await sendEvent({
        type: "message",
        channel: "CSHARED",
        channel_type: "channel",
        user: "WCUST",
        user_team: "TCUST",
        team: "TCUST",
        text: "Is the export down?",
        ts: "1763800100.000100",
      });
      expect(res.status).toBe(200);
      await app.idle();
      expect(await t.db.channelPersonDaily.count({ where: { workspaceId: a.workspaceId, channelId: "CSHARED" } })).toBe(
        1,
      );
      expect((await command("admin channel-signals off", "UADMIN")).text).toContain("no longer reads");
      expect((await command("admin channel-signals on", "UADMIN")).text).toContain(
        "reads linked customer channels again",
      );
      expect((await command("channel unlink <#CSHARED|a-shared>", "UADMIN")).text).toContain("no longer linked");
      expect(await t.db.channelLink.count({ where: { workspaceId: b.workspaceId, channelId: "CSHARED" } })).toBe(1);
    },
  },
  {
    name: "/pulse stage <account> <stage>: A's history",
    run: async () => {
      expect((await command("stage acme maturity")).text).toContain("moved from onboarding to *maturity*");
      expect(
        await t.db.stageChange.count({
          where: { workspaceId: a.workspaceId, accountId: a.acmeId, toStage: "maturity" },
        }),
      ).toBe(1);
    },
  },
  {
    name: '/pulse override <account> red "reason" | list | clear',
    run: async () => {
      expect((await command('override acme red "champion is leaving"')).text).toContain(
        "The computed score is unchanged",
      );
      const list = (await command("override list")).text as string;
      expect(list).toContain("champion is leaving");
      expect((await command("override clear acme")).text).toContain("cleared");
      expect(await t.db.sentimentOverride.count({ where: { workspaceId: a.workspaceId } })).toBe(1);
    },
  },
  {
    name: "/pulse plan <account>, its buttons and forms: A's plan; B's account, objective and milestone refused",
    echoes: () => [String(b.acmeId), String(b.objectiveId), String(b.milestoneId)],
    run: async () => {
      const plan = await commandOpens("plan acme");
      // The plan modal has no submit: opening it is how its callback id is driven.
      driven.add(CALLBACK.successPlan);
      expect(plan.callback_id).toBe(CALLBACK.successPlan);
      expect(JSON.parse(plan.private_metadata as string)).toEqual({ accountId: a.acmeId });
      expect(
        str((await drive(() => click(ACTION.openSuccessPlan, String(a.acmeId)), call("views.open"))).view),
      ).toContain("Acme Corp");
      // Refusals are answered by the translator beside the clicked message (its response_url).
      const ephemeral = (mark: number) => reply(mark)?.text as string | undefined;
      expect(await drive(() => click(ACTION.openSuccessPlan, String(b.acmeId)), ephemeral)).toMatch(refused);
      const v = (x: Json) => JSON.stringify(x);
      expect(
        (await drive(() => click(ACTION.planAddObjective, v({ a: a.acmeId })), call("views.open"))).view,
      ).toMatchObject({ callback_id: CALLBACK.planObjective });
      expect(await drive(() => click(ACTION.planAddObjective, v({ a: b.acmeId })), ephemeral)).toMatch(refused);
      const saved = await submit(
        CALLBACK.planObjective,
        {
          [PLAN_BLOCK.title]: text("Faster month-end"),
          [PLAN_BLOCK.metric]: text("days to close"),
          [PLAN_BLOCK.baseline]: text("10"),
          [PLAN_BLOCK.target]: text("5"),
        },
        { accountId: a.acmeId },
      );
      expect(saved).toEqual({});
      const objective = await t.db.successObjective.findFirstOrThrow({
        where: { workspaceId: a.workspaceId, title: "Faster month-end" },
      });
      const forged = await submit(
        CALLBACK.planObjective,
        { [PLAN_BLOCK.title]: text("forged objective") },
        { accountId: b.acmeId },
      );
      expect(str(forged)).toContain("does not exist in this workspace");
      const forgedEdit = await submit(
        CALLBACK.planObjective,
        { [PLAN_BLOCK.title]: text("forged objective") },
        { accountId: a.acmeId, objectiveId: b.objectiveId },
      );
      expect(str(forgedEdit)).toContain("does not exist in this workspace");
      expect(
        (await drive(() => click(ACTION.planEditObjective, v({ a: a.acmeId, o: objective.id })), call("views.open")))
          .view,
      ).toMatchObject({ callback_id: CALLBACK.planObjective });
      expect(
        await drive(() => click(ACTION.planEditObjective, v({ a: a.acmeId, o: b.objectiveId })), ephemeral),
      ).toMatch(refused);
      expect(
        (await drive(() => click(ACTION.planAddMilestone, v({ a: a.acmeId })), call("views.open"))).view,
      ).toMatchObject({ callback_id: CALLBACK.planMilestone });
      const milestoneState = {
        [PLAN_BLOCK.title]: text("Close checklist live"),
        [PLAN_BLOCK.dueOn]: date("2026-11-01"),
      };
      expect(await submit(CALLBACK.planMilestone, milestoneState, { accountId: a.acmeId })).toEqual({});
      const milestone = await t.db.successMilestone.findFirstOrThrow({
        where: { workspaceId: a.workspaceId, title: "Close checklist live" },
      });
      const forgedObjective = await submit(
        CALLBACK.planMilestone,
        { ...milestoneState, [PLAN_BLOCK.objectiveId]: select(String(b.objectiveId)) },
        { accountId: a.acmeId },
      );
      expect(str(forgedObjective)).toContain("not in this account's plan");
      expect(
        str(await submit(CALLBACK.planMilestone, milestoneState, { accountId: a.acmeId, milestoneId: b.milestoneId })),
      ).toContain("does not exist in this workspace");
      expect(
        (await drive(() => click(ACTION.planEditMilestone, v({ a: a.acmeId, m: milestone.id })), call("views.open")))
          .view,
      ).toMatchObject({ callback_id: CALLBACK.planMilestone });
      expect(
        await drive(() => click(ACTION.planEditMilestone, v({ a: b.acmeId, m: b.milestoneId })), ephemeral),
      ).toMatch(refused);
      // One-click ADKAR (one action id per stage) and accepting a suggestion.
      driven.add(ACTION.adkarSet);
      expect(
        (
          await drive(
            () => click(`${ACTION.adkarSet}_desire`, v({ a: a.acmeId, g: "sponsor", s: "desire" })),
            call("views.open"),
          )
        ).view,
      ).toMatchObject({ callback_id: CALLBACK.successPlan });
      expect(
        await t.db.adkarStatus.findFirstOrThrow({
          where: { workspaceId: a.workspaceId, accountId: a.acmeId, group: "sponsor" },
        }),
      ).toMatchObject({ stage: "desire" });
      expect(
        await drive(
          () => click(`${ACTION.adkarSet}_ability`, v({ a: b.acmeId, g: "end_user", s: "ability" })),
          ephemeral,
        ),
      ).toMatch(refused);
      expect(
        (await drive(() => click(ACTION.adkarAccept, v({ a: a.acmeId, g: "end_user" })), call("views.open"))).view,
      ).toMatchObject({ callback_id: CALLBACK.successPlan });
      expect(await drive(() => click(ACTION.adkarAccept, v({ a: b.acmeId, g: "end_user" })), ephemeral)).toMatch(
        refused,
      );
      expect(await t.db.successObjective.count({ where: { title: "forged objective" } })).toBe(0);
      return [saved, forged, forgedEdit, forgedObjective];
    },
  },
  {
    name: "/pulse qbr <account> and Approve: A's pack to the asker's DM; B's pack refused",
    echoes: () => [String(b.qbrPackId)],
    run: async () => {
      expect((await command("qbr acme --quarter 2026-Q4")).text).toContain("QBR pack of *Acme Corp*");
      const pack = await t.db.qbrPack.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
      expect(pack.internalDelivery).not.toBeNull();
      const dm = await until(() => call("chat.postMessage", (bd) => str(bd.blocks).includes(ACTION.qbrApprove))(0));
      expect(dm.channel).toBe("UCSM");
      const approved = await drive(
        () => click(ACTION.qbrApprove, String(pack.id)),
        call("chat.postMessage", (bd) => String(bd.text).startsWith("Customer version")),
      );
      expect(approved.channel).toBe("UCSM");
      expect((await t.db.qbrPack.findUniqueOrThrow({ where: { id: pack.id } })).approvedBySlackId).toBe("UCSM");
      expect(await drive(() => click(ACTION.qbrApprove, String(b.qbrPackId)), reply)).toMatchObject({
        text: expect.stringMatching(refused),
      });
    },
  },
  {
    name: "/pulse churn and /pulse churn <account>: the post-mortem modal offers A's accounts",
    run: async () => {
      const picker = str(await commandOpens("churn"));
      expect(picker).toContain(String(a.acmeId));
      expect(JSON.parse((await commandOpens("churn globex")).private_metadata as string)).toMatchObject({
        accountId: a.globexId,
      });
    },
  },
  {
    name: "/pulse churn report",
    run: async () => expect((await command("churn report 2026-Q4")).text).toBeTruthy(),
  },
  {
    name: "/pulse admin role @user <role>: A's member only",
    run: async () => {
      expect((await command("admin role <@UMGR|mia> admin", "UADMIN")).text).toContain("<@UMGR> is now an admin");
      expect(
        (await t.db.user.findFirstOrThrow({ where: { workspaceId: a.workspaceId, slackUserId: "UMGR" } })).role,
      ).toBe("admin");
    },
  },
  {
    name: "/pulse admin retro-channel #channel",
    run: async () => {
      expect((await command("admin retro-channel <#CARETRO2|retros>", "UADMIN")).text).toContain("<#CARETRO2>");
      expect((await t.db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).retroChannelId).toBe(
        "CARETRO2",
      );
    },
  },
  {
    name: "/pulse admin api-key create | list",
    run: async () => {
      expect((await command("admin api-key create ci-a", "UADMIN")).text).toContain("created");
      const list = (await command("admin api-key list", "UADMIN")).text as string;
      expect(list).toContain("segment-a");
      expect(list).toContain("ci-a");
      expect(await t.db.apiKey.count({ where: { workspaceId: a.workspaceId } })).toBe(2);
    },
  },
  {
    name: "/pulse admin api-key revoke <B's key id or prefix>: refused",
    echoes: () => [String(b.apiKeyId), b.apiKeyPrefix],
    run: async () => {
      expect((await command(`admin api-key revoke ${b.apiKeyId}`, "UADMIN")).text).toMatch(refused);
      expect((await command(`admin api-key revoke ${b.apiKeyPrefix}`, "UADMIN")).text).toMatch(refused);
    },
  },
  {
    name: "/pulse admin import",
    run: async () => expect((await command("admin import", "UADMIN")).text).toContain("upload it to me"),
  },
  {
    name: "/pulse admin export <account>: A's data in the file",
    run: async () => {
      const mark = rec.mark();
      expect((await command('admin export "Acme Corp"', "UADMIN")).text).toContain(
        "Sent you the export of *Acme Corp*",
      );
      const file = rec.since(mark).find((c) => c.target.startsWith("upload:"))!;
      expect(String(file.body)).toContain("Call with Jane Doe: wants SSO");
      expect(call("files.completeUploadExternal")(mark)).toMatchObject({ channel_id: "DUADMIN" });
    },
  },
  {
    name: "/pulse admin export #<B's account>: refused",
    echoes: () => [String(b.acmeId)],
    run: async () => expect((await command(`admin export #${b.acmeId}`, "UADMIN")).text).toMatch(refused),
  },
  {
    name: "/pulse admin audit and /pulse admin audit <account>",
    run: async () => {
      expect(str(await command("admin audit", "UADMIN"))).toContain("api_key.create");
      expect(str(await command('admin audit "Acme Corp"', "UADMIN"))).toContain("account.view");
    },
  },

  {
    name: "/pulse admin model and its buttons: A sees its own (none); B's model version cannot be adopted in A",
    echoes: () => ["learned-b-secret"],
    run: async () => {
      expect(str(await command("admin model", "UADMIN"))).toContain("The *rules model* scores this workspace");
      expect((await drive(() => click(ACTION.adoptModel, "learned-b-secret", "UADMIN"), reply)).text).toContain(
        'No model version "learned-b-secret"',
      );
      expect((await drive(() => click(ACTION.retireModel, "learned-b-secret", "UADMIN"), reply)).text).toContain(
        "already scores this workspace",
      );
      expect(await t.db.healthModelVersion.count({ where: { adoptedAt: { not: null } } })).toBe(0);
    },
  },

  // Modals ------------------------------------------------------------------------------
  {
    name: "touchpoint modal: saved in A; B's account refused inline",
    echoes: () => [String(b.acmeId)],
    run: async () => {
      const ok = await submit(CALLBACK.logTouchpoint, touchpointState(a.acmeId, "Kick-off with the new team"), {
        channelId: "CA1",
      });
      expect(ok).toEqual({});
      await until(() =>
        call("chat.postEphemeral", (bd) => String(bd.text).includes("Logged a meeting with *Acme Corp*"))(0),
      );
      const forged = await submit(CALLBACK.logTouchpoint, touchpointState(b.acmeId, "forged"), { channelId: "CA1" });
      expect(str(forged)).toContain("does not exist in this workspace");
      expect(
        await t.db.touchpoint.count({ where: { workspaceId: a.workspaceId, notes: "Kick-off with the new team" } }),
      ).toBe(1);
      expect(await t.db.touchpoint.count({ where: { notes: "forged" } })).toBe(0);
      return [ok, forged];
    },
  },
  {
    name: "message shortcut Save as touchpoint, and its modal",
    run: async () => {
      const view = (
        await drive(
          () =>
            shortcut({
              type: "message_action",
              callback_id: CALLBACK.messageSaveTouchpoint,
              team: { id: TEAM_A, domain: "team-a" },
              user: { id: "UCSM", name: "c" },
              channel: { id: "CA1", name: "cs" },
              message: { type: "message", user: "U9", ts: "1763800000.000100", text: "Acme wants SSO by Q1." },
              trigger_id: "444.555.trigger",
              response_url: `${SLACK_API_ORIGIN}/actions/${TEAM_A}/1/response`,
              message_ts: "1763800000.000100",
            }),
          // The modal opens at once; the permalink arrives with its views.update.
          call("views.update"),
        )
      ).view as Json;
      const meta = JSON.parse(view.private_metadata as string) as Json;
      expect(
        await submit(CALLBACK.messageSaveTouchpoint, touchpointState(a.acmeId, "Acme wants SSO by Q1."), meta),
      ).toEqual({});
      // Written after the ack, in the follow-up queue.
      await until(async () =>
        (await t.db.touchpoint.count({
          where: { workspaceId: a.workspaceId, permalink: meta.permalink as string },
        })) === 1
          ? true
          : undefined,
      );
    },
  },
  {
    name: "global shortcut Log touchpoint",
    run: async () => {
      const opened = await drive(
        () =>
          shortcut({
            type: "shortcut",
            callback_id: CALLBACK.globalLogTouchpoint,
            team: { id: TEAM_A, domain: "team-a" },
            user: { id: "UCSM", name: "c", team_id: TEAM_A },
            trigger_id: "555.666.trigger",
            action_ts: "1",
          }),
        shownModal,
      );
      expect((opened.view as Json).callback_id).toBe(CALLBACK.logTouchpoint);
    },
  },
  {
    name: "survey modal: saved in A; B's account refused inline",
    echoes: () => [String(b.acmeId)],
    run: async () => {
      const ok = await submit(CALLBACK.recordSurvey, surveyState(a.acmeId), { channelId: "CA1", kind: "csat" });
      expect(ok).toEqual({});
      await until(() => call("chat.postEphemeral", (bd) => String(bd.text).includes("Recorded CSAT"))(0));
      const forged = await submit(CALLBACK.recordSurvey, surveyState(b.acmeId), { channelId: "CA1", kind: "csat" });
      expect(str(forged)).toContain("does not exist in this workspace");
      expect(
        await t.db.surveyResponse.count({
          where: { workspaceId: a.workspaceId, kind: "csat", comment: "Quick answers" },
        }),
      ).toBe(1);
      return [ok, forged];
    },
  },

  // Buttons and the type-ahead -------------------------------------------------------------
  ...([ACTION.openLogTouchpoint, ACTION.openRecordSurvey] as const).map((actionId) => ({
    name: `${actionId} button: preselects A's account, and nothing for B's`,
    run: async () => {
      expect(str((await drive(() => click(actionId, String(a.acmeId)), shownModal)).view)).toContain(
        `"value":"${a.acmeId}"`,
      );
      // B's id (the leak check would show it, had it come back) opens the modal with no account.
      const view = (await drive(() => click(actionId, String(b.acmeId)), shownModal)).view as {
        blocks: { block_id?: string; element?: { initial_option?: unknown } }[];
      };
      expect(view.blocks.find((blk) => blk.block_id === BLOCK.account)?.element?.initial_option).toBeUndefined();
    },
  })),
  {
    name: "survey form's NPS / CSAT / CES choice: keeps A's account; B's is not brought in",
    run: async () => {
      const switchTo = (kind: string, accountId: number) => {
        driven.add(ACTION.surveyKindSwitch);
        return app.interaction({
          type: "block_actions",
          team: { id: TEAM_A, domain: "team-a" },
          user: { id: "UCSM", name: "ucsm", team_id: TEAM_A },
          api_app_id: "A111",
          trigger_id: `222.333.${++seq}`,
          container: { type: "view", view_id: `VS${seq}` },
          view: {
            id: `VS${seq}`,
            type: "modal",
            blocks: [],
            private_metadata: JSON.stringify({ channelId: "CA1", kind: "nps" }),
            callback_id: CALLBACK.recordSurvey,
            state: {
              values: {
                [BLOCK.account]: {
                  [ACTION.accountSelect]: { type: "external_select", selected_option: { value: String(accountId) } },
                },
              },
            },
            hash: "h",
          },
          actions: [
            {
              type: "static_select",
              action_id: ACTION.surveyKindSwitch,
              block_id: "survey_kind",
              selected_option: { value: kind, text: { type: "plain_text", text: kind } },
              action_ts: `1763800001.${seq}`,
            },
          ],
        });
      };
      const mine = str((await drive(() => switchTo("csat", a.acmeId), call("views.update"))).view);
      expect(mine).toContain("Record CSAT");
      expect(mine).toContain(`"value":"${a.acmeId}"`);
      const theirs = (await drive(() => switchTo("ces", b.acmeId), call("views.update"))).view as {
        blocks: { block_id?: string; element?: { initial_option?: unknown } }[];
      };
      expect(str(theirs)).toContain("Record CES");
      expect(theirs.blocks.find((blk) => blk.block_id === BLOCK.account)?.element?.initial_option).toBeUndefined();
    },
  },
  {
    name: "account pick button: A's card; B's account refused",
    run: async () => {
      expect(str(await drive(() => click(ACTION.pickAccount, String(a.acmeId)), reply))).toContain("Acme Corp");
      expect((await drive(() => click(ACTION.pickAccount, String(b.acmeId)), reply)).text).toMatch(refused);
    },
  },
  {
    name: "account type-ahead (options): A's accounts only",
    run: async () => {
      driven.add(ACTION.accountSelect);
      const res = await app.interaction({
        type: "block_suggestion",
        team: { id: TEAM_A },
        user: { id: "UCSM", team_id: TEAM_A },
        api_app_id: "A111",
        action_id: ACTION.accountSelect,
        block_id: BLOCK.account,
        value: "acme",
        view: { id: "V1", callback_id: CALLBACK.logTouchpoint, team_id: TEAM_A },
      });
      const body = (await res.json()) as { options: { value: string }[] };
      expect(body.options.map((o) => o.value)).toEqual([String(a.acmeId)]);
      return [body];
    },
  },
  {
    name: "Recompute button: today's snapshot in A; B's account refused",
    run: async () => {
      expect(str(await drive(() => click(ACTION.recomputeScore, String(a.acmeId)), reply))).toContain("Recomputed.");
      expect(
        await t.db.healthSnapshot.count({
          where: { workspaceId: a.workspaceId, accountId: a.acmeId, scoredOn: TODAY },
        }),
      ).toBe(1);
      expect((await drive(() => click(ACTION.recomputeScore, String(b.acmeId)), reply)).text).toMatch(
        /does not exist|churned/,
      );
    },
  },
  {
    name: "digest Snooze and Assign-to-me buttons: A's account; B's refused",
    run: async () => {
      expect((await drive(() => click(ACTION.digestSnooze, String(a.acmeId)), reply)).text).toContain(
        "hidden from digests",
      );
      // The clicker owns A's Acme already: found in A, and nothing to change.
      expect((await drive(() => click(ACTION.digestAssignToMe, String(a.acmeId)), reply)).text).toMatch(
        /You (now|already) own \*Acme Corp\*/,
      );
      expect((await drive(() => click(ACTION.digestSnooze, String(b.acmeId)), reply)).text).toMatch(refused);
      expect((await drive(() => click(ACTION.digestAssignToMe, String(b.acmeId)), reply)).text).toMatch(refused);
      expect(await t.db.digestSnooze.count({ where: { workspaceId: a.workspaceId, accountId: a.acmeId } })).toBe(1);
    },
  },
  {
    name: "digest See all and its pages: A's digest lists A's accounts; B's digest refused",
    run: async () => {
      const page = (s: number, p: number) => JSON.stringify({ s, p });
      expect(str(await drive(() => click(ACTION.digestSeeAll, page(a.digestSubscriptionId, 0)), shownModal))).toContain(
        "need attention",
      );
      for (const id of [ACTION.digestSeeAll, ACTION.digestPageNext, ACTION.digestPagePrevious])
        expect(str(await drive(() => click(id, page(b.digestSubscriptionId, 1)), shownModal))).toMatch(refused);
    },
  },
  {
    name: "task Done and Snooze buttons: A's tasks; B's task (same Slack user) refused",
    run: async () => {
      const second = await t.db.playbookTask.findFirstOrThrow({
        where: { workspaceId: a.workspaceId, dedupeKey: "manual:b" },
      });
      expect((await drive(() => click(ACTION.taskDone, String(a.taskId)), reply)).text).toContain(
        "Done: *Call the sponsor*",
      );
      expect((await drive(() => click(ACTION.taskSnooze, String(second.id)), reply)).text).toContain("snoozed until");
      expect((await drive(() => click(ACTION.taskDone, String(b.taskId)), reply)).text).toMatch(refused);
      expect((await drive(() => click(ACTION.taskSnooze, String(b.taskId)), reply)).text).toMatch(refused);
      expect((await t.db.playbookTask.findUniqueOrThrow({ where: { id: a.taskId } })).status).toBe("done");
    },
  },
  {
    name: "classify buttons on the card: A's customer person; B's contact of the same account name refused",
    run: async () => {
      const person = await t.db.contact.create({
        data: { workspaceId: a.workspaceId, accountId: a.acmeId, slackUserId: "WCUSTA", stakeholderType: "unknown" },
      });
      const bContact = await t.db.contact.findFirstOrThrow({
        where: { workspaceId: b.workspaceId, accountId: b.acmeId },
      });
      // One action id per type, as ADKAR's stages.
      driven.add(ACTION.contactType);
      expect(
        (await drive(() => click(`${ACTION.contactType}_sponsor`, String(person.id), "UMGR"), reply)).text,
      ).toContain("<@WCUSTA> is now Manager / sponsor");
      expect(
        (await drive(() => click(`${ACTION.contactType}_end_user`, String(bContact.id), "UMGR"), reply)).text,
      ).toMatch(refused);
      expect(await t.db.contact.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject({
        stakeholderType: "sponsor",
      });
    },
  },
  {
    name: "stage suggestion Confirm and Dismiss buttons: A's suggestion; B's refused",
    run: async () => {
      expect((await drive(() => click(ACTION.stageConfirm, String(a.stageSignalId)), reply)).text).toContain(
        "moved from maturity to *adoption*",
      );
      expect((await drive(() => click(ACTION.stageConfirm, String(b.stageSignalId)), reply)).text).toMatch(refused);
      expect((await drive(() => click(ACTION.stageDismiss, String(b.stageSignalId)), reply)).text).toMatch(refused);
    },
  },
  {
    name: "shared channel link suggestion Link it and Not now: A's suggestion; B's refused",
    run: async () => {
      await t.db.channelLinkSuggestion.create({
        data: {
          workspaceId: a.workspaceId,
          channelId: "CASUGGEST",
          accountId: a.acmeId,
          channelName: "acme-ext",
          suggestedToSlackId: "UADMIN",
        },
      });
      expect((await drive(() => click(ACTION.channelLinkAccept, "CASUGGEST", "UADMIN"), reply)).text).toContain(
        "<#CASUGGEST> is now evidence for *Acme Corp*",
      );
      expect((await drive(() => click(ACTION.channelLinkAccept, "CBSUGGEST", "UADMIN"), reply)).text).toMatch(refused);
      expect((await drive(() => click(ACTION.channelLinkDismiss, "CBSUGGEST", "UADMIN"), reply)).text).toMatch(refused);
      expect(await t.db.channelLink.count({ where: { channelId: "CBSUGGEST" } })).toBe(0);
      expect(await t.db.channelLink.count({ where: { workspaceId: a.workspaceId, channelId: "CASUGGEST" } })).toBe(1);
    },
  },
  {
    name: "churn post-mortem button on the card: A's account opens; B's refused",
    run: async () => {
      const view = (await drive(() => click(ACTION.openChurnPostMortem, String(a.acmeId)), shownModal)).view as Json;
      expect(JSON.parse(view.private_metadata as string)).toMatchObject({ accountId: a.acmeId });
      expect(String((await drive(() => click(ACTION.openChurnPostMortem, String(b.acmeId)), reply)).text)).toMatch(
        refused,
      );
    },
  },
  {
    name: "churn post-mortem modal: filed in A with its retro thread; B's account refused inline",
    echoes: () => [String(b.acmeId)],
    run: async () => {
      const forged = await submit(CALLBACK.churnPostMortem, postMortemState, { accountId: b.acmeId });
      expect(str(forged)).toMatch(refused);
      const mark = rec.mark();
      expect(await submit(CALLBACK.churnPostMortem, postMortemState, { accountId: a.globexId })).toEqual({});
      const event = await until(() =>
        t.db.churnEvent.findFirst({
          where: { workspaceId: a.workspaceId, accountId: a.globexId, retroThreadTs: { not: null } },
        }),
      );
      expect(event.retroChannelId).toBe("CARETRO2");
      await until(
        () =>
          rec.to("chat.postMessage", mark).filter((c) => (c.body as Json).thread_ts === event.retroThreadTs).length >=
          4,
      );
      expect(rec.since(mark).some((c) => c.target === "api:files.completeUploadExternal")).toBe(true);
      return [forged];
    },
  },
  {
    name: "retro thread replies: A's thread keeps the note; a reply claiming B's thread is ignored",
    run: async () => {
      const event = await aChurnEvent();
      const reply = {
        type: "message",
        channel_type: "channel",
        user: "UMGR",
        text: "We missed the reorg.",
        ts: "1763900500.000100",
        thread_ts: event.retroThreadTs,
        channel: event.retroChannelId,
      };
      expect((await sendEvent(reply)).status).toBe(200);
      await until(() => t.db.retroNote.findFirst({ where: { workspaceId: a.workspaceId, churnEventId: event.id } }));
      expect(
        (
          await sendEvent({
            ...reply,
            ts: "1763900501.000100",
            thread_ts: b.retroThreadTs,
            channel: b.retroChannel,
            text: "into B",
          })
        ).status,
      ).toBe(200);
      await app.idle();
      expect(await t.db.retroNote.count({ where: { text: "into B" } })).toBe(0);
    },
  },
  {
    name: "retro Add action item button and modal: A's retro; B's retro refused",
    echoes: () => [String(b.churnEventId)],
    run: async () => {
      const event = await aChurnEvent();
      expect(
        (await drive(() => click(ACTION.retroAddActionItem, String(event.id), "UMGR"), shownModal)).view,
      ).toMatchObject({ callback_id: CALLBACK.retroActionItem });
      expect(
        String((await drive(() => click(ACTION.retroAddActionItem, String(b.churnEventId), "UMGR"), reply)).text),
      ).toMatch(refused);
      const forged = await submit(CALLBACK.retroActionItem, actionItemState, { churnEventId: b.churnEventId }, "UMGR");
      expect(str(forged)).toMatch(refused);
      const mark = rec.mark();
      expect(await submit(CALLBACK.retroActionItem, actionItemState, { churnEventId: event.id }, "UMGR")).toEqual({});
      await until(() => call("chat.postMessage", (bd) => bd.channel === "UCSM")(mark));
      expect(await t.db.retroActionItem.count({ where: { workspaceId: a.workspaceId, churnEventId: event.id } })).toBe(
        1,
      );
      return [forged];
    },
  },
  {
    name: "retro Close button: A's retro closes; B's refused",
    run: async () => {
      const event = await aChurnEvent();
      expect(
        String((await drive(() => click(ACTION.retroClose, String(b.churnEventId), "UADMIN"), reply)).text),
      ).toMatch(refused);
      const summary = await drive(
        () => click(ACTION.retroClose, String(event.id), "UADMIN"),
        call("chat.postMessage", (bd) => bd.thread_ts === event.retroThreadTs),
      );
      expect(str(summary)).toContain("We missed the reorg.");
      expect((await aChurnEvent()).retroStatus).toBe("closed");
    },
  },
  {
    name: "Win back button: A's churn reversed; B's refused",
    run: async () => {
      const event = await aChurnEvent();
      expect(String((await drive(() => click(ACTION.churnWinBack, String(b.churnEventId)), reply)).text)).toMatch(
        refused,
      );
      await drive(
        () => click(ACTION.churnWinBack, String(event.id)),
        call("chat.postMessage", (bd) => String(bd.text).includes(" back: active again")),
      );
      expect((await aChurnEvent()).reversedAt).toEqual(NOW);
    },
  },
  {
    name: "/pulse churn winback <account churned only in B>: nothing to reverse in A",
    run: async () => {
      // A's Globex was won back; B's Globex is still churned and must stay so.
      expect((await command("churn winback globex")).text).toMatch(refused);
    },
  },

  // Events --------------------------------------------------------------------------------
  {
    name: "app_home_opened: A's portfolio, tasks and action items for a user B also has",
    run: async () => {
      const published = await drive(
        () =>
          sendEvent({ type: "app_home_opened", user: "UCSM", channel: "DA1", tab: "home", event_ts: "1763800000.1" }),
        call("views.publish"),
      );
      expect(published.user_id).toBe("UCSM");
      expect(str(published.view)).toContain("Acme Corp");
      expect(str(published.view)).toContain("Add a sponsor check to every QBR");
    },
  },
  {
    name: "app_mention: an account question answered privately, help openly",
    run: async () => {
      const mention = (q: string) => ({
        type: "app_mention",
        user: "UCSM",
        text: `<@UBOT> ${q}`,
        ts: "1763800002.000200",
        channel: "CA1",
        event_ts: "1763800002.000200",
      });
      expect(
        str(await drive(() => sendEvent(mention("how is Acme Corp doing?")), call("chat.postEphemeral"))),
      ).toContain("Acme Corp");
      expect(str(await drive(() => sendEvent(mention("help")), call("chat.postMessage")))).toContain("/pulse account");
    },
  },
  {
    name: "direct message: who is at risk",
    run: async () => {
      const answer = await drive(
        () =>
          sendEvent({
            type: "message",
            channel_type: "im",
            channel: "DA1",
            user: "UCSM",
            text: "who is at risk?",
            ts: "1763800003.000300",
          }),
        call("chat.postMessage"),
      );
      expect(str(answer)).toContain("Your accounts at risk");
      expect(str(answer)).toContain("*Globex*");
    },
  },
  {
    name: "an event id B already handled is still handled for A (receipts are per workspace)",
    run: async () => {
      const mention = {
        type: "app_mention",
        user: "UCSM",
        text: "<@UBOT> portfolio",
        ts: "1763800004.000400",
        channel: "CA1",
        event_ts: "1763800004.000400",
      };
      await drive(() => sendEvent(mention, "EvShared1"), call("chat.postEphemeral"));
      expect(await t.db.slackEventReceipt.count({ where: { workspaceId: a.workspaceId, eventId: "EvShared1" } })).toBe(
        1,
      );
    },
  },
  {
    name: "CSV uploaded in a DM: imported into A",
    run: async () => {
      rec.files.set("accounts-a.csv", "Account ID,Account Name,Website,ARR\nacme-1,Acme Corp,acme.test,125000\n");
      const done = await drive(
        () =>
          sendEvent({
            type: "message",
            subtype: "file_share",
            channel: "DA0ADMIN",
            channel_type: "im",
            user: "UADMIN",
            text: "accounts",
            ts: "1763800005.000500",
            files: [
              {
                id: "F1",
                name: "accounts-a.csv",
                filetype: "csv",
                url_private_download: `${SLACK_API_ORIGIN}/files/accounts-a.csv`,
              },
            ],
          }),
        call("chat.postMessage", (bd) => String(bd.text).includes("Import of")),
      );
      expect(String(done.text)).toMatch(/1 updated/);
      expect(rec.calls.find((c) => c.target === "download:/files/accounts-a.csv")!.token).toBe(`Bearer ${TOKEN_A}`);
      expect(Number((await t.db.account.findUniqueOrThrow({ where: { id: a.acmeId } })).arr)).toBe(125_000);
    },
  },
  {
    name: "CSV dry run in a DM, then Apply: the same file imported into A with A's token",
    run: async () => {
      rec.files.set("accounts-a-dry.csv", "Account ID,Account Name,ARR\nacme-1,Acme Corp,128000\n");
      const dry = await drive(
        () =>
          sendEvent({
            type: "message",
            subtype: "file_share",
            channel: "DA0ADMIN",
            channel_type: "im",
            user: "UADMIN",
            text: "accounts dry-run",
            ts: "1763800005.000600",
            files: [
              {
                id: "F2",
                name: "accounts-a-dry.csv",
                filetype: "csv",
                url_private_download: `${SLACK_API_ORIGIN}/files/accounts-a-dry.csv`,
              },
            ],
          }),
        call("chat.postMessage", (bd) => String(bd.text).includes("accounts-a-dry.csv")),
      );
      expect(Number((await t.db.account.findUniqueOrThrow({ where: { id: a.acmeId } })).arr)).toBe(125_000);
      const blocks = (typeof dry.blocks === "string" ? JSON.parse(dry.blocks) : dry.blocks) as Json[];
      const apply = JSON.stringify(blocks).includes(ACTION.importApply)
        ? (blocks
            .flatMap((bl) => (bl.elements as Json[] | undefined) ?? [])
            .find((e) => e.action_id === ACTION.importApply) as Json)
        : undefined;
      expect(apply?.value).toBeDefined();
      const applied = await drive(() => click(ACTION.importApply, String(apply!.value), "UADMIN"), reply);
      expect(String(applied.text)).toMatch(/Imported accounts: 1 row read; 0 created, 1 updated/);
      const downloads = rec.calls.filter((c) => c.target === "download:/files/accounts-a-dry.csv");
      expect(downloads.map((c) => c.token)).toEqual([`Bearer ${TOKEN_A}`, `Bearer ${TOKEN_A}`]);
      expect(Number((await t.db.account.findUniqueOrThrow({ where: { id: a.acmeId } })).arr)).toBe(128_000);
    },
  },

  // Ingestion API with A's key ---------------------------------------------------------------
  {
    name: "POST /api/v1/events with A's key: A's accounts and group calls only",
    run: async () => {
      const at = new Date(NOW.getTime() - 3_600_000).toISOString();
      const res = await postApi(
        "/api/v1/events",
        {
          batch: [
            {
              type: "track",
              messageId: "msg-shared-2",
              userId: "u-a1",
              event: "Logged In",
              timestamp: at,
              context: { groupId: "acme-1" },
            },
            { type: "track", messageId: "e-a-2", userId: "u-shared", event: "Clicked", timestamp: at },
            {
              type: "track",
              messageId: "e-a-3",
              userId: "u-a3",
              event: "Clicked",
              timestamp: at,
              context: { groupId: "initech-b" },
            },
            { type: "track", messageId: "e-a-4", userId: "u-b-only", event: "Clicked", timestamp: at },
          ],
        },
        a.apiKey,
      );
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({ stored: 2, duplicates: 0 });
      expect((res.json.error.details as { index: number }[]).map((d) => d.index)).toEqual([2, 3]);
      const stored = await t.db.usageEvent.findMany({
        where: { workspaceId: a.workspaceId, messageId: { in: ["msg-shared-2", "e-a-2"] } },
      });
      expect(stored.map((e) => e.accountId)).toEqual([a.acmeId, a.acmeId]);
      return [res.json];
    },
  },
  {
    name: "POST /api/v1/accounts with A's key: A's account of that external id",
    run: async () => {
      const res = await postApi("/api/v1/accounts", { externalId: "acme-1", name: "Acme Corp", arr: 130000 }, a.apiKey);
      expect(res.json).toMatchObject({ success: true, updated: 1 });
      expect(Number((await t.db.account.findUniqueOrThrow({ where: { id: a.acmeId } })).arr)).toBe(130_000);
      return [res.json];
    },
  },

  // Jobs, for A ---------------------------------------------------------------------------------
  {
    name: "score-accounts job body for A: scoring run, snapshots, playbooks, stage suggestions, App Home refresh",
    run: async () => {
      const summary = await scoreWorkspace(app.ctx, a.workspaceId, NOW, { trigger: "schedule" });
      expect(summary.accountsScored).toBe(2);
      expect(await t.db.scoringRun.count({ where: { workspaceId: a.workspaceId, trigger: "schedule" } })).toBe(1);
      const playbooks = await runPlaybooksForWorkspace(app.ctx, a.workspaceId, NOW);
      expect(playbooks.fired).toBeGreaterThan(0);
      expect(await t.db.playbook.count({ where: { workspaceId: a.workspaceId } })).toBeGreaterThan(0);
      await suggestStages(app.ctx, a.workspaceId, NOW);
      expect(await refreshHomes(app.ctx, [a.workspaceId])).toBeGreaterThan(0);
    },
  },
  {
    name: "playbook DMs went to A's owners only",
    run: async () => {
      expect(app.notifier.posts.length).toBeGreaterThan(0);
      expect(new Set(app.notifier.posts.map((p) => p.workspaceId))).toEqual(new Set([a.workspaceId]));
    },
  },
  {
    name: "/pulse playbooks report: A's playbooks",
    run: async () => expect(str(await command("playbooks report"))).toContain("Playbook outcomes"),
  },
  {
    name: "digests job: A's due digest posts; B's is not due and is left alone",
    run: async () => {
      const mark = rec.mark();
      void mark;
      const before = app.notifier.posts.length;
      await runDigestsJob(app.ctx, NOW, "tick-1");
      // Jobs post through ctx.slack (the Slack port), recorded by the test app.
      const posted = app.notifier.posts.slice(before).find((p) => p.channel === "CADIGEST");
      expect(posted?.workspaceId).toBe(a.workspaceId);
      expect(str(posted)).toContain("*Globex*");
      expect(
        await t.db.digestRun.count({
          where: { workspaceId: a.workspaceId, subscriptionId: a.digestSubscriptionId, status: "posted" },
        }),
      ).toBe(1);
    },
  },
  {
    name: "detractor-alerts job: A's pending detractor, to A's owner",
    run: async () => {
      const before = app.notifier.posts.length;
      expect(await alertPendingDetractors(app.ctx, NOW)).toBe(1);
      expect(app.notifier.posts.slice(before)).toMatchObject([
        { workspaceId: a.workspaceId, channel: "UCSM", text: expect.stringContaining("Too slow for us") },
      ]);
    },
  },
  {
    name: "prune-event-receipts job: A's old receipt goes; B's recent one stays",
    run: async () => {
      expect(await runPruneEventReceipts(app.ctx, NOW)).toBe(1);
      expect(await t.db.slackEventReceipt.count({ where: { workspaceId: a.workspaceId, eventId: "EvOldA" } })).toBe(0);
    },
  },
  {
    name: "prune-usage-events job: A's old events go; B's old group call stays, though A has a newer one for that user",
    run: async () => {
      expect(await runPruneUsageEvents(app.ctx, NOW)).toBe(1);
      expect(await t.db.usageEvent.count({ where: { workspaceId: a.workspaceId, messageId: "msg-old-a" } })).toBe(0);
    },
  },
  {
    name: "/pulse admin erase contact <email both workspaces hold>: A's person only",
    run: async () => {
      const preview = await command("admin erase contact <mailto:jane.doe@acme.test|jane.doe@acme.test>", "UADMIN");
      expect(preview.text).toContain("Erase 1 contact record ");
      const erase = (preview.blocks as Json[])
        .flatMap((block) => (block.elements ?? []) as Json[])
        .find((e) => e.action_id === ACTION.eraseContactConfirm)!;
      expect((await drive(() => click(ACTION.eraseContactCancel, "cancel", "UADMIN"), reply)).text).toContain(
        "nothing was erased",
      );
      expect(
        (await drive(() => click(ACTION.eraseContactConfirm, erase.value as string, "UADMIN"), reply)).text,
      ).toContain("Erased the personal data of 1 contact record:");
      expect(await t.db.contact.findUniqueOrThrow({ where: { id: a.janeId } })).toMatchObject({
        name: null,
        email: null,
      });
    },
  },
  {
    name: "OAuth reinstall of A: A's installation replaced",
    run: async () => {
      expect((await completeInstall(app.baseUrl, TEAM_A, TOKEN_A)).status).toBe(200);
      await until(async () => (await t.db.slackInstallation.count({ where: { workspaceId: a.workspaceId } })) === 2);
      expect(await t.db.slackInstallation.count({ where: { workspaceId: a.workspaceId, revokedAt: null } })).toBe(1);
    },
  },
];

const lifecycle: Surface[] = [
  {
    name: "tokens_revoked and app_uninstalled for A: A goes inactive",
    run: async () => {
      expect(
        (await sendEvent({ type: "tokens_revoked", tokens: { bot: ["UBOT"] }, event_ts: "1763800010.1" })).status,
      ).toBe(200);
      await until(async () => !(await t.db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).active);
      expect((await sendEvent({ type: "app_uninstalled", event_ts: "1763800011.1" })).status).toBe(200);
      await until(() =>
        t.db.slackEventReceipt.count({ where: { workspaceId: a.workspaceId, eventId: `EvA${eventSeq}` } }),
      );
    },
  },
  {
    name: "erase-inactive-workspaces job once A's retention ran out: A erased, B kept",
    run: async () => {
      expect(await runEraseInactiveWorkspaces(app.ctx, addDays(NOW, 31))).toBe(1);
      expect(await t.db.workspace.count({ where: { id: a.workspaceId } })).toBe(0);
    },
  },
];

// ---------------------------------------------------------------------------------------

/** Runs one surface, then checks that nothing of B went out and that B is unchanged. */
async function driveAndCheck(surface: Surface): Promise<void> {
  const mark = rec.mark();
  const postsBefore = app.notifier.posts.length;
  const result = await surface.run();
  const answered = Array.isArray(result) ? result : [];
  // Work Bolt finishes after its answer belongs to this surface's window: wait for every
  // listener to end, then a moment for what they started without waiting (alerts, DMs).
  await app.idle();
  await new Promise((r) => setTimeout(r, 50));
  const outgoing: RecordedCall[] = [
    ...rec.since(mark),
    ...app.notifier.posts.slice(postsBefore).map((p) => ({ target: `notifier:${p.channel}`, body: p })),
    ...answered.map((body) => ({ target: "http-answer", body })),
  ];
  expectNoBLeak(outgoing, surface.echoes?.() ?? []);
  expect(app.notifier.posts.slice(postsBefore).filter((p) => p.workspaceId !== a.workspaceId)).toEqual([]);
  expect(await workspaceRows(t.db, b.workspaceId, tables)).toEqual(bBefore);
}

describe("B's own ingestion key reaches only B", () => {
  it("writes B's events and accounts, and leaves every row of A as it was", async () => {
    const aBefore = await workspaceRows(t.db, a.workspaceId, tables);
    const at = new Date(NOW.getTime() - 3_600_000).toISOString();
    const events = await postApi(
      "/api/v1/events",
      {
        type: "track",
        messageId: "msg-b-new",
        userId: "u-shared",
        event: "Clicked",
        timestamp: at,
        context: { groupId: "acme-1" },
      },
      API_KEY_B,
    );
    expect(events.json).toMatchObject({ success: true, stored: 1 });
    const accounts = await postApi("/api/v1/accounts", { externalId: "b-new-1", name: "B-SECRET New" }, API_KEY_B);
    expect(accounts.json).toMatchObject({ success: true, created: 1 });
    expect(await t.db.usageEvent.findFirstOrThrow({ where: { messageId: "msg-b-new" } })).toMatchObject({
      workspaceId: b.workspaceId,
      accountId: b.acmeId,
    });
    expect(await t.db.account.count({ where: { workspaceId: b.workspaceId, externalId: "b-new-1" } })).toBe(1);
    expect(await workspaceRows(t.db, a.workspaceId, tables)).toEqual(aBefore);
  });
});

describe("every surface driven as A, with B's look-alike data beside it", () => {
  beforeAll(async () => {
    bBefore = await workspaceRows(t.db, b.workspaceId, tables);
  });

  it("B holds look-alike rows in every table that carries a workspaceId", () => {
    // job_run is the only table without one: the scheduler's (job, slot) claims, which
    // belong to no workspace.
    expect(tables).toContain("slack_event_receipt");
    expect(tables.filter((table) => bBefore[table]!.length === 0)).toEqual([]);
  });

  for (const surface of surfaces) it(surface.name, () => driveAndCheck(surface));

  it("no row of A took anything of B", async () => {
    const leaks = findBLeaks(JSON.stringify(await workspaceRows(t.db, a.workspaceId, tables)));
    expect(leaks).toEqual([]);
  });

  for (const surface of lifecycle) it(surface.name, () => driveAndCheck(surface));

  it("after everything, every row of B is byte-identical and B still works", async () => {
    expect(await workspaceRows(t.db, b.workspaceId, tables)).toEqual(bBefore);
    expect((await t.db.workspace.findUniqueOrThrow({ where: { id: b.workspaceId } })).active).toBe(true);
    // Every Web API call of the whole run carried A's token; none of B's.
    expect(rec.calls.filter((c) => c.token !== undefined && c.token !== `Bearer ${TOKEN_A}`)).toEqual([]);
    expect(rec.calls.filter((c) => c.token === `Bearer ${TOKEN_A}`).length).toBeGreaterThan(20);
  });

  it("drove every registered subcommand, button, modal and shortcut", () => {
    expect(subcommands.map((c) => `/pulse ${c.name}`).filter((name) => !driven.has(name))).toEqual([]);
    // churnAccountSelect is an input inside the post-mortem modal, with no listener of its own.
    expect(Object.values(ACTION).filter((id) => id !== ACTION.churnAccountSelect && !driven.has(id))).toEqual([]);
    expect(Object.values(CALLBACK).filter((id) => !driven.has(id))).toEqual([]);
  });
});
