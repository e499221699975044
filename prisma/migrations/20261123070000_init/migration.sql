-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('csm', 'manager', 'admin');

-- CreateEnum
CREATE TYPE "LifecycleStage" AS ENUM ('orientation', 'onboarding', 'adoption', 'maturity', 'development');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('active', 'churned');

-- CreateEnum
CREATE TYPE "StakeholderType" AS ENUM ('end_user', 'sponsor', 'implementer');

-- CreateEnum
CREATE TYPE "TouchpointKind" AS ENUM ('call', 'meeting', 'email', 'qbr', 'support_escalation', 'other');

-- CreateEnum
CREATE TYPE "Sentiment" AS ENUM ('positive', 'neutral', 'negative');

-- CreateEnum
CREATE TYPE "SurveyKind" AS ENUM ('nps', 'csat', 'ces');

-- CreateEnum
CREATE TYPE "HealthBand" AS ENUM ('green', 'yellow', 'red');

-- CreateEnum
CREATE TYPE "DataSource" AS ENUM ('slack', 'import', 'api', 'demo', 'system');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('open', 'done', 'snoozed', 'cancelled');

-- CreateEnum
CREATE TYPE "PlaybookGroup" AS ENUM ('treated', 'control');

-- CreateEnum
CREATE TYPE "ChurnKind" AS ENUM ('full', 'downgrade');

-- CreateEnum
CREATE TYPE "ChurnReason" AS ENUM ('product_gap', 'low_adoption', 'champion_left', 'budget_or_price', 'competitor', 'acquired_or_closed', 'service_quality', 'failed_onboarding', 'other');

-- CreateEnum
CREATE TYPE "RetroStatus" AS ENUM ('pending', 'open', 'closed');

-- CreateEnum
CREATE TYPE "ArrChangeKind" AS ENUM ('new_business', 'expansion', 'contraction', 'churn', 'winback', 'correction');

-- CreateEnum
CREATE TYPE "DigestQuietDay" AS ENUM ('all_clear', 'nothing');

-- CreateEnum
CREATE TYPE "DigestRunStatus" AS ENUM ('claimed', 'posted', 'empty', 'failed');

