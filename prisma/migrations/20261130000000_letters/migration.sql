-- Letters: the letter row, its versions and its generated PDFs; the clinic's paper size.

-- CreateEnum
CREATE TYPE "PageSize" AS ENUM ('letter', 'a4');

-- CreateEnum
CREATE TYPE "LetterStatus" AS ENUM ('drafting', 'draft', 'exported');

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN "page_size" "PageSize" NOT NULL DEFAULT 'letter';

-- CreateTable
CREATE TABLE "letters" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "job_id" UUID,
    "analysis_job_id" UUID,
    "duplicated_from_id" UUID,
    "created_by_id" UUID,
    "template" TEXT NOT NULL,
    "recipient_type" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "to_line" TEXT NOT NULL,
    "from_line" TEXT NOT NULL,
    "subject" TEXT,
    "letter_date" DATE NOT NULL,
    "patient" JSONB NOT NULL DEFAULT '{}',
    "patient_name" TEXT,
    "status" "LetterStatus" NOT NULL DEFAULT 'drafting',
    "current_version" INTEGER NOT NULL DEFAULT 0,
    "meta" JSONB,
    "notices" JSONB NOT NULL DEFAULT '[]',
    "deleted_at" TIMESTAMPTZ(3),
    "deleted_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "letters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "letter_versions" (
    "id" UUID NOT NULL,
    "letter_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "restored_from_version" INTEGER,
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "letter_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "letter_pdfs" (
    "id" UUID NOT NULL,
    "letter_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "render_key" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "page_count" INTEGER NOT NULL,
    "page_size" "PageSize" NOT NULL,
    "white_label" BOOLEAN NOT NULL,
    "file_name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "prompt_version" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "letter_pdfs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "letters_job_id_key" ON "letters"("job_id");

-- CreateIndex
CREATE INDEX "letters_organization_id_updated_at_idx" ON "letters"("organization_id", "updated_at");

-- CreateIndex
CREATE INDEX "letters_organization_id_deleted_at_idx" ON "letters"("organization_id", "deleted_at");

-- CreateIndex
CREATE INDEX "letters_analysis_job_id_idx" ON "letters"("analysis_job_id");

-- CreateIndex
CREATE UNIQUE INDEX "letter_versions_letter_id_version_key" ON "letter_versions"("letter_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "letter_pdfs_letter_id_version_render_key_key" ON "letter_pdfs"("letter_id", "version", "render_key");

-- CreateIndex
CREATE INDEX "letter_pdfs_organization_id_created_at_idx" ON "letter_pdfs"("organization_id", "created_at");

-- AddForeignKey
ALTER TABLE "letters" ADD CONSTRAINT "letters_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letters" ADD CONSTRAINT "letters_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letters" ADD CONSTRAINT "letters_analysis_job_id_fkey" FOREIGN KEY ("analysis_job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letters" ADD CONSTRAINT "letters_duplicated_from_id_fkey" FOREIGN KEY ("duplicated_from_id") REFERENCES "letters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letters" ADD CONSTRAINT "letters_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter_versions" ADD CONSTRAINT "letter_versions_letter_id_fkey" FOREIGN KEY ("letter_id") REFERENCES "letters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter_versions" ADD CONSTRAINT "letter_versions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter_versions" ADD CONSTRAINT "letter_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter_pdfs" ADD CONSTRAINT "letter_pdfs_letter_id_fkey" FOREIGN KEY ("letter_id") REFERENCES "letters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter_pdfs" ADD CONSTRAINT "letter_pdfs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter_pdfs" ADD CONSTRAINT "letter_pdfs_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
