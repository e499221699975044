// What Pulse says to words it does not understand (issue 15: "/pulse which renewals coming
// up" was answered "No account matches *which renewals coming up*"). A near-miss of a
// command name gets "did you mean"; anything else is said to be not understood, with the
// two or three commands whose words are closest to what was asked.
import { escapeMrkdwn, section } from "../block-kit.js";
import { renderHelpTopic, topicOf } from "./help.js";
import type { Reply, Subcommand } from "./types.js";

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/** A typo, not another word: one edit in a short name, two in a longer one. */
function closeEnough(distance: number, name: string): boolean {
  return distance > 0 && distance <= (name.length <= 4 ? 1 : 2);
}

/** The command a mistyped name most likely meant, if one is close enough. */
export function didYouMean(words: string[], registry: Subcommand[]): Subcommand | undefined {
  const lowered = words.map((w) => w.toLowerCase());
  let best: { command: Subcommand; distance: number } | undefined;
  for (const command of registry) {
    const parts = command.name.split(" ");
    if (parts.length > lowered.length) continue;
    const typed = lowered.slice(0, parts.length).join(" ");
    const distance = editDistance(typed, command.name);
    if (closeEnough(distance, command.name) && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command;
}

const IGNORED = new Set(
  "a an the is are was be of on in at to for with and or me my our we i you it this that what which who how when where why do does can could would please show tell give list all any up coming next pulse hey hi".split(
    " ",
  ),
);

/** A word as compared: lower case, without a plural or -ing ending ("renewals" is "renewal"). */
function stem(word: string): string {
  const w = word.toLowerCase().replace(/[^a-z0-9-]/g, "");
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 3 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

function wordsOf(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9-]+/)
    .map(stem)
    .filter((w) => w.length > 1 && !IGNORED.has(w));
}

/** Commands ranked by the asked words they share: a word of the name counts most, of its keywords next. */
export function closestCommands(text: string, registry: Subcommand[], count = 3): Subcommand[] {
  const asked = new Set(wordsOf(text));
  const scored = registry
    .filter((c) => c.name !== "help")
    .map((command, order) => {
      const name = new Set(wordsOf(command.name));
      const keywords = new Set(wordsOf((command.keywords ?? []).join(" ")));
      const described = new Set(wordsOf(`${command.summary} ${(command.details ?? []).join(" ")}`));
      let score = 0;
      for (const w of asked) score += name.has(w) ? 3 : keywords.has(w) ? 2 : described.has(w) ? 1 : 0;
      return { command, score, order };
    })
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score || x.order - y.order);
  const closest = scored.slice(0, count).map((s) => s.command);
  // Too little in common: what most people come for makes up two at least.
  const usual = ["account", "portfolio", "log"]
    .map((n) => registry.find((c) => c.name === n))
    .filter((c): c is Subcommand => c !== undefined && !closest.includes(c));
  return closest.length >= 2 ? closest : [...closest, ...usual].slice(0, Math.max(2, closest.length));
}

function commandLine(c: Subcommand): string {
  return `• \`${c.usage}\` — ${c.summary}`;
}

/**
 * The answer to words that are no command and no question Pulse knows. `heard` is how the
 * reply quotes them ("`/pulse which renewals`", or a mention's sentence); `aside` follows
 * the quote (", and no account matches …").
 */
export function notUnderstoodReply(
  heard: string,
  registry: Subcommand[],
  options: { aside?: string; asCommand?: boolean; questions?: boolean } = {},
): Reply {
  const shown = escapeMrkdwn(heard.trim().slice(0, 100));
  const quoted = options.asCommand ? `\`/pulse ${shown}\`` : `“${shown}”`;
  const closest = closestCommands(heard, registry);
  const text = [
    `I don't understand ${quoted}${options.aside ?? ""}. The closest things I can do:`,
    ...closest.map(commandLine),
    ...(options.questions ? ["Or ask me “how is Acme doing?”, “who is at risk?” or “my portfolio”."] : []),
    "Everything I can do: `/pulse help`.",
  ].join("\n");
  return { text };
}

/** `/pulse <words>` that name no command: "did you mean" for a typo, else not understood. */
export function unknownCommandReply(text: string, words: string[], registry: Subcommand[]): Reply {
  // "/pulse admin" alone, or with a wrong second word: the topic's commands.
  const topic = words[0]!.toLowerCase();
  if (registry.some((c) => c.name.includes(" ") && topicOf(c) === topic) && !didYouMean(words, registry)) {
    const commands = renderHelpTopic(registry, topic);
    const intro = `I don't know \`/pulse ${escapeMrkdwn(text.trim().slice(0, 100))}\`. The ${topic} commands:`;
    return { text: `${intro}\n${commands.text}`, blocks: [section(intro), ...(commands.blocks ?? [])] };
  }
  const meant = didYouMean(words, registry);
  if (meant) {
    const typed = escapeMrkdwn(text.trim().slice(0, 100));
    const rest = words.slice(meant.name.split(" ").length).join(" ");
    const corrected = `/pulse ${meant.name}${rest ? ` ${escapeMrkdwn(rest.slice(0, 100))}` : ""}`;
    return {
      text: `I don't know \`/pulse ${typed}\`. Did you mean \`${corrected}\`?\n${commandLine(meant)}\nEverything I can do: \`/pulse help\`.`,
    };
  }
  return notUnderstoodReply(text, registry, { asCommand: true });
}
