-- Operator console: a platform operator can pause a clinic (lib/admin/pause.ts).
-- A paused clinic starts no new jobs and its API keys are refused until resumed.

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN "paused_at" TIMESTAMPTZ(3),
ADD COLUMN "paused_reason" TEXT;
