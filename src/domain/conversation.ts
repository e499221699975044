// What someone asking Pulse in words wants: simple keyword rules, no outside AI service.
export type Intent =
  | { kind: "help" }
  | { kind: "at_risk" }
  | { kind: "portfolio" }
  | { kind: "account"; query: string };

const STOP_WORDS = new Set([
  "how",
  "is",
  "are",
  "was",
  "doing",
  "the",
  "a",
  "an",
  "about",
  "what",
  "whats",
  "what's",
  "tell",
  "me",
  "status",
  "of",
  "on",
  "with",
  "for",
  "health",
  "account",
  "customer",
  "please",
  "going",
  "pulse",
  "show",
  "hey",
  "hi",
  "hello",
  "how's",
  "hows",
  "doing?",
]);

export function parseIntent(rawText: string): Intent {
  const text = rawText
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, " ")
    .replace(/[?!,]|\.(?=\s|$)/g, " ")
    .trim()
    .toLowerCase();
  if (!text || /^(help|what can you do|commands)\b/.test(text)) return { kind: "help" };
  if (/\b(at risk|at-risk|risky|riskiest|who needs attention|red accounts|in trouble)\b/.test(text))
    return { kind: "at_risk" };
  if (/\b(my portfolio|my accounts|portfolio)\b/.test(text)) return { kind: "portfolio" };
  const words = text.split(/\s+/).filter((w) => !STOP_WORDS.has(w));
  if (!words.length) return { kind: "help" };
  return { kind: "account", query: words.join(" ") };
}
