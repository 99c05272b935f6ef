-- Clinic data controls: exports, the retention period, the deletion grace
-- period, and the one controlled way a deleted clinic's audit chain is erased.

-- CreateEnum
CREATE TYPE "ClinicExportStatus" AS ENUM ('queued', 'running', 'ready', 'failed', 'expired');

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN "retention_days" INTEGER,
ADD COLUMN "deletion_requested_at" TIMESTAMPTZ(3),
ADD COLUMN "deletion_scheduled_at" TIMESTAMPTZ(3),
ADD COLUMN "deletion_requested_by_id" UUID;

-- CreateTable
CREATE TABLE "clinic_exports" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "requested_by_id" UUID,
    "status" "ClinicExportStatus" NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "storage_key" TEXT,
    "byte_size" BIGINT,
    "record_count" INTEGER,
    "file_count" INTEGER,
    "error_code" TEXT,
    "boss_job_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "downloaded_at" TIMESTAMPTZ(3),

    CONSTRAINT "clinic_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "clinic_exports_organization_id_created_at_idx" ON "clinic_exports"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "clinic_exports_status_expires_at_idx" ON "clinic_exports"("status", "expires_at");

-- AddForeignKey
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_deletion_requested_by_id_fkey" FOREIGN KEY ("deletion_requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clinic_exports" ADD CONSTRAINT "clinic_exports_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clinic_exports" ADD CONSTRAINT "clinic_exports_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The audit trail stays append-only, with one exception: erasing a deleted
-- clinic's own chain. lib/data-controls/deletion.ts sets the transaction-local
-- setting maneiro.erase_audit_of to the clinic's id just before it deletes that
-- clinic's rows; any other row (another clinic, the account chain) and any
-- UPDATE or TRUNCATE is still refused. It guards against mistakes in the code,
-- not against a database role that can change the trigger itself.
CREATE OR REPLACE FUNCTION "audit_logs_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND OLD."organization_id" IS NOT NULL
     AND OLD."organization_id"::text = current_setting('maneiro.erase_audit_of', true) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