-- CreateTable
CREATE TABLE "workspace" (
    "id" SERIAL NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "enterpriseId" TEXT,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "deactivatedAt" TIMESTAMPTZ(3),
    "eraseAfter" TIMESTAMPTZ(3),
    "retroChannelId" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_installation" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "enterpriseId" TEXT,
    "botUserId" TEXT,
    "botId" TEXT,
    "botScopes" TEXT[],
    "installerSlackId" TEXT,
    "botTokenCiphertext" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "installedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "slack_installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "name" TEXT,
    "role" "UserRole" NOT NULL DEFAULT 'csm',
    "timezone" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "domain" TEXT,
    "segment" TEXT,
    "ownerId" INTEGER,
    "arr" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "seats" INTEGER,
    "contractStart" DATE,
    "renewalDate" DATE,
    "stage" "LifecycleStage" NOT NULL DEFAULT 'orientation',
    "stageSince" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "AccountStatus" NOT NULL DEFAULT 'active',
    "churnedAt" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "externalId" TEXT,
    "name" TEXT,
    "email" TEXT,
    "title" TEXT,
    "stakeholderType" "StakeholderType" NOT NULL DEFAULT 'end_user',
    "leftAt" DATE,
    "erasedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_daily" (
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "activeUsers" INTEGER NOT NULL DEFAULT 0,
    "logins" INTEGER NOT NULL DEFAULT 0,
    "seats" INTEGER,
    "modules" JSONB NOT NULL DEFAULT '{}',
    "source" "DataSource" NOT NULL DEFAULT 'import',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("workspaceId","accountId","day")
);

-- CreateTable
CREATE TABLE "usage_event" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER,
    "messageId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "event" TEXT,
    "userKey" TEXT,
    "module" TEXT,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "properties" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "usage_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "touchpoint" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "externalId" TEXT,
    "kind" "TouchpointKind" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "stakeholderTypes" "StakeholderType"[],
    "sentiment" "Sentiment",
    "notes" TEXT,
    "permalink" TEXT,
    "source" "DataSource" NOT NULL DEFAULT 'slack',
    "loggedById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "touchpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "touchpoint_contact" (
    "workspaceId" INTEGER NOT NULL,
    "touchpointId" INTEGER NOT NULL,
    "contactId" INTEGER NOT NULL,

    CONSTRAINT "touchpoint_contact_pkey" PRIMARY KEY ("workspaceId","touchpointId","contactId")
);

-- CreateTable
CREATE TABLE "survey_response" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "contactId" INTEGER,
    "externalId" TEXT,
    "kind" "SurveyKind" NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "respondentName" TEXT,
    "stakeholderType" "StakeholderType",
    "respondedAt" TIMESTAMPTZ(3) NOT NULL,
    "source" "DataSource" NOT NULL DEFAULT 'slack',
    "recordedById" INTEGER,
    "detractorAlertedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_snapshot" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "scoredOn" DATE NOT NULL,
    "score" INTEGER NOT NULL,
    "band" "HealthBand" NOT NULL,
    "usageScore" INTEGER,
    "engagementScore" INTEGER,
    "perceptionScore" INTEGER,
    "components" JSONB NOT NULL,
    "reasons" JSONB NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "health_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scoring_run" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "scoredOn" DATE NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "accountsScored" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "details" JSONB NOT NULL DEFAULT '{}',
    "modelVersion" TEXT,

    CONSTRAINT "scoring_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_signal" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "detectedOn" DATE NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "resolvedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_signal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_change" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "fromStage" "LifecycleStage",
    "toStage" "LifecycleStage" NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedById" INTEGER,
    "source" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "stage_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "arr_change" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "effectiveOn" DATE NOT NULL,
    "kind" "ArrChangeKind" NOT NULL,
    "arrBefore" DECIMAL(14,2) NOT NULL,
    "arrAfter" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "churnEventId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "arr_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "playbook" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" JSONB NOT NULL DEFAULT '{}',
    "controlShare" DECIMAL(4,3) NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "playbook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "playbook_firing" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "playbookId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "riskSignalId" INTEGER,
    "firedOn" DATE NOT NULL,
    "group" "PlaybookGroup" NOT NULL,
    "scoreAtFiring" INTEGER,
    "scoreAfter30d" INTEGER,
    "recovered" BOOLEAN,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "playbook_firing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "playbook_task" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "playbookId" INTEGER,
    "firingId" INTEGER,
    "ownerId" INTEGER,
    "dedupeKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "detail" TEXT,
    "dueOn" DATE NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'open',
    "snoozedUntil" DATE,
    "completedAt" TIMESTAMPTZ(3),
    "completedById" INTEGER,
    "notifiedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "playbook_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "churn_event" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "kind" "ChurnKind" NOT NULL,
    "churnedOn" DATE NOT NULL,
    "arrBefore" DECIMAL(14,2) NOT NULL,
    "arrLost" DECIMAL(14,2) NOT NULL,
    "primaryReason" "ChurnReason" NOT NULL,
    "reasonOther" TEXT,
    "contributingFactors" "ChurnReason"[],
    "warningSigns" TEXT,
    "warningSeenOn" DATE,
    "couldHaveDone" TEXT,
    "lessons" TEXT,
    "preventable" BOOLEAN,
    "firstRedOn" DATE,
    "daysOfWarning" INTEGER,
    "filedById" INTEGER,
    "filedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retroStatus" "RetroStatus" NOT NULL DEFAULT 'pending',
    "retroChannelId" TEXT,
    "retroThreadTs" TEXT,
    "retroClosedAt" TIMESTAMPTZ(3),
    "retroClosedById" INTEGER,
    "reversedAt" TIMESTAMPTZ(3),
    "reversedById" INTEGER,

    CONSTRAINT "churn_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retro_note" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "churnEventId" INTEGER NOT NULL,
    "authorSlackId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "slackTs" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "retro_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retro_action_item" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "churnEventId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "dueOn" DATE NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'open',
    "createdById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "retro_action_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_subscription" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "ownerFilterId" INTEGER,
    "segment" TEXT,
    "stage" "LifecycleStage",
    "minArr" DECIMAL(14,2),
    "bands" "HealthBand"[],
    "postAtMinutes" INTEGER NOT NULL DEFAULT 540,
    "timezone" TEXT NOT NULL,
    "quietDay" "DigestQuietDay" NOT NULL DEFAULT 'all_clear',
    "noTouchDays" INTEGER NOT NULL DEFAULT 30,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "disabledAt" TIMESTAMPTZ(3),
    "disabledReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "digest_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_run" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "subscriptionId" INTEGER NOT NULL,
    "localDate" DATE NOT NULL,
    "status" "DigestRunStatus" NOT NULL DEFAULT 'claimed',
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "postedAt" TIMESTAMPTZ(3),
    "messageTs" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "accountsShown" INTEGER,
    "error" TEXT,
    "summary" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "digest_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_snooze" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "snoozedById" INTEGER NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "scoreAtSnooze" INTEGER,
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_snooze_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sentiment_override" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "band" "HealthBand" NOT NULL,
    "reason" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "setById" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clearedAt" TIMESTAMPTZ(3),

    CONSTRAINT "sentiment_override_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "actorSlackId" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "accountId" INTEGER,
    "details" JSONB NOT NULL DEFAULT '{}',
    "requestId" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_event_receipt" (
    "workspaceId" INTEGER NOT NULL,
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_event_receipt_pkey" PRIMARY KEY ("workspaceId","eventId")
);

