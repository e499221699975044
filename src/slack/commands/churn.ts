// `/pulse churn [account]`, `/pulse churn winback <account>`, `/pulse churn report [period]`.
import { parseReportPeriod, PeriodParseError } from "../../domain/churn-metrics.js";
import { AppError } from "../../errors.js";
import { buildChurnReport } from "../../services/churn-report.js";
import { findAccountByName, listActiveAccountChoices, winBackAccount } from "../../services/churn-post-mortem.js";
import { errorReplyText } from "../middleware/translate-error.js";
import { loadingModal, noticeModal } from "../views/modals.js";
import { churnReportBlocks, churnReportText } from "../views/churn-report.js";
import { postMortemModal } from "../views/churn-modals.js";
import { winBackText } from "../views/retro-thread.js";
import type { Subcommand } from "./types.js";

export const churnSubcommand: Subcommand = {
  name: "churn",
  keywords: ["lost", "cancel", "cancelled", "post-mortem", "retro", "downgrade"],
  usage: "/pulse churn [account]",
  summary: "file a churn or downgrade post-mortem; starts a retrospective thread",
  examples: ['/pulse churn "Acme Corp"'],
  lazy: true,
  async run({ ctx, slack, pulse, args, rest, triggerId, channelId }) {
    const today = ctx.clock();
    // Open first (trigger_id's three seconds), then read the accounts and fill the form in.
    const { viewId } = await slack.openView(triggerId, loadingModal("Churn post-mortem"));
    const workspace = await pulse.workspace();
    try {
      if (args.length) {
        const account = await findAccountByName(ctx.db, workspace.id, args.join(" ") || rest);
        if (account.status === "churned") {
          throw new AppError(
            "CONFLICT",
            `account ${account.id} already churned`,
            `${account.name} is already churned. To reverse it: \`/pulse churn winback "${account.name}"\`.`,
          );
        }
        await slack.updateView(
          viewId,
          postMortemModal({ account, today, metadata: { accountId: account.id, channelId } }),
        );
        return;
      }
      const choices = await listActiveAccountChoices(ctx.db, workspace.id, 101);
      if (!choices.length)
        throw new AppError("NOT_FOUND", "no active accounts", "There are no active accounts to file a churn for.");
      await slack.updateView(
        viewId,
        postMortemModal({
          choices: choices.slice(0, 100),
          moreAccounts: choices.length > 100,
          today,
          metadata: { channelId },
        }),
      );
    } catch (error) {
      // The loading modal is open: say why in it, not only in the channel.
      await slack
        .updateView(viewId, noticeModal("Churn post-mortem", errorReplyText(error, pulse.requestId)))
        .catch(() => undefined);
      throw error;
    }
  },
};

export const churnWinbackSubcommand: Subcommand = {
  name: "churn winback",
  usage: "/pulse churn winback <account>",
  summary: "reverse a churn or downgrade: the account is active again at its ARR",
  examples: ['/pulse churn winback "Acme Corp"'],
  writes: true,
  async run({ ctx, slack, workspace, user, args, respond, requestId }) {
    if (!args.length)
      throw new AppError(
        "INVALID_INPUT",
        "winback without account",
        'Name the account to win back, e.g. `/pulse churn winback "Acme Corp"`.',
      );
    const account = await findAccountByName(ctx.db, workspace.id, args.join(" "));
    const result = await winBackAccount(ctx.db, {
      workspaceId: workspace.id,
      actor: user,
      accountId: account.id,
      now: ctx.clock(),
      requestId,
    });
    await respond({ text: winBackText(result.account.name, result.outcome) });
    const { retroChannelId, retroThreadTs } = result.churnEvent;
    if (retroChannelId && retroThreadTs) {
      await slack
        .post({
          channel: retroChannelId,
          threadTs: retroThreadTs,
          text: winBackText(result.account.name, result.outcome, user.slackUserId),
          blocks: [],
        })
        .catch((error: unknown) =>
          ctx.logger.warn({ err: error, requestId }, "could not post the win-back in the retro thread"),
        );
    }
  },
};

export const churnReportSubcommand: Subcommand = {
  name: "churn report",
  keywords: ["grr", "nrr", "retention", "rate", "revenue", "lost", "metric"],
  usage: "/pulse churn report [period]",
  summary: "logo and revenue churn, GRR, NRR, reasons, warning and CLV for a period (default last quarter)",
  examples: ["/pulse churn report", "/pulse churn report 2026-Q3", "/pulse churn report last-90d"],
  async run({ ctx, workspace, args, respond }) {
    let period: ReturnType<typeof parseReportPeriod>;
    try {
      period = parseReportPeriod(args[0], ctx.clock());
    } catch (error) {
      if (error instanceof PeriodParseError) throw new AppError("INVALID_INPUT", error.message, error.message);
      throw error;
    }
    const report = await buildChurnReport(ctx.db, { workspaceId: workspace.id, period });
    await respond({
      text: churnReportText(report.metrics, report.currency),
      blocks: churnReportBlocks(report.metrics, report.currency),
    });
  },
};
