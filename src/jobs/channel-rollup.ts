// Hourly: yesterday's and today's customer-channel activity rolled up per channel and day
// (re-running replaces a day's row), and each account's likely champions marked afresh.
import type { AppContext } from "../app-context.js";
import { addDays } from "../domain/dates.js";
import { markLikelyChampions } from "../services/channel-people.js";
import { rollUpChannelDay } from "../services/channel-signals.js";

export async function runChannelRollup(
  ctx: Pick<AppContext, "db" | "logger">,
  now: Date,
): Promise<{ days: number; champions: number }> {
  const days =
    (await rollUpChannelDay(ctx.db, { day: addDays(now, -1), now })) +
    (await rollUpChannelDay(ctx.db, { day: now, now }));
  const champions = await markLikelyChampions(ctx.db, now);
  if (days || champions) ctx.logger.info({ days, champions }, "rolled up customer channel activity");
  return { days, champions };
}
