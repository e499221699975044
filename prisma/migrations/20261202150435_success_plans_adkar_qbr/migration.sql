-- CreateEnum
CREATE TYPE "AdkarStage" AS ENUM ('awareness', 'desire', 'knowledge', 'ability', 'reinforcement');

-- CreateEnum
CREATE TYPE "ObjectiveStatus" AS ENUM ('active', 'achieved', 'missed', 'dropped');

-- CreateTable
CREATE TABLE "success_objective" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "externalId" TEXT,
    "title" TEXT NOT NULL,
    "metric" TEXT,
    "unit" TEXT,
    "baseline" DECIMAL(14,2),
    "target" DECIMAL(14,2),
    "current" DECIMAL(14,2),
    "measuredOn" DATE,
    "targetDate" DATE,
    "status" "ObjectiveStatus" NOT NULL DEFAULT 'active',
    "stakeholderTypes" "StakeholderType"[],
    "notes" TEXT,
    "source" "DataSource" NOT NULL DEFAULT 'slack',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "success_objective_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "success_milestone" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "objectiveId" INTEGER,
    "externalId" TEXT,
    "title" TEXT NOT NULL,
    "owner" TEXT,
    "dueOn" DATE NOT NULL,
    "completedOn" DATE,
    "stakeholderTypes" "StakeholderType"[],
    "source" "DataSource" NOT NULL DEFAULT 'slack',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "success_milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "adkar_status" (
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "group" "StakeholderType" NOT NULL,
    "stage" "AdkarStage" NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "setBySlackId" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "adkar_status_pkey" PRIMARY KEY ("workspaceId","accountId","group")
);

-- CreateTable
CREATE TABLE "adkar_change" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "group" "StakeholderType" NOT NULL,
    "fromStage" "AdkarStage",
    "toStage" "AdkarStage" NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedBySlackId" TEXT,
    "source" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "adkar_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "qbr_pack" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "quarter" TEXT NOT NULL,
    "builtBySlackId" TEXT NOT NULL,
    "builtAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content" JSONB NOT NULL,
    "internalDelivery" TEXT,
    "internalRef" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "approvedBySlackId" TEXT,
    "customerDelivery" TEXT,
    "customerRef" TEXT,

    CONSTRAINT "qbr_pack_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "success_objective_workspaceId_accountId_idx" ON "success_objective"("workspaceId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "success_objective_workspaceId_externalId_key" ON "success_objective"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "success_objective_workspaceId_id_key" ON "success_objective"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "success_milestone_workspaceId_accountId_dueOn_idx" ON "success_milestone"("workspaceId", "accountId", "dueOn");

-- CreateIndex
CREATE UNIQUE INDEX "success_milestone_workspaceId_externalId_key" ON "success_milestone"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "success_milestone_workspaceId_id_key" ON "success_milestone"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "adkar_change_workspaceId_accountId_changedAt_idx" ON "adkar_change"("workspaceId", "accountId", "changedAt");

-- CreateIndex
CREATE INDEX "qbr_pack_workspaceId_accountId_builtAt_idx" ON "qbr_pack"("workspaceId", "accountId", "builtAt");

-- CreateIndex
CREATE UNIQUE INDEX "qbr_pack_workspaceId_id_key" ON "qbr_pack"("workspaceId", "id");

-- AddForeignKey
ALTER TABLE "success_objective" ADD CONSTRAINT "success_objective_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "success_objective" ADD CONSTRAINT "success_objective_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "success_milestone" ADD CONSTRAINT "success_milestone_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "success_milestone" ADD CONSTRAINT "success_milestone_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "success_milestone" ADD CONSTRAINT "success_milestone_workspaceId_objectiveId_fkey" FOREIGN KEY ("workspaceId", "objectiveId") REFERENCES "success_objective"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adkar_status" ADD CONSTRAINT "adkar_status_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adkar_status" ADD CONSTRAINT "adkar_status_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adkar_change" ADD CONSTRAINT "adkar_change_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adkar_change" ADD CONSTRAINT "adkar_change_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qbr_pack" ADD CONSTRAINT "qbr_pack_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qbr_pack" ADD CONSTRAINT "qbr_pack_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
