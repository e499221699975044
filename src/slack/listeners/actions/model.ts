// `/pulse admin model`'s buttons: adopt the named version, or go back to the rules model.
import type { App } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../app-context.js";
import { AppError } from "../../../errors.js";
import { adoptModelVersion, retireAdoptedModel } from "../../../services/health-models.js";
import { requireRole } from "../../../services/workspace-users.js";
import { escapeMrkdwn } from "../../block-kit.js";
import { ACTION } from "../../ids.js";
import { onWriteButton } from "../define.js";

const versionSchema = z.string().regex(/^[\w.-]{1,64}$/);

export function registerModelActionListeners(app: App, ctx: AppContext): void {
  onWriteButton(app, ACTION.adoptModel, async ({ workspace, user, value }) => {
    requireRole(user, ["admin"], "adopt a churn model");
    const version = versionSchema.safeParse(value);
    if (!version.success)
      throw new AppError(
        "INVALID_INPUT",
        `bad model version ${value}`,
        "This button is out of date; run `/pulse admin model` again.",
      );
    const adopted = await adoptModelVersion(ctx.db, workspace.id, version.data, {
      now: ctx.clock(),
      actorSlackId: user.slackUserId,
    });
    return {
      text: `:white_check_mark: *${escapeMrkdwn(adopted.version)}* scores this workspace from the next scoring run.`,
    };
  });
  onWriteButton(app, ACTION.retireModel, async ({ workspace, user }) => {
    requireRole(user, ["admin"], "change the churn model");
    const retired = await retireAdoptedModel(ctx.db, workspace.id, ctx.clock());
    return {
      text: retired
        ? ":white_check_mark: The rules model scores this workspace from the next scoring run."
        : "The rules model already scores this workspace.",
    };
  });
}
