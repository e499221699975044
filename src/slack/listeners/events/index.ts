// App Home, mentions and direct messages. A question holding account data is answered
// privately (ephemeral) unless it was asked in a DM with Pulse; help is answered openly.
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../app-context.js";
import { parseIntent } from "../../../domain/conversation.js";
import { buildHome } from "../../home.js";
import { getPortfolio } from "../../../services/portfolio.js";
import { lookupReply } from "../../commands/account.js";
import { renderHelp } from "../../commands/help.js";
import { subcommands } from "../../commands/index.js";
import { notUnderstoodReply } from "../../commands/suggest.js";
import { escapeMrkdwn } from "../../block-kit.js";
import type { Reply } from "../../commands/types.js";
import { pulseOf, type PulseRequest } from "../../middleware/pulse-request.js";
import { portfolioBlocks } from "../../views/portfolio.js";

interface Question {
  userId: string;
  channel: string;
  text: string;
  threadTs: string;
  isDm: boolean;
}

async function answer(ctx: AppContext, pulse: PulseRequest, q: Question): Promise<void> {
  const intent = parseIntent(q.text);
  const [workspace, user] = [await pulse.workspace(), await pulse.user()];
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
      const rows =
        intent.kind === "at_risk"
          ? portfolio.rows.filter((r) => r.band === "red" || r.band === "yellow" || r.band === null)
          : portfolio.rows;
      const title =
        intent.kind === "at_risk" ? (own.rows.length ? "Your accounts at risk" : "Accounts at risk") : "Your portfolio";
      // Portfolios are riskiest first, so the at-risk rows are its first pages: the same
      // `/pulse portfolio` pages continue this list.
      const all = own.rows.length ? "" : " all";
      reply = {
        text: `${title}: ${rows.length}`,
        blocks: portfolioBlocks(
          title,
          { rows, counts: portfolio.counts },
          { command: (n) => `/pulse portfolio${all} page ${n}` },
        ),
      };
      break;
    }
    case "account": {
      // Most sentences Pulse has no rule for end up here: when they name no account either,
      // they are not understood, not "No account matches <the whole sentence>".
      const sentence = q.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, " ").trim();
      const mayBeAName = intent.query.split(" ").length <= 2;
      reply = await lookupReply({ ctx, workspace, user, requestId: pulse.requestId }, intent.query, () =>
        notUnderstoodReply(sentence, subcommands, {
          questions: true,
          ...(mayBeAName ? { aside: `, and no account matches *${escapeMrkdwn(intent.query.slice(0, 100))}*` } : {}),
        }),
      );
      break;
    }
  }
  const message = {
    channel: q.channel,
    threadTs: q.threadTs,
    text: reply.text,
    ...(reply.blocks ? { blocks: reply.blocks } : {}),
  };
  if (q.isDm || !holdsAccountData) await pulse.slack.post(message);
  else await pulse.slack.ephemeral({ ...message, userSlackId: q.userId });
}

export function registerEventListeners(app: App, ctx: AppContext): void {
  app.event("app_home_opened", async ({ event, context }) => {
    if (event.tab !== "home") return;
    const pulse = pulseOf(context);
    const workspace = await pulse.workspace();
    await pulse.user();
    await pulse.slack.publishHome(event.user, await buildHome(ctx, workspace.id, event.user));
  });

  app.event("app_mention", async ({ event, context }) => {
    if (!event.user) return;
    await answer(ctx, pulseOf(context), {
      userId: event.user,
      channel: event.channel,
      text: event.text,
      threadTs: event.thread_ts ?? event.ts,
      isDm: event.channel.startsWith("D"),
    });
  });

  app.event("message", async ({ event, context }) => {
    const m = event as {
      subtype?: string;
      channel_type?: string;
      channel: string;
      user?: string;
      text?: string;
      ts: string;
      thread_ts?: string;
      bot_id?: string;
    };
    if (m.channel_type !== "im" || m.subtype || m.bot_id || !m.user || !m.text) return;
    await answer(ctx, pulseOf(context), {
      userId: m.user,
      channel: m.channel,
      text: m.text,
      threadTs: m.thread_ts ?? m.ts,
      isDm: true,
    });
  });
}
