// Lists that are cut say so and how to see the rest (issue 15, defect 4): "who is at risk?"
// said 80 and showed 40; the nightly task DM said 34 and showed 20; nothing offered every
// account to someone who owns none.
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { playbookTasksMessage } from "../../src/slack/views/playbook-tasks.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  captureReplies,
  eventually,
  nockAuthTest,
  SLACK_API_ORIGIN,
  startSlackTestApp,
  type SlackTestApp,
} from "../helpers/slack.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = startOfUtcDay(NOW);
let t: TestDatabase;
let app: SlackTestApp;

type AnyBlock = { type: string; text?: { text: string }; elements?: { text: string }[]; accessory?: unknown };
const rows = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === "section" && b.accessory);
const lastContext = (blocks: AnyBlock[]) =>
  blocks.filter((b) => b.type === "context").at(-1)?.elements?.[0]?.text ?? "";

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  t = await createTestDatabase();
  const ws = await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } });
  await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UADMIN", role: "admin" } });
  const csm = await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UCSM", role: "csm" } });
  await t.db.user.create({ data: { workspaceId: ws.id, slackUserId: "UMGR", role: "manager" } });
  // 80 at-risk accounts and 10 healthy ones, all Chris's.
  for (let i = 0; i < 90; i++) {
    const a = await t.db.account.create({
      data: {
        workspaceId: ws.id,
        name: `Account ${String(i).padStart(2, "0")}`,
        ownerId: csm.id,
        arr: 1000,
        createdAt: addDays(TODAY, -400),
      },
    });
    const score = i < 80 ? 20 + (i % 45) : 90;
    await t.db.healthSnapshot.create({
      data: {
        workspaceId: ws.id,
        accountId: a.id,
        scoredOn: TODAY,
        score,
        band: score >= 70 ? "green" : score >= 50 ? "yellow" : "red",
        components: {},
        reasons: [],
        modelVersion: "t",
      },
    });
  }
  app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
});
beforeEach(() => nockAuthTest());
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await app.close();
  await t.drop();
  nock.enableNetConnect();
});

describe("who is at risk?", () => {
  it("says how many it shows of the 80, and the command for the next page", async () => {
    const posted: Record<string, unknown>[] = [];
    nock(SLACK_API_ORIGIN)
      .persist()
      .post("/api/chat.postMessage", (b: Record<string, unknown>) => posted.push(b) > 0)
      .reply(200, { ok: true, channel: "D111", ts: "1.2" });
    await app.event({
      token: "x",
      team_id: "T111",
      api_app_id: "A111",
      type: "event_callback",
      event_id: "EvRisk1",
      event_time: 1700000000,
      event: {
        type: "message",
        channel_type: "im",
        channel: "D111",
        user: "UCSM",
        text: "who is at risk?",
        ts: "1700000002.000300",
      },
    });
    const body = await eventually(() => posted[0]);
    expect(String(body.text)).toBe("Your accounts at risk: 80");
    const blocks = JSON.parse(String(body.blocks)) as AnyBlock[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const shown = rows(blocks).length;
    expect(lastContext(blocks)).toBe(
      `Showing 1–${shown} of 80, riskiest first (page 1 of 2). Next: \`/pulse portfolio page 2\`.`,
    );
  });
});

describe("/pulse portfolio all", () => {
  it("shows every account to someone who owns none, page by page", async () => {
    const replies = captureReplies();
    await app.command({ text: "portfolio all", user_id: "UMGR" });
    const first = JSON.parse(JSON.stringify((await eventually(() => replies[0])).blocks)) as AnyBlock[];
    const shown = rows(first).length;
    expect(lastContext(first)).toContain(`Showing 1–${shown} of 90`);
    expect(lastContext(first)).toContain("Next: `/pulse portfolio all page 2`");
    await app.command({ text: "portfolio all page 2", user_id: "UMGR" });
    const second = (await eventually(() => replies[1])).blocks as AnyBlock[];
    expect(rows(second)).toHaveLength(90 - shown);
    expect(lastContext(second)).toContain(`Showing ${shown + 1}–90 of 90`);
    expect(lastContext(second)).toContain("Previous: `/pulse portfolio all page 1`");
  });
});

describe("the nightly task DM", () => {
  it("says it shows 20 of 34 and where the other 14 are", () => {
    const tasks = Array.from({ length: 34 }, (_, i) => ({
      id: i + 1,
      title: `Task ${i}`,
      accountName: i < 30 ? "Acme" : "Globex & Co",
      dueOn: TODAY,
      detail: null,
    }));
    const { text, blocks } = playbookTasksMessage(tasks);
    expect(text).toContain("34 new playbook tasks");
    expect(blocks.length).toBeLessThanOrEqual(50);
    const last = (blocks.at(-1) as AnyBlock).text!.text;
    expect(last).toBe(
      "Showing 20 of 34. The other 14 are on App Home and on their accounts' cards (`/pulse account <name>`): *Acme* (10), *Globex &amp; Co* (4).",
    );
  });

  it("says a playbook's reason once for the tasks it raised for one account, not on every row", () => {
    const reason = "Low usage: only 12% of seats active over 14 days";
    const tasks = [
      { id: 1, title: "Review usage with the admin", accountName: "Acme", dueOn: TODAY, detail: reason },
      { id: 2, title: "Offer a re-training session", accountName: "Acme", dueOn: TODAY, detail: reason },
      { id: 3, title: "Review usage with the admin", accountName: "Globex", dueOn: TODAY, detail: reason },
    ];
    const text = JSON.stringify(playbookTasksMessage(tasks).blocks);
    expect(text.match(/Low usage: only 12%/g)).toHaveLength(2);
    expect(text).toContain("*Offer a re-training session* — Acme, due");
  });
});
