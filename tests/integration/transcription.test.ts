import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { setEnvironment } from '@/lib/config';
import { db } from '@/lib/db/client';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import {
  analyzeTranscript,
  getTranscript,
  restoreTranscriptVersion,
  saveTranscriptVersion,
  submitTranscriptionJob,
  transcriptionAvailability,
} from '@/lib/jobs/transcription';
import { createTranscriptionHandler } from '@/lib/jobs/transcription-handler';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { getStorage } from '@/lib/storage';
import { requireTool } from '@/lib/transcription/ffmpeg';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai';
import { createUploadRow, key, waitForStatus } from '../support/jobs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-transcription-'));
const database = withAppDatabase({ DEFAULT_PLAN: 'basic', DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
let fake: FakeOpenAI;
let worker: RunningWorker;

/** Provider settings of the current test. */
function provider(model = 'whisper-1', apiKey = 'sk-test-transcribe') {
  setEnvironment({ OPENAI_API_KEY: '', OPENAI_TRANSCRIBE_API_KEY: apiKey, OPENAI_TRANSCRIBE_BASE_URL: fake.url, OPENAI_TRANSCRIBE_MODEL: model });
}

/**
 * A tone recording made with ffmpeg: `seconds` long, a tone for 8.5 s of every
 * 10 s and silence for the rest, as Opus in WebM (like MediaRecorder, no
 * duration in the header).
 */
function toneRecording(seconds: number, frequency: number): Buffer {
  const file = path.join(dataDir, `tone-${frequency}-${seconds}.webm`);
  execFileSync(requireTool('ffmpeg'), [
    '-v', 'error', '-y', '-f', 'lavfi',
    '-i', `aevalsrc=0.6*sin(2*PI*${frequency}*t)*lt(mod(t\\,10)\\,8.5):s=48000:d=${seconds}`,
    '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', file,
  ]);
  return readFileSync(file);
}

async function storedAudio(organizationId: string, bytes: Buffer) {
  const upload = await createUploadRow(organizationId, 'webm');
  await db().upload.update({ where: { id: upload.id }, data: { contentType: 'audio/webm', byteSize: bytes.length } });
  await getStorage().put(upload.storageKey, bytes, 'audio/webm');
  return upload;
}

async function clinic(plan?: 'free' | 'basic') {
  const { clinic, members } = await createStaffedClinic();
  if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
  const staff: Actor = { userId: members.staff.id, organizationId: clinic.id, role: 'staff' };
  return { clinic, actor, staff };
}

const countsBySha = (requests: FakeOpenAI['audioRequests']) => {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.sha256, (counts.get(r.sha256) ?? 0) + 1);
  return counts;
};

beforeAll(async () => {
  fake = await startFakeOpenAI();
  setEnvironment({ TRANSCRIBE_CHUNK_SECONDS: '20', OPENAI_MAX_RETRIES: '0' });
  provider();
  const handler = createTranscriptionHandler({
    queueOptions: { retryLimit: 1, retryDelay: 0, expireInSeconds: 300, notify: true },
    log: silent,
    chunkRetryDelaysMs: [10, 10],
  });
  worker = await startWorker({ connectionString: database.url, handlers: [handler], concurrency: 2, batchSize: 1, pollSeconds: 0.5, notifyPollSeconds: 0.5, log: silent });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a long recording', () => {
  it('is measured before acceptance, cut at silences, retried chunk by chunk and stitched with correct times', async () => {
    provider('whisper-1');
    const { clinic: c, actor } = await clinic();
    const upload = await storedAudio(c.id, toneRecording(70, 440));
    const before = fake.audioRequests.length;
    // The second request fails once: only that chunk is sent again.
    fake.scriptAudio({ kind: 'ok' }, { kind: 'status', status: 500 });
    const { jobId } = await submitTranscriptionJob(db(), actor, { uploadId: upload.id, mode: 'dictation', language: 'en', idempotencyKey: key() }, null);

    const measured = await db().upload.findUniqueOrThrow({ where: { id: upload.id } });
    expect(measured.durationMs).toBeGreaterThan(69_900);
    expect(measured.durationMs).toBeLessThan(70_200);

    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 60_000)).toBe('succeeded');
    const chunks = await db().transcriptionChunk.findMany({ where: { jobId }, orderBy: { index: 'asc' } });
    expect(chunks).toHaveLength(4);
    expect(chunks.map((ch) => ch.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(chunks.map((ch) => ch.attempts)).toEqual([1, 2, 1, 1]);
    expect(chunks[0]!.startMs).toBe(0);
    for (let i = 1; i < chunks.length; i++) {
      const cut = chunks[i]!.startMs;
      expect(chunks[i - 1]!.endMs).toBe(cut);
      // Every cut lies in one of the recording's silences (8.5–10 s of each 10 s).
      expect(cut % 10_000).toBeGreaterThan(8_500);
      expect(cut % 10_000).toBeLessThan(10_000);
      // …the one nearest to the 20 s interval.
      expect(Math.abs(cut - chunks[i - 1]!.startMs - 20_000)).toBeLessThan(2_000);
    }
    expect(chunks.at(-1)!.endMs).toBeGreaterThan(69_900);

    const requests = fake.audioRequests.slice(before);
    expect(requests).toHaveLength(5);
    expect(requests.map((r) => r.status)).toEqual([200, 500, 200, 200, 200]);
    expect(requests[1]!.sha256).toBe(requests[2]!.sha256);
    expect(new Set(requests.map((r) => r.sha256)).size).toBe(4);
    for (const r of requests) {
      expect(r).toMatchObject({ model: 'whisper-1', responseFormat: 'verbose_json', language: 'en' });
      expect(r.byteSize).toBeLessThan(25 * 1024 * 1024);
    }

    const transcript = await getTranscript(db(), actor, jobId);
    expect(transcript).toMatchObject({ status: 'succeeded', mode: 'dictation', language: 'en', speakers: 'single', timing: 'provider' });
    expect(transcript.current?.version).toBe(1);
    const segments = transcript.current!.segments;
    expect(segments).toHaveLength(8);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.startMs).toBeGreaterThanOrEqual(segments[i - 1]!.startMs);
    chunks.forEach((ch, i) => {
      // The fake says "part 1" from 0 and "part 2" from the chunk's middle: shifted by the chunk's start.
      expect(segments[2 * i]!.startMs).toBe(ch.startMs);
      expect(Math.abs(segments[2 * i + 1]!.startMs - (ch.startMs + ch.endMs) / 2)).toBeLessThan(150);
      expect(segments[2 * i]!.speaker).toBeNull();
      expect(segments[2 * i]!.text).toMatch(/^Chunk \d+ part 1 of \d+\.\d seconds\.$/);
    });
    expect(transcript.current!.text.split('\n')).toHaveLength(8);

    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.result).toMatchObject({ mode: 'dictation', language: 'en', speakers: 'single', chunkCount: 4, durationMs: chunks.at(-1)!.endMs });
    expect(job.attempts).toBe(1);
    const stages = (await db().jobEvent.findMany({ where: { jobId }, orderBy: { id: 'asc' } })).map((e) => `${e.stage}:${e.progress}`);
    expect(stages).toEqual([
      'received:0',
      'preparing:10',
      'splitting:20',
      'transcribing:25',
      'transcribing:41',
      'transcribing:57',
      'transcribing:73',
      'transcribing:90',
      'stitching:95',
      'complete:100',
    ]);
    expect((await db().usageRecord.findMany({ where: { jobId } })).map((r) => [r.jobType, r.state])).toEqual([['transcription', 'committed']]);
    expect(await db().auditLog.count({ where: { targetId: jobId, event: 'job.completed' } })).toBe(1);
  }, 90_000);

  it('never sends a finished chunk again when the whole job is retried', async () => {
    provider('whisper-1');
    const { clinic: c, actor } = await clinic();
    const upload = await storedAudio(c.id, toneRecording(70, 523));
    const before = fake.audioRequests.length;
    // Chunks 1 and 2 succeed; chunk 3 fails all three tries of the first attempt.
    fake.scriptAudio({ kind: 'ok' }, { kind: 'ok' }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const { jobId } = await submitTranscriptionJob(db(), actor, { uploadId: upload.id, mode: 'dictation', idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 60_000)).toBe('succeeded');

    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.attempts).toBe(2);
    const requests = fake.audioRequests.slice(before);
    expect(requests).toHaveLength(7);
    const chunks = await db().transcriptionChunk.findMany({ where: { jobId }, orderBy: { index: 'asc' } });
    expect(chunks.map((ch) => ch.attempts)).toEqual([1, 1, 4, 1]);
    // Per distinct chunk audio: the two finished ones once each, the failing one four times.
    expect([...countsBySha(requests).values()].sort()).toEqual([1, 1, 1, 4]);
    expect(requests.slice(2).every((r) => r.sha256 !== requests[0]!.sha256 && r.sha256 !== requests[1]!.sha256)).toBe(true);
    expect((await getTranscript(db(), actor, jobId)).current!.segments).toHaveLength(8);
  }, 90_000);
});

