-- Snapshots are written in bulk every night and only ever read whole: json stores what it
-- is given after validating it, where jsonb parses it into a tree first, at twice the cost.
-- AlterTable
ALTER TABLE "health_snapshot" ALTER COLUMN "components" SET DATA TYPE JSON,
ALTER COLUMN "reasons" SET DATA TYPE JSON;
