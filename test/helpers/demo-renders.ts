// Everything Pulse shows people, rendered from the demo portfolio: the first night's task
// DMs and App Homes, account cards, a digest, and a churn's retro thread. Tests read the
// Block Kit that would reach Slack, not the view models.
import type { AppContext } from "../../src/app-context.js";
import { addDays, startOfUtcDay } from "../../src/domain/dates.js";
import { DEMO_TEAM_ID } from "../../src/domain/demo-portfolio.js";
import { nightlyRunFor } from "../../src/jobs/score-accounts.js";
import { getAccountCard } from "../../src/services/account-card.js";
import { suggestChannelLink } from "../../src/services/channel-link-suggestions.js";
import { digestPosterFactory } from "../../src/services/digest-poster.js";
import { readDigestPage, runDigests } from "../../src/services/digests.js";
import { getPortfolio } from "../../src/services/portfolio.js";
import { gatherRetroEvidence } from "../../src/services/retro.js";
import { backfillScores } from "../../src/services/score-accounts.js";
import { seedDemoPortfolio } from "../../src/services/seed-demo.js";
import { accountCardBlocks } from "../../src/slack/views/account-card.js";
import { postMortemModal, retroActionItemModal } from "../../src/slack/views/churn-modals.js";
import { digestListModal } from "../../src/slack/views/digest.js";
import { surveyModal, touchpointModal } from "../../src/slack/views/modals.js";
import { portfolioBlocks } from "../../src/slack/views/portfolio.js";
import {
  retroHealthMessage,
  retroParentMessage,
  retroSurveysMessage,
  retroTasksMessage,
  retroTouchpointsMessage,
} from "../../src/slack/views/retro-thread.js";
import type { Db } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { testConfig } from "./portfolio.js";
import { RecordingSlack } from "./slack.js";

export interface Rendered {
  /** Where it would appear, for failure messages. */
  surface: string;
  blocks: unknown[];
  text?: string;
}

export async function renderDemo(db: Db, url: string, now: Date): Promise<Rendered[]> {
  const today = startOfUtcDay(now);
  const workspaceId = (await seedDemoPortfolio(db, { now })).workspaceId;
  const slack = new RecordingSlack();
  // Connected (not local mode), so the night publishes App Homes too.
  const config = { ...testConfig, slack: { ...testConfig.slack, mode: "socket" as const } };
  const ctx: AppContext = { db, databaseUrl: url, logger: createLogger("silent"), config, slack, clock: () => now };
  // A week of history, so cards and digests have a comparison day.
  await backfillScores(ctx, workspaceId, { from: addDays(today, -7), to: addDays(today, -1) });
  await nightlyRunFor(ctx, "seed-demo")(workspaceId, now);
  const admin = await db.user.findFirstOrThrow({ where: { workspaceId, role: "admin" } });
  const subscription = await db.digestSubscription.create({
    data: {
      workspaceId,
      channelId: "CDIGEST",
      createdById: admin.id,
      bands: ["red", "yellow"],
      postAtMinutes: 0,
      timezone: "UTC",
    },
  });
  await runDigests(ctx, { posterFor: digestPosterFactory(ctx), instanceId: "render" }, now);
  // Pulse added to a customer's shared channel that looks like one of the demo's accounts:
  // the owner's link suggestion DM (Link it / Not now).
  const customer = await db.account.findFirstOrThrow({
    where: { workspaceId, status: "active", ownerId: { not: null } },
    orderBy: { id: "asc" },
    select: { name: true },
  });
  slack.channels.set("CDEMOSHARED", {
    id: "CDEMOSHARED",
    name: "customer-shared",
    externallyShared: true,
    teamIds: [DEMO_TEAM_ID, "TDEMOCUSTOMER"],
  });
  slack.teams.set("TDEMOCUSTOMER", { id: "TDEMOCUSTOMER", name: `${customer.name}, Inc.` });
  const suggestion = await suggestChannelLink(ctx, slack.forWorkspace(workspaceId), {
    slackTeamId: DEMO_TEAM_ID,
    channelId: "CDEMOSHARED",
  });
  if (!suggestion.suggested) throw new Error(`the demo's channel link suggestion was not made: ${suggestion.why}`);

  const out: Rendered[] = [
    ...slack.posts.map((p) => ({ surface: `message to ${p.channel}`, blocks: p.blocks ?? [], text: p.text })),
    ...slack.homes.map((h) => ({ surface: `App Home of ${h.userSlackId}`, blocks: h.view.blocks })),
  ];
  // Cards of accounts with the most to show: touchpoints, surveys, tasks.
  const accounts = await db.account.findMany({
    where: { workspaceId, status: "active" },
    orderBy: [{ touchpoints: { _count: "desc" } }, { id: "asc" }],
    take: 12,
    select: { id: true, name: true },
  });
  for (const a of accounts)
    out.push({
      surface: `card of ${a.name}`,
      blocks: accountCardBlocks(await getAccountCard(db, workspaceId, a.id, now)),
    });
  const churn = await db.churnEvent.findFirstOrThrow({ where: { workspaceId }, orderBy: { churnedOn: "desc" } });
  const evidence = await gatherRetroEvidence(db, workspaceId, churn.id, "Europe/Madrid");
  for (const [name, message] of [
    ["retro parent", retroParentMessage(evidence.event)],
    ["retro health", retroHealthMessage(evidence, { uploaded: true })],
    ["retro touchpoints", retroTouchpointsMessage(evidence)],
    ["retro surveys", retroSurveysMessage(evidence)],
    ["retro tasks", retroTasksMessage(evidence)],
  ] as const)
    out.push({ surface: name, blocks: message.blocks, text: message.text });
  // What the commands and buttons open: the portfolio, the digest's full list, the modals.
  const csm = await db.user.findFirstOrThrow({ where: { workspaceId, role: "csm" } });
  out.push({
    surface: "portfolio (mine)",
    blocks: portfolioBlocks("Your portfolio", await getPortfolio(db, workspaceId, csm.id)),
  });
  const all = await getPortfolio(db, workspaceId, null);
  out.push({ surface: "portfolio (all)", blocks: portfolioBlocks("Every account", all) });
  out.push({ surface: "portfolio (all, page 2)", blocks: portfolioBlocks("Every account", all, { page: 2 }) });
  for (const page of [1, 2]) {
    const modal = digestListModal(await readDigestPage(ctx, workspaceId, subscription.id, page, now));
    out.push({ surface: `digest list page ${page}`, blocks: modal.blocks });
  }
  const account = { id: accounts[0]!.id, name: accounts[0]!.name };
  for (const [name, modal] of [
    ["touchpoint modal", touchpointModal({ account, today, metadata: {} })],
    ["NPS modal", surveyModal({ kind: "nps", account, today, metadata: {} })],
    ["CSAT modal", surveyModal({ kind: "csat", account, today, metadata: {} })],
    ["post-mortem modal", postMortemModal({ account: { ...account, arr: 1, currency: "USD" }, today, metadata: {} })],
    ["action item modal", retroActionItemModal({ churnEventId: churn.id, accountName: account.name, today })],
  ] as const)
    out.push({ surface: name, blocks: modal.blocks });
  return out;
}

/** Every human-readable string in a Block Kit payload (text fields, not ids or dates for pickers). */
export function textsOf(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (typeof v === "string") {
      if (key === "text" || key === "alt_text" || key === "placeholder") found.push(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v) walk(x, key === "fields" || key === "elements" ? "text" : undefined);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(value);
  return found;
}