describe('speakers and timing', () => {
  it('labels speakers when the model diarizes, in conversation mode', async () => {
    provider('gpt-4o-transcribe-diarize');
    const { clinic: c, actor } = await clinic();
    const upload = await storedAudio(c.id, toneRecording(9, 660));
    const { jobId } = await submitTranscriptionJob(db(), actor, { uploadId: upload.id, mode: 'conversation', idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 30_000)).toBe('succeeded');
    expect(fake.audioRequests.at(-1)).toMatchObject({ responseFormat: 'diarized_json', model: 'gpt-4o-transcribe-diarize' });
    const transcript = await getTranscript(db(), actor, jobId);
    expect(transcript.speakers).toBe('diarized');
    expect(transcript.current!.segments.map((s) => s.speaker)).toEqual(['Speaker 1', 'Speaker 2']);
    expect(transcript.current!.text).toMatch(/^Speaker 1: Chunk \d+ part 1/);
  }, 60_000);

  it('says single-speaker and estimates times when the model returns text only', async () => {
    provider('gpt-4o-transcribe');
    const { clinic: c, actor } = await clinic();
    const upload = await storedAudio(c.id, toneRecording(9, 700));
    const { jobId } = await submitTranscriptionJob(db(), actor, { uploadId: upload.id, mode: 'conversation', idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 30_000)).toBe('succeeded');
    expect(fake.audioRequests.at(-1)).toMatchObject({ responseFormat: 'json' });
    const transcript = await getTranscript(db(), actor, jobId);
    expect(transcript).toMatchObject({ speakers: 'single', timing: 'estimated' });
    const segments = transcript.current!.segments;
    expect(segments).toHaveLength(2);
    expect(segments[0]!.startMs).toBe(0);
    expect(segments[1]!.startMs).toBeGreaterThan(0);
    expect(segments[1]!.endMs).toBeLessThanOrEqual(transcript.durationMs!);
  }, 60_000);
});

