// The Enterprise REST API end to end, through the typed client generated from
// the OpenAPI document (tests/support/api-types.ts + openapi-fetch) over the real
// route handlers, against a real database and worker: keys (shown once, hashed,
// audited, revocable), the full flow (submit twice with one Idempotency-Key →
// one job, poll, letter, PDF, usage), pagination, cancel, and every refusal
// (scope, plan, revoked or orphaned key, another clinic's ids, bad input, 429).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, revokeApiKey } from '@/lib/api/keys';
import { jobListSchema, jobSchema, jobSummarySchema, letterSchema, problemSchema, usageSchema } from '@/lib/api/schemas';
import type { ApiScope } from '@/lib/api/scopes';
import type { Actor, Role } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { createAnalysisHandler } from '@/lib/jobs/analysis-handler';
import { createLetterHandler } from '@/lib/jobs/letter-handler';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { createMemoryBackend, resetRateLimitStore, setRateLimitBackend } from '@/lib/ratelimit';
import { apiClient, apiFetch, API_ORIGIN } from '../support/api-client';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { createCompletedAnalysis, SAMPLE_NOTE } from '../support/jobs';
import { letterRequestFields } from '../fixtures/letters';

const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-api-'));
const database = withAppDatabase({ DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const queueOptions = { retryLimit: 0, expireInSeconds: 120, notify: true };
let worker: RunningWorker;
const ctx = { ip: '203.0.113.7', userAgent: 'vitest' };
const ALL_SCOPES: ApiScope[] = ['jobs:read', 'jobs:write', 'letters:read', 'letters:write', 'usage:read'];
const FAX = 'Referral request from Dr. Lee, Harbour Clinic, fax 555-0100. Patient: Jordan Example. Routine eye examination, non-urgent, please schedule.';

beforeAll(async () => {
  // Analyses and letters run; triage has no handler here, so triage jobs stay queued (to list and cancel).
  worker = await startWorker({
    connectionString: database.url,
    handlers: [createAnalysisHandler({ queueOptions, log: silent }), createLetterHandler({ queueOptions, log: silent })],
    concurrency: 2,
    batchSize: 1,
    pollSeconds: 0.5,
    notifyPollSeconds: 0.5,
    log: silent,
  });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => resetRateLimitStore());
afterEach(() => setRateLimitBackend(null));

async function enterpriseClinic(plan: 'enterprise' | 'professional' = 'enterprise') {
  const { clinic, members } = await createStaffedClinic();
  await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor = (role: Role): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

async function newKey(actor: Actor, scopes: ApiScope[] = ALL_SCOPES) {
  return createApiKey(db(), actor, { name: 'EHR integration', scopes }, ctx);
}

/** The problem of a raw response, or of an openapi-fetch result (which has already read the body into `error`). */
async function problemOf(answer: Response | { response: Response; error?: unknown }) {
  const response = answer instanceof Response ? answer : answer.response;
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = problemSchema.parse(answer instanceof Response ? await response.json() : answer.error);
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  expect(body.status).toBe(response.status);
  return body;
}

const idempotencyKey = () => `idem-${crypto.randomUUID()}`;

const REFERRAL = letterRequestFields('referral', 'specialist', {
  to: 'Dr. Ana Silva, Glaucoma Service, City Eye Hospital',
  from: 'Dr. Alex Sample',
  specialRequests: 'Please assess for laser trabeculoplasty.',
});

async function pollJob(client: ReturnType<typeof apiClient>, id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data, response } = await client.GET('/api/v1/jobs/{id}', { params: { path: { id } } });
    expect(response.status).toBe(200);
    if (data && ['succeeded', 'failed', 'canceled'].includes(data.status)) return data;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${data?.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('API keys', () => {
  it('are created by owners and admins of an Enterprise clinic, shown once, stored as a SHA-256 and audited', async () => {
    const { clinic, actor } = await enterpriseClinic();
    const { key, secret } = await createApiKey(db(), actor('admin'), { name: '  Lab bridge ', scopes: ['usage:read', 'jobs:read'] }, ctx);
    expect(secret).toMatch(/^mk_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'Lab bridge', prefix: secret.slice(0, 16), scopes: ['jobs:read', 'usage:read'], lastUsedAt: null, revokedAt: null, createdBy: 'The admin' });

    const stored = await db().apiKey.findUniqueOrThrow({ where: { id: key.id }, omit: { hash: false } });
    expect(stored.hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(17));
    // The hash is omitted from every ordinary query.
    expect(Object.keys(await db().apiKey.findUniqueOrThrow({ where: { id: key.id } }))).not.toContain('hash');
    expect(JSON.stringify(await listApiKeys(db(), actor('owner')))).not.toContain(secret.slice(17));

    const audit = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: 'api_key.created' }, select: { targetId: true, actorUserId: true, metadata: true } });
    expect(audit).toEqual([{ targetId: key.id, actorUserId: actor('admin').userId, metadata: { prefix: key.prefix, scopes: 'jobs:read usage:read' } }]);
  });

  it('are refused to clinicians and staff, to clinics without Enterprise, and without a name or a scope', async () => {
    const { actor } = await enterpriseClinic();
    for (const role of ['clinician', 'staff'] as const) {
      expect((await appError(newKey(actor(role)))).userMessage).toBe('Only the clinic’s owners and admins can manage API keys.');
      expect((await appError(listApiKeys(db(), actor(role)))).code).toBe('forbidden');
    }
    const invalid = await appError(createApiKey(db(), actor('owner'), { name: ' ', scopes: [] }, ctx));
    expect(invalid.fieldErrors).toEqual({ name: [expect.stringContaining('Name the key')], scopes: ['Choose at least one scope.'] });
    expect((await appError(createApiKey(db(), actor('owner'), { name: 'x y', scopes: ['jobs:delete'] }, ctx))).fieldErrors?.scopes).toBeDefined();

    const pro = await enterpriseClinic('professional');
    const refused = await appError(newKey(pro.actor('owner')));
    expect(refused.code).toBe('plan_required');
    expect(refused.userMessage).toBe('REST API access needs the Enterprise plan or higher; your clinic is on Professional.');
    expect(await db().apiKey.count({ where: { organizationId: pro.clinic.id } })).toBe(0);
  });

  it('are revoked at once, audited once, and another clinic cannot revoke them', async () => {
    const { clinic, actor } = await enterpriseClinic();
    const { key, secret } = await newKey(actor('owner'));
    expect((await apiClient(secret).GET('/api/v1/usage')).response.status).toBe(200);

    const other = await enterpriseClinic();
    expect((await appError(revokeApiKey(db(), other.actor('owner'), key.id, ctx))).code).toBe('not_found');

    const revoked = await revokeApiKey(db(), actor('admin'), key.id, ctx);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(revoked.revokedBy).toBe('The admin');
    await revokeApiKey(db(), actor('owner'), key.id, ctx);
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'api_key.revoked', targetId: key.id } })).toBe(1);

    const refused = await apiClient(secret).GET('/api/v1/usage');
    expect(refused.response.status).toBe(401);
    expect((await problemOf(refused)).code).toBe('invalid_api_key');
  });
});

