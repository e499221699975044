// A small workspace with one row in each table personal data can reach: enough for
// privacy and erasure tests without the full demo portfolio's seconds of seeding.
import type { Db } from "../../src/db/client.js";

export interface SmallWorkspace {
  workspaceId: number;
  adminId: number;
  accountId: number;
  contactId: number;
  otherContactId: number;
  touchpointId: number;
  surveyId: number;
}

export async function createSmallWorkspace(
  db: Db,
  teamId: string,
  options: { adminSlackId?: string; accountName?: string } = {},
): Promise<SmallWorkspace> {
  const ws = await db.workspace.create({ data: { slackTeamId: teamId, name: `Team ${teamId}` } });
  const admin = await db.user.create({
    data: { workspaceId: ws.id, slackUserId: options.adminSlackId ?? "UADMIN", role: "admin", name: "Ada" },
  });
  const account = await db.account.create({
    data: {
      workspaceId: ws.id,
      name: options.accountName ?? "Acme Corp",
      externalId: "ACME-1",
      ownerId: admin.id,
      arr: 120000,
      domain: "acme.test",
    },
  });
  const contact = await db.contact.create({
    data: {
      workspaceId: ws.id,
      accountId: account.id,
      name: "Jane Doe",
      email: "jane.doe@acme.test",
      title: "VP Operations",
      stakeholderType: "sponsor",
    },
  });
  const other = await db.contact.create({
    data: { workspaceId: ws.id, accountId: account.id, name: "Bob Stone", email: "bob@acme.test", title: "Engineer" },
  });
  const touchpoint = await db.touchpoint.create({
    data: {
      workspaceId: ws.id,
      accountId: account.id,
      kind: "call",
      occurredAt: new Date("2026-11-01T10:00:00Z"),
      notes: "Call with Jane Doe (jane.doe@acme.test) and Bob: JANE DOE wants SSO. Cc Jane.Doe@Acme.test",
      loggedById: admin.id,
    },
  });
  await db.touchpointContact.create({
    data: { workspaceId: ws.id, touchpointId: touchpoint.id, contactId: contact.id },
  });
  const survey = await db.surveyResponse.create({
    data: {
      workspaceId: ws.id,
      accountId: account.id,
      contactId: contact.id,
      kind: "nps",
      score: 4,
      comment: "Too slow for us",
      respondentName: "Jane Doe",
      respondedAt: new Date("2026-11-02T10:00:00Z"),
    },
  });
  await db.surveyResponse.create({
    data: {
      workspaceId: ws.id,
      accountId: account.id,
      contactId: other.id,
      kind: "csat",
      score: 5,
      comment: "Great",
      respondentName: "Bob Stone",
      respondedAt: new Date("2026-11-03T10:00:00Z"),
    },
  });
  await db.usageDaily.create({
    data: { workspaceId: ws.id, accountId: account.id, day: new Date("2026-11-01"), activeUsers: 12, logins: 30 },
  });
  return {
    workspaceId: ws.id,
    adminId: admin.id,
    accountId: account.id,
    contactId: contact.id,
    otherContactId: other.id,
    touchpointId: touchpoint.id,
    surveyId: survey.id,
  };
}
