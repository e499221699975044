-- CreateTable
CREATE TABLE "channel_link_suggestion" (
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "accountId" INTEGER NOT NULL,
    "channelName" TEXT,
    "externalTeamId" TEXT,
    "suggestedToSlackId" TEXT NOT NULL,
    "suggestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answer" TEXT,
    "answeredBySlackId" TEXT,
    "answeredAt" TIMESTAMPTZ(3),

    CONSTRAINT "channel_link_suggestion_pkey" PRIMARY KEY ("workspaceId","channelId")
);

-- CreateIndex
CREATE INDEX "channel_link_suggestion_workspaceId_accountId_idx" ON "channel_link_suggestion"("workspaceId", "accountId");

-- AddForeignKey
ALTER TABLE "channel_link_suggestion" ADD CONSTRAINT "channel_link_suggestion_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_link_suggestion" ADD CONSTRAINT "channel_link_suggestion_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
