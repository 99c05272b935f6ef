import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { submitAnalysisSchema } from '@/lib/jobs/analysis-input';
import { cancelJob, retryJob } from '@/lib/jobs/manage';
import { getJobDetail, getJobStatus, listJobs } from '@/lib/jobs/queries';
import { jobQueue, stopJobQueue } from '@/lib/jobs/queue';
import { ANALYSIS_QUEUE } from '@/lib/jobs/queues';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { createUploadRow, key, SAMPLE_NOTE } from '../support/jobs';

withAppDatabase({ DEFAULT_PLAN: 'basic' });
afterAll(() => stopJobQueue());

const ctx = { ip: '203.0.113.9', userAgent: 'vitest' };

async function clinicWith(plan?: 'free' | 'basic' | 'professional') {
  const { clinic, members } = await createStaffedClinic();
  if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor = (role: keyof typeof members): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

async function counts(organizationId: string) {
  const [jobs, events, usage, audits] = await Promise.all([
    db().job.count({ where: { organizationId } }),
    db().jobEvent.count({ where: { organizationId } }),
    db().usageRecord.count({ where: { organizationId } }),
    db().auditLog.count({ where: { organizationId } }),
  ]);
  const boss = await jobQueue();
  const queued = (await boss.findJobs(ANALYSIS_QUEUE)).length;
  return { jobs, events, usage, audits, queued };
}

describe('analysis input', () => {
  it('takes exactly one of a file or text, with clear messages', () => {
    const base = { idempotencyKey: key() };
    const neither = submitAnalysisSchema.safeParse(base);
    expect(neither.success).toBe(false);
    expect(neither.error?.issues[0]?.message).toMatch(/Upload a file or paste/);
    const both = submitAnalysisSchema.safeParse({ ...base, text: SAMPLE_NOTE, uploadId: crypto.randomUUID() });
    expect(both.error?.issues[0]?.message).toMatch(/not both/);
    const short = submitAnalysisSchema.safeParse({ ...base, text: ' a b c d e f g h i j k l m n o p q r s ' });
    expect(short.error?.issues[0]?.message).toMatch(/at least 20 characters/);
    const long = submitAnalysisSchema.safeParse({ ...base, text: 'x'.repeat(200_001) });
    expect(long.error?.issues[0]?.message).toMatch(/limit is 200,000/);
    const ok = submitAnalysisSchema.parse({ ...base, text: SAMPLE_NOTE });
    expect(ok).toMatchObject({ specialty: 'auto', handwritten: false });
    expect(submitAnalysisSchema.safeParse({ ...base, text: SAMPLE_NOTE, specialty: 'astrology' }).success).toBe(false);
  });
});

describe('submitting an analysis', () => {
  it('writes the job, its event, the reservation, the audit row and the queue entry together', async () => {
    const { clinic, actor } = await clinicWith();
    const { jobId, duplicate } = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, specialty: 'ophthalmology', title: 'Follow-up', idempotencyKey: key() }, ctx);
    expect(duplicate).toBe(false);
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: 'queued', stage: 'received', progress: 0, type: 'analysis', inputText: SAMPLE_NOTE, title: 'Follow-up', priority: 0 });
    expect(job.options).toEqual({ specialty: 'ophthalmology', handwritten: false });
    expect(job.bossJobId).not.toBeNull();
    const boss = await jobQueue();
    const [entry] = await boss.findJobs(ANALYSIS_QUEUE, { id: job.bossJobId ?? '' });
    // Only the id crosses the queue.
    expect(entry?.data).toEqual({ jobId });
    expect(await db().usageRecord.findMany({ where: { jobId }, select: { state: true } })).toEqual([{ state: 'reserved' }]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { organizationId: clinic.id, event: 'job.started' } });
    expect(audit.metadata).toMatchObject({ type: 'analysis', source: 'text', specialty: 'ophthalmology' });
    expect(JSON.stringify(audit.metadata)).not.toContain('Jordan');
    expect(audit.ip).toBe('203.0.113.9');
  });

  it('gives priority to plans with the priority queue', async () => {
    const { actor } = await clinicWith('professional');
    const { jobId } = await submitAnalysisJob(db(), actor('owner'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.priority).toBe(10);
    const [entry] = await (await jobQueue()).findJobs(ANALYSIS_QUEUE, { id: job.bossJobId ?? '' });
    expect(entry?.priority).toBe(10);
  });

  it('returns the first job for a repeated idempotency key, also when both race', async () => {
    const { clinic, actor } = await clinicWith();
    const input = { text: SAMPLE_NOTE, idempotencyKey: key() };
    const first = await submitAnalysisJob(db(), actor('admin'), input, null);
    const again = await submitAnalysisJob(db(), actor('admin'), input, null);
    expect(again).toEqual({ jobId: first.jobId, duplicate: true });

    const raced = { text: SAMPLE_NOTE, idempotencyKey: key() };
    const results = await Promise.all([1, 2, 3].map(() => submitAnalysisJob(db(), actor('admin'), raced, null)));
    expect(new Set(results.map((r) => r.jobId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await counts(clinic.id)).jobs).toBe(2);
    expect((await counts(clinic.id)).usage).toBe(2);
  });

  it('refuses beyond the quota and writes nothing', async () => {
    const { clinic, actor } = await clinicWith('free');
    for (let i = 0; i < 5; i++) await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    const before = await counts(clinic.id);
    const error = await appError(submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null));
    expect(error.code).toBe('quota_exceeded');
    expect(error.userMessage).toMatch(/used all 5 jobs of the Free plan/);
    expect(await counts(clinic.id)).toEqual(before);
  });

  it('rolls everything back when the queue send fails', async () => {
    const { clinic, actor } = await clinicWith();
    const before = await counts(clinic.id);
    const failing = async () => {
      throw new Error('queue unavailable');
    };
    await expect(submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null, { enqueue: failing })).rejects.toThrow('queue unavailable');
    expect(await counts(clinic.id)).toEqual(before);
    const counter = await db().usageCounter.findFirst({ where: { organizationId: clinic.id } });
    expect(counter?.used ?? 0).toBe(0);
  });

  it('refuses staff, invalid input, another clinic\'s upload and audio', async () => {
    const { clinic, actor } = await clinicWith();
    const other = await clinicWith();
    const staff = await appError(submitAnalysisJob(db(), actor('staff'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null));
    expect(staff.code).toBe('forbidden');
    expect(staff.userMessage).toMatch(/Only clinicians, admins and owners can start/);

    const invalid = await appError(submitAnalysisJob(db(), actor('owner'), { idempotencyKey: key() }, null));
    expect(invalid.code).toBe('validation_failed');
    expect(invalid.fieldErrors?.text?.[0]).toMatch(/Upload a file or paste/);

    const foreign = await createUploadRow(other.clinic.id, 'pdf');
    const notFound = await appError(submitAnalysisJob(db(), actor('owner'), { uploadId: foreign.id, idempotencyKey: key() }, null));
    expect(notFound.code).toBe('not_found');

    const audio = await createUploadRow(clinic.id, 'mp3');
    const refused = await appError(submitAnalysisJob(db(), actor('owner'), { uploadId: audio.id, idempotencyKey: key() }, null));
    expect(refused.code).toBe('validation_failed');
    expect(refused.fieldErrors?.uploadId?.[0]).toMatch(/transcribed/);

    const pdf = await createUploadRow(clinic.id, 'pdf');
    const { jobId } = await submitAnalysisJob(db(), actor('owner'), { uploadId: pdf.id, handwritten: true, idempotencyKey: key() }, null);
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ uploadId: pdf.id, inputText: null, options: { specialty: 'auto', handwritten: true } });
    expect((await counts(clinic.id)).jobs).toBe(1);
  });
});

