-- CreateEnum
CREATE TYPE "BillingTerm" AS ENUM ('monthly', 'quarterly', 'annual', 'multi_year');

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "autoRenew" BOOLEAN,
ADD COLUMN     "billingTerm" "BillingTerm",
ADD COLUMN     "plan" TEXT,
ADD COLUMN     "traits" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "churn_event" ADD COLUMN     "source" "DataSource" NOT NULL DEFAULT 'slack';

-- CreateTable
CREATE TABLE "account_attribute_change" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "attribute" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "effectiveOn" DATE NOT NULL,
    "source" "DataSource" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_attribute_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_model_version" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "trainedUntil" DATE NOT NULL,
    "trainingRows" INTEGER NOT NULL,
    "churns" INTEGER NOT NULL,
    "spec" JSONB NOT NULL,
    "validation" JSONB NOT NULL,
    "lastCheck" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "adoptedAt" TIMESTAMPTZ(3),
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "health_model_version_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_attribute_change_workspaceId_accountId_attribute_ef_key" ON "account_attribute_change"("workspaceId", "accountId", "attribute", "effectiveOn");

-- CreateIndex
CREATE INDEX "health_model_version_workspaceId_adoptedAt_idx" ON "health_model_version"("workspaceId", "adoptedAt");

-- CreateIndex
CREATE UNIQUE INDEX "health_model_version_workspaceId_version_key" ON "health_model_version"("workspaceId", "version");

-- AddForeignKey
ALTER TABLE "account_attribute_change" ADD CONSTRAINT "account_attribute_change_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_attribute_change" ADD CONSTRAINT "account_attribute_change_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_model_version" ADD CONSTRAINT "health_model_version_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
