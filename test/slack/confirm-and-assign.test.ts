// Buttons that change who owns an account or what state something is in ask first (Block
// Kit `confirm`), and taking an account over moves its open tasks and tells the previous
// owner (issue 15, item 7).
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { composeDigest, rowsInPriorityOrder, type DigestAccount } from "../../src/domain/digest/compose.js";
import { ACTION } from "../../src/slack/ids.js";
import { digestListModal } from "../../src/slack/views/digest.js";
import { retroParentMessage } from "../../src/slack/views/retro-thread.js";
import { taskRowBlocks } from "../../src/slack/views/tasks.js";
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

type AnyElement = { action_id?: string; confirm?: { title: { text: string }; text: { text: string } } };
type AnyBlock = { type: string; elements?: AnyElement[]; accessory?: AnyElement };

function buttonsOf(blocks: readonly unknown[]): AnyElement[] {
  return (blocks as AnyBlock[]).flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]);
}

function onlyButton(blocks: readonly unknown[], actionId: string): AnyElement {
  const found = buttonsOf(blocks).filter((e) => e.action_id === actionId);
  expect(found.length).toBeGreaterThan(0);
  return found[0]!;
}

describe("confirm dialogs", () => {
  it("ask before Snooze and Assign to me in the digest's full list", () => {
    const account: DigestAccount = {
      id: 7,
      name: "Acme",
      ownerSlackId: "UOLD",
      ownerName: "Olga",
      arr: 1000,
      currency: "USD",
      score: 41,
      band: "red",
      previousScore: 60,
      previousBand: "yellow",
      topReason: { component: "usage", impact: -10, text: "Weekly active users fell 30%", code: "usage.wau_drop" },
      renewalDate: null,
      lastTouchAt: null,
      detractors: [],
      overdueTasks: 0,
      snooze: null,
    };
    const content = composeDigest([account], {
      bands: ["red", "yellow"],
      noTouchDays: 30,
      now: NOW,
      previousCounts: null,
      rowsPerSection: Number.POSITIVE_INFINITY,
    });
    const modal = digestListModal({
      subscriptionId: 1,
      channelId: "CDIGEST",
      page: 0,
      pages: 1,
      total: 1,
      rows: rowsInPriorityOrder(content),
    });
    const assign = onlyButton(modal.blocks, ACTION.digestAssignToMe);
    expect(assign.confirm?.text.text).toContain("Acme");
    expect(assign.confirm?.text.text).toContain("open tasks for it move to you");
    expect(onlyButton(modal.blocks, ACTION.digestSnooze).confirm?.text.text).toContain("7 days");
    // Showing something needs no question.
    expect(onlyButton(modal.blocks, ACTION.pickAccount).confirm).toBeUndefined();
  });

  it("ask before Close retro and Win back in the retro thread", () => {
    const { blocks } = retroParentMessage({
      id: 3,
      accountName: "Globex",
      currency: "USD",
      kind: "full",
      churnedOn: NOW,
      arrBefore: 10,
      arrLost: 10,
      primaryReason: "budget_or_price",
      reasonOther: null,
      contributingFactors: [],
      warningSigns: null,
      warningSeenOn: null,
      couldHaveDone: null,
      lessons: null,
      preventable: null,
      firstRedOn: null,
      daysOfWarning: null,
      filedBySlackId: "UCSM",
      retroStatus: "open",
      reversedAt: null,
    });
    expect(onlyButton(blocks, ACTION.retroClose).confirm?.title.text).toBe("Close this retro?");
    expect(onlyButton(blocks, ACTION.churnWinBack).confirm?.text.text).toContain("Globex");
    expect(onlyButton(blocks, ACTION.retroAddActionItem).confirm).toBeUndefined();
  });

  it("ask before snoozing a task, wherever its row is shown", () => {
    const blocks = taskRowBlocks({ id: 9, title: "Call the sponsor", accountName: "Acme", dueOn: NOW });
    expect(onlyButton(blocks, ACTION.taskSnooze).confirm?.text.text).toContain("Call the sponsor");
  });
});

describe("Assign to me", () => {
  let t: TestDatabase;
  let app: SlackTestApp;
  let workspaceId: number;
  let accountId: number;
  let oldOwnerId: number;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    t = await createTestDatabase();
    workspaceId = (await t.db.workspace.create({ data: { slackTeamId: "T111", name: "Test" } })).id;
    oldOwnerId = (await t.db.user.create({ data: { workspaceId, slackUserId: "UOLD", role: "csm" } })).id;
    await t.db.user.create({ data: { workspaceId, slackUserId: "UNEW", role: "csm" } });
    accountId = (await t.db.account.create({ data: { workspaceId, name: "Acme", arr: 1000, ownerId: oldOwnerId } })).id;
    const other = await t.db.account.create({ data: { workspaceId, name: "Other", arr: 1, ownerId: oldOwnerId } });
    const task = (key: string, status: "open" | "snoozed" | "done", onAccount = accountId) => ({
      workspaceId,
      accountId: onAccount,
      ownerId: oldOwnerId,
      dedupeKey: key,
      title: `Task ${key}`,
      dueOn: NOW,
      status,
    });
    await t.db.playbookTask.createMany({
      data: [task("a", "open"), task("b", "snoozed"), task("c", "done"), task("d", "open", other.id)],
    });
    app = await startSlackTestApp({ db: t.db, databaseUrl: t.url, clock: () => NOW });
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await app.close();
    await t.drop();
    nock.enableNetConnect();
  });

  const click = (user: string, actionTs: string) => ({
    type: "block_actions",
    team: { id: "T111" },
    user: { id: user, name: user },
    api_app_id: "A111",
    trigger_id: `1.2.${actionTs}`,
    response_url: `${SLACK_API_ORIGIN}/actions/response`,
    container: { type: "message", channel_id: "CTEAM" },
    channel: { id: "CTEAM" },
    actions: [
      {
        type: "button",
        action_id: ACTION.digestAssignToMe,
        value: String(accountId),
        block_id: "b",
        action_ts: actionTs,
      },
    ],
  });

  it("moves the account's open tasks to the new owner and DMs the previous one", async () => {
    nockAuthTest();
    const replies = captureReplies("/actions/response");
    await app.interaction(click("UNEW", "1"));
    expect(String((await eventually(() => replies[0])).text)).toContain(
      "You now own *Acme*. 2 open tasks moved to you.",
    );
    const tasks = await t.db.playbookTask.findMany({
      where: { workspaceId },
      include: { owner: true },
      orderBy: { dedupeKey: "asc" },
    });
    expect(tasks.map((x) => [x.dedupeKey, x.owner?.slackUserId])).toEqual([
      ["a", "UNEW"],
      ["b", "UNEW"],
      // Work already done stays to the credit of whoever did it; other accounts are untouched.
      ["c", "UOLD"],
      ["d", "UOLD"],
    ]);
    const dm = await eventually(() => app.notifier.posts.find((p) => p.channel === "UOLD"));
    expect(dm.text).toContain("<@UNEW> took over *Acme* from you");
    expect(dm.text).toContain("Your 2 open tasks for it moved to them");
  });

  it("writes nothing and tells no one when the clicker already owns it", async () => {
    nockAuthTest();
    const replies = captureReplies("/actions/response");
    const dmsBefore = app.notifier.posts.length;
    await app.interaction(click("UNEW", "2"));
    expect(String((await eventually(() => replies[0])).text)).toContain("You already own *Acme*");
    expect(await t.db.auditLog.count({ where: { action: "account.assign" } })).toBe(1);
    expect(app.notifier.posts.length).toBe(dmsBefore);
  });
});