describe('submission rules (data layer)', () => {
  it('denies a Free clinic, staff, a server without a provider, and unreadable or non-audio files', async () => {
    provider('whisper-1');
    const free = await clinic('free');
    const freeUpload = await storedAudio(free.clinic.id, toneRecording(3, 800));
    const denied = await appError(submitTranscriptionJob(db(), free.actor, { uploadId: freeUpload.id, mode: 'dictation', idempotencyKey: key() }, null));
    expect(denied.code).toBe('plan_required');
    expect(denied.userMessage).toMatch(/Basic plan or higher; your clinic is on Free/);

    const { clinic: c, actor, staff } = await clinic();
    const upload = await storedAudio(c.id, toneRecording(3, 900));
    const forbidden = await appError(submitTranscriptionJob(db(), staff, { uploadId: upload.id, mode: 'dictation', idempotencyKey: key() }, null));
    expect(forbidden.code).toBe('forbidden');
    expect(forbidden.userMessage).toMatch(/Only clinicians, admins and owners can start transcriptions/);

    provider('whisper-1', '');
    expect(transcriptionAvailability()).toEqual({ available: false, reason: expect.stringMatching(/OPENAI_API_KEY.*OPENAI_TRANSCRIBE_API_KEY/) });
    const unavailable = await appError(submitTranscriptionJob(db(), actor, { uploadId: upload.id, mode: 'dictation', idempotencyKey: key() }, null));
    expect(unavailable.code).toBe('unavailable');
    expect(unavailable.userMessage).toBe(transcriptionAvailability().reason);
    provider('whisper-1');
    expect(transcriptionAvailability()).toEqual({ available: true, reason: null });

    const garbage = await createUploadRow(c.id, 'mp3');
    await getStorage().put(garbage.storageKey, new TextEncoder().encode('not audio at all, just text pretending'), 'audio/mpeg');
    const unreadable = await appError(submitTranscriptionJob(db(), actor, { uploadId: garbage.id, mode: 'dictation', idempotencyKey: key() }, null));
    expect(unreadable.code).toBe('validation_failed');
    expect(unreadable.fieldErrors?.uploadId?.[0]).toMatch(/could not read any audio/);

    const document = await createUploadRow(c.id, 'pdf');
    const notAudio = await appError(submitTranscriptionJob(db(), actor, { uploadId: document.id, mode: 'dictation', idempotencyKey: key() }, null));
    expect(notAudio.fieldErrors?.uploadId?.[0]).toMatch(/Only audio recordings/);

    const long = await createUploadRow(c.id, 'wav');
    const tooLong = await appError(submitTranscriptionJob(db(), actor, { uploadId: long.id, mode: 'dictation', idempotencyKey: key() }, null, { probe: async () => 4 * 3600_000 }));
    expect(tooLong.fieldErrors?.uploadId?.[0]).toMatch(/lasts 4 h 0 min; the limit is 3 h 0 min/);

    const other = await clinic();
    expect((await appError(submitTranscriptionJob(db(), other.actor, { uploadId: upload.id, mode: 'dictation', idempotencyKey: key() }, null))).code).toBe('not_found');
    expect(await db().job.count({ where: { organizationId: { in: [c.id, free.clinic.id] } } })).toBe(0);
  }, 60_000);
});

