// Triage jobs end to end against a real database and worker: submission rules,
// the offline triage in the worker, task ticking, the analysis link and the inbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { cancelJob, retryJob } from '@/lib/jobs/manage';
import { analyzeTriagedDocument, getTriageView, listTriageInbox, setTriageTask, submitTriageJob } from '@/lib/jobs/triage';
import { createTriageHandler } from '@/lib/jobs/triage-handler';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { createUploadRow, key, waitForStatus } from '../support/jobs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-triage-'));
const database = withAppDatabase({ DEFAULT_PLAN: 'basic', DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const handler = createTriageHandler({ queueOptions: { retryLimit: 0, expireInSeconds: 120, notify: true }, log: silent });
let worker: RunningWorker;
const ctx = { ip: '203.0.113.7', userAgent: 'vitest' };

beforeAll(async () => {
  worker = await startWorker({ connectionString: database.url, handlers: [handler], concurrency: 2, batchSize: 1, pollSeconds: 0.5, notifyPollSeconds: 0.5, log: silent });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const CRITICAL_LAB = `Lab report - CRITICAL VALUE
To: Maple Clinic   Fax: (555) 111-2222
From: Hilltop Laboratories   Fax: (555) 333-4444
Patient: Jane Sample   DOB: 01/02/1950
Potassium 6.4 mmol/L (H) reference range 3.5-5.1`;
const ROUTINE_REFERRAL = `Referral request
From: Dr. Amy Fields, MD, Elm Family Practice   Fax: (555) 777-8888
Patient: John Placeholder   DOB: 03/04/1970
Reason for referral: chronic knee pain, please evaluate. Non-urgent.`;
const SOON_LAB = `Lab results
From: Hilltop Laboratories   Fax: (555) 333-4444
Patient: Ann Example   DOB: 05/06/1980
HbA1c 9.0 % (H) reference range 4.0-5.6`;

async function clinic(plan?: 'free' | 'basic') {
  const { clinic, members } = await createStaffedClinic();
  if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor = (role: keyof typeof members): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

async function triaged(actor: Actor, text: string) {
  const { jobId } = await submitTriageJob(db(), actor, { text, idempotencyKey: key() }, ctx);
  expect(await waitForStatus(jobId, ['succeeded', 'failed'])).toBe('succeeded');
  return jobId;
}

describe('submitting a triage', () => {
  it('lets staff submit, is idempotent, reserves a triage quota unit and audits job.started', async () => {
    const { clinic: c, actor } = await clinic();
    const k = key();
    const first = await submitTriageJob(db(), actor('staff'), { text: ROUTINE_REFERRAL, idempotencyKey: k }, ctx);
    const again = await submitTriageJob(db(), actor('staff'), { text: ROUTINE_REFERRAL, idempotencyKey: k }, ctx);
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ jobId: first.jobId, duplicate: true });
    expect(await db().usageRecord.findMany({ where: { organizationId: c.id }, select: { jobType: true } })).toEqual([{ jobType: 'triage' }]);
    expect(await db().auditLog.count({ where: { targetId: first.jobId, event: 'job.started' } })).toBe(1);
    await waitForStatus(first.jobId, ['succeeded', 'failed']);
  });

  it('refuses past the quota, both inputs at once, and an upload of another clinic', async () => {
    const { actor } = await clinic('free');
    for (let i = 0; i < 5; i++) await submitTriageJob(db(), actor('staff'), { text: ROUTINE_REFERRAL, idempotencyKey: key() }, ctx);
    expect((await appError(submitTriageJob(db(), actor('staff'), { text: ROUTINE_REFERRAL, idempotencyKey: key() }, ctx))).code).toBe('quota_exceeded');
    const other = await clinic();
    const foreign = await createUploadRow(other.clinic.id);
    expect((await appError(submitTriageJob(db(), other.actor('staff'), { uploadId: foreign.id, text: ROUTINE_REFERRAL, idempotencyKey: key() }, ctx))).code).toBe('validation_failed');
    expect((await appError(submitTriageJob(db(), actor('staff'), { uploadId: foreign.id, idempotencyKey: key() }, ctx))).code).toBe('not_found');
  });
});

describe('canceling and retrying a triage', () => {
  it('lets staff cancel a queued triage (quota released) and retry it as a new job, audited in its transaction', async () => {
    const { actor } = await clinic();
    const staff = actor('staff');
    // Held: the queue entry goes nowhere, so the job stays queued until canceled.
    const held = async () => crypto.randomUUID();
    const { jobId } = await submitTriageJob(db(), staff, { text: ROUTINE_REFERRAL, idempotencyKey: key() }, ctx, { enqueue: held });
    const canceled = await cancelJob(db(), staff, jobId, ctx);
    expect(canceled.status).toBe('canceled');
    expect(await db().usageRecord.findFirst({ where: { jobId }, select: { state: true } })).toEqual({ state: 'released' });

    const { jobId: retryId } = await retryJob(db(), staff, jobId, ctx, { enqueue: held });
    expect(retryId).not.toBe(jobId);
    expect(await retryJob(db(), staff, jobId, ctx, { enqueue: held })).toEqual({ jobId: retryId });
    const retried = await db().job.findUniqueOrThrow({ where: { id: retryId }, select: { type: true, status: true, inputText: true } });
    expect(retried).toEqual({ type: 'triage', status: 'queued', inputText: ROUTINE_REFERRAL });
    const audit = await db().auditLog.findFirstOrThrow({ where: { event: 'job.retried', targetId: jobId } });
    expect(audit.metadata).toMatchObject({ type: 'triage', newJobId: retryId, previousStatus: 'canceled' });
  });
});

describe('the triage worker', () => {
  it('triages offline: stages, result, urgency, patient name, committed quota, job.completed', async () => {
    const { actor } = await clinic();
    const jobId = await triaged(actor('staff'), CRITICAL_LAB);
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.urgency).toBe('urgent');
    expect(job.patientName).toBe('Jane Sample');
    const stages = (await db().jobEvent.findMany({ where: { jobId }, orderBy: { id: 'asc' } })).map((e) => `${e.stage}:${e.progress}`);
    expect(stages).toEqual(['received:0', 'extracting:10', 'triaging:50', 'validating:90', 'complete:100']);
    expect((await db().usageRecord.findMany({ where: { jobId } })).map((r) => r.state)).toEqual(['committed']);
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: jobId, event: 'job.completed' } });
    expect(JSON.stringify(audit.metadata)).not.toMatch(/Jane|Sample/);
    const view = await getTriageView(db(), actor('staff'), jobId);
    expect(view.result?.documentType).toBe('lab_results');
    expect(view.result?.from.fax).toBe('(555) 333-4444');
    expect(view.tasks.some((t) => t.list === 'doctor' && /potassium 6\.4/i.test(t.text))).toBe(true);
  });
});

