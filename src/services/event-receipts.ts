// Slack redelivers an event when it thinks the first delivery failed (X-Slack-Retry-Num).
// The first delivery of an event_id claims it with an INSERT on slack_event_receipt's key;
// a redelivery finds the claim and is dropped. Two deliveries racing each other are
// settled by the primary key, not by a read-then-write.
import type { Db } from "../db/client.js";

/** True when this delivery is the first for the event, and so should be handled. */
export async function claimEventReceipt(db: Db, teamId: string, eventId: string, now: Date): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "slack_event_receipt" ("workspaceId", "eventId", "receivedAt")
    SELECT w."id", ${eventId}, ${now} FROM "workspace" w WHERE w."slackTeamId" = ${teamId}
    ON CONFLICT ("workspaceId", "eventId") DO NOTHING`;
  if (inserted > 0) return true;
  const known = await db.workspace.findUnique({ where: { slackTeamId: teamId }, select: { id: true } });
  if (known) return false;
  // An event from a workspace Pulse has no row for yet: create the row, then claim.
  const workspace = await db.workspace.upsert({
    where: { slackTeamId: teamId },
    create: { slackTeamId: teamId, name: teamId },
    update: {},
  });
  const claimed = await db.$executeRaw`
    INSERT INTO "slack_event_receipt" ("workspaceId", "eventId", "receivedAt")
    VALUES (${workspace.id}, ${eventId}, ${now})
    ON CONFLICT ("workspaceId", "eventId") DO NOTHING`;
  return claimed > 0;
}
