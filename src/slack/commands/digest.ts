// `/pulse digest subscribe|list|unsubscribe|preview|send-now`, run in the channel that
// receives the digest.
import { formatClock, isValidTimeZone, parseClock } from "../../domain/digest/schedule.js";
import { HEALTH_BANDS, LIFECYCLE_STAGES, type HealthBand, type LifecycleStage } from "../../domain/vocabulary.js";
import {
  findDigestSubscription,
  listDigestSubscriptions,
  rememberTimeZone,
  subscribeDigest,
  unsubscribeDigest,
} from "../../services/digest-subscriptions.js";
import { gatherDigestAccounts } from "../../services/digest-data.js";
import { buildDigest, deliverDigest, todayFor } from "../../services/digests.js";
import { digestPosterFactory } from "../../services/digest-poster.js";
import { escapeMrkdwn } from "../block-kit.js";
import { parseRowId } from "../ids.js";
import { renderMessageView } from "../views/messages.js";
import { mentionedUserId } from "./portfolio.js";
import type { Subcommand, SubcommandInput } from "./types.js";

const SUBSCRIBE_USAGE =
  "/pulse digest subscribe [owner=me|@user|all] [segment=…] [stage=…] [min-arr=50000] [bands=red,yellow] [at=09:00] [tz=Europe/Paris] [quiet=all-clear|nothing] [no-touch-days=30]";

interface SubscribeOptions {
  ownerSlackId: string | null;
  segment: string | null;
  stage: LifecycleStage | null;
  minArr: number | null;
  bands: HealthBand[];
  postAtMinutes: number;
  timezone: string | null;
  quietDay: "all_clear" | "nothing";
  noTouchDays: number;
}

