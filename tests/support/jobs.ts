// Helpers for job tests: uploads rows, a realistic synthetic note, waiting on a job.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FileKind, JobStatus, Prisma } from '@/lib/db/generated/client';
import { db } from '@/lib/db/client';

/** A synthetic encounter note (no real person). */
export const SAMPLE_NOTE = `Ophthalmology follow-up visit, 2026-03-14.
Patient: Jordan Example, DOB 1961-02-03, MRN 00451234. 64-year-old female.
Chief complaint: blurred vision in the right eye for three weeks.
History: primary open-angle glaucoma both eyes, on latanoprost 0.005% one drop nightly OU. Type 2 diabetes on metformin 1000 mg twice daily. No known drug allergies.
Exam: VA OD 20/40, OS 20/25. IOP OD 26 mmHg, OS 19 mmHg. Cup-to-disc ratio OD 0.8, OS 0.6. Anterior segment quiet. Mild nuclear sclerosis OU.
BP 142/88, HR 76.
Assessment: 1. Primary open-angle glaucoma, right eye, moderate stage, IOP above target. 2. Age-related nuclear cataract, both eyes. 3. Type 2 diabetes without retinopathy.
Plan: add timolol 0.5% one drop twice daily OD; repeat visual field and OCT RNFL in 6 weeks; follow-up in 6 weeks for IOP check.
Dr. Alex Sample, Riverside Eye Clinic.`;

export async function createUploadRow(organizationId: string, kind: FileKind = 'txt') {
  return db().upload.create({
    data: {
      organizationId,
      storageKey: `${organizationId}/${randomUUID()}`,
      originalName: `note-${randomBytes(3).toString('hex')}.${kind}`,
      kind,
      contentType: 'application/octet-stream',
      byteSize: 1234,
      sha256: randomBytes(32).toString('hex'),
    },
  });
}

export const key = () => `key-${randomBytes(8).toString('hex')}`;

export async function waitForStatus(jobId: string, statuses: JobStatus[], timeoutMs = 30_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (statuses.includes(job.status)) return job.status;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A completed analysis job of the clinic, analysed by the offline analyzer from
 * `text` (SAMPLE_NOTE by default), as the letters start from.
 */
export async function createCompletedAnalysis(organizationId: string, userId: string, text: string = SAMPLE_NOTE) {
  const { runAnalysis } = await import('@/lib/analysis/run');
  const { offlineProvider } = await import('@/lib/analysis/offline');
  const result = await runAnalysis({ text, specialty: null, truncated: false }, { signal: new AbortController().signal, onStage: () => undefined }, offlineProvider);
  const job = await db().job.create({
    data: {
      organizationId,
      createdById: userId,
      type: 'analysis',
      status: 'succeeded',
      stage: 'complete',
      progress: 100,
      title: 'Glaucoma follow-up',
      patientName: result.patient.name,
      inputText: text,
      result: result as unknown as Prisma.InputJsonValue,
      finishedAt: new Date(),
    },
  });
  return { jobId: job.id, result };
}
