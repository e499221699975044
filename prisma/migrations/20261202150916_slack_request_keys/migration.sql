-- CreateTable
CREATE TABLE "slack_request_key" (
    "workspaceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_request_key_pkey" PRIMARY KEY ("workspaceId","key")
);

-- CreateIndex
CREATE INDEX "slack_request_key_receivedAt_idx" ON "slack_request_key"("receivedAt");

-- AddForeignKey
ALTER TABLE "slack_request_key" ADD CONSTRAINT "slack_request_key_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
