-- Transcription (chunks, transcript versions, browser recordings) and fax triage (task ticks).

-- CreateEnum
CREATE TYPE "TranscriptionChunkStatus" AS ENUM ('pending', 'done', 'failed');

-- CreateEnum
CREATE TYPE "RecordingStatus" AS ENUM ('recording', 'complete', 'discarded');

-- AlterTable
ALTER TABLE "uploads" ADD COLUMN "duration_ms" INTEGER;

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "source_job_id" UUID,
ADD COLUMN "urgency" TEXT;

-- CreateTable
CREATE TABLE "transcript_versions" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "segments" JSONB NOT NULL,
    "text" TEXT NOT NULL,
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transcript_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transcription_chunks" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "start_ms" INTEGER NOT NULL,
    "end_ms" INTEGER NOT NULL,
    "status" "TranscriptionChunkStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "segments" JSONB,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "transcription_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triage_task_states" (
    "job_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "task_key" TEXT NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_by_id" UUID,

    CONSTRAINT "triage_task_states_pkey" PRIMARY KEY ("job_id","task_key")
);

-- CreateTable
CREATE TABLE "recordings" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "user_id" UUID,
    "status" "RecordingStatus" NOT NULL DEFAULT 'recording',
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL DEFAULT 0,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "upload_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "recordings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "jobs_source_job_id_idx" ON "jobs"("source_job_id");

-- CreateIndex
CREATE UNIQUE INDEX "transcript_versions_job_id_version_key" ON "transcript_versions"("job_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "transcription_chunks_job_id_index_key" ON "transcription_chunks"("job_id", "index");

-- CreateIndex
CREATE INDEX "recordings_organization_id_user_id_status_idx" ON "recordings"("organization_id", "user_id", "status");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_source_job_id_fkey" FOREIGN KEY ("source_job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcript_versions" ADD CONSTRAINT "transcript_versions_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcript_versions" ADD CONSTRAINT "transcript_versions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcript_versions" ADD CONSTRAINT "transcript_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcription_chunks" ADD CONSTRAINT "transcription_chunks_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcription_chunks" ADD CONSTRAINT "transcription_chunks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triage_task_states" ADD CONSTRAINT "triage_task_states_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triage_task_states" ADD CONSTRAINT "triage_task_states_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triage_task_states" ADD CONSTRAINT "triage_task_states_done_by_id_fkey" FOREIGN KEY ("done_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "uploads"("id") ON DELETE SET NULL ON UPDATE CASCADE;
