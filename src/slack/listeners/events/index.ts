// App Home, mentions and direct messages. A question holding account data is answered
// privately (ephemeral) unless it was asked in a DM with Pulse; help is answered openly.
import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { AppContext } from "../../../app-context.js";
import { parseIntent } from "../../../domain/conversation.js";
import { isAppError } from "../../../errors.js";
import { publishHome } from "../../../services/home.js";
import { getPortfolio } from "../../../services/portfolio.js";
import { resolveUser, resolveWorkspace } from "../../../services/workspace-users.js";
import { lookupReply } from "../../commands/account.js";
import { renderHelp } from "../../commands/help.js";
import { subcommands } from "../../commands/index.js";
import type { Reply } from "../../commands/types.js";
import { portfolioBlocks } from "../../views/portfolio.js";

interface Question {
  teamId: string;
  userId: string;
  channel: string;
  text: string;
  threadTs: string;
  isDm: boolean;
}

async function answer(ctx: AppContext, client: WebClient, q: Question): Promise<void> {
  const intent = parseIntent(q.text);
  const workspace = await resolveWorkspace(ctx.db, q.teamId);
  const user = await resolveUser(ctx.db, workspace.id, q.userId);
  let reply: Reply;
  let holdsAccountData = true;
  switch (intent.kind) {
    case "help":
      reply = renderHelp(subcommands);
      holdsAccountData = false;
      break;
    case "portfolio":
    case "at_risk": {
      const own = await getPortfolio(ctx.db, workspace.id, user.id);
      const portfolio = own.rows.length ? own : await getPortfolio(ctx.db, workspace.id, null);
      const rows = intent.kind === "at_risk" ? portfolio.rows.filter((r) => r.band === "red" || r.band === "yellow" || r.band === null) : portfolio.rows;
      const title = intent.kind === "at_risk" ? (own.rows.length ? "Your accounts at risk" : "Accounts at risk") : "Your portfolio";
      reply = { text: `${title}: ${rows.length}`, blocks: portfolioBlocks(title, { rows: rows.slice(0, 40), counts: portfolio.counts }) };
      break;
    }
    case "account": {
      reply = await lookupReply({ ctx, workspace, user, requestId: q.threadTs }, intent.query);
      break;
    }
  }
  const blocks = reply.blocks ? { blocks: reply.blocks as never } : {};
  if (q.isDm || !holdsAccountData) {
    await client.chat.postMessage({ channel: q.channel, thread_ts: q.threadTs, text: reply.text, ...blocks });
  } else {
    await client.chat.postEphemeral({ channel: q.channel, user: q.userId, thread_ts: q.threadTs, text: reply.text, ...blocks });
  }
}

async function answerSafely(ctx: AppContext, client: WebClient, q: Question): Promise<void> {
  try {
    await answer(ctx, client, q);
  } catch (error) {
    ctx.logger.error({ err: error }, "could not answer a question");
    const text = isAppError(error) ? `:warning: ${error.userMessage}` : ":x: Sorry, something went wrong answering that. Please try again.";
    await client.chat.postEphemeral({ channel: q.channel, user: q.userId, thread_ts: q.threadTs, text }).catch(() => undefined);
  }
}

export function registerEventListeners(app: App, ctx: AppContext): void {
  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    const workspace = await resolveWorkspace(ctx.db, context.teamId ?? "");
    await resolveUser(ctx.db, workspace.id, event.user);
    await publishHome(ctx, client, workspace.id, event.user);
  });

  app.event("app_mention", async ({ event, client, context }) => {
    if (!event.user) return;
    await answerSafely(ctx, client, {
      teamId: context.teamId ?? event.team ?? "",
      userId: event.user,
      channel: event.channel,
      text: event.text,
      threadTs: event.thread_ts ?? event.ts,
      isDm: event.channel.startsWith("D"),
    });
  });

  app.event("message", async ({ event, client, context }) => {
    const m = event as { subtype?: string; channel_type?: string; channel: string; user?: string; text?: string; ts: string; thread_ts?: string; bot_id?: string };
    if (m.channel_type !== "im" || m.subtype || m.bot_id || !m.user || !m.text) return;
    await answerSafely(ctx, client, { teamId: context.teamId ?? "", userId: m.user, channel: m.channel, text: m.text, threadTs: m.thread_ts ?? m.ts, isDm: true });
  });
}
