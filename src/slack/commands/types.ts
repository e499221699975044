// The contract of a `/pulse <name> …` subcommand. The `/pulse` listener acks first, then
// resolves who is asking and dispatches here by the longest matching name ("admin role"
// before "admin"), so each area of Pulse adds its subcommands without touching the router.
import type { WebClient } from "@slack/web-api";
import type { AppContext } from "../../app-context.js";
import type { User, Workspace } from "../../generated/prisma/client.js";
import type { Block } from "../block-kit.js";

export interface Reply {
  text: string;
  blocks?: Block[];
  /** Ephemeral unless the user chose to share. */
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
}

export interface SubcommandInput {
  ctx: AppContext;
  client: WebClient;
  workspace: Workspace;
  user: User;
  channelId: string;
  triggerId: string;
  /** Tokens after the subcommand name; quoted strings stay whole. */
  args: string[];
  /** The raw text after the subcommand name. */
  rest: string;
  respond(reply: Reply): Promise<void>;
  requestId: string;
}

export interface Subcommand {
  /** One or more words: "account", "digest subscribe", "admin role". */
  name: string;
  usage: string;
  summary: string;
  examples?: string[];
  run(input: SubcommandInput): Promise<void>;
}
