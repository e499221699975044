// app_uninstalled, and tokens_revoked for the bot token: the workspace goes inactive and
// its data is kept for PULSE_RETENTION_DAYS_AFTER_UNINSTALL, then erased by a daily job.
// Revoked user tokens alone change nothing: Pulse acts only with its bot token.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { deactivateWorkspace, type DeactivationReason } from "../../../services/workspace-lifecycle.js";

const lifecycleBodySchema = z.object({
  team_id: z.string().optional(),
  authorizations: z.array(z.object({ team_id: z.string().nullish() })).optional(),
  event: z.object({
    type: z.enum(["app_uninstalled", "tokens_revoked"]),
    tokens: z.object({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }).optional(),
  }),
});
export type LifecycleBody = z.infer<typeof lifecycleBodySchema>;

export function workspaceLifecycleCallback(ctx: AppContext) {
  return async ({
    body,
  }: SlackEventMiddlewareArgs<"app_uninstalled" | "tokens_revoked"> & AllMiddlewareArgs): Promise<void> => {
    const parsed = lifecycleBodySchema.safeParse(body);
    if (!parsed.success) {
      ctx.logger.warn(
        { issues: parsed.error.issues.map((i) => i.path.join(".")) },
        "ignored a malformed uninstall event",
      );
      return;
    }
    const { event } = parsed.data;
    const teamId = parsed.data.team_id ?? parsed.data.authorizations?.[0]?.team_id;
    if (!teamId) return;
    if (event.type === "tokens_revoked" && !event.tokens?.bot?.length) return;
    const reason: DeactivationReason = event.type;
    const outcome = await deactivateWorkspace({
      db: ctx.db,
      teamId,
      reason,
      now: ctx.clock(),
      retentionDays: ctx.config.retentionDaysAfterUninstall,
    });
    ctx.logger.info(
      { teamId, reason, ...outcome },
      outcome.deactivated ? "workspace deactivated" : "workspace deactivation skipped",
    );
  };
}
