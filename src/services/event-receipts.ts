// Slack redelivers an event when it thinks the first delivery failed (X-Slack-Retry-Num).
// The first delivery of an event_id claims it with an INSERT on slack_event_receipt's key;
// a redelivery finds the claim and is dropped. Two deliveries racing each other are
// settled by the primary key, not by a read-then-write.
//
// Claims are written in batches: the deliveries that arrive while one batch is on its way
// to PostgreSQL go together in the next statement. A busy workspace (a thousand linked
// customer channels) sends hundreds of events a second, and a statement per event was
// most of what its acknowledgements waited on; a quiet one still gets one statement per
// event, written at once.
import type { Db } from "../db/client.js";

interface PendingClaim {
  teamId: string;
  eventId: string;
  at: Date;
  resolve(first: boolean): void;
  reject(error: unknown): void;
}

/** At most this many claims in one statement. */
const MAX_BATCH = 500;

interface Batcher {
  pending: PendingClaim[];
  writing: boolean;
}

const batchers = new WeakMap<Db, Batcher>();

/** True when this delivery is the first for the event, and so should be handled. */
export function claimEventReceipt(db: Db, teamId: string, eventId: string, now: Date): Promise<boolean> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = { pending: [], writing: false }));
  const b = batcher;
  return new Promise<boolean>((resolve, reject) => {
    b.pending.push({ teamId, eventId, at: now, resolve, reject });
    if (!b.writing) void writeBatches(db, b);
  });
}

async function writeBatches(db: Db, b: Batcher): Promise<void> {
  b.writing = true;
  try {
    while (b.pending.length) {
      const batch = b.pending.splice(0, MAX_BATCH);
      const byTeam = new Map<string, PendingClaim[]>();
      for (const claim of batch) byTeam.set(claim.teamId, [...(byTeam.get(claim.teamId) ?? []), claim]);
      await Promise.all(
        [...byTeam].map(([teamId, claims]) =>
          claimForTeam(db, teamId, claims).catch((error: unknown) => {
            for (const claim of claims) claim.reject(error);
          }),
        ),
      );
    }
  } finally {
    b.writing = false;
  }
}

async function claimForTeam(db: Db, teamId: string, claims: PendingClaim[]): Promise<void> {
  // The same event twice in one batch: the first is the delivery, the others redeliveries.
  const firsts = new Map<string, PendingClaim>();
  for (const claim of claims) {
    if (firsts.has(claim.eventId)) claim.resolve(false);
    else firsts.set(claim.eventId, claim);
  }
  const unique = [...firsts.values()];
  const claimed = await insertClaims(db, teamId, unique);
  if (claimed.size < unique.length && !(await db.workspace.findUnique({ where: { slackTeamId: teamId } }))) {
    // Events from a workspace Pulse has no row for yet: create the row, then claim.
    await db.workspace.upsert({
      where: { slackTeamId: teamId },
      create: { slackTeamId: teamId, name: teamId },
      update: {},
    });
    for (const id of await insertClaims(db, teamId, unique)) claimed.add(id);
  }
  for (const claim of unique) claim.resolve(claimed.has(claim.eventId));
}

async function insertClaims(db: Db, teamId: string, claims: PendingClaim[]): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ eventId: string }[]>`
    INSERT INTO "slack_event_receipt" ("workspaceId", "eventId", "receivedAt")
    SELECT w."id", e."eventId", e."receivedAt"
      FROM "workspace" w,
           unnest(${claims.map((c) => c.eventId)}::text[], ${claims.map((c) => c.at.toISOString())}::timestamptz[])
             AS e("eventId", "receivedAt")
     WHERE w."slackTeamId" = ${teamId}
    ON CONFLICT ("workspaceId", "eventId") DO NOTHING
    RETURNING "eventId"`;
  return new Set(rows.map((r) => r.eventId));
}
