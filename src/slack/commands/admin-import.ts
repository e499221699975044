// `/pulse admin import`: how to load a CRM export from Slack. The import itself happens
// when an admin uploads the CSV to Pulse in a DM (src/slack/listeners/imports/).
import { IMPORT_KINDS } from "../../domain/ingest/header-mapping.js";
import { requireRole } from "../../services/workspace-users.js";
import type { Subcommand } from "./types.js";

export const adminImportSubcommand: Subcommand = {
  name: "admin import",
  usage: "/pulse admin import",
  summary:
    "how to import a CSV of accounts, contacts, usage, touchpoints, surveys, churns or plans from Slack (admins)",
  async run({ user, respond }) {
    requireRole(user, ["admin"], "import data");
    await respond({
      text:
        "To import a CSV, upload it to me in a direct message, with the kind in the message: " +
        `${IMPORT_KINDS.map((k) => `\`${k}\``).join(", ")}.\n` +
        "Add `dry-run` to see what would change without changing anything; its report has an *Apply* button. A file with bad rows imports nothing, and its report offers *Import the valid rows*.\n" +
        'For accounts, `trait "Payment Method"` stores that column as an account trait (repeat for more); for weekly or monthly usage, add `period week` or `period month`.\n' +
        "Example: upload `accounts.csv` with the message `accounts dry-run`. Salesforce and HubSpot column names are understood; see docs/ingestion.md.",
    });
  },
};