describe('the API flow', () => {
  it('submits once per Idempotency-Key, polls to a result, writes a letter, downloads its PDF and reads usage', async () => {
    const { clinic, actor } = await enterpriseClinic();
    const { key, secret } = await newKey(actor('admin'));
    const client = apiClient(secret);
    const idem = idempotencyKey();

    const first = await client.POST('/api/v1/jobs', { body: { type: 'analysis', text: SAMPLE_NOTE, title: 'Glaucoma follow-up' }, params: { header: { 'Idempotency-Key': idem } } });
    expect(first.response.status).toBe(202);
    for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-request-id']) expect(first.response.headers.get(name), name).toBeTruthy();
    const submitted = jobSummarySchema.parse(first.data);
    expect(submitted).toMatchObject({ type: 'analysis', status: 'queued', links: { self: `/api/v1/jobs/${submitted.id}` } });
    expect(first.response.headers.get('location')).toBe(`/api/v1/jobs/${submitted.id}`);

    const again = await client.POST('/api/v1/jobs', { body: { type: 'analysis', text: SAMPLE_NOTE, title: 'Glaucoma follow-up' }, params: { header: { 'Idempotency-Key': idem } } });
    expect(again.response.status).toBe(200);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data?.id).toBe(submitted.id);
    expect(await db().job.count({ where: { organizationId: clinic.id, type: 'analysis' } })).toBe(1);

    const done = jobSchema.parse(await pollJob(client, submitted.id));
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ diagnoses: expect.arrayContaining([expect.objectContaining({ number: 1 })]) });
    expect(done.links.letters).toBe(`/api/v1/jobs/${submitted.id}/letters`);
    // A response with the clinical result is an audited view, attributed to the key's creator and naming the key.
    expect(await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'job.viewed', targetId: submitted.id }, select: { actorUserId: true, metadata: true } })).toMatchObject({
      actorUserId: actor('admin').userId,
      metadata: { apiKeyId: key.id },
    });

    const letterRequest = REFERRAL;
    const started = await client.POST('/api/v1/jobs/{id}/letters', { params: { path: { id: submitted.id } }, body: letterRequest });
    expect(started.response.status).toBe(202);
    const drafting = letterSchema.parse(started.data);
    expect(drafting).toMatchObject({ status: 'drafting', version: 0, content: null, template: 'referral', analysisJobId: submitted.id });

    const letterJob = await pollJob(client, drafting.jobId ?? '');
    expect(letterJob).toMatchObject({ type: 'letter', status: 'succeeded', letterId: drafting.id, result: null, links: { letter: `/api/v1/letters/${drafting.id}` } });
    const letterResponse = await client.GET('/api/v1/letters/{id}', { params: { path: { id: drafting.id } } });
    expect(letterResponse.response.status).toBe(200);
    const letter = letterSchema.parse(letterResponse.data);
    expect(letter).toMatchObject({ status: 'draft', version: 1, header: { to: letterRequest.to, from: letterRequest.from }, links: { pdf: `/api/v1/letters/${drafting.id}/pdf` } });
    expect(letter.content?.blocks.length).toBeGreaterThan(3);

    const pdf = await client.GET('/api/v1/letters/{id}/pdf', { params: { path: { id: drafting.id } }, parseAs: 'arrayBuffer' });
    expect(pdf.response.status).toBe(200);
    expect(pdf.response.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.response.headers.get('ratelimit-limit')).toBe('1200');
    expect(Buffer.from(pdf.data ?? new ArrayBuffer(0)).subarray(0, 5).toString()).toBe('%PDF-');

    const usage = await client.GET('/api/v1/usage');
    expect(usage.response.status).toBe(200);
    const stats = usageSchema.parse(usage.data);
    expect(stats).toMatchObject({ plan: { id: 'enterprise' }, used: 2, limit: null });
    expect(stats.byType.find((t) => t.jobType === 'analysis')?.completed).toBe(1);
    expect(stats.byType.find((t) => t.jobType === 'letter')?.completed).toBe(1);

    const stamped = await db().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { lastUsedAt: true } });
    expect(stamped.lastUsedAt).toBeInstanceOf(Date);
  });

  it('takes a file as multipart/form-data and does not store it again on a replay', async () => {
    const { clinic, members, actor } = await enterpriseClinic();
    const { secret } = await newKey(actor('admin'), ['jobs:write', 'jobs:read']);
    // Now acting as front-desk staff, who triage incoming documents.
    await db().membership.update({ where: { organizationId_userId: { organizationId: clinic.id, userId: members.admin.id } }, data: { role: 'staff' } });
    const client = apiClient(secret);
    const idem = idempotencyKey();
    const send = () =>
      client.POST('/api/v1/jobs', {
        params: { header: { 'Idempotency-Key': idem } },
        body: { type: 'triage', file: 'fax.txt' },
        bodySerializer: (body) => {
          const form = new FormData();
          form.append('type', body.type);
          form.append('title', 'Incoming fax');
          form.append('file', new File([FAX], 'fax.txt', { type: 'text/plain' }));
          return form;
        },
      });
    const first = await send();
    expect(first.response.status).toBe(202);
    expect(first.data).toMatchObject({ type: 'triage', status: 'queued' });
    const job = await db().job.findUniqueOrThrow({ where: { id: first.data?.id ?? '' }, select: { uploadId: true, title: true } });
    expect(job.title).toBe('Incoming fax');
    expect(await db().upload.findUniqueOrThrow({ where: { id: job.uploadId ?? '' }, select: { kind: true } })).toEqual({ kind: 'txt' });

    const again = await send();
    expect(again.response.status).toBe(200);
    expect(again.data?.id).toBe(first.data?.id);
    expect(await db().upload.count({ where: { organizationId: clinic.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'file.uploaded' } })).toBe(1);
  });

  it('honours an Idempotency-Key for 24 hours only: after that the same key starts a new job', async () => {
    const { clinic, actor } = await enterpriseClinic();
    const { secret } = await newKey(actor('owner'));
    const client = apiClient(secret);
    const idem = idempotencyKey();
    const body = { type: 'triage' as const, text: FAX };
    const first = await client.POST('/api/v1/jobs', { body, params: { header: { 'Idempotency-Key': idem } } });
    await db().job.update({ where: { id: first.data?.id ?? '' }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const later = await client.POST('/api/v1/jobs', { body, params: { header: { 'Idempotency-Key': idem } } });
    expect(later.response.status).toBe(202);
    expect(later.data?.id).not.toBe(first.data?.id);
    expect(await db().job.findUniqueOrThrow({ where: { id: first.data?.id ?? '' }, select: { idempotencyKey: true } })).toEqual({ idempotencyKey: `api-expired:${first.data?.id}` });
    // The new job holds the key now: a retry within the day replays it.
    const replay = await client.POST('/api/v1/jobs', { body, params: { header: { 'Idempotency-Key': idem } } });
    expect(replay.data?.id).toBe(later.data?.id);
    expect(await db().job.count({ where: { organizationId: clinic.id } })).toBe(2);
  });

  it('lists jobs newest first by cursor, with filters, and cancels a queued job', async () => {
    const { actor } = await enterpriseClinic();
    const { secret } = await newKey(actor('owner'));
    const client = apiClient(secret);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { data } = await client.POST('/api/v1/jobs', { body: { type: 'triage', text: `${FAX} (${i})` } });
      ids.push(data?.id ?? '');
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const { data, response } = await client.GET('/api/v1/jobs', { params: { query: { limit: 2, type: 'triage', ...(cursor ? { cursor } : {}) } } });
      expect(response.status).toBe(200);
      const list = jobListSchema.parse(data);
      seen.push(...list.data.map((j) => j.id));
      if (!list.nextCursor) break;
      expect(list.links.next).toContain(`cursor=${encodeURIComponent(list.nextCursor)}`);
      cursor = list.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());

    const canceled = await client.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id: ids[0] ?? '' } } });
    expect(canceled.response.status).toBe(200);
    expect(canceled.data).toMatchObject({ id: ids[0], status: 'canceled' });
    const twice = await client.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id: ids[0] ?? '' } } });
    expect(twice.response.status).toBe(409);
    expect((await problemOf(twice)).code).toBe('conflict');

    const onlyCanceled = await client.GET('/api/v1/jobs', { params: { query: { status: 'canceled' } } });
    expect(onlyCanceled.data?.data.map((j) => j.id)).toEqual([ids[0]]);
    expect(onlyCanceled.data?.nextCursor).toBeNull();
  });
});

