import { describe, expect, it } from "vitest";
import { mapHeaders, parseMapOverrides } from "../../../src/domain/ingest/header-mapping.js";

function fieldsOf(result: ReturnType<typeof mapHeaders>): Record<string, string> {
  if (!result.ok) throw new Error(result.problems.join("; "));
  const { headers, columnOf } = result.mapping;
  return Object.fromEntries(Object.entries(columnOf).map(([field, i]) => [field, headers[i]!]));
}

describe("mapHeaders", () => {
  it.each([
    [
      "Salesforce accounts",
      "accounts",
      ["Account ID", "Account Name", "Website", "Account Owner", "ARR", "CurrencyIsoCode", "Renewal Date"],
      {
        externalId: "Account ID",
        name: "Account Name",
        domain: "Website",
        owner: "Account Owner",
        arr: "ARR",
        currency: "CurrencyIsoCode",
        renewalDate: "Renewal Date",
      },
    ],
    [
      "HubSpot companies",
      "accounts",
      ["Record ID", "Company name", "Company Domain Name", "Company owner", "Annual Revenue", "Lifecycle Stage"],
      { externalId: "Record ID", name: "Company name", domain: "Company Domain Name", owner: "Company owner" },
    ],
    [
      "Salesforce contacts",
      "contacts",
      ["Contact ID", "Account ID", "First Name", "Last Name", "Email", "Title"],
      {
        externalId: "Contact ID",
        accountExternalId: "Account ID",
        firstName: "First Name",
        lastName: "Last Name",
        email: "Email",
        title: "Title",
      },
    ],
    [
      "HubSpot contacts",
      "contacts",
      ["Record ID", "First Name", "Email", "Job Title", "Associated Company IDs (Primary)"],
      {
        externalId: "Record ID",
        firstName: "First Name",
        email: "Email",
        title: "Job Title",
        accountExternalId: "Associated Company IDs (Primary)",
      },
    ],
    [
      "messy spacing and case",
      "usage",
      ["ACCOUNT_ID", " date ", "Active-Users"],
      { accountExternalId: "ACCOUNT_ID", day: " date ", activeUsers: "Active-Users" },
    ],
  ] as const)("%s", (_label, kind, headers, expected) => {
    expect(fieldsOf(mapHeaders(kind, [...headers]))).toEqual(expected);
  });

  it("lets an override take a column an alias would have given to another field", () => {
    expect(fieldsOf(mapHeaders("accounts", ["id", "Name", "Legacy ID"], { "legacy id": "externalId" }))).toEqual({
      externalId: "Legacy ID",
      name: "Name",
    });
  });

  it.each([
    ["accounts", ["Name"], {}, /no column for externalId/],
    ["accounts", ["id", "name"], { id: "revenue" }, /"revenue" is not a accounts field/],
    ["accounts", ["id", "name"], { nope: "arr" }, /the file has no column "nope"/],
    ["contacts", ["id", "account id", "title"], {}, /no column for the contact's name or email/],
    ["accounts", ["id", "name", "Name"], {}, /"name" appears more than once/],
  ] as const)("%s %j %j is refused", (kind, headers, overrides, problem) => {
    const result = mapHeaders(kind, [...headers], overrides);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join("; ")).toMatch(problem);
  });
});

describe("parseMapOverrides", () => {
  it("reads column=field pairs, the last = separating", () => {
    expect(parseMapOverrides(["Acct = Num=externalId", "Rev=arr"])).toEqual({
      ok: true,
      overrides: { "Acct = Num": "externalId", Rev: "arr" },
    });
  });
  it.each(["noequals", "=arr", "col="])("refuses %j", (pair) => expect(parseMapOverrides([pair]).ok).toBe(false));
  it.each([
    [["a=externalId", "a=name"], 'column "a" twice (to externalId and to name)'],
    [["Acct ID=externalId", "acct_id=name"], 'column "acct_id" twice (to externalId and to name)'],
    [["a=arr", "b=arr"], 'two columns to arr ("a" and "b")'],
  ])("refuses %j, saying why", (pairs, problem) => {
    const result = parseMapOverrides(pairs);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(problem);
  });
});
