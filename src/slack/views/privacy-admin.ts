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
import { countOf, formatDateTime, humanise } from "./format.js";
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
    ? `This erases the personal data of *${records(preview.contacts)}* with the email \`${email}\`, ` +
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
          ? `Erase ${records(preview.contacts)} with ${preview.email}? This cannot be undone.`
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
      ? `Erase ${records(preview.contacts)} with ${preview.email}?`
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
    ? `:wastebasket: Erased the personal data of ${records(result.contacts)}: name, email and title removed, ` +
      `${countOf(result.surveyResponses, "survey answer")} cleared of name and comment, ${countOf(result.touchpoints, "touchpoint note")} scrubbed${result.channelActivity ? `, ${countOf(result.channelActivity, "row")} of their customer-channel activity deleted` : ""}. Recorded in the audit log (email stored only as a hash).`
    : `No contact has that email in this workspace. ${countOf(result.touchpoints, "touchpoint note")} mentioned it and ${result.touchpoints === 1 ? "was" : "were"} scrubbed. The request was recorded in the audit log (email stored only as a hash).`;
  return { text, blocks: [section(text)] };
}

const NO_NAMES: AuditNames = { accounts: new Map(), users: new Map(), actors: new Map() };

/** Entries that belong to an account read "QBR pack on Acme": their row id means nothing to a reader. */
const ON_ACCOUNT: Record<string, string> = {
  churn_event: "churn",
  qbr_pack: "QBR pack",
  playbook_task: "task",
  survey_response: "survey answer",
  success_objective: "success-plan objective",
  success_milestone: "success-plan milestone",
  adkar_status: "ADKAR status",
  sentiment_override: "override",
  retro_action_item: "retro action item",
  plans: "success plans",
  contact: "contact",
};

/** Names where Pulse knows them (issue 15: the log showed ids); an id only where people use it too ("digest #3"). */
function auditLine(row: AuditLog, names: AuditNames, timeZone: string | null): string {
  const actor = row.actorSlackId ? names.actors.get(row.actorSlackId) : undefined;
  const who = actor ? `*${escapeMrkdwn(actor)}*` : row.actorSlackId ? `<@${row.actorSlackId}>` : "Pulse";
  const entityId = row.entityId && /^\d{1,9}$/.test(row.entityId) ? Number(row.entityId) : undefined;
  const accountName = row.accountId !== null ? names.accounts.get(row.accountId) : undefined;
  const on = accountName && row.entityType !== "account" ? ` on ${escapeMrkdwn(accountName)}` : "";
  let what: string;
  if (row.entityType === "account" || row.entityType === "user") {
    const name =
      entityId === undefined ? undefined : (row.entityType === "account" ? names.accounts : names.users).get(entityId);
    what = `${row.entityType} ${escapeMrkdwn(name ?? row.entityId ?? "")}`.trim();
  } else if (row.entityType === "workspace") what = "the workspace";
  else if (row.entityType === "digest_subscription")
    what = `digest${row.entityId ? ` #${escapeMrkdwn(row.entityId)}` : ""}`;
  else if (row.entityType === "channel" && row.entityId && /^[CG][A-Z0-9]{2,}$/.test(row.entityId))
    what = `channel <#${row.entityId}>${on}`;
  else if (ON_ACCOUNT[row.entityType] && accountName) what = `${ON_ACCOUNT[row.entityType]}${on}`;
  else what = `${humanise(row.entityType)}${row.entityId ? ` ${escapeMrkdwn(row.entityId)}` : ""}${on}`;
  return `\`${formatDateTime(row.at, timeZone)}\` ${who} *${escapeMrkdwn(row.action)}* ${what}`;
}

/** The entries in the reader's time zone (their own, else the workspace's), as every date Pulse writes. */
export function auditReply(
  rows: AuditLog[],
  scope: string,
  names: AuditNames = NO_NAMES,
  timeZone: string | null = null,
): Reply {
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
      (chunk) => [section(chunk.map((row) => auditLine(row, names, timeZone)).join("\n"))],
      45,
      (omitted) => context([`${entries(omitted.flat().length)} older not shown.`]),
    ),
    context([`Newest ${entries(rows.length)}, newest first.`]),
  ];
  return { text: `${title}: ${entries(rows.length)}`, blocks };
}

const entries = (n: number) => countOf(n, "entry");
const records = (n: number) => countOf(n, "contact record");
