import { describe, expect, it } from "vitest";
import {
  channelKeys,
  companyKey,
  matchAccountToOrganisation,
  normaliseDomain,
  type MatchableAccount,
  type OrganisationEvidence,
} from "../../src/domain/channel-link-match.js";

const accounts: MatchableAccount[] = [
  { id: 1, name: "Acme Labs", domain: "acme.com" },
  { id: 2, name: "Acmeville", domain: "acmeville.io" },
  { id: 3, name: "Globex One", domain: null },
  { id: 4, name: "Globex Two", domain: null },
  { id: 5, name: "Initech, Inc.", domain: "https://www.initech.co.uk/" },
  { id: 6, name: "Société Générale", domain: null },
  { id: 7, name: "AT&T", domain: null },
];

describe("companyKey", () => {
  it.each([
    ["Acme Labs", "acme"],
    ["ACME LABS, INC.", "acme"],
    ["The Acme Company Ltd", "acme"],
    ["Acme & Co", "acme"],
    ["Acmeville", "acmeville"],
    ["Labs", "labs"],
    ["Société Générale", "societegenerale"],
    ["AT&T", "atandt"],
    ["  ", ""],
  ])("%s → %s", (name, key) => expect(companyKey(name)).toBe(key));
});

describe("normaliseDomain and channelKeys", () => {
  it.each([
    ["https://www.Acme.com/", "acme.com"],
    ["acme.co.uk.", "acme.co.uk"],
  ])("%s → %s", (d, n) => expect(normaliseDomain(d)).toBe(n));
  it.each([
    ["acme-shared", ["acme"]],
    ["ext-acme-labs", ["acme", "acmelabs"]],
    ["shared-support", []],
  ])("%s → %j", (c, keys) => expect(channelKeys(c)).toEqual(keys));
});

describe("matchAccountToOrganisation", () => {
  const cases: [string, OrganisationEvidence, number | "none" | "ambiguous", string?][] = [
    ["the email domain equals an account's domain", { teamName: "ACME", emailDomain: "acme.com" }, 1, "email domain"],
    ["the email domain, one of several listed", { emailDomain: "acme-corp.net, acme.com" }, 1, "email domain"],
    ["the team's name with a legal suffix", { teamName: "Acme Labs, Inc." }, 1, "name"],
    ["the name without the descriptive suffix", { teamName: "ACME" }, 1, "name"],
    ["the Slack subdomain with a hyphen", { teamDomain: "acme-labs" }, 1, "name"],
    ["the Slack subdomain in one word", { teamDomain: "acmelabs" }, 1, "name"],
    ["the account's domain name part", { teamName: "Initech" }, 5, "name"],
    ["accents and ampersands", { teamName: "Societe Generale SA" }, 6, "name"],
    ["AT&T spelled out", { teamName: "AT and T" }, 7, "name"],
    ["never a substring: Acmeville is not Acme", { teamName: "Acmeville" }, 2, "name"],
    ["never a substring: Acme Rockets is nobody", { teamName: "Acme Rockets" }, "none"],
    ["two accounts equally: no suggestion", { teamName: "Globex" }, "none"],
    ["Globex One exactly", { teamName: "Globex One" }, 3, "name"],
    ["the channel name when Slack said nothing", { channelName: "acme-shared" }, 1, "channel name"],
    ["the channel name with a prefix", { channelName: "ext-initech" }, 5, "channel name"],
    [
      "the channel name is not read when the organisation is known",
      { teamName: "Hooli", channelName: "acme-x" },
      "none",
    ],
    ["nothing at all", {}, "none"],
  ];
  it.each(cases)("%s", (_what, org, expected, by) => {
    const m = matchAccountToOrganisation(org, accounts);
    if (expected === "none") expect(m.kind).toBe("none");
    else if (expected === "ambiguous") expect(m.kind).toBe("ambiguous");
    else expect(m).toMatchObject({ kind: "one", account: { id: expected }, by });
  });

  it("two accounts with the same key are ambiguous, with both named", () => {
    const twins = [...accounts, { id: 9, name: "ACME Corp", domain: null }];
    const m = matchAccountToOrganisation({ teamName: "Acme" }, twins);
    expect(m.kind).toBe("ambiguous");
    expect(m.kind === "ambiguous" && m.candidates.map((a) => a.id).sort()).toEqual([1, 9]);
  });

  it("two accounts with the customer's email domain are ambiguous, not decided by name", () => {
    const twins = [...accounts, { id: 9, name: "Acme EU", domain: "acme.com" }];
    expect(matchAccountToOrganisation({ teamName: "Acme Labs", emailDomain: "acme.com" }, twins).kind).toBe(
      "ambiguous",
    );
  });
});
