import { describe, expect, it } from "vitest";
import { renderImportReport, type ImportReport } from "../../../src/domain/ingest/import-report.js";

const base: ImportReport = {
  kind: "accounts",
  dryRun: false,
  skipInvalid: false,
  committed: true,
  rows: 1200,
  created: 1000,
  updated: 150,
  unchanged: 50,
  invalidRows: 0,
  errors: [],
  errorCount: 0,
  mapping: { externalId: "Account ID", name: "Account Name" },
  ignoredColumns: ["Industry"],
  churnedWithoutDate: 0,
  churnsRecorded: 0,
  durationMs: 10,
};

describe("renderImportReport", () => {
  it.each([
    [
      "a committed import",
      base,
      [
        "Imported accounts: 1,200 rows read; 1,000 created, 150 updated, 50 unchanged.",
        "Columns: Account ID -> externalId, Account Name -> name; ignored: Industry.",
      ],
    ],
    [
      "a dry run",
      { ...base, dryRun: true, committed: false },
      [
        "Dry run of the accounts import: nothing was saved.",
        "1,200 rows read; it would make 1,000 created, 150 updated, 50 unchanged.",
      ],
    ],
    [
      "a rejected file",
      {
        ...base,
        committed: false,
        created: 0,
        updated: 0,
        unchanged: 0,
        invalidRows: 1,
        errorCount: 1,
        errors: [{ line: 7, column: "ARR", reason: "negative ARR -5: it must be 0 or more" }],
      },
      ["Nothing was imported: 1 row of 1,200 has errors.", "  line 7, ARR: negative ARR -5: it must be 0 or more"],
    ],
    [
      "skipped rows",
      {
        ...base,
        skipInvalid: true,
        invalidRows: 2,
        errorCount: 2,
        errors: [
          { line: 2, column: "a", reason: "x" },
          { line: 3, column: "a", reason: "y" },
        ],
      },
      ["2 invalid rows left out."],
    ],
  ] as const)("%s", (_label, report, lines) => {
    const text = renderImportReport(report as ImportReport);
    for (const line of lines) expect(text.split("\n")).toContain(line);
  });

  it("lists at most maxErrors and counts the rest", () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({ line: i + 2, column: "c", reason: "bad" }));
    const text = renderImportReport(
      { ...base, committed: false, invalidRows: 5, errorCount: 7, errors },
      { maxErrors: 2 },
    );
    expect(text).toContain("  line 3, c: bad\n  … and 5 more errors.");
  });
});