describe('the transcript', () => {
  it('keeps edits as versions, refuses a stale save, restores, and starts a linked analysis from the edited text', async () => {
    provider('whisper-1');
    const { clinic: c, actor, staff } = await clinic();
    const upload = await storedAudio(c.id, toneRecording(9, 1000));
    const { jobId } = await submitTranscriptionJob(db(), actor, { uploadId: upload.id, mode: 'dictation', idempotencyKey: key() }, null);
    expect(await waitForStatus(jobId, ['succeeded', 'failed'], 30_000)).toBe('succeeded');
    const original = (await getTranscript(db(), staff, jobId)).current!;

    const edited = original.segments.map((s, i) => ({ ...s, text: i === 0 ? 'Patient reports blurred vision in the right eye for three weeks; intraocular pressure 26 mmHg.' : s.text }));
    expect(await saveTranscriptVersion(db(), actor, jobId, { baseVersion: 1, segments: edited }, null)).toEqual({ version: 2 });
    const stale = await appError(saveTranscriptVersion(db(), actor, jobId, { baseVersion: 1, segments: original.segments }, null));
    expect(stale.code).toBe('conflict');
    expect(stale.userMessage).toMatch(/newer version \(version 2\)/);
    expect((await appError(saveTranscriptVersion(db(), staff, jobId, { baseVersion: 2, segments: edited }, null))).code).toBe('forbidden');

    const analysis = await analyzeTranscript(db(), actor, jobId, { specialty: 'ophthalmology', idempotencyKey: key() }, null);
    const analysisJob = await db().job.findUniqueOrThrow({ where: { id: analysis.jobId } });
    expect(analysisJob).toMatchObject({ type: 'analysis', sourceJobId: jobId, uploadId: null, status: 'queued' });
    expect(analysisJob.inputText).toContain('intraocular pressure 26 mmHg');

    expect(await restoreTranscriptVersion(db(), actor, jobId, 1, null)).toEqual({ version: 3 });
    const view = await getTranscript(db(), staff, jobId);
    expect(view.current).toMatchObject({ version: 3, segments: original.segments, text: original.text });
    expect(view.versions.map((v) => [v.version, v.authorName === null])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
    expect(view.analysisJobs.map((a) => a.id)).toEqual([analysis.jobId]);
    expect(await db().auditLog.count({ where: { targetId: jobId, event: 'transcript.edited' } })).toBe(2);

    const other = await clinic();
    expect((await appError(getTranscript(db(), other.actor, jobId))).code).toBe('not_found');
  }, 60_000);
});