describe('refusals', () => {
  it('answers 401 without a key, with an unknown key, and once the creator has left the clinic', async () => {
    const { clinic, members, actor } = await enterpriseClinic();
    const { secret } = await newKey(actor('admin'));
    const missing = await apiClient(null).GET('/api/v1/usage');
    expect(missing.response.status).toBe(401);
    expect((await problemOf(missing)).code).toBe('unauthenticated');
    expect(missing.response.headers.get('www-authenticate')).toBe('Bearer realm="maneiro-api"');
    expect(missing.response.headers.get('ratelimit-limit')).toBeNull();

    const forged = `${secret.slice(0, 17)}${'A'.repeat(43)}`;
    const unknown = await apiClient(forged).GET('/api/v1/usage');
    expect(unknown.response.status).toBe(401);
    expect((await problemOf(unknown)).code).toBe('invalid_api_key');
    expect(unknown.response.headers.get('www-authenticate')).toBe('Bearer realm="maneiro-api", error="invalid_token"');
    expect((await apiClient('not-a-key').GET('/api/v1/usage')).response.status).toBe(401);

    expect((await apiClient(secret).GET('/api/v1/usage')).response.status).toBe(200);
    await db().membership.delete({ where: { organizationId_userId: { organizationId: clinic.id, userId: members.admin.id } } });
    const orphaned = await apiClient(secret).GET('/api/v1/usage');
    expect(orphaned.response.status).toBe(401);
    expect((await problemOf(orphaned)).code).toBe('invalid_api_key');
  });

  it('answers 403 for a missing scope, a clinic that left Enterprise, and a role that may not act', async () => {
    const { clinic, members, actor } = await enterpriseClinic();
    const readOnly = await newKey(actor('admin'), ['jobs:read']);
    const denied = await apiClient(readOnly.secret).POST('/api/v1/jobs', { body: { type: 'analysis', text: SAMPLE_NOTE } });
    expect(denied.response.status).toBe(403);
    expect(await problemOf(denied)).toMatchObject({ code: 'insufficient_scope', title: 'Missing scope', instance: '/api/v1/jobs' });
    expect(denied.response.headers.get('ratelimit-remaining')).toBeTruthy();
    expect(await db().job.count({ where: { organizationId: clinic.id } })).toBe(0);
    expect((await apiClient(readOnly.secret).GET('/api/v1/usage')).response.status).toBe(403);

    // The key acts with its creator's role now: an admin demoted to staff, their key may no longer start analyses.
    const writer = await newKey(actor('admin'));
    await db().membership.update({ where: { organizationId_userId: { organizationId: clinic.id, userId: members.admin.id } }, data: { role: 'staff' } });
    const demoted = await apiClient(writer.secret).POST('/api/v1/jobs', { body: { type: 'analysis', text: SAMPLE_NOTE } });
    expect(demoted.response.status).toBe(403);
    expect(await problemOf(demoted)).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('Only clinicians, admins and owners') });

    await db().organization.update({ where: { id: clinic.id }, data: { planOverride: 'professional' } });
    const lapsed = await apiClient(writer.secret).GET('/api/v1/jobs');
    expect(lapsed.response.status).toBe(403);
    expect(await problemOf(lapsed)).toMatchObject({ code: 'plan_required', detail: 'REST API access needs the Enterprise plan or higher; your clinic is on Professional.' });
  });

  it('answers 404 for another clinic’s job, letter and PDF, and changes nothing there', async () => {
    const mine = await enterpriseClinic();
    const theirs = await enterpriseClinic();
    const { secret } = await newKey(mine.actor('owner'));
    const client = apiClient(secret);
    const analysis = await createCompletedAnalysis(theirs.clinic.id, theirs.members.clinician.id);
    const theirKey = await newKey(theirs.actor('owner'));
    const letter = await apiClient(theirKey.secret).POST('/api/v1/jobs/{id}/letters', {
      params: { path: { id: analysis.jobId } },
      body: letterRequestFields('patient_summary', 'patient', { to: 'Jordan Example', from: 'Dr. Alex Sample', tone: 'warm', detail: 'brief' }),
    });
    const letterId = letter.data?.id ?? '';
    expect(letterId).not.toBe('');

    const answers = [
      await client.GET('/api/v1/jobs/{id}', { params: { path: { id: analysis.jobId } } }),
      await client.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id: analysis.jobId } } }),
      await client.POST('/api/v1/jobs/{id}/letters', { params: { path: { id: analysis.jobId } }, body: REFERRAL }),
      await client.GET('/api/v1/letters/{id}', { params: { path: { id: letterId } } }),
      await client.GET('/api/v1/letters/{id}/pdf', { params: { path: { id: letterId } } }),
      await client.GET('/api/v1/jobs/{id}', { params: { path: { id: 'not-a-uuid' } } }),
    ];
    for (const answer of answers) {
      expect(answer.response.status).toBe(404);
      const problem = await problemOf(answer);
      expect(problem.code).toBe('not_found');
      expect(JSON.stringify(problem)).not.toContain('Jordan');
    }
    expect(await db().letter.count({ where: { organizationId: theirs.clinic.id } })).toBe(1);
    expect(await db().letter.count({ where: { organizationId: mine.clinic.id } })).toBe(0);
  });

  it('answers 400 with field details for invalid input, without echoing it', async () => {
    const { actor } = await enterpriseClinic();
    const { secret } = await newKey(actor('owner'));
    const client = apiClient(secret);

    const short = await client.POST('/api/v1/jobs', { body: { type: 'analysis', text: 'Too short' } });
    expect(short.response.status).toBe(400);
    expect(await problemOf(short)).toMatchObject({ code: 'validation_failed', fieldErrors: { text: [expect.stringContaining('too short')] } });

    const raw = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      apiFetch(new Request(`${API_ORIGIN}/api/v1/jobs`, { method: 'POST', body, headers: { authorization: `Bearer ${secret}`, ...headers } }));
    const unknownField = await problemOf(await raw(JSON.stringify({ type: 'triage', text: FAX, priority: 'high' })));
    expect(unknownField).toMatchObject({ status: 400, fieldErrors: { priority: [expect.any(String)] } });
    expect(await problemOf(await raw(JSON.stringify({ type: 'transcription', text: FAX })))).toMatchObject({ fieldErrors: { type: [expect.stringContaining('multipart/form-data')] } });
    expect(await problemOf(await raw(JSON.stringify({ type: 'dictation', text: FAX })))).toMatchObject({ fieldErrors: { type: ['Choose analysis, triage or transcription.'] } });
    expect(await problemOf(await raw('{"type": "triage", "text": "Patient Jordan Example'))).toMatchObject({ status: 400, code: 'bad_request', detail: 'The body is not valid JSON.' });
    const wrongType = await raw('type=triage', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(415);
    expect(await problemOf(await raw(JSON.stringify({ type: 'triage', text: FAX }), { 'content-type': 'application/json', 'idempotency-key': 'has space' }))).toMatchObject({
      fieldErrors: { 'Idempotency-Key': [expect.any(String)] },
    });

    const noFile = new FormData();
    noFile.append('type', 'triage');
    const missingFile = await apiFetch(new Request(`${API_ORIGIN}/api/v1/jobs`, { method: 'POST', body: noFile, headers: { authorization: `Bearer ${secret}` } }));
    expect(await problemOf(missingFile)).toMatchObject({ status: 400, fieldErrors: { file: [expect.any(String)] } });

    const badCursor = await client.GET('/api/v1/jobs', { params: { query: { cursor: 'bm90IGEgY3Vyc29y' } } });
    expect(await problemOf(badCursor)).toMatchObject({ status: 400, fieldErrors: { cursor: [expect.any(String)] } });
    const badLimit = await client.GET('/api/v1/jobs', { params: { query: { limit: 1000 } } });
    expect(await problemOf(badLimit)).toMatchObject({ status: 400, fieldErrors: { limit: [expect.any(String)] } });

    const analysis = await createCompletedAnalysis(actor('owner').organizationId, actor('owner').userId);
    const postLetter = (body: unknown) =>
      apiFetch(
        new Request(`${API_ORIGIN}/api/v1/jobs/${analysis.jobId}/letters`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    // Paths name nested fields; every field of the request is required (null when unused).
    const incomplete = await problemOf(await postLetter({ template: 'referral', recipientType: 'specialist', language: 'en', to: 'Dr. Ana Silva', from: 'Dr. Alex Sample', reason: { kind: 'other', text: 'x' } }));
    expect(incomplete.fieldErrors).toMatchObject({ 'reason.text': ['Describe the reason in a few words.'], referralFocus: [expect.any(String)], justification: [expect.any(String)] });
    const letterProblem = await problemOf(await postLetter({ ...REFERRAL, recipientType: 'patient' }));
    expect(letterProblem).toMatchObject({ status: 400, fieldErrors: { recipientType: ['A standard referral letter can be addressed to: specialist, family physician, other.'] } });
    expect(await db().letter.count({ where: { analysisJobId: analysis.jobId } })).toBe(0);
    expect(JSON.stringify(letterProblem)).not.toContain('Ana Silva');
  });

  it('answers 429 with Retry-After and RateLimit headers once the key’s limit is used', async () => {
    const { actor } = await enterpriseClinic();
    const { secret } = await newKey(actor('owner'));
    const other = await newKey(actor('owner'));
    // The limiter's test seam: the real fixed-window store, with a limit of 3 instead of the plan's 1,200.
    const memory = createMemoryBackend();
    setRateLimitBackend({ name: 'tiny', hit: (key, _limit, windowMs) => memory.hit(key, 3, windowMs) });
    const client = apiClient(secret);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { response } = await client.GET('/api/v1/usage');
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await client.GET('/api/v1/usage');
    const { response } = limited;
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(await problemOf(limited)).toMatchObject({ code: 'rate_limited', detail: expect.stringMatching(/^This API key sent too many requests\. Try again in (\d+ seconds?|1 minute)\.$/) });
    // Counted per key: the clinic's other key is not limited.
    expect((await apiClient(other.secret).GET('/api/v1/usage')).response.status).toBe(200);
  });
});
