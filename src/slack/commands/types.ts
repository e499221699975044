// The contract of a `/pulse <name> …` subcommand. The `/pulse` listener acks first, then
// dispatches here by the longest matching name ("admin role" before "admin"), so each area
// of Pulse adds its subcommands without touching the router.
import type { AppContext } from "../../app-context.js";
import type { User, Workspace } from "../../generated/prisma/client.js";
import type { SlackPort } from "../../services/slack-port.js";
import type { Block } from "../block-kit.js";
import type { PulseRequest } from "../middleware/pulse-request.js";

export interface Reply {
  text: string;
  blocks?: Block[];
  /** Ephemeral unless the user chose to share. */
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
}

/** What every subcommand gets; who is asking is looked up on demand (pulse.workspace()). */
export interface BaseSubcommandInput {
  ctx: AppContext;
  /** This request's Slack port. */
  slack: SlackPort;
  pulse: PulseRequest;
  channelId: string;
  triggerId: string;
  /** Tokens after the subcommand name; quoted strings stay whole. */
  args: string[];
  /** The raw text after the subcommand name. */
  rest: string;
  respond(reply: Reply): Promise<void>;
  requestId: string;
}

export interface SubcommandInput extends BaseSubcommandInput {
  workspace: Workspace;
  user: User;
}

interface SubcommandInfo {
  /** One or more words: "account", "digest subscribe", "admin role". */
  name: string;
  usage: string;
  summary: string;
  examples?: string[];
  /** More lines for `/pulse help <topic>` (options, what each action does). */
  details?: string[];
  /** Words people use for it that its name and summary lack, for "the closest things I can do". */
  keywords?: string[];
}

/** Looks up who is asking before it runs; `writes` claims the request once (a replay does nothing). */
export interface DataSubcommand extends SubcommandInfo {
  lazy?: false;
  writes?: boolean;
  run(input: SubcommandInput): Promise<void>;
}

/**
 * Runs before any database query: it opens a modal inside the trigger_id's three seconds
 * (or needs no data at all), and looks up what it needs afterwards.
 */
export interface LazySubcommand extends SubcommandInfo {
  lazy: true;
  run(input: BaseSubcommandInput): Promise<void>;
}

export type Subcommand = DataSubcommand | LazySubcommand;