describe('cancel and retry', () => {
  it('cancels a queued job at once: its queue entry, its quota unit, an audit row', async () => {
    const { clinic, actor } = await clinicWith();
    const { jobId } = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    const summary = await cancelJob(db(), actor('clinician'), jobId, ctx);
    expect(summary).toMatchObject({ id: jobId, status: 'canceled', cancelRequested: false });
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    const [entry] = await (await jobQueue()).findJobs(ANALYSIS_QUEUE, { id: job.bossJobId ?? '' });
    expect(entry?.state).toBe('cancelled');
    expect(await db().usageRecord.findMany({ where: { jobId }, select: { state: true } })).toEqual([{ state: 'released' }]);
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'job.canceled' } })).toBe(1);
    const again = await appError(cancelJob(db(), actor('clinician'), jobId, ctx));
    expect(again.code).toBe('conflict');
    expect((await appError(cancelJob(db(), actor('staff'), jobId, ctx))).code).toBe('forbidden');
  });

  it('asks a running job to stop', async () => {
    const { actor } = await clinicWith();
    const { jobId } = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    await db().job.update({ where: { id: jobId }, data: { status: 'running', attempts: 1 } });
    const summary = await cancelJob(db(), actor('owner'), jobId, ctx);
    expect(summary).toMatchObject({ status: 'running', cancelRequested: true });
    // Asking twice is harmless.
    expect(await cancelJob(db(), actor('owner'), jobId, ctx)).toMatchObject({ status: 'running', cancelRequested: true });
  });

  it('retries a canceled job as a new job with the same input, once', async () => {
    const { clinic, actor } = await clinicWith();
    const { jobId } = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, specialty: 'cardiology', title: 'T', idempotencyKey: key() }, null);
    expect((await appError(retryJob(db(), actor('clinician'), jobId, ctx))).code).toBe('conflict');
    await cancelJob(db(), actor('clinician'), jobId, ctx);
    const retried = await retryJob(db(), actor('clinician'), jobId, ctx);
    expect(retried.jobId).not.toBe(jobId);
    expect(await retryJob(db(), actor('clinician'), jobId, ctx)).toEqual(retried);
    const fresh = await db().job.findUniqueOrThrow({ where: { id: retried.jobId } });
    expect(fresh).toMatchObject({ status: 'queued', inputText: SAMPLE_NOTE, title: 'T', options: { specialty: 'cardiology', handwritten: false } });
    expect(await db().usageRecord.findMany({ where: { jobId: retried.jobId }, select: { state: true } })).toEqual([{ state: 'reserved' }]);
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'job.retried', targetId: jobId } })).toBe(1);
    const detail = await getJobDetail(db(), actor('staff'), jobId, ctx);
    expect(detail).toMatchObject({ retriedBy: retried.jobId, canRetry: false, canCancel: false });
    expect((await getJobDetail(db(), actor('owner'), retried.jobId, null)).retryOf).toBe(jobId);
  });
});

