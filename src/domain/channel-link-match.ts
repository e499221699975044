// Which account a shared channel's external organisation is, for the link suggestion
// ("#acme-shared looks like Acme Labs — link it?"). Names are compared whole, after
// normalising case, accents, punctuation and legal or descriptive suffixes ("Acme Labs,
// Inc." and "ACME" are one name); never by substring, so "Acme" is not "Acmeville". A
// suggestion nobody asked for must be right or absent: when two accounts match equally,
// there is none.

export interface OrganisationEvidence {
  /** The external team's name (team.info), e.g. "Acme Labs, Inc.". */
  teamName?: string | null;
  /** Its Slack subdomain (team.info `domain`), e.g. "acme-labs". */
  teamDomain?: string | null;
  /** Its email domain (team.info `email_domain`), e.g. "acme.com" (may list several, comma-separated). */
  emailDomain?: string | null;
  /** The channel's name, e.g. "acme-shared": read only when nothing is known of the organisation. */
  channelName?: string | null;
}

export interface MatchableAccount {
  id: number;
  name: string;
  domain: string | null;
}

export type AccountMatch<A extends MatchableAccount> =
  | { kind: "one"; account: A; by: "email domain" | "name" | "channel name" }
  | { kind: "none" }
  | { kind: "ambiguous"; candidates: A[] };

/** Words that say what kind of company it is, not which: dropped from the end of a name. */
const COMPANY_SUFFIXES = new Set([
  "inc",
  "incorporated",
  "ltd",
  "limited",
  "llc",
  "llp",
  "plc",
  "corp",
  "corporation",
  "co",
  "company",
  "gmbh",
  "ag",
  "sa",
  "sas",
  "sarl",
  "srl",
  "spa",
  "bv",
  "nv",
  "oy",
  "ab",
  "as",
  "pty",
  "kk",
  "labs",
  "lab",
  "group",
  "holdings",
  "hq",
]);

/** Words channel names add around the customer's name: "acme-shared", "ext-acme", "acme-support". */
const CHANNEL_AFFIXES = new Set([
  "shared",
  "share",
  "ext",
  "external",
  "connect",
  "sc",
  "slack",
  "support",
  "customer",
  "cust",
  "client",
  "partner",
  "collab",
  "team",
  "x",
  "and",
  "with",
  "vendor",
]);

/** Lower case, accents off, "&" as "and", every other non-alphanumeric a word break. */
function words(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** "Acme Labs, Inc." → "acme"; "The Acme Company Ltd" → "acme". Empty when nothing distinctive is left. */
export function companyKey(name: string): string {
  const w = words(name);
  if (w[0] === "the" && w.length > 1) w.shift();
  // Keep at least one word: "Labs" alone is a company called Labs.
  while (w.length > 1 && (COMPANY_SUFFIXES.has(w[w.length - 1]!) || w[w.length - 1] === "and")) w.pop();
  return w.join("");
}

/** Every word kept: "Acme Labs" → "acmelabs", so a Slack subdomain "acmelabs" is Acme Labs too. */
function fullKey(name: string): string {
  const w = words(name);
  if (w[0] === "the" && w.length > 1) w.shift();
  return w.join("");
}

/** The keys a name is known by: without its suffixes, and whole. */
function nameKeys(name: string): string[] {
  return [...new Set([companyKey(name), fullKey(name)].filter(Boolean))];
}

/** "acme.com", "www.acme.co.uk", "https://acme.io/" → "acme.com" / "acme.co.uk" / "acme.io". */
export function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
}

const SECOND_LEVEL = new Set(["co", "com", "org", "net", "ac", "gov", "edu"]);

/** The name part of a domain: "acme.com" → "acme", "acme.co.uk" → "acme", "eu.acme.io" → "acme". */
function domainLabel(domain: string): string {
  const parts = normaliseDomain(domain).split(".").filter(Boolean);
  if (parts.length < 2) return parts[0] ?? "";
  let i = parts.length - 2;
  if (i > 0 && SECOND_LEVEL.has(parts[i]!) && parts[parts.length - 1]!.length === 2) i -= 1;
  return parts[i]!;
}

/** "acme-shared" → ["acme"]; "ext-acme-labs" → ["acme", "acmelabs"]; "shared" → []. */
export function channelKeys(channelName: string): string[] {
  const w = words(channelName).filter((x) => !CHANNEL_AFFIXES.has(x));
  return w.length ? nameKeys(w.join(" ")) : [];
}

function uniqueOrAmbiguous<A extends MatchableAccount>(
  found: A[],
  by: "email domain" | "name" | "channel name",
): AccountMatch<A> | undefined {
  const distinct = [...new Map(found.map((a) => [a.id, a])).values()];
  if (distinct.length === 1) return { kind: "one", account: distinct[0]!, by };
  if (distinct.length > 1) return { kind: "ambiguous", candidates: distinct };
  return undefined;
}

/**
 * The account the organisation is, tried strongest evidence first: its email domain equal to
 * an account's domain; then its name or Slack subdomain equal (as company keys) to an
 * account's name or domain's name part; then, only when Slack said nothing of the
 * organisation, the channel's name. The first kind of evidence that matches decides; two
 * accounts matching it is ambiguous.
 */
export function matchAccountToOrganisation<A extends MatchableAccount>(
  org: OrganisationEvidence,
  accounts: readonly A[],
): AccountMatch<A> {
  const emailDomains = (org.emailDomain ?? "")
    .split(",")
    .map(normaliseDomain)
    .filter((d) => d.includes("."));
  if (emailDomains.length) {
    const found = accounts.filter((a) => a.domain && emailDomains.includes(normaliseDomain(a.domain)));
    const decided = uniqueOrAmbiguous(found, "email domain");
    if (decided) return decided;
  }

  const accountKeys = (a: A) => new Set([...nameKeys(a.name), ...(a.domain ? nameKeys(domainLabel(a.domain)) : [])]);

  const orgKeys = new Set<string>();
  for (const text of [org.teamName, org.teamDomain]) for (const k of text ? nameKeys(text) : []) orgKeys.add(k);
  for (const d of emailDomains) for (const k of nameKeys(domainLabel(d))) orgKeys.add(k);
  if (orgKeys.size) {
    const found = accounts.filter((a) => [...accountKeys(a)].some((k) => orgKeys.has(k)));
    return uniqueOrAmbiguous(found, "name") ?? { kind: "none" };
  }

  const fromChannel = org.channelName ? channelKeys(org.channelName) : [];
  if (fromChannel.length) {
    const found = accounts.filter((a) => fromChannel.some((k) => accountKeys(a).has(k)));
    return uniqueOrAmbiguous(found, "channel name") ?? { kind: "none" };
  }
  return { kind: "none" };
}
