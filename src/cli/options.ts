// Option values shared by the scoring commands: days, horizons and steps, each refused with
// a usage error that says what was expected.
import { parseIsoDay } from "../domain/dates.js";
import { UsageError } from "./command.js";

export function parseDayOption(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const day = parseIsoDay(text);
  if (!day) throw new UsageError(`--${name} must be a day written YYYY-MM-DD (got "${text}")`);
  return day;
}

export function parseHorizon(text: string): number {
  const m = /^(\d{1,4})d?$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 730)
    throw new UsageError(`--horizon must be a number of days from 1 to 730, such as 90d (got "${text}")`);
  return Number(m[1]);
}

/** `--every 1mo|7d|1d|2w`: a step in calendar months or in days. */
export function parseEvery(text: string): { days: number } | { months: number } {
  const m = /^(\d{1,3})(d|w|mo)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`--every must be a step such as 1mo, 7d or 1d (got "${text}")`);
  const n = Number(m[1]);
  return m[2] === "mo" ? { months: n } : { days: m[2] === "w" ? n * 7 : n };
}

/** A progress line on stderr, redrawn in place; silent unless stderr is a terminal. */
export function progressLine(label: string): { update: (done: number, total: number) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    update(done, total) {
      shown = true;
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      const elapsed = (Date.now() - started) / 1000;
      process.stderr.write(
        `\r  ${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}  ${elapsed.toFixed(0)} s`,
      );
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}