-- CreateTable
CREATE TABLE "job_run" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "error" TEXT,

    CONSTRAINT "job_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspace_slackTeamId_key" ON "workspace"("slackTeamId");

-- CreateIndex
CREATE INDEX "slack_installation_workspaceId_idx" ON "slack_installation"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_workspaceId_slackUserId_key" ON "app_user"("workspaceId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_workspaceId_id_key" ON "app_user"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "account_workspaceId_ownerId_idx" ON "account"("workspaceId", "ownerId");

-- CreateIndex
CREATE INDEX "account_workspaceId_status_idx" ON "account"("workspaceId", "status");

-- CreateIndex
CREATE INDEX "account_workspaceId_renewalDate_idx" ON "account"("workspaceId", "renewalDate");

-- CreateIndex
CREATE UNIQUE INDEX "account_workspaceId_externalId_key" ON "account"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "account_workspaceId_id_key" ON "account"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "contact_workspaceId_accountId_idx" ON "contact"("workspaceId", "accountId");

-- CreateIndex
CREATE INDEX "contact_workspaceId_email_idx" ON "contact"("workspaceId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "contact_workspaceId_externalId_key" ON "contact"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "contact_workspaceId_id_key" ON "contact"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "usage_daily_workspaceId_day_idx" ON "usage_daily"("workspaceId", "day");

-- CreateIndex
CREATE INDEX "usage_event_workspaceId_accountId_occurredAt_idx" ON "usage_event"("workspaceId", "accountId", "occurredAt");

-- CreateIndex
CREATE INDEX "usage_event_receivedAt_idx" ON "usage_event"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "usage_event_workspaceId_messageId_key" ON "usage_event"("workspaceId", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "api_key_workspaceId_idx" ON "api_key"("workspaceId");

-- CreateIndex
CREATE INDEX "touchpoint_workspaceId_accountId_occurredAt_idx" ON "touchpoint"("workspaceId", "accountId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "touchpoint_workspaceId_externalId_key" ON "touchpoint"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "touchpoint_workspaceId_id_key" ON "touchpoint"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "survey_response_workspaceId_accountId_kind_respondedAt_idx" ON "survey_response"("workspaceId", "accountId", "kind", "respondedAt");

-- CreateIndex
CREATE UNIQUE INDEX "survey_response_workspaceId_externalId_key" ON "survey_response"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "health_snapshot_workspaceId_scoredOn_band_idx" ON "health_snapshot"("workspaceId", "scoredOn", "band");

-- CreateIndex
CREATE UNIQUE INDEX "health_snapshot_workspaceId_accountId_scoredOn_key" ON "health_snapshot"("workspaceId", "accountId", "scoredOn");

-- CreateIndex
CREATE INDEX "scoring_run_workspaceId_startedAt_idx" ON "scoring_run"("workspaceId", "startedAt");

-- CreateIndex
CREATE INDEX "risk_signal_workspaceId_detectedOn_idx" ON "risk_signal"("workspaceId", "detectedOn");

-- CreateIndex
CREATE UNIQUE INDEX "risk_signal_workspaceId_accountId_kind_detectedOn_key" ON "risk_signal"("workspaceId", "accountId", "kind", "detectedOn");

-- CreateIndex
CREATE UNIQUE INDEX "risk_signal_workspaceId_id_key" ON "risk_signal"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "stage_change_workspaceId_accountId_changedAt_idx" ON "stage_change"("workspaceId", "accountId", "changedAt");

-- CreateIndex
CREATE INDEX "arr_change_workspaceId_effectiveOn_idx" ON "arr_change"("workspaceId", "effectiveOn");

-- CreateIndex
CREATE INDEX "arr_change_workspaceId_accountId_effectiveOn_idx" ON "arr_change"("workspaceId", "accountId", "effectiveOn");

-- CreateIndex
CREATE UNIQUE INDEX "playbook_workspaceId_key_key" ON "playbook"("workspaceId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "playbook_workspaceId_id_key" ON "playbook"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "playbook_firing_workspaceId_playbookId_firedOn_idx" ON "playbook_firing"("workspaceId", "playbookId", "firedOn");

-- CreateIndex
CREATE INDEX "playbook_firing_workspaceId_accountId_idx" ON "playbook_firing"("workspaceId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "playbook_firing_workspaceId_id_key" ON "playbook_firing"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "playbook_task_workspaceId_ownerId_status_idx" ON "playbook_task"("workspaceId", "ownerId", "status");

-- CreateIndex
CREATE INDEX "playbook_task_workspaceId_accountId_status_idx" ON "playbook_task"("workspaceId", "accountId", "status");

-- CreateIndex
CREATE INDEX "churn_event_workspaceId_churnedOn_idx" ON "churn_event"("workspaceId", "churnedOn");

-- CreateIndex
CREATE INDEX "churn_event_workspaceId_accountId_idx" ON "churn_event"("workspaceId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "churn_event_workspaceId_id_key" ON "churn_event"("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "churn_event_retroChannelId_retroThreadTs_key" ON "churn_event"("retroChannelId", "retroThreadTs");

-- CreateIndex
CREATE UNIQUE INDEX "retro_note_workspaceId_churnEventId_slackTs_key" ON "retro_note"("workspaceId", "churnEventId", "slackTs");

-- CreateIndex
CREATE INDEX "retro_action_item_workspaceId_ownerId_status_idx" ON "retro_action_item"("workspaceId", "ownerId", "status");

-- CreateIndex
CREATE INDEX "digest_subscription_workspaceId_channelId_idx" ON "digest_subscription"("workspaceId", "channelId");

-- CreateIndex
CREATE INDEX "digest_subscription_active_idx" ON "digest_subscription"("active");

-- CreateIndex
CREATE UNIQUE INDEX "digest_subscription_workspaceId_id_key" ON "digest_subscription"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "digest_run_workspaceId_claimedAt_idx" ON "digest_run"("workspaceId", "claimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "digest_run_subscriptionId_localDate_key" ON "digest_run"("subscriptionId", "localDate");

-- CreateIndex
CREATE INDEX "digest_snooze_workspaceId_accountId_until_idx" ON "digest_snooze"("workspaceId", "accountId", "until");

-- CreateIndex
CREATE INDEX "sentiment_override_workspaceId_accountId_expiresAt_idx" ON "sentiment_override"("workspaceId", "accountId", "expiresAt");

-- CreateIndex
CREATE INDEX "audit_log_workspaceId_at_idx" ON "audit_log"("workspaceId", "at");

-- CreateIndex
CREATE INDEX "audit_log_workspaceId_accountId_at_idx" ON "audit_log"("workspaceId", "accountId", "at");

-- CreateIndex
CREATE INDEX "slack_event_receipt_receivedAt_idx" ON "slack_event_receipt"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "job_run_job_slot_key" ON "job_run"("job", "slot");

-- AddForeignKey
ALTER TABLE "slack_installation" ADD CONSTRAINT "slack_installation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_workspaceId_ownerId_fkey" FOREIGN KEY ("workspaceId", "ownerId") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_event" ADD CONSTRAINT "usage_event_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_event" ADD CONSTRAINT "usage_event_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_workspaceId_createdById_fkey" FOREIGN KEY ("workspaceId", "createdById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touchpoint" ADD CONSTRAINT "touchpoint_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touchpoint" ADD CONSTRAINT "touchpoint_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touchpoint" ADD CONSTRAINT "touchpoint_workspaceId_loggedById_fkey" FOREIGN KEY ("workspaceId", "loggedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touchpoint_contact" ADD CONSTRAINT "touchpoint_contact_workspaceId_touchpointId_fkey" FOREIGN KEY ("workspaceId", "touchpointId") REFERENCES "touchpoint"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touchpoint_contact" ADD CONSTRAINT "touchpoint_contact_workspaceId_contactId_fkey" FOREIGN KEY ("workspaceId", "contactId") REFERENCES "contact"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_workspaceId_contactId_fkey" FOREIGN KEY ("workspaceId", "contactId") REFERENCES "contact"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_workspaceId_recordedById_fkey" FOREIGN KEY ("workspaceId", "recordedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_snapshot" ADD CONSTRAINT "health_snapshot_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_snapshot" ADD CONSTRAINT "health_snapshot_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scoring_run" ADD CONSTRAINT "scoring_run_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_signal" ADD CONSTRAINT "risk_signal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_signal" ADD CONSTRAINT "risk_signal_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_change" ADD CONSTRAINT "stage_change_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_change" ADD CONSTRAINT "stage_change_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_change" ADD CONSTRAINT "stage_change_workspaceId_changedById_fkey" FOREIGN KEY ("workspaceId", "changedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "arr_change" ADD CONSTRAINT "arr_change_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "arr_change" ADD CONSTRAINT "arr_change_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "arr_change" ADD CONSTRAINT "arr_change_workspaceId_churnEventId_fkey" FOREIGN KEY ("workspaceId", "churnEventId") REFERENCES "churn_event"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook" ADD CONSTRAINT "playbook_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_firing" ADD CONSTRAINT "playbook_firing_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_firing" ADD CONSTRAINT "playbook_firing_workspaceId_playbookId_fkey" FOREIGN KEY ("workspaceId", "playbookId") REFERENCES "playbook"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_firing" ADD CONSTRAINT "playbook_firing_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_firing" ADD CONSTRAINT "playbook_firing_workspaceId_riskSignalId_fkey" FOREIGN KEY ("workspaceId", "riskSignalId") REFERENCES "risk_signal"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_task" ADD CONSTRAINT "playbook_task_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_task" ADD CONSTRAINT "playbook_task_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_task" ADD CONSTRAINT "playbook_task_workspaceId_playbookId_fkey" FOREIGN KEY ("workspaceId", "playbookId") REFERENCES "playbook"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_task" ADD CONSTRAINT "playbook_task_workspaceId_firingId_fkey" FOREIGN KEY ("workspaceId", "firingId") REFERENCES "playbook_firing"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_task" ADD CONSTRAINT "playbook_task_workspaceId_ownerId_fkey" FOREIGN KEY ("workspaceId", "ownerId") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playbook_task" ADD CONSTRAINT "playbook_task_workspaceId_completedById_fkey" FOREIGN KEY ("workspaceId", "completedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "churn_event" ADD CONSTRAINT "churn_event_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "churn_event" ADD CONSTRAINT "churn_event_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "churn_event" ADD CONSTRAINT "churn_event_workspaceId_filedById_fkey" FOREIGN KEY ("workspaceId", "filedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "churn_event" ADD CONSTRAINT "churn_event_workspaceId_retroClosedById_fkey" FOREIGN KEY ("workspaceId", "retroClosedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "churn_event" ADD CONSTRAINT "churn_event_workspaceId_reversedById_fkey" FOREIGN KEY ("workspaceId", "reversedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_note" ADD CONSTRAINT "retro_note_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_note" ADD CONSTRAINT "retro_note_workspaceId_churnEventId_fkey" FOREIGN KEY ("workspaceId", "churnEventId") REFERENCES "churn_event"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_action_item" ADD CONSTRAINT "retro_action_item_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_action_item" ADD CONSTRAINT "retro_action_item_workspaceId_churnEventId_fkey" FOREIGN KEY ("workspaceId", "churnEventId") REFERENCES "churn_event"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_action_item" ADD CONSTRAINT "retro_action_item_workspaceId_ownerId_fkey" FOREIGN KEY ("workspaceId", "ownerId") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_action_item" ADD CONSTRAINT "retro_action_item_workspaceId_createdById_fkey" FOREIGN KEY ("workspaceId", "createdById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_subscription" ADD CONSTRAINT "digest_subscription_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_subscription" ADD CONSTRAINT "digest_subscription_workspaceId_createdById_fkey" FOREIGN KEY ("workspaceId", "createdById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_subscription" ADD CONSTRAINT "digest_subscription_workspaceId_ownerFilterId_fkey" FOREIGN KEY ("workspaceId", "ownerFilterId") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_run" ADD CONSTRAINT "digest_run_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_run" ADD CONSTRAINT "digest_run_workspaceId_subscriptionId_fkey" FOREIGN KEY ("workspaceId", "subscriptionId") REFERENCES "digest_subscription"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_snooze" ADD CONSTRAINT "digest_snooze_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_snooze" ADD CONSTRAINT "digest_snooze_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_snooze" ADD CONSTRAINT "digest_snooze_workspaceId_snoozedById_fkey" FOREIGN KEY ("workspaceId", "snoozedById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sentiment_override" ADD CONSTRAINT "sentiment_override_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sentiment_override" ADD CONSTRAINT "sentiment_override_workspaceId_accountId_fkey" FOREIGN KEY ("workspaceId", "accountId") REFERENCES "account"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sentiment_override" ADD CONSTRAINT "sentiment_override_workspaceId_setById_fkey" FOREIGN KEY ("workspaceId", "setById") REFERENCES "app_user"("workspaceId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slack_event_receipt" ADD CONSTRAINT "slack_event_receipt_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Constraints Prisma's schema language cannot express (listed in prisma/README.md).

-- Survey answers stay on their survey's own scale.
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_score_scale" CHECK (
    ("kind" = 'nps' AND "score" BETWEEN 0 AND 10) OR
    ("kind" = 'csat' AND "score" BETWEEN 1 AND 5) OR
    ("kind" = 'ces' AND "score" BETWEEN 1 AND 7)
);

ALTER TABLE "health_snapshot" ADD CONSTRAINT "health_snapshot_score_range" CHECK (
    "score" BETWEEN 0 AND 100 AND
    ("usageScore" IS NULL OR "usageScore" BETWEEN 0 AND 100) AND
    ("engagementScore" IS NULL OR "engagementScore" BETWEEN 0 AND 100) AND
    ("perceptionScore" IS NULL OR "perceptionScore" BETWEEN 0 AND 100)
);

ALTER TABLE "account" ADD CONSTRAINT "account_arr_nonnegative" CHECK ("arr" >= 0);
ALTER TABLE "account" ADD CONSTRAINT "account_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "account" ADD CONSTRAINT "account_seats_nonnegative" CHECK ("seats" IS NULL OR "seats" >= 0);

ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_counts_nonnegative" CHECK (
    "activeUsers" >= 0 AND "logins" >= 0 AND ("seats" IS NULL OR "seats" >= 0)
);

ALTER TABLE "arr_change" ADD CONSTRAINT "arr_change_nonnegative" CHECK ("arrBefore" >= 0 AND "arrAfter" >= 0);

ALTER TABLE "churn_event" ADD CONSTRAINT "churn_event_arr_lost_range" CHECK (
    "arrLost" >= 0 AND "arrLost" <= "arrBefore"
);

ALTER TABLE "playbook" ADD CONSTRAINT "playbook_control_share_range" CHECK ("controlShare" >= 0 AND "controlShare" <= 1);

ALTER TABLE "digest_subscription" ADD CONSTRAINT "digest_subscription_time_range" CHECK (
    "postAtMinutes" BETWEEN 0 AND 1439 AND "noTouchDays" > 0
);

-- A playbook never opens a second task while the same one is still open or snoozed.
CREATE UNIQUE INDEX "playbook_task_one_open_per_key"
    ON "playbook_task" ("workspaceId", "accountId", "dedupeKey")
    WHERE "status" IN ('open', 'snoozed');

-- Forgiving account search (case-insensitive name and domain prefixes).
CREATE INDEX "account_workspace_lower_name" ON "account" ("workspaceId", lower("name") text_pattern_ops);
CREATE INDEX "account_workspace_lower_domain" ON "account" ("workspaceId", lower("domain") text_pattern_ops);
