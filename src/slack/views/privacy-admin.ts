// Replies for `/pulse admin export | erase contact | audit`. Pure: data in, blocks out.
import type { AuditLog } from "../../generated/prisma/client.js";
import type { AuditNames } from "../../services/audit.js";
import type { ErasePreview } from "../../services/privacy.js";
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  fitRows,
  header,
  section,
  truncate,
  type Block,
} from "../block-kit.js";
import { ACTION } from "../ids.js";
import { formatDateTime } from "./format.js";
import type { Reply } from "../commands/types.js";

export function exportDeliveredReply(accountName: string, fileName: string): Reply {
  const text = `:package: Sent you the export of *${escapeMrkdwn(accountName)}* as \`${fileName}\` in our DM. The view was recorded in the audit log.`;
  return { text, blocks: [section(text)] };
}

/** When the file could not be delivered: what the export holds, no links, and why. */
export function exportUndeliveredReply(accountName: string, counts: Record<string, number>, reason: string): Reply {
  const lines = Object.entries(counts).map(([name, n]) => `• ${name}: ${n}`);
  const text =
    `:warning: I could not send the export of *${escapeMrkdwn(accountName)}* as a file (${escapeMrkdwn(reason)}). ` +
    `Here is what it holds; try again once that is fixed.\n${lines.join("\n")}`;
  return {
    text,
    blocks: [
      section(
        `:warning: I could not send the export of *${escapeMrkdwn(accountName)}* as a file: ${escapeMrkdwn(reason)}.`,
      ),
      section(lines.join("\n")),
      context(["The view was recorded in the audit log. Try again once the problem above is fixed."]),
    ],
  };
}

/** What the erase button carries back: the address, the preview's token and its count. */
export interface EraseContactValue {
  e: string;
  n: string;
  c: number;
}

/**
 * Who an erasure would touch, and a danger button whose confirm dialog repeats it: nothing
 * is erased until the admin clicks and confirms.
 */
export function eraseConfirmationReply(preview: ErasePreview, token: string): Reply {
  const email = escapeMrkdwn(preview.email);
  const names = preview.accounts.map((a) => `*${escapeMrkdwn(a.name)}*`);
  const shown = names.length > 10 ? `${names.slice(0, 10).join(", ")} and ${names.length - 10} more` : names.join(", ");
  const what = preview.contacts
    ? `This erases the personal data of *${preview.contacts} contact record(s)* with the email \`${email}\`, ` +
      `at ${preview.accounts.length === 1 ? "the account" : `${preview.accounts.length} accounts`} ${shown}: ` +
      "name, email and title, their survey answers' name and comment, and mentions in touchpoint notes. This cannot be undone."
    : `No contact has the email \`${email}\` in this workspace. Erasing still scrubs it from touchpoint notes.`;
  const value: EraseContactValue = { e: preview.email, n: token, c: preview.contacts };
  const confirm = {
    title: { type: "plain_text", text: "Erase personal data?" },
    text: {
      type: "plain_text",
      text: truncate(
        preview.contacts
          ? `Erase ${preview.contacts} contact record(s) with ${preview.email}? This cannot be undone.`
          : `Scrub ${preview.email} from touchpoint notes?`,
        300,
      ),
    },
    confirm: { type: "plain_text", text: "Erase" },
    deny: { type: "plain_text", text: "Keep" },
    style: "danger",
  } as const;
  return {
    text: preview.contacts
      ? `Erase ${preview.contacts} contact record(s) with ${preview.email}?`
      : `No contact has ${preview.email}; scrub it from notes?`,
    blocks: [
      section(what),
      actions([
        { ...button("Erase", ACTION.eraseContactConfirm, JSON.stringify(value), "danger"), confirm },
        button("Cancel", ACTION.eraseContactCancel, "cancel"),
      ]),
    ],
  };
}

export function eraseReply(result: {
  contacts: number;
  surveyResponses: number;
  touchpoints: number;
  channelActivity?: number;
}): Reply {
  const text = result.contacts
    ? `:wastebasket: Erased the personal data of ${result.contacts} contact record(s): name, email and title removed, ` +
      `${result.surveyResponses} survey answer(s) cleared of name and comment, ${result.touchpoints} touchpoint note(s) scrubbed${result.channelActivity ? `, ${result.channelActivity} row(s) of their customer-channel activity deleted` : ""}. Recorded in the audit log (email stored only as a hash).`
    : `No contact has that email in this workspace. ${result.touchpoints} touchpoint note(s) mentioned it and were scrubbed. The request was recorded in the audit log (email stored only as a hash).`;
  return { text, blocks: [section(text)] };
}

const NO_NAMES: AuditNames = { accounts: new Map(), users: new Map(), actors: new Map() };

/** Names where Pulse knows them (issue 15: the log showed ids); the id stays beside a name. */
function auditLine(row: AuditLog, names: AuditNames): string {
  const actor = row.actorSlackId ? names.actors.get(row.actorSlackId) : undefined;
  const who = actor ? `*${escapeMrkdwn(actor)}*` : row.actorSlackId ? `<@${row.actorSlackId}>` : "Pulse";
  const entityId = row.entityId && /^\d{1,9}$/.test(row.entityId) ? Number(row.entityId) : undefined;
  const entityName =
    entityId === undefined
      ? undefined
      : row.entityType === "account"
        ? names.accounts.get(entityId)
        : row.entityType === "user"
          ? names.users.get(entityId)
          : undefined;
  const accountName = row.accountId !== null ? names.accounts.get(row.accountId) : undefined;
  const what = entityName
    ? `${row.entityType} ${entityName}`
    : `${row.entityId ? `${row.entityType} ${row.entityId}` : row.entityType}${accountName && row.entityType !== "account" ? ` on ${accountName}` : ""}`;
  return `\`${formatDateTime(row.at, null)}\` ${who} *${escapeMrkdwn(row.action)}* ${escapeMrkdwn(what)}`;
}

export function auditReply(rows: AuditLog[], scope: string, names: AuditNames = NO_NAMES): Reply {
  const title = `Audit log — ${scope}`;
  if (!rows.length)
    return { text: `${title}: nothing recorded yet.`, blocks: [header(title), section("Nothing recorded yet.")] };
  // Ten lines per section keeps each under Slack's 3,000-character section limit.
  const chunks: AuditLog[][] = [];
  for (let i = 0; i < rows.length; i += 10) chunks.push(rows.slice(i, i + 10));
  const blocks: Block[] = [
    header(title),
    ...fitRows(
      chunks,
      (chunk) => [section(chunk.map((row) => auditLine(row, names)).join("\n"))],
      45,
      (omitted) => context([`${omitted.flat().length} older entries not shown.`]),
    ),
    context([`Newest ${rows.length} entries, newest first. Times in UTC.`]),
  ];
  return { text: `${title}: ${rows.length} entries`, blocks };
}