describe('reading jobs', () => {
  it('lists, filters and searches within the clinic only; detail is audited; status carries no PHI', async () => {
    const { clinic, actor, members } = await clinicWith();
    const other = await clinicWith();
    const a = await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, title: 'Glaucoma follow-up', idempotencyKey: key() }, null);
    const b = await submitAnalysisJob(db(), actor('owner'), { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    await db().job.update({ where: { id: b.jobId }, data: { patientName: 'Jordan Example' } });
    const foreign = await submitAnalysisJob(db(), other.actor('owner'), { text: SAMPLE_NOTE, title: 'Glaucoma elsewhere', idempotencyKey: key() }, null);

    const all = await listJobs(db(), actor('staff'), {});
    expect(all.total).toBe(2);
    expect(all.jobs.map((j) => j.id).sort()).toEqual([a.jobId, b.jobId].sort());
    expect(all.members).toHaveLength(4);
    expect((await listJobs(db(), actor('staff'), { q: 'glaucoma' })).jobs.map((j) => j.id)).toEqual([a.jobId]);
    expect((await listJobs(db(), actor('staff'), { q: 'jordan' })).jobs.map((j) => j.id)).toEqual([b.jobId]);
    expect((await listJobs(db(), actor('staff'), { memberId: members.owner.id })).jobs.map((j) => j.id)).toEqual([b.jobId]);
    expect((await listJobs(db(), actor('staff'), { status: 'succeeded' })).total).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listJobs(db(), actor('staff'), { from: today, to: today, pageSize: 1 })).jobs).toHaveLength(1);
    expect((await listJobs(db(), actor('staff'), { to: '2000-01-01' })).total).toBe(0);
    expect((await appError(listJobs(db(), actor('staff'), { from: '2026-02-31' }))).code).toBe('validation_failed');

    for (const id of [foreign.jobId, 'not-a-uuid']) {
      expect((await appError(getJobDetail(db(), actor('owner'), id, null))).code).toBe('not_found');
      expect((await appError(getJobStatus(db(), actor('owner'), id))).code).toBe('not_found');
      expect((await appError(cancelJob(db(), actor('owner'), id, null))).code).toBe('not_found');
      expect((await appError(retryJob(db(), actor('owner'), id, null))).code).toBe('not_found');
    }

    const detail = await getJobDetail(db(), actor('staff'), a.jobId, ctx);
    expect(detail).toMatchObject({ id: a.jobId, title: 'Glaucoma follow-up', inputText: SAMPLE_NOTE, result: null, canCancel: false, source: 'text' });
    expect(detail.events.map((e) => e.stage)).toEqual(['received']);
    const viewed = await db().auditLog.findFirstOrThrow({ where: { organizationId: clinic.id, event: 'job.viewed' } });
    expect(viewed.metadata).toEqual({ type: 'analysis', status: 'queued' });
    expect((await getJobDetail(db(), actor('clinician'), a.jobId, null)).canCancel).toBe(true);

    const status = await getJobStatus(db(), actor('staff'), b.jobId);
    expect(Object.keys(status).sort()).toEqual(['errorMessage', 'id', 'lastEventId', 'progress', 'stage', 'status', 'updatedAt']);
    expect(status.lastEventId).toMatch(/^\d+$/);
  });
});
