import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Job as BossJob } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { createAnalysisHandler, defaultAnalyzer, type Analyzer } from '@/lib/jobs/analysis-handler';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { cancelJob } from '@/lib/jobs/manage';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { sweepStuckJobs } from '@/lib/jobs/sweeper';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { getStorage } from '@/lib/storage';
import { withAppDatabase } from '../support/app-database';
import { createStaffedClinic } from '../support/factories';
import { createUploadRow, key, SAMPLE_NOTE, waitForStatus } from '../support/jobs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-jobs-'));
const database = withAppDatabase({ DEFAULT_PLAN: 'basic', DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

/** What the worker's analysis does in the current test. */
let analyze: Analyzer = defaultAnalyzer;
const handler = createAnalysisHandler({
  analyze: (input, context) => analyze(input, context),
  queueOptions: { retryLimit: 2, retryDelay: 0, expireInSeconds: 120, notify: true },
  log: silent,
});
let worker: RunningWorker;

beforeAll(async () => {
  worker = await startWorker({ connectionString: database.url, handlers: [handler], concurrency: 2, batchSize: 1, pollSeconds: 0.5, notifyPollSeconds: 0.5, log: silent });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function clinic() {
  const { clinic, members } = await createStaffedClinic();
  const actor: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
  return { clinic, actor };
}

const usageOf = async (jobId: string) => (await db().usageRecord.findMany({ where: { jobId }, select: { state: true } })).map((r) => r.state);
const stagesOf = async (jobId: string) => (await db().jobEvent.findMany({ where: { jobId }, orderBy: { id: 'asc' } })).map((e) => `${e.status}:${e.stage}:${e.progress}`);
const auditsOf = async (jobId: string, event: string) => db().auditLog.count({ where: { targetId: jobId, event } });

describe('the analysis worker', () => {
  it('analyses pasted text with the offline analyzer, stage by stage, and commits the quota unit', async () => {
    analyze = defaultAnalyzer;
    const { actor } = await clinic();
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, specialty: 'ophthalmology', idempotencyKey: key() }, null);
    // The first job loads the analyzer's tables: slow on a busy machine.
    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 55_000)).toBe('succeeded');
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ stage: 'complete', progress: 100, attempts: 1, errorCode: null, extractedText: expect.stringContaining('IOP OD 26') });
    expect(job.result).toMatchObject({ meta: { provider: 'offline', truncated: false } });
    expect(job.patientName).toBe((job.result as { patient: { name: string | null } }).patient.name);
    expect(await stagesOf(jobId)).toEqual([
      'queued:received:0',
      'running:extracting:10',
      'running:analyzing:35',
      'running:structuring:60',
      'running:references:75',
      'running:validating:90',
      'succeeded:complete:100',
    ]);
    expect(await usageOf(jobId)).toEqual(['committed']);
    expect(await auditsOf(jobId, 'job.completed')).toBe(1);
  }, 60_000);

  it('reads an uploaded file through storage and extraction', async () => {
    analyze = defaultAnalyzer;
    const { clinic: c, actor } = await clinic();
    const upload = await createUploadRow(c.id, 'txt');
    await getStorage().put(upload.storageKey, new TextEncoder().encode(SAMPLE_NOTE), 'text/plain');
    const { jobId } = await submitAnalysisJob(db(), actor, { uploadId: upload.id, idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'])).toBe('succeeded');
    expect((await db().job.findUniqueOrThrow({ where: { id: jobId } })).extractedText).toContain('latanoprost');
  });

  it('fails at once on a permanent error, with the member-safe message, and releases the unit', async () => {
    analyze = async () => {
      throw new AnalysisFailure('provider_auth', 'The analysis service rejected our credentials. An administrator must update the API key.', false);
    };
    const { actor } = await clinic();
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'])).toBe('failed');
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ errorCode: 'provider_auth', errorMessage: expect.stringMatching(/rejected our credentials/), attempts: 1 });
    expect(await usageOf(jobId)).toEqual(['released']);
    expect(await auditsOf(jobId, 'job.failed')).toBe(1);
  });

  it('retries a transient error and then succeeds; gives up after the retry limit', async () => {
    let calls = 0;
    analyze = async (input, context) => {
      calls++;
      if (calls === 1) throw new AnalysisFailure('provider_timeout', 'The analysis service timed out.', true);
      return defaultAnalyzer(input, context);
    };
    const { actor } = await clinic();
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'])).toBe('succeeded');
    expect((await db().job.findUniqueOrThrow({ where: { id: jobId } })).attempts).toBe(2);
    expect(await stagesOf(jobId)).toContain('queued:received:0');
    expect((await db().jobEvent.findMany({ where: { jobId, message: 'retrying' } })).length).toBe(1);

    analyze = async () => {
      throw new AnalysisFailure('provider_timeout', 'The analysis service timed out. Retry in a few minutes.', true);
    };
    const second = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    expect(await waitForStatus(second.jobId, ['succeeded', 'failed'])).toBe('failed');
    const failed = await db().job.findUniqueOrThrow({ where: { id: second.jobId } });
    expect(failed).toMatchObject({ attempts: 3, errorCode: 'provider_timeout' });
    expect(await usageOf(second.jobId)).toEqual(['released']);
  });

  it('cancels a running job at its next boundary and releases the unit', async () => {
    let reachedAnalysis: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (reachedAnalysis = resolve));
    analyze = async (_input, context) => {
      await context.onStage('analyzing');
      reachedAnalysis();
      // A slow provider that honours the signal.
      await new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }));
      throw new Error('unreachable');
    };
    const { actor } = await clinic();
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null);
    await reached;
    expect(await cancelJob(db(), actor, jobId, null)).toMatchObject({ status: 'running', cancelRequested: true });
    expect(await waitForStatus(jobId, ['canceled', 'failed', 'succeeded'], 10_000)).toBe('canceled');
    expect(await usageOf(jobId)).toEqual(['released']);
    expect((await stagesOf(jobId)).at(-1)).toBe('canceled:analyzing:35');
    expect(await auditsOf(jobId, 'job.canceled')).toBe(1);
  });

  it('completes a job delivered twice exactly once', async () => {
    analyze = defaultAnalyzer;
    const { actor } = await clinic();
    // No queue entry (the send is replaced): the test plays the queue and delivers the job three times.
    const { jobId } = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null, { enqueue: async () => randomUUID() });
    const delivery = (retryCount: number): BossJob<unknown> => ({ id: randomUUID(), name: 'analysis', data: { jobId }, expireInSeconds: 60, heartbeatSeconds: null, retryCount, signal: new AbortController().signal });
    await Promise.all([handler.handle(delivery(0)), handler.handle(delivery(1))]);
    await handler.handle(delivery(2));
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe('succeeded');
    expect(await auditsOf(jobId, 'job.completed')).toBe(1);
    expect(await usageOf(jobId)).toEqual(['committed']);
    expect(await db().jobEvent.count({ where: { jobId, status: 'succeeded' } })).toBe(1);
    const counter = await db().usageCounter.findFirstOrThrow({ where: { organizationId: actor.organizationId } });
    expect(counter.used).toBe(1);
  });

  it('sweeps jobs whose queue entry is gone, and leaves live ones alone', async () => {
    const { actor } = await clinic();
    const noSend = { enqueue: async () => randomUUID() };
    const dead = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null, noSend);
    const live = await submitAnalysisJob(db(), actor, { text: SAMPLE_NOTE, idempotencyKey: key() }, null, noSend);
    await db().job.update({ where: { id: dead.jobId }, data: { status: 'running', attempts: 4 } });
    const liveJob = await db().job.findUniqueOrThrow({ where: { id: live.jobId } });
    const lookup = { state: async (_queue: string, id: string) => (id === liveJob.bossJobId ? 'active' : 'failed') };
    const result = await sweepStuckJobs(db(), { minAgeSeconds: 0, lookup, now: new Date(Date.now() + 1000) });
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect(await db().job.findUniqueOrThrow({ where: { id: dead.jobId } })).toMatchObject({ status: 'failed', errorCode: 'stalled' });
    expect(await usageOf(dead.jobId)).toEqual(['released']);
    expect((await db().job.findUniqueOrThrow({ where: { id: live.jobId } })).status).toBe('queued');
  });
});
