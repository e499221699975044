-- Ingestion API: find a user's latest `group` call (which account their events belong to)
-- without scanning every event. Partial: group calls are a sliver of all events, so the
-- index costs the hot insert path almost nothing. Not expressible in schema.prisma.
CREATE INDEX "usage_event_group_user_idx" ON "usage_event" ("workspaceId", "userKey", "occurredAt" DESC) WHERE "type" = 'group';

-- Pruning raw events by age (src/jobs/prune-usage-events.ts).
CREATE INDEX "usage_event_occurredAt_idx" ON "usage_event" ("occurredAt");
