// Inbound, once: a global Bolt middleware that reads who is asking from the payload and puts
// it on `context.pulse` (the team, the Slack user, a request id, this request's Slack port),
// then runs the listeners and turns whatever they throw into one reply (translate-error.ts).
//
// The workspace and the Pulse user are looked up on first use, not here: a listener that
// opens a modal calls views.open before anything touches the database (the trigger_id
// lives three seconds), and reads context.pulse.workspace() afterwards.
import { createHash, randomUUID } from "node:crypto";
import type { AnyMiddlewareArgs, Context, Middleware } from "@slack/bolt";
import type { AppContext } from "../../app-context.js";
import { AppError } from "../../errors.js";
import type { User, Workspace } from "../../generated/prisma/client.js";
import { claimRequestKey, releaseRequestKey } from "../../services/request-keys.js";
import type { SlackPort } from "../../services/slack-port.js";
import { resolveUser, resolveWorkspace } from "../../services/workspace-users.js";
import { unescapeIncomingText } from "./incoming-text.js";
import { translateError } from "./translate-error.js";

export interface PulseRequest {
  requestId: string;
  teamId: string;
  userSlackId: string | undefined;
  /** Acts with the token Bolt authorised this request with. */
  slack: SlackPort;
  workspace(): Promise<Workspace>;
  /** The Pulse user behind the Slack user who acted (created on first contact). */
  user(): Promise<User>;
  /**
   * Claims this request's idempotency key; false when the same request was already handled
   * (a double click, a replay). Write paths call it before writing; see request-keys.ts.
   */
  claimOnce(): Promise<boolean>;
  /** Gives the claim back when the request turned out to write nothing (a refused form). */
  releaseClaim(): Promise<void>;
  /** Where a modal's unplaced errors go, set by a view listener before it calls a service. */
  modal?: { fieldBlocks: Record<string, string>; fallbackBlock: string };
}

type Body = Record<string, unknown> & {
  type?: string;
  team?: { id?: unknown; domain?: unknown } | null;
  team_id?: unknown;
  team_domain?: unknown;
  user?: { id?: unknown; team_id?: unknown; name?: unknown } | null;
  user_id?: unknown;
  user_name?: unknown;
  enterprise?: { id?: unknown } | null;
  enterprise_id?: unknown;
  is_enterprise_install?: unknown;
  event?: { user?: unknown; team?: unknown } | null;
  view?: { id?: unknown; team_id?: unknown; state?: { values?: unknown } } | null;
  actions?: { action_id?: unknown; action_ts?: unknown; value?: unknown }[];
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/**
 * The team a payload came from: team.id, user.team_id, team_id (commands, events), the
 * view's team, what Bolt authorised, or the enterprise of an org-wide install. Undefined
 * when none is given: such a payload is refused (it once created a workspace "" whose
 * first user became admin).
 */
export function teamIdOf(body: Body, context: Context): string | undefined {
  const enterprise =
    body.is_enterprise_install === true ||
    body.is_enterprise_install === "true" ||
    context.isEnterpriseInstall === true;
  return (
    str(body.team?.id) ??
    str(body.user?.team_id) ??
    str(body.team_id) ??
    str(body.view?.team_id) ??
    str(context.teamId) ??
    (enterprise ? (str(body.enterprise?.id) ?? str(body.enterprise_id) ?? str(context.enterpriseId)) : undefined)
  );
}

function userIdOf(body: Body): string | undefined {
  return str(body.user?.id) ?? str(body.user_id) ?? str(body.event?.user);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 40);

/**
 * The key a repeated delivery of this request shares: the view id and a hash of its values
 * for a submission, the action and its action_ts/trigger for a button, a fingerprint of the
 * whole command (trigger_id included, which Slack makes new for every invocation).
 */
export function requestKeyOf(body: Body): string | undefined {
  if (body.type === "view_submission" && str(body.view?.id))
    return `view:${body.view!.id as string}:${sha256(JSON.stringify(body.view?.state?.values ?? {}))}`;
  if (body.type === "block_actions" && body.actions?.[0]) {
    const a = body.actions[0];
    return `action:${sha256([a.action_id, a.action_ts, a.value, body.trigger_id, userIdOf(body)].map(String).join("|"))}`;
  }
  if (typeof body.command === "string") {
    return `command:${sha256([body.team_id, body.user_id, body.channel_id, body.command, body.text, body.trigger_id].map(String).join("|"))}`;
  }
  return undefined;
}

export function pulseOf(context: Context): PulseRequest {
  const pulse = context.pulse as PulseRequest | undefined;
  if (!pulse) throw new Error("context.pulse is missing: is pulseRequestMiddleware registered first?");
  return pulse;
}

export interface PulseRequestDeps {
  /** This request's port, for the token Bolt authorised it with. */
  portFor(context: Context, teamId: string): SlackPort;
  /** Told when a request starts and when it is done, its error reply included (shutdown, tests). */
  onStart?(): void;
  onSettled?(): void;
}

const NO_TEAM = "Slack did not say which workspace this came from, so Pulse did nothing.";

export function pulseRequestMiddleware(ctx: AppContext, deps: PulseRequestDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    deps.onStart?.();
    try {
      await handleRequest(args);
    } finally {
      deps.onSettled?.();
    }
  };

  async function handleRequest(args: Parameters<Middleware<AnyMiddlewareArgs>>[0]): Promise<void> {
    const body = args.body as Body;
    unescapeIncomingText(body);
    const { context } = args;
    const requestId = randomUUID();
    const teamId = teamIdOf(body, context);
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (!teamId) {
      ctx.logger.warn({ requestId, type: body.type ?? "unknown" }, "refused a Slack payload without a team id");
      if (ack)
        await ack(
          typeof body.command === "string" ? { response_type: "ephemeral", text: `:warning: ${NO_TEAM}` } : undefined,
        ).catch(() => undefined);
      return;
    }
    const userSlackId = userIdOf(body);
    let workspace: Promise<Workspace> | undefined;
    let user: Promise<User> | undefined;
    let claimed: { workspaceId: number; key: string } | undefined;
    const teamName = str(body.team?.domain) ?? str(body.team_domain);
    const pulse: PulseRequest = {
      requestId,
      teamId,
      userSlackId,
      slack: deps.portFor(context, teamId),
      workspace: () => (workspace ??= resolveWorkspace(ctx.db, teamId, teamName)),
      user: () =>
        (user ??= (async () => {
          if (!userSlackId)
            throw new AppError(
              "INVALID_INPUT",
              "payload without a user id",
              "Slack did not say who asked, so Pulse did nothing.",
            );
          return resolveUser(ctx.db, (await pulse.workspace()).id, userSlackId, {
            name: str(body.user?.name) ?? str(body.user_name),
          });
        })()),
      async claimOnce() {
        const key = requestKeyOf(body);
        if (!key) return true;
        const ws = await pulse.workspace();
        const first = await claimRequestKey(ctx.db, ws.id, key, ctx.clock());
        if (first) claimed = { workspaceId: ws.id, key };
        else ctx.logger.info({ requestId, key }, "ignored a repeated Slack request");
        return first;
      },
      async releaseClaim() {
        if (!claimed) return;
        const { workspaceId, key } = claimed;
        claimed = undefined;
        await releaseRequestKey(ctx.db, workspaceId, key);
      },
    };
    context.pulse = pulse;
    try {
      await args.next();
    } catch (error) {
      // The write did not happen: the same request may be tried again.
      await pulse.releaseClaim().catch(() => undefined);
      await translateError(ctx, args, pulse, error);
    }
  }
}
