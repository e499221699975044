// Splits slash-command text into words, keeping "quoted phrases" (straight or curly
// quotes, as Slack clients insert either) as one token.
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(pattern)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? "");
  return tokens;
}
