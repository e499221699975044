-- AlterEnum
ALTER TYPE "StakeholderType" ADD VALUE 'unknown';

-- AlterTable
ALTER TABLE "workspace" ADD COLUMN     "channelResponseTargetHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "channelSignals" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "contact" ADD COLUMN     "likelyChampion" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "slackUserId" TEXT;

-- CreateTable
CREATE TABLE "channel_link" (
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "accountId" INTEGER NOT NULL,
    "name" TEXT,
    "linkedBySlackId" TEXT NOT NULL,
    "linkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "externalTeamId" TEXT,
    "endedReason" TEXT,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "channel_link_pkey" PRIMARY KEY ("workspaceId","channelId")
);

-- CreateTable
CREATE TABLE "channel_activity_daily" (
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "accountId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "customerMessages" INTEGER NOT NULL DEFAULT 0,
    "customerPeople" INTEGER NOT NULL DEFAULT 0,
    "vendorReplies" INTEGER NOT NULL DEFAULT 0,
    "customerQuestions" INTEGER NOT NULL DEFAULT 0,
    "firstResponseCount" INTEGER NOT NULL DEFAULT 0,
    "firstResponseSecondsSum" BIGINT NOT NULL DEFAULT 0,
    "firstResponseSeconds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "unansweredThreads" INTEGER NOT NULL DEFAULT 0,
    "reactions" INTEGER NOT NULL DEFAULT 0,
    "customerJoins" INTEGER NOT NULL DEFAULT 0,
    "customerLeaves" INTEGER NOT NULL DEFAULT 0,
    "rolledUpAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_activity_daily_pkey" PRIMARY KEY ("workspaceId","channelId","day")
);

-- CreateTable
CREATE TABLE "channel_person" (
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "teamId" TEXT,
    "isCustomer" BOOLEAN NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "joinedAt" TIMESTAMPTZ(3),
    "leftAt" TIMESTAMPTZ(3),
    "contactId" INTEGER,

    CONSTRAINT "channel_person_pkey" PRIMARY KEY ("workspaceId","channelId","slackUserId")
);

-- CreateTable
CREATE TABLE "channel_person_daily" (
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "isCustomer" BOOLEAN NOT NULL,
    "messages" INTEGER NOT NULL DEFAULT 0,
    "questions" INTEGER NOT NULL DEFAULT 0,
    "reactions" INTEGER NOT NULL DEFAULT 0,
    "joins" INTEGER NOT NULL DEFAULT 0,
    "leaves" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "channel_person_daily_pkey" PRIMARY KEY ("workspaceId","channelId","day","slackUserId")
);

-- CreateTable
CREATE TABLE "channel_thread" (
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT NOT NULL,
    "askerSlackId" TEXT NOT NULL,
    "askedAt" TIMESTAMPTZ(3) NOT NULL,
    "answeredAt" TIMESTAMPTZ(3),
    "responderSlackId" TEXT,

    CONSTRAINT "channel_thread_pkey" PRIMARY KEY ("workspaceId","channelId","threadTs")
);

-- CreateIndex
CREATE INDEX "channel_link_workspaceId_accountId_idx" ON "channel_link"("workspaceId", "accountId");

-- CreateIndex
CREATE INDEX "channel_activity_daily_workspaceId_accountId_day_idx" ON "channel_activity_daily"("workspaceId", "accountId", "day");

-- CreateIndex
CREATE INDEX "channel_activity_daily_day_idx" ON "channel_activity_daily"("day");

-- CreateIndex
CREATE INDEX "channel_person_workspaceId_slackUserId_idx" ON "channel_person"("workspaceId", "slackUserId");

-- CreateIndex
CREATE INDEX "channel_person_daily_workspaceId_slackUserId_idx" ON "channel_person_daily"("workspaceId", "slackUserId");

-- CreateIndex
CREATE INDEX "channel_person_daily_day_idx" ON "channel_person_daily"("day");

-- CreateIndex
CREATE INDEX "channel_thread_workspaceId_channelId_askedAt_idx" ON "channel_thread"("workspaceId", "channelId", "askedAt");

-- CreateIndex
CREATE INDEX "channel_thread_askedAt_idx" ON "channel_thread"("askedAt");

-- CreateIndex
CREATE INDEX "contact_workspaceId_slackUserId_idx" ON "contact"("workspaceId", "slackUserId");

-- AddForeignKey
ALTER TABLE "channel_link" ADD CONSTRAINT "channel_link_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_link" ADD CONSTRAINT "channel_link_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_activity_daily" ADD CONSTRAINT "channel_activity_daily_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_activity_daily" ADD CONSTRAINT "channel_activity_daily_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_person" ADD CONSTRAINT "channel_person_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_person_daily" ADD CONSTRAINT "channel_person_daily_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_thread" ADD CONSTRAINT "channel_thread_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
