// Evidence from linked customer channels, from the Events API. Every message, reaction and
// membership change in a linked channel becomes counts, timings and user ids; the text of a
// message is looked at in memory (does it end with "?") and dropped, never stored or logged.
//
// Events arrive for every channel Pulse is in, linked or not, so the question "is this
// channel linked, and are channel signals on?" is answered from a short-lived cache: a
// message in an unlinked channel costs no query. Linking and unlinking in this process
// clear the entry at once; other processes see the change within CACHE_MS.

/** How long a process trusts what it read about a workspace or a channel link. */
const CACHE_MS = 30_000;

export interface WorkspaceChannelSettings {
  workspaceId: number;
  slackTeamId: string;
  channelSignals: boolean;
  responseTargetHours: number;
}

export interface LinkedChannel {
  workspaceId: number;
  channelId: string;
  accountId: number;
  ended: boolean;
}

interface Cached<T> {
  value: T;
  at: number;
}

const workspaces = new Map<string, Cached<WorkspaceChannelSettings | null>>();
const links = new Map<string, Cached<LinkedChannel | null>>();

export function forgetLinkedChannel(workspaceId: number, channelId: string): void {
  links.delete(`${workspaceId}:${channelId}`);
}

/** After the admin switch changed, or in tests. */
export function forgetChannelSettings(): void {
  workspaces.clear();
  links.clear();
}

export { CACHE_MS as CHANNEL_CACHE_MS, links as linkCache, workspaces as workspaceCache };
