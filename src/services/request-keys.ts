// Idempotent writes from Slack. A repeated delivery of one request (a double-clicked
// submit, a replayed command or button) carries the same key; the first claim wins and the
// others write nothing. A claim whose work then fails is released, so trying again works.
import type { Db } from "../db/client.js";

/** True when this request is the first with its key in the workspace. */
export async function claimRequestKey(db: Db, workspaceId: number, key: string, now: Date): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "slack_request_key" ("workspaceId", "key", "receivedAt") VALUES (${workspaceId}, ${key}, ${now})
    ON CONFLICT ("workspaceId", "key") DO NOTHING`;
  return inserted === 1;
}

export async function releaseRequestKey(db: Db, workspaceId: number, key: string): Promise<void> {
  await db.slackRequestKey.deleteMany({ where: { workspaceId, key } });
}

/** Keys older than Slack's replay window (signatures are refused after 5 minutes) are safe to forget. */
export async function pruneRequestKeys(db: Db, before: Date): Promise<number> {
  return (await db.slackRequestKey.deleteMany({ where: { receivedAt: { lt: before } } })).count;
}