/** Parses key=value words; every problem is reported at once. */
export function parseSubscribeArgs(
  args: string[],
  callerSlackId: string,
): { ok: true; options: SubscribeOptions } | { ok: false; problems: string[] } {
  const o: SubscribeOptions = {
    ownerSlackId: null,
    segment: null,
    stage: null,
    minArr: null,
    bands: ["red", "yellow"],
    postAtMinutes: 9 * 60,
    timezone: null,
    quietDay: "all_clear",
    noTouchDays: 30,
  };
  const problems: string[] = [];
  for (const arg of args) {
    const m = /^([a-z-]+)=(.*)$/i.exec(arg);
    if (!m) {
      problems.push(`\`${arg}\` is not a key=value setting`);
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    switch (key) {
      case "owner":
        if (value === "me") o.ownerSlackId = callerSlackId;
        else if (value === "all" || value === "everyone") o.ownerSlackId = null;
        else if (mentionedUserId(value)) o.ownerSlackId = mentionedUserId(value)!;
        else problems.push("owner must be me, all, or a @mention");
        break;
      case "segment":
        o.segment = value || null;
        break;
      case "stage":
        if ((LIFECYCLE_STAGES as readonly string[]).includes(value.toLowerCase()))
          o.stage = value.toLowerCase() as SubscribeOptions["stage"];
        else problems.push(`stage must be one of ${LIFECYCLE_STAGES.join(", ")}`);
        break;
      case "min-arr":
        // min_arr is a DECIMAL(14, 2), like ARR itself: at most twelve digits before the point, two after.
        if (/^\d{1,12}(\.\d{1,2})?$/.test(value.replace(/[,_]/g, ""))) o.minArr = Number(value.replace(/[,_]/g, ""));
        else problems.push("min-arr must be a positive number such as 50000 (below a trillion)");
        break;
      case "bands": {
        const bands = value.toLowerCase().split(",").filter(Boolean);
        if (bands.length && bands.every((b) => (HEALTH_BANDS as readonly string[]).includes(b)))
          o.bands = bands as SubscribeOptions["bands"];
        else problems.push("bands must be a comma-separated list of red, yellow, green");
        break;
      }
      case "at": {
        const minutes = parseClock(value);
        if (minutes === undefined) problems.push("at must be a time such as 09:00");
        else o.postAtMinutes = minutes;
        break;
      }
      case "tz":
        if (isValidTimeZone(value)) o.timezone = value;
        else problems.push(`tz must be an IANA time zone such as Europe/Paris (not ${value})`);
        break;
      case "quiet":
        if (value === "all-clear" || value === "nothing") o.quietDay = value === "nothing" ? "nothing" : "all_clear";
        else problems.push("quiet must be all-clear or nothing");
        break;
      case "no-touch-days":
        if (/^\d{1,3}$/.test(value) && Number(value) > 0) o.noTouchDays = Number(value);
        else problems.push("no-touch-days must be a whole number of days, 1 to 999");
        break;
      default:
        problems.push(`unknown setting \`${key}\``);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, options: o };
}

/** The subscriber's time zone from Slack (users.info), remembered on their user row. */
async function subscriberTimeZone(input: SubcommandInput): Promise<string> {
  if (input.user.timezone && isValidTimeZone(input.user.timezone)) return input.user.timezone;
  const tz = await input.slack.userTimeZone(input.user.slackUserId).catch(() => undefined);
  if (tz && isValidTimeZone(tz)) {
    await rememberTimeZone(input.ctx.db, input.user.id, tz);
    return tz;
  }
  return input.ctx.config.timezone;
}

async function subscribe(input: SubcommandInput): Promise<void> {
  const { ctx, workspace, user, channelId, respond, slack } = input;
  const parsed = parseSubscribeArgs(input.args.slice(1), user.slackUserId);
  if (!parsed.ok) {
    await respond({
      text: `Nothing was subscribed:\n${parsed.problems.map((p) => `• ${p}`).join("\n")}\nUsage: \`${SUBSCRIBE_USAGE}\``,
    });
    return;
  }
  const o = parsed.options;
  const timezone = o.timezone ?? (await subscriberTimeZone(input));
  const { subscription: sub, owner } = await subscribeDigest(ctx.db, {
    workspaceId: workspace.id,
    actor: user,
    channelId,
    settings: { ...o, timezone },
    assertInternal: (id) => slack.assertInternalChannel(id),
  });
  const filters = [
    owner ? `owner <@${owner.slackUserId}>` : "all owners",
    o.segment && `segment ${escapeMrkdwn(o.segment)}`,
    o.stage && `stage ${o.stage}`,
    o.minArr !== null && `ARR ≥ ${o.minArr}`,
  ]
    .filter(Boolean)
    .join(", ");
  await respond({
    response_type: "in_channel",
    text: `:newspaper: <@${user.slackUserId}> subscribed this channel to a daily digest (#${sub.id}) at ${formatClock(sub.postAtMinutes)} ${timezone}: ${filters}; bands ${o.bands.join(", ")}; quiet days: ${o.quietDay === "nothing" ? "post nothing" : "post an all-clear line"}.`,
  });
}

async function list(input: SubcommandInput): Promise<void> {
  const subs = await listDigestSubscriptions(input.ctx.db, input.workspace.id);
  if (!subs.length) {
    await input.respond({ text: `No digests yet. Subscribe this channel with \`${SUBSCRIBE_USAGE}\`.` });
    return;
  }
  const lines = subs.map(
    (s) =>
      `• #${s.id} <#${s.channelId}> at ${formatClock(s.postAtMinutes)} ${s.timezone} — ${s.ownerFilter ? `<@${s.ownerFilter.slackUserId}>'s accounts` : "all accounts"}` +
      `${s.segment ? `, ${escapeMrkdwn(s.segment)}` : ""}${s.stage ? `, ${s.stage}` : ""}${s.minArr !== null ? `, ARR ≥ ${s.minArr.toString()}` : ""}, ${s.bands.join("/")}` +
      ` (by <@${s.createdBy.slackUserId}>)${s.active ? "" : ` — *off*: ${escapeMrkdwn(s.disabledReason ?? "unsubscribed")}`}`,
  );
  await input.respond({ text: `Digests in this workspace:\n${lines.join("\n")}` });
}

function findOwnSubscription(input: SubcommandInput, idText: string | undefined) {
  const id = idText ? (parseRowId(idText.replace(/^#/, "")) ?? "invalid") : undefined;
  return findDigestSubscription(input.ctx.db, {
    workspaceId: input.workspace.id,
    channelId: input.channelId,
    id,
    idText,
  });
}

async function unsubscribe(input: SubcommandInput): Promise<void> {
  const sub = await findOwnSubscription(input, input.args[1]);
  await unsubscribeDigest(input.ctx.db, {
    workspaceId: input.workspace.id,
    actor: input.user,
    subscription: sub,
    now: input.ctx.clock(),
  });
  await input.respond({
    response_type: "in_channel",
    text: `:wave: Digest #${sub.id} is unsubscribed; <#${sub.channelId}> will get no more of it.`,
  });
}

async function preview(input: SubcommandInput): Promise<void> {
  const sub = await findOwnSubscription(input, input.args[1]);
  const now = input.ctx.clock();
  const accounts = await gatherDigestAccounts(input.ctx.db, input.workspace.id, now);
  const built = await buildDigest(input.ctx, sub, accounts, now, todayFor(sub, now));
  await input.respond(renderMessageView(built.view));
}

async function sendNow(input: SubcommandInput): Promise<void> {
  const sub = await findOwnSubscription(input, input.args[1]);
  const now = input.ctx.clock();
  const outcome = await deliverDigest(
    input.ctx,
    { posterFor: digestPosterFactory(input.ctx), instanceId: `send-now:${input.user.slackUserId}` },
    input.workspace,
    sub,
    todayFor(sub, now),
    now,
    () => gatherDigestAccounts(input.ctx.db, input.workspace.id, now),
  );
  const text: Record<string, string> = {
    posted: `:white_check_mark: Today's digest #${sub.id} is posted in <#${sub.channelId}>.`,
    adopted: `Today's digest #${sub.id} was already in <#${sub.channelId}>.`,
    empty: "Nothing needs attention today, and this digest posts nothing on quiet days.",
    skipped: `Today's digest #${sub.id} was already posted (or is being posted now); it posts once a day.`,
    failed: `:x: Digest #${sub.id} could not be posted; see \`/pulse digest list\`.`,
  };
  await input.respond({ text: text[outcome]! });
}

const ACTIONS: Record<string, (input: SubcommandInput) => Promise<void>> = {
  subscribe,
  list,
  unsubscribe,
  preview,
  "send-now": sendNow,
};

export const digestSubcommand: Subcommand = {
  name: "digest",
  keywords: ["daily", "summary", "subscribe", "channel", "morning", "risk"],
  usage: "/pulse digest subscribe|list|unsubscribe|preview|send-now",
  summary: "a daily at-risk digest for this channel",
  examples: ["/pulse digest subscribe owner=me at=08:30", "/pulse digest preview"],
  details: [
    `\`${SUBSCRIBE_USAGE}\` — post a digest in this channel every day at that time`,
    "`/pulse digest list` — the digests of this workspace, with when each last posted",
    "`/pulse digest unsubscribe [#id]` · `preview [#id]` · `send-now [#id]` — stop one, see today's privately, post today's now",
    "The digest's *See all* button opens every account it covers, page by page.",
  ],
  writes: true,
  async run(input) {
    const action = ACTIONS[(input.args[0] ?? "").toLowerCase()];
    if (!action) {
      await input.respond({
        text: `Usage: \`/pulse digest subscribe|list|unsubscribe [#id]|preview [#id]|send-now [#id]\`\nSubscribe: \`${SUBSCRIBE_USAGE}\``,
      });
      return;
    }
    await action(input);
  },
};
