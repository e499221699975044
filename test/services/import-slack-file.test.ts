import { describe, expect, it } from "vitest";
import { parseUploadRequest } from "../../src/services/import-slack-file.js";

describe("parseUploadRequest", () => {
  it("reads the kind, traits (straight or curly quotes) and period from the message", () => {
    expect(
      parseUploadRequest('accounts dry-run trait "Payment Method" trait “Employee Count” --trait Region', "export.csv"),
    ).toEqual({
      kind: "accounts",
      dryRun: true,
      skipInvalid: false,
      traits: ["Payment Method", "Employee Count", "Region"],
    });
    expect(parseUploadRequest("period month skip-invalid", "usage-2025.csv")).toEqual({
      kind: "usage",
      dryRun: false,
      skipInvalid: true,
      traits: [],
      period: "month",
    });
    expect(parseUploadRequest("", "churn-history.csv")).toMatchObject({ kind: "churns" });
  });

  it("a trait's name never picks the kind, and an unknown period is refused", () => {
    expect(parseUploadRequest('trait "Usage Tier"', "crm-accounts.csv")).toMatchObject({
      kind: "accounts",
      traits: ["Usage Tier"],
    });
    expect(parseUploadRequest("usage period year", "x.csv")).toEqual({
      problem: "`period year` is not one of `day`, `week`, `month`.",
    });
  });
});
