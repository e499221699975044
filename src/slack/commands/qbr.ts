// `/pulse qbr <account> [--quarter 2026-Q4]`: builds the QBR pack from stored evidence and
// sends the internal version to the asker's DM, as a canvas or (fallback) a markdown file.
// The customer version waits for the CSM's approval button; nothing goes to a channel.
import type { AppContext } from "../../app-context.js";
import type { QbrPackContent } from "../../domain/success-plan-qbr.js";
import { AppError } from "../../errors.js";
import { buildQbrPack, recordQbrDelivery, type Audience } from "../../services/qbr-pack.js";
import type { DocumentDelivery, SlackPort } from "../../services/slack-port.js";
import type { PlanActor } from "../../services/success-plans.js";
import { escapeMrkdwn } from "../block-kit.js";
import { qbrDeliveredBlocks, qbrFileName, qbrMarkdown, qbrTitle } from "../views/qbr-pack.js";
import { oneAccountOrReply } from "./account-query.js";
import type { Subcommand } from "./types.js";

/** Splits `acme corp --quarter 2026-Q4` (or `--quarter=2026-Q4`) into the account words and the quarter. */
export function parseQbrArgs(args: string[]): { query: string; quarter?: string } {
  const words: string[] = [];
  let quarter: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.toLowerCase() === "--quarter") {
      quarter = args[++i];
      if (!quarter)
        throw new AppError(
          "INVALID_INPUT",
          "--quarter without a value",
          "Give the quarter after --quarter, like `--quarter 2026-Q4`.",
        );
    } else if (a.toLowerCase().startsWith("--quarter=")) quarter = a.slice("--quarter=".length);
    else if (a.startsWith("--"))
      throw new AppError(
        "INVALID_INPUT",
        `unknown flag ${a}`,
        `I don't know ${a.slice(0, 30)}: the only option is --quarter 2026-Q4.`,
      );
    else words.push(a);
  }
  return { query: words.join(" "), ...(quarter !== undefined ? { quarter } : {}) };
}

/**
 * Delivers one version of a stored pack to the actor alone and records where it went. A
 * pack carries health scores, reasons and ARR: it is never posted to a channel, not even
 * the one the command came from, only given to the person (a private canvas or a file in
 * their DM) and announced in their DM.
 */
export async function sendQbrPack(
  ctx: Pick<AppContext, "db" | "logger">,
  slack: SlackPort,
  actor: PlanActor,
  packId: number,
  content: QbrPackContent,
  audience: Audience,
): Promise<DocumentDelivery> {
  const delivery = await slack.deliverPrivateDocument({
    userSlackId: actor.slackUserId,
    title: qbrTitle(content),
    markdown: qbrMarkdown(content),
    fileName: qbrFileName(content),
  });
  if (delivery.fallbackReason)
    ctx.logger.warn(
      { requestId: actor.requestId, code: delivery.fallbackReason, packId },
      "canvas unavailable: sent the QBR pack as a markdown file",
    );
  await recordQbrDelivery(ctx.db, actor, packId, audience, delivery);
  await slack.dm(actor.slackUserId, qbrDeliveredBlocks(content, packId, delivery));
  return delivery;
}

export const qbrSubcommand: Subcommand = {
  name: "qbr",
  keywords: ["business", "review", "quarterly", "deck", "pack"],
  usage: "/pulse qbr <account> [--quarter 2026-Q4]",
  summary:
    "a QBR pack built from Pulse's evidence, sent to your DM (canvas); the customer version after you approve it",
  examples: ["/pulse qbr acme", "/pulse qbr acme --quarter 2026-Q4"],
  async run({ ctx, slack, workspace, user, args, respond, requestId }) {
    const { query, quarter } = parseQbrArgs(args);
    if (!query) {
      await respond({ text: "Which account? Try `/pulse qbr acme --quarter 2026-Q4`." });
      return;
    }
    const account = await oneAccountOrReply({ ctx, workspace, respond }, query);
    if (!account) return;
    const actor = { workspaceId: workspace.id, slackUserId: user.slackUserId, requestId };
    const started = Date.now();
    const built = await buildQbrPack(ctx, actor, account.id, quarter);
    ctx.logger.info(
      { requestId, accountId: account.id, quarter: built.content.quarter, ms: Date.now() - started },
      "QBR pack built",
    );
    const delivery = await sendQbrPack(ctx, slack, actor, built.packId, built.content, "internal");
    const how =
      delivery.kind === "canvas"
        ? "as a canvas"
        : `as a markdown file (canvases were not available: ${delivery.fallbackReason})`;
    await respond({
      text: `:bar_chart: Sent the ${built.content.quarter} QBR pack of *${escapeMrkdwn(account.name)}* to your DM ${how}. Approve the customer version from there.`,
    });
  },
};
