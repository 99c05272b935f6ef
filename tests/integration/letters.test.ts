// Letters end to end against a real database and worker: starting a letter
// from an analysis (rules, roles, idempotency, quota), the worker writing
// version 1 with the offline writer, versions (save, conflict, restore),
// duplicate, soft delete, the list, and PDF export and download (stored once
// per version, audited, identical for the same version).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { createLetterHandler } from '@/lib/jobs/letter-handler';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import type { LetterContent } from '@/lib/letters/content';
import { deleteLetter, duplicateLetter, getLetter, listLetters, restoreLetterVersion, saveLetterVersion } from '@/lib/letters/letters';
import type { LetterRequest } from '@/lib/letters/options';
import { letterRequestFields } from '../fixtures/letters';
import { exportLetterPdf, openLetterPdf } from '@/lib/letters/pdf';
import { getLetterFormContext, submitLetterJob } from '@/lib/letters/submit';
import { createLogger } from '@/lib/logger';
import { getStorage } from '@/lib/storage';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { createCompletedAnalysis, key, waitForStatus } from '../support/jobs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-letters-'));
const database = withAppDatabase({ DEFAULT_PLAN: 'professional', DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const handler = createLetterHandler({ queueOptions: { retryLimit: 0, expireInSeconds: 120, notify: true }, log: silent });
let worker: RunningWorker;
const ctx = { ip: '203.0.113.9', userAgent: 'vitest' };

beforeAll(async () => {
  worker = await startWorker({ connectionString: database.url, handlers: [handler], concurrency: 2, batchSize: 1, pollSeconds: 0.5, notifyPollSeconds: 0.5, log: silent });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function clinic(plan?: 'free' | 'enterprise') {
  const { clinic, members } = await createStaffedClinic();
  if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor = (role: keyof typeof members): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  const analysis = await createCompletedAnalysis(clinic.id, members.clinician.id);
  return { clinic, members, actor, analysis };
}

function request(overrides: Partial<LetterRequest> = {}): LetterRequest {
  return letterRequestFields('referral', 'specialist', { to: 'Dr. Ana Silva, Glaucoma Service, City Eye Hospital', from: 'Dr. Alex Sample', ...overrides });
}

async function written(actor: Actor, analysisJobId: string, overrides: Partial<LetterRequest> = {}) {
  const started = await submitLetterJob(db(), actor, { analysisJobId, idempotencyKey: key(), request: request(overrides) }, ctx);
  expect(await waitForStatus(started.jobId, ['succeeded', 'failed'])).toBe('succeeded');
  return started;
}

const edited = (text: string): LetterContent => ({
  blocks: [
    { type: 'paragraph', runs: [{ text: 'Dear Dr. Silva,' }] },
    { type: 'heading', runs: [{ text: 'Findings' }] },
    { type: 'paragraph', runs: [{ text }, { text: ' Please see soon.', bold: true }] },
    { type: 'list', ordered: false, items: [[{ text: 'Visual field' }], [{ text: 'OCT', italic: true }]] },
    { type: 'paragraph', runs: [{ text: 'With kind regards,' }] },
  ],
});

describe('starting a letter', () => {
  it('drafts version 1 from a completed analysis with the offline writer, once per submission key, and counts one job', async () => {
    const { clinic: c, actor, analysis } = await clinic();
    const k = key();
    const input = { analysisJobId: analysis.jobId, idempotencyKey: k, request: request() };
    const first = await submitLetterJob(db(), actor('clinician'), input, ctx);
    const again = await submitLetterJob(db(), actor('clinician'), input, ctx);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await waitForStatus(first.jobId, ['succeeded', 'failed'])).toBe('succeeded');

    const letter = await getLetter(db(), actor('clinician'), first.letterId, ctx);
    expect(letter).toMatchObject({ status: 'draft', currentVersion: 1, template: 'referral', recipientType: 'specialist', jobStatus: 'succeeded' });
    expect(letter.meta).toMatchObject({ provider: 'offline', language: 'en' });
    expect(letter.subject).toBeTruthy();
    expect(letter.patient.name).toBe(analysis.result.patient.name);
    expect(letter.shown?.content.blocks.length).toBeGreaterThan(3);
    expect(letter.versions).toEqual([expect.objectContaining({ version: 1, source: 'generated', author: null })]);

    const job = await db().job.findUniqueOrThrow({ where: { id: first.jobId }, select: { stage: true, progress: true, sourceJobId: true } });
    expect(job).toEqual({ stage: 'complete', progress: 100, sourceJobId: analysis.jobId });
    const stages = await db().jobEvent.findMany({ where: { jobId: first.jobId }, orderBy: { id: 'asc' }, select: { stage: true, progress: true } });
    expect(stages.map((s) => `${s.stage}:${s.progress}`)).toEqual(expect.arrayContaining(['received:0', 'loading_context:15', 'drafting:50', 'formatting:80', 'complete:100']));
    expect(await db().usageRecord.findMany({ where: { organizationId: c.id, jobType: 'letter' }, select: { state: true } })).toEqual([{ state: 'committed' }]);
    const events = await db().auditLog.findMany({ where: { organizationId: c.id, event: { in: ['job.started', 'job.completed', 'letter.viewed'] } }, select: { event: true, targetId: true } });
    expect(events).toEqual(
      expect.arrayContaining([
        { event: 'job.started', targetId: first.jobId },
        { event: 'job.completed', targetId: first.jobId },
        { event: 'letter.viewed', targetId: first.letterId },
      ]),
    );
  });

  it('offers the diagnoses, focus options per diagnosis and the provider as the default signer', async () => {
    const { actor, analysis } = await clinic();
    const form = await getLetterFormContext(db(), actor('clinician'), analysis.jobId);
    expect(form.diagnoses.length).toBe(analysis.result.diagnoses.length);
    expect(form.diagnoses[0]?.focusOptions.length).toBeGreaterThanOrEqual(3);
    expect(form.defaultFrom).toBe(analysis.result.provider.name ?? '');
    expect(form.templates).toContain('urgent_referral');
    expect((await getLetterFormContext(db(), actor('staff'), analysis.jobId)).templates).toEqual(['patient_summary', 'insurance']);
  });

  it('answers bad requests field by field and writes nothing', async () => {
    const { clinic: c, actor, analysis } = await clinic();
    const submit = (overrides: Partial<LetterRequest>) => submitLetterJob(db(), actor('clinician'), { analysisJobId: analysis.jobId, idempotencyKey: key(), request: request(overrides) }, ctx);
    expect((await appError(submit({ reason: { kind: 'diagnosis', diagnosisNumber: 99 } }))).fieldErrors?.reason?.[0]).toMatch(/diagnoses of this analysis/);
    expect((await appError(submit({ referralFocus: 'Something not offered' }))).fieldErrors?.referralFocus?.[0]).toMatch(/focus options/);
    expect((await appError(submit({ recipientType: 'patient' }))).fieldErrors?.recipientType?.[0]).toMatch(/can be addressed to/);
    expect((await appError(submit({ template: 'insurance', recipientType: 'insurance' }))).fieldErrors).toMatchObject({
      insuranceLetterType: [expect.any(String)],
      procedure: [expect.any(String)],
    });
    expect((await appError(submit({ to: ' ' }))).fieldErrors?.to?.[0]).toMatch(/addressed to/);
    expect((await appError(submit({ reason: { kind: 'other', text: 'x' } }))).fieldErrors?.reasonText?.[0]).toMatch(/few words/);
    expect(await db().letter.count({ where: { organizationId: c.id } })).toBe(0);
    expect(await db().job.count({ where: { organizationId: c.id, type: 'letter' } })).toBe(0);
  });

  it('refuses an analysis that is not complete or belongs to another clinic', async () => {
    const { actor, analysis, clinic: c } = await clinic();
    const other = await clinic();
    const running = await db().job.create({ data: { organizationId: c.id, type: 'analysis', status: 'running' } });
    const start = (analysisJobId: string) => submitLetterJob(db(), actor('clinician'), { analysisJobId, idempotencyKey: key(), request: request() }, ctx);
    expect((await appError(start(running.id))).code).toBe('conflict');
    expect((await appError(start(other.analysis.jobId))).code).toBe('not_found');
    expect((await appError(getLetterFormContext(db(), other.actor('clinician'), analysis.jobId))).code).toBe('not_found');
  });

  it('lets staff write patient and insurance letters only, and shows them only those', async () => {
    const { actor, analysis } = await clinic();
    const staffLetter = await written(actor('staff'), analysis.jobId, { template: 'patient_summary', recipientType: 'patient', tone: 'simple', detail: 'brief' });
    const refused = await appError(submitLetterJob(db(), actor('staff'), { analysisJobId: analysis.jobId, idempotencyKey: key(), request: request() }, ctx));
    expect(refused.code).toBe('forbidden');
    const referral = await written(actor('clinician'), analysis.jobId);
    expect((await appError(getLetter(db(), actor('staff'), referral.letterId, ctx))).code).toBe('not_found');
    expect((await listLetters(db(), actor('staff'), { page: 1, template: 'referral' })).total).toBe(0);
    expect((await listLetters(db(), actor('staff'), { page: 1 })).letters.map((l) => l.id)).toEqual([staffLetter.letterId]);
    expect((await listLetters(db(), actor('clinician'), { page: 1 })).total).toBe(2);
  });

  it('runs out of quota like any other job', async () => {
    const { clinic: c, actor, analysis } = await clinic('free');
    for (let i = 0; i < 5; i++) await submitLetterJob(db(), actor('clinician'), { analysisJobId: analysis.jobId, idempotencyKey: key(), request: request() }, ctx);
    const refused = await appError(submitLetterJob(db(), actor('clinician'), { analysisJobId: analysis.jobId, idempotencyKey: key(), request: request() }, ctx));
    expect(refused.code).toBe('quota_exceeded');
    expect(await db().letter.count({ where: { organizationId: c.id } })).toBe(5);
  });
});

describe('versions', () => {
  it('saves edits as versions, refuses a stale save without changing anything, and restores an old version as a new one', async () => {
    const { clinic: c, actor, analysis } = await clinic();
    const { letterId } = await written(actor('clinician'), analysis.jobId);
    const v1 = (await getLetter(db(), actor('clinician'), letterId, ctx)).shown?.content;

    const saved = await saveLetterVersion(db(), actor('clinician'), { letterId, baseVersion: 1, content: edited('IOP 26 mmHg on treatment.') }, ctx);
    expect(saved.version).toBe(2);
    const stale = await appError(saveLetterVersion(db(), actor('admin'), { letterId, baseVersion: 1, content: edited('Other text') }, ctx));
    expect(stale.code).toBe('conflict');
    expect(stale.userMessage).toMatch(/version 2/);
    expect(await db().letterVersion.count({ where: { letterId } })).toBe(2);

    const empty = await appError(saveLetterVersion(db(), actor('clinician'), { letterId, baseVersion: 2, content: { blocks: [{ type: 'paragraph', runs: [{ text: '   ' }] }] } }, ctx));
    expect(empty.userMessage).toBe('The letter is empty.');
    const html = await appError(saveLetterVersion(db(), actor('clinician'), { letterId, baseVersion: 2, content: { blocks: [{ type: 'html', html: '<script>x</script>' }] } }, ctx));
    expect(html.userMessage).toMatch(/formatting we cannot store/);

    const restored = await restoreLetterVersion(db(), actor('clinician'), { letterId, version: 1, baseVersion: 2 }, ctx);
    expect(restored.version).toBe(3);
    const view = await getLetter(db(), actor('clinician'), letterId, ctx);
    expect(view.shown?.content).toEqual(v1);
    expect(view.versions.map((v) => [v.version, v.source, v.restoredFromVersion])).toEqual([
      [3, 'restored', 1],
      [2, 'edited', null],
      [1, 'generated', null],
    ]);
    expect((await getLetter(db(), actor('clinician'), letterId, ctx, { version: 2 })).shown?.content).toEqual(edited('IOP 26 mmHg on treatment.'));
    expect((await appError(restoreLetterVersion(db(), actor('clinician'), { letterId, version: 3, baseVersion: 3 }, ctx))).code).toBe('validation_failed');
    const audit = await db().auditLog.findMany({ where: { organizationId: c.id, targetId: letterId, event: { in: ['letter.edited', 'letter.restored'] } }, select: { event: true, metadata: true } });
    expect(audit).toEqual(
      expect.arrayContaining([
        { event: 'letter.edited', metadata: { version: 2, baseVersion: 1 } },
        { event: 'letter.restored', metadata: { version: 3, restoredFromVersion: 1 } },
      ]),
    );
  });

  it('duplicates the current text as a new draft and soft-deletes with an audit record', async () => {
    const { clinic: c, actor, analysis } = await clinic();
    const { letterId } = await written(actor('clinician'), analysis.jobId);
    await saveLetterVersion(db(), actor('clinician'), { letterId, baseVersion: 1, content: edited('Copied text.') }, ctx);
    const copy = await duplicateLetter(db(), actor('admin'), letterId, ctx);
    const view = await getLetter(db(), actor('admin'), copy.letterId, ctx);
    expect(view).toMatchObject({ currentVersion: 1, status: 'draft', duplicatedFromId: letterId, jobId: null, toLine: 'Dr. Ana Silva, Glaucoma Service, City Eye Hospital' });
    expect(view.shown?.content).toEqual(edited('Copied text.'));
    expect(await db().usageRecord.count({ where: { organizationId: c.id, jobType: 'letter' } })).toBe(1);

    await deleteLetter(db(), actor('clinician'), letterId, ctx);
    expect((await appError(getLetter(db(), actor('clinician'), letterId, ctx))).code).toBe('not_found');
    expect((await listLetters(db(), actor('clinician'), { page: 1 })).letters.map((l) => l.id)).toEqual([copy.letterId]);
    expect(await db().letter.findUniqueOrThrow({ where: { id: letterId }, select: { deletedById: true } })).toEqual({ deletedById: actor('clinician').userId });
    expect(await db().auditLog.count({ where: { targetId: letterId, event: 'letter.deleted' } })).toBe(1);
    expect(await db().auditLog.count({ where: { targetId: copy.letterId, event: 'letter.duplicated' } })).toBe(1);
  });

  it('searches patient, addressee and subject and filters by template, recipient, status and author', async () => {
    const { actor, analysis } = await clinic();
    const a = await written(actor('clinician'), analysis.jobId, { to: 'Dr. Quincy Unusualname' });
    const b = await written(actor('admin'), analysis.jobId, { template: 'patient_summary', recipientType: 'patient', to: 'Jordan Example', tone: 'warm', detail: 'standard' });
    const ids = async (filters: Parameters<typeof listLetters>[2]) => (await listLetters(db(), actor('clinician'), filters)).letters.map((l) => l.id).sort();
    expect(await ids({ page: 1, q: 'unusualname' })).toEqual([a.letterId]);
    expect(await ids({ page: 1, q: analysis.result.patient.name ?? '' })).toEqual([a.letterId, b.letterId].sort());
    expect(await ids({ page: 1, template: 'patient_summary' })).toEqual([b.letterId]);
    expect(await ids({ page: 1, recipient: 'specialist' })).toEqual([a.letterId]);
    expect(await ids({ page: 1, author: actor('admin').userId })).toEqual([b.letterId]);
    expect(await ids({ page: 1, status: 'exported' })).toEqual([]);
    await exportLetterPdf(db(), getStorage(), actor('clinician'), a.letterId, ctx);
    expect(await ids({ page: 1, status: 'exported' })).toEqual([a.letterId]);
    expect(await ids({ page: 1, status: 'draft' })).toEqual([b.letterId]);
  });
});

describe('PDF export and download', () => {
  it('stores one PDF per version with its SHA-256 and meta, audits each download, and becomes a draft again after an edit', async () => {
    const { clinic: c, actor, analysis } = await clinic();
    const { letterId } = await written(actor('clinician'), analysis.jobId);
    const first = await exportLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx);
    expect(first.created).toBe(true);
    const again = await exportLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx);
    expect(again).toEqual({ record: first.record, created: false });
    expect((await getLetter(db(), actor('clinician'), letterId, ctx)).status).toBe('exported');

    const download = await openLetterPdf(db(), getStorage(), actor('staff'), letterId, ctx).catch((e: unknown) => e);
    // Staff may not open a referral: the route answers not found.
    expect((download as { code?: string }).code).toBe('not_found');

    const opened = await openLetterPdf(db(), getStorage(), actor('admin'), letterId, ctx);
    const bytes = await buffer(opened.stream);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.record.sha256);
    expect(opened.fileName).toMatch(/_Px.*_\d{8}_referral\.pdf$/);
    expect(opened.contentDisposition).toMatch(/^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''/);
    const text = (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
    expect(text).toContain(analysis.result.patient.name ?? '');
    expect(text).toContain('Prepared with Maneiro');

    const row = await db().letterPdf.findUniqueOrThrow({ where: { id: first.record.id } });
    expect(row).toMatchObject({ version: 1, provider: 'offline', whiteLabel: false, pageSize: 'letter' });
    expect(row.model).not.toBe('unknown');
    expect(await db().auditLog.findMany({ where: { organizationId: c.id, targetId: letterId, event: { in: ['pdf.exported', 'pdf.downloaded'] } }, orderBy: { seq: 'asc' }, select: { event: true } })).toEqual([
      { event: 'pdf.exported' },
      { event: 'pdf.downloaded' },
    ]);

    await saveLetterVersion(db(), actor('clinician'), { letterId, baseVersion: 1, content: edited('A changed finding.') }, ctx);
    expect((await getLetter(db(), actor('clinician'), letterId, ctx)).status).toBe('draft');
    const second = await exportLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx);
    expect(second.record.version).toBe(2);
    expect(second.record.sha256).not.toBe(first.record.sha256);
    // The older PDF on file is still served exactly as it was.
    const old = await openLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx, { pdfId: first.record.id });
    expect(createHash('sha256').update(await buffer(old.stream)).digest('hex')).toBe(first.record.sha256);
    const other = await clinic();
    expect((await appError(openLetterPdf(db(), getStorage(), other.actor('owner'), letterId, ctx))).code).toBe('not_found');
    expect((await appError(openLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx, { pdfId: '00000000-0000-4000-8000-000000000000' }))).code).toBe('not_found');
  });

  it('renders a version once when many downloads ask for it at the same time', async () => {
    const { actor, analysis } = await clinic();
    const { letterId } = await written(actor('clinician'), analysis.jobId);
    const downloads = await Promise.all(Array.from({ length: 20 }, () => openLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx)));
    const hashes = await Promise.all(downloads.map(async (d) => createHash('sha256').update(await buffer(d.stream)).digest('hex')));
    expect(new Set(hashes).size).toBe(1);
    expect(await db().letterPdf.count({ where: { letterId } })).toBe(1);
    expect(await db().auditLog.count({ where: { targetId: letterId, event: 'pdf.downloaded' } })).toBe(20);
    expect(await db().auditLog.count({ where: { targetId: letterId, event: 'pdf.exported' } })).toBe(1);
  });

  it('leaves Maneiro off white-label PDFs and follows the clinic paper size', async () => {
    const { clinic: c, actor, analysis } = await clinic('enterprise');
    await db().organization.update({ where: { id: c.id }, data: { pageSize: 'a4', address: '1 Harbour Road, Porto', phone: '+351 22 000 0000', fax: '+351 22 000 0001' } });
    const { letterId } = await written(actor('clinician'), analysis.jobId);
    const { record } = await exportLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx);
    const row = await db().letterPdf.findUniqueOrThrow({ where: { id: record.id } });
    expect(row).toMatchObject({ whiteLabel: true, pageSize: 'a4' });
    const opened = await openLetterPdf(db(), getStorage(), actor('clinician'), letterId, ctx);
    const pdf = await getDocumentProxy(new Uint8Array(await buffer(opened.stream)));
    const text = (await extractText(pdf, { mergePages: true })).text;
    expect(text).not.toMatch(/maneiro/i);
    expect(text).toContain('1 Harbour Road, Porto');
    const page = await pdf.getPage(1);
    expect(Math.round(page.getViewport({ scale: 1 }).width)).toBe(595);
  });
});
