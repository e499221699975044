// Every scheduled job Pulse runs, composed from services. Bodies live in run*(ctx, now)
// functions so tests can call them with a fixed clock.
import type { AppContext } from "../app-context.js";
import type { JobDefinition } from "./scheduler.js";
import { alertPendingDetractors } from "../services/detractor-alert.js";
import { runChannelRollup } from "./channel-rollup.js";
import { runDigestsJob } from "./digests.js";
import { runEraseInactiveWorkspaces } from "./erase-inactive-workspaces.js";
import { runPruneEventReceipts } from "./prune-event-receipts.js";
import { runPruneUsageEvents } from "./prune-usage-events.js";
import { runScoreAccounts } from "./score-accounts.js";
import { checkAllAdoptedModels } from "../services/model-check.js";

/** Every job's name, for `pulse run <job>`; buildJobs must define exactly these. */
export const JOB_NAMES = [
  "digests",
  "detractor-alerts",
  "channel-rollup",
  "prune-event-receipts",
  "prune-usage-events",
  "erase-inactive-workspaces",
  "check-churn-model",
  "score-accounts",
] as const;

export type JobName = (typeof JOB_NAMES)[number];

export function buildJobs(ctx: AppContext): (JobDefinition & { name: JobName })[] {
  return [
    {
      name: "digests",
      cron: "* * * * *",
      timezone: "UTC",
      scope: "workspace",
      run: ({ now, slot, workspaceIds }) => runDigestsJob(ctx, now, `digest-tick:${slot}`, workspaceIds),
    },
    {
      name: "detractor-alerts",
      cron: "*/5 * * * *",
      timezone: "UTC",
      scope: "workspace",
      run: ({ now, workspaceIds }) => alertPendingDetractors(ctx, now, workspaceIds).then(() => undefined),
    },
    {
      name: "channel-rollup",
      cron: "7 * * * *",
      timezone: "UTC",
      scope: "global",
      run: ({ now }) => runChannelRollup(ctx, now).then(() => undefined),
    },
    {
      name: "prune-event-receipts",
      cron: "17 * * * *",
      timezone: ctx.config.timezone,
      scope: "global",
      run: ({ now }) => runPruneEventReceipts(ctx, now).then(() => undefined),
    },
    {
      name: "prune-usage-events",
      cron: "41 3 * * *",
      timezone: ctx.config.timezone,
      scope: "global",
      run: ({ now }) => runPruneUsageEvents(ctx, now).then(() => undefined),
    },
    {
      name: "erase-inactive-workspaces",
      cron: "53 3 * * *",
      timezone: ctx.config.timezone,
      scope: "global",
      run: ({ now }) => runEraseInactiveWorkspaces(ctx, now).then(() => undefined),
    },
    {
      // Weekly: the adopted churn model back-tested on the newest outcomes.
      name: "check-churn-model",
      cron: "23 4 * * 1",
      timezone: ctx.config.timezone,
      scope: "workspace",
      run: ({ now, workspaceIds }) => checkAllAdoptedModels(ctx, now, workspaceIds).then(() => undefined),
    },
    {
      name: "score-accounts",
      cron: ctx.config.scoreCron,
      timezone: ctx.config.timezone,
      scope: "workspace",
      run: ({ now, workspaceIds }) => runScoreAccounts(ctx, now, { workspaceIds }).then(() => undefined),
    },
  ];
}