describe('triage tasks', () => {
  it('ticks and unticks a task (audited without its text), refuses unknown keys, and hides other clinics', async () => {
    const { actor } = await clinic();
    const jobId = await triaged(actor('staff'), CRITICAL_LAB);
    const view = await getTriageView(db(), actor('staff'), jobId);
    const task = view.tasks[0]!;
    expect(await setTriageTask(db(), actor('staff'), jobId, { key: task.key, done: true }, ctx)).toEqual({ key: task.key, done: true });
    await setTriageTask(db(), actor('staff'), jobId, { key: task.key, done: true }, ctx);
    const after = await getTriageView(db(), actor('clinician'), jobId);
    expect(after.tasks.find((t) => t.key === task.key)).toMatchObject({ done: true, doneBy: 'The staff' });
    await setTriageTask(db(), actor('staff'), jobId, { key: task.key, done: false }, ctx);
    expect((await getTriageView(db(), actor('staff'), jobId)).tasks.every((t) => !t.done)).toBe(true);
    const audits = await db().auditLog.findMany({ where: { targetId: jobId, event: 'triage.task_updated' }, orderBy: { seq: 'asc' } });
    expect(audits.map((a) => a.metadata)).toEqual([
      { list: task.list, index: 0, done: true },
      { list: task.list, index: 0, done: false },
    ]);
    expect((await appError(setTriageTask(db(), actor('staff'), jobId, { key: 'doctor:99', done: true }, ctx))).code).toBe('validation_failed');
    const other = await clinic();
    expect((await appError(setTriageTask(db(), other.actor('owner'), jobId, { key: task.key, done: true }, ctx))).code).toBe('not_found');
    expect((await appError(getTriageView(db(), other.actor('owner'), jobId))).code).toBe('not_found');
  });

  it('opens the full analysis for clinicians only, linked to the triage, once', async () => {
    const { actor } = await clinic();
    const jobId = await triaged(actor('staff'), ROUTINE_REFERRAL);
    const denied = await appError(analyzeTriagedDocument(db(), actor('staff'), jobId, { idempotencyKey: key() }, ctx));
    expect(denied.code).toBe('forbidden');
    expect(denied.userMessage).toMatch(/clinicians/);
    const first = await analyzeTriagedDocument(db(), actor('clinician'), jobId, { idempotencyKey: key() }, ctx);
    const second = await analyzeTriagedDocument(db(), actor('clinician'), jobId, { idempotencyKey: key() }, ctx);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ jobId: first.jobId, duplicate: true });
    const analysis = await db().job.findUniqueOrThrow({ where: { id: first.jobId } });
    expect(analysis).toMatchObject({ type: 'analysis', sourceJobId: jobId });
    expect((await getTriageView(db(), actor('staff'), jobId)).analysisJobs.map((j) => j.id)).toEqual([first.jobId]);
  });
});

describe('the triage inbox', () => {
  it('puts open tasks first, then urgency, then the oldest; counts per urgency and pending', async () => {
    const { actor } = await clinic();
    const routine = await triaged(actor('staff'), ROUTINE_REFERRAL);
    const soon = await triaged(actor('staff'), SOON_LAB);
    const urgent = await triaged(actor('staff'), CRITICAL_LAB);
    const done = await triaged(actor('staff'), ROUTINE_REFERRAL);
    for (const t of (await getTriageView(db(), actor('staff'), done)).tasks) await setTriageTask(db(), actor('staff'), done, { key: t.key, done: true }, ctx);
    const open = await listTriageInbox(db(), actor('staff'), {});
    expect(open.items.map((i) => i.id)).toEqual([urgent, soon, routine]);
    expect(open.counts).toEqual({ urgent: 1, soon: 1, routine: 1, pending: 0 });
    expect(open.items[0]).toMatchObject({ urgency: 'urgent', documentType: 'lab_results', patientName: 'Jane Sample', from: 'Hilltop Laboratories' });
    expect(open.items[0]!.openTasks).toBe(open.items[0]!.totalTasks);
    const all = await listTriageInbox(db(), actor('staff'), { status: 'all' });
    expect(all.items.map((i) => i.id)).toEqual([urgent, soon, routine, done]);
    expect(all.items[3]!.openTasks).toBe(0);
    const other = await clinic();
    expect((await listTriageInbox(db(), other.actor('staff'), { status: 'all' })).items).toEqual([]);
  });
});
