// The platform operators' console (lib/admin): invisible to everyone else,
// clinics across tenants, stuck and failed jobs (without PHI), retry by an
// operator, pausing a clinic (jobs and API refused, a banner state), and an
// audit row for every view and action.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '@/lib/api/keys';
import { listClinics } from '@/lib/admin/clinics';
import { listProblemJobs, retryJobAsOperator } from '@/lib/admin/jobs';
import { requireOperator } from '@/lib/admin/operators';
import { setClinicPaused } from '@/lib/admin/pause';
import { listWebhookProblems } from '@/lib/admin/webhooks';
import type { Actor, Role } from '@/lib/auth/authorize';
import { verifyAuditChains } from '@/lib/audit/verify';
import { CLINIC_PAUSED_MESSAGE, getClinicPauseState } from '@/lib/data-controls/state';
import { db } from '@/lib/db/client';
import type { JobStatus } from '@/lib/db/generated/client';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { resetRateLimitStore } from '@/lib/ratelimit';
import { apiFetch, API_ORIGIN } from '../support/api-client';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic, createUser } from '../support/factories';
import { key, SAMPLE_NOTE } from '../support/jobs';

// Mixed case and spaces on purpose: the list is compared case-insensitively.
withAppDatabase({ DEFAULT_PLAN: 'basic', PLATFORM_OPERATORS: ' Ops-Admin@Maneiro.TEST , second@maneiro.test' });
afterAll(() => stopJobQueue());
beforeEach(() => resetRateLimitStore());

const ctx = { ip: '203.0.113.50', userAgent: 'vitest' };
const PATIENT = 'Jordan Example';
const TITLE = 'Visit of Jordan Example';
/** Stored in another case than PLATFORM_OPERATORS lists it. */
const OPERATOR_EMAIL = 'ops-admin@maneiro.test';

async function operator() {
  const existing = await db().user.findUnique({ where: { email: OPERATOR_EMAIL }, select: { id: true } });
  return existing ?? createUser({ email: OPERATOR_EMAIL, name: 'Operator One' });
}

async function clinic() {
  const { clinic: c, members } = await createStaffedClinic();
  const actor = (role: Role): Actor => ({ userId: members[role].id, organizationId: c.id, role });
  return { clinic: c, members, actor };
}

/** A job row as a worker would have left it, last touched `minutesAgo` minutes ago. */
async function jobIn(organizationId: string, createdById: string, status: JobStatus, minutesAgo: number, extra: { errorCode?: string } = {}) {
  const job = await db().job.create({
    data: {
      organizationId,
      createdById,
      type: 'analysis',
      status,
      stage: status === 'failed' ? 'analyzing' : status === 'running' ? 'extracting' : 'received',
      title: TITLE,
      patientName: PATIENT,
      inputText: SAMPLE_NOTE,
      errorCode: status === 'failed' ? (extra.errorCode ?? 'provider_error') : null,
      errorMessage: status === 'failed' ? `Could not analyse the note of ${PATIENT}.` : null,
      options: { specialty: 'auto', handwritten: false },
    },
    select: { id: true },
  });
  await db().$executeRaw`UPDATE jobs SET updated_at = now() - make_interval(mins => ${minutesAgo}) WHERE id = ${job.id}::uuid`;
  return job.id;
}

describe('who may use the console', () => {
  it('answers not_found to everyone but the listed operators, for every function', async () => {
    const { clinic: c, members } = await clinic();
    const failedId = await jobIn(c.id, members.clinician.id, 'failed', 5);
    const outsiders = [members.owner.id, members.admin.id, (await createUser()).id, crypto.randomUUID(), 'not-a-uuid'];
    for (const userId of outsiders) {
      const calls = [
        requireOperator(db(), userId),
        listClinics(db(), userId, ctx),
        listProblemJobs(db(), userId, ctx),
        listWebhookProblems(db(), userId, ctx),
        retryJobAsOperator(db(), userId, { jobId: failedId }, ctx),
        setClinicPaused(db(), userId, { clinicId: c.id, paused: true, reason: 'Abuse review' }, ctx),
      ];
      for (const call of calls) {
        const error = await appError(call);
        expect(error.code).toBe('not_found');
        // The same words as any missing page: nothing says a console exists.
        expect(error.userMessage).toBe('We could not find what you were looking for.');
      }
    }
    // Nothing happened, nothing was recorded as a console view.
    expect(await db().job.count({ where: { organizationId: c.id } })).toBe(1);
    expect((await db().organization.findUniqueOrThrow({ where: { id: c.id } })).pausedAt).toBeNull();
    expect(await db().auditLog.count({ where: { event: { startsWith: 'operator.' } } })).toBe(0);
  });

  it('matches the stored email case-insensitively and follows an email change', async () => {
    const second = await createUser({ email: 'Second@Maneiro.test' });
    await expect(requireOperator(db(), second.id)).resolves.toEqual({ userId: second.id });
    await db().user.update({ where: { id: second.id }, data: { email: 'moved@maneiro.test' } });
    expect((await appError(requireOperator(db(), second.id))).code).toBe('not_found');
  });
});

describe('clinics', () => {
  it('lists clinics of every tenant with plan, members, usage against the quota and the pause flag, and audits the view', async () => {
    const op = await operator();
    const a = await clinic();
    const b = await clinic();
    await db().organization.update({ where: { id: b.clinic.id }, data: { planOverride: 'enterprise' } });
    await submitAnalysisJob(db(), a.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx);
    await submitAnalysisJob(db(), a.actor('owner'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx);

    const { clinics, total } = await listClinics(db(), op.id, ctx);
    expect(total).toBeGreaterThanOrEqual(2);
    const rowA = clinics.find((r) => r.id === a.clinic.id);
    const rowB = clinics.find((r) => r.id === b.clinic.id);
    expect(rowA).toMatchObject({ name: a.clinic.name, plan: 'basic', planSource: 'default', members: 4, jobsThisPeriod: 2, quota: 50, pausedAt: null, subscriptionStatus: null });
    expect(rowB).toMatchObject({ plan: 'enterprise', planSource: 'override', members: 4, jobsThisPeriod: 0, quota: null });

    const searched = await listClinics(db(), op.id, ctx, { search: b.clinic.name.toUpperCase() });
    expect(searched.clinics.map((r) => r.id)).toEqual([b.clinic.id]);

    const views = await db().auditLog.findMany({ where: { event: 'operator.viewed', actorUserId: op.id, targetId: 'clinics' }, orderBy: { seq: 'asc' } });
    expect(views).toHaveLength(2);
    // Console views span every clinic: they are in the account chain, not in a clinic's.
    expect(views.every((v) => v.organizationId === null)).toBe(true);
    expect(views[0]).toMatchObject({ ip: ctx.ip, userAgent: 'vitest', targetType: 'admin_console' });
    expect(views[0]!.metadata).toMatchObject({ operator: true, section: 'clinics' });
    expect(await db().auditLog.count({ where: { organizationId: a.clinic.id, event: 'operator.viewed' } })).toBe(0);
  });
});

describe('problem jobs', () => {
  it('finds failed (last 7 days) and stuck jobs across clinics, never showing PHI', async () => {
    const op = await operator();
    const a = await clinic();
    const b = await clinic();
    const uid = a.members.clinician.id;
    const ids = {
      failedRecent: await jobIn(a.clinic.id, uid, 'failed', 2 * 24 * 60, { errorCode: 'provider_error' }),
      failedOld: await jobIn(a.clinic.id, uid, 'failed', 8 * 24 * 60),
      runningStuck: await jobIn(b.clinic.id, b.members.clinician.id, 'running', 20),
      runningFresh: await jobIn(a.clinic.id, uid, 'running', 5),
      queuedStuck: await jobIn(a.clinic.id, uid, 'queued', 45),
      queuedFresh: await jobIn(a.clinic.id, uid, 'queued', 10),
      succeeded: await jobIn(a.clinic.id, uid, 'succeeded', 60),
    };
    const rows = await listProblemJobs(db(), op.id, ctx);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.failedRecent)).toMatchObject({ problem: 'failed', errorCode: 'provider_error', clinicName: a.clinic.name, retryable: true, retriedAs: null });
    expect(byId.get(ids.runningStuck)).toMatchObject({ problem: 'stuck_running', stage: 'extracting', clinicName: b.clinic.name, retryable: false });
    expect(byId.get(ids.queuedStuck)).toMatchObject({ problem: 'stuck_queued', retryable: false });
    for (const id of [ids.failedOld, ids.runningFresh, ids.queuedFresh, ids.succeeded]) expect(byId.has(id)).toBe(false);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('Jordan');
    expect(text).not.toContain('Ophthalmology');
    expect(text).not.toContain('Could not analyse');

    const view = await db().auditLog.findFirstOrThrow({ where: { event: 'operator.viewed', actorUserId: op.id, targetId: 'problem_jobs' } });
    expect(view.organizationId).toBeNull();
    expect(view.metadata).toMatchObject({ section: 'problem_jobs', failed: expect.any(Number), stuck: expect.any(Number) });
  });

  it('retries a failed job as a new job of its clinic, once, audited in the clinic chain as the operator', async () => {
    const op = await operator();
    const a = await clinic();
    const failedId = await jobIn(a.clinic.id, a.members.clinician.id, 'failed', 30);

    const first = await retryJobAsOperator(db(), op.id, { jobId: failedId }, ctx);
    expect(first.duplicate).toBe(false);
    expect(first.jobId).not.toBe(failedId);
    const retried = await db().job.findUniqueOrThrow({ where: { id: first.jobId } });
    expect(retried).toMatchObject({ organizationId: a.clinic.id, status: 'queued', type: 'analysis', inputText: SAMPLE_NOTE, createdById: op.id, idempotencyKey: `retry-of:${failedId}` });
    expect(retried.bossJobId).not.toBeNull();
    // The failed job is left as it was.
    expect((await db().job.findUniqueOrThrow({ where: { id: failedId } })).status).toBe('failed');

    const audit = await db().auditLog.findMany({ where: { organizationId: a.clinic.id, actorUserId: op.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((r) => r.event)).toEqual(['job.started', 'job.retried', 'operator.job_retried']);
    expect(audit[2]).toMatchObject({ targetType: 'job', targetId: failedId, ip: ctx.ip });
    expect(audit[2]!.metadata).toEqual({ operator: true, type: 'analysis', newJobId: first.jobId });

    // A second click finds the first retry; the console then offers no retry.
    await expect(retryJobAsOperator(db(), op.id, { jobId: failedId }, ctx)).resolves.toEqual({ jobId: first.jobId, duplicate: true });
    expect(await db().job.count({ where: { organizationId: a.clinic.id } })).toBe(2);
    const row = (await listProblemJobs(db(), op.id, ctx)).find((r) => r.id === failedId);
    expect(row).toMatchObject({ retriedAs: first.jobId, retryable: false });
    expect((await verifyAuditChains(db(), { organizationId: a.clinic.id })).broken).toEqual([]);
  });

  it('refuses to retry unfinished jobs and unknown ids', async () => {
    const op = await operator();
    const a = await clinic();
    const running = await jobIn(a.clinic.id, a.members.clinician.id, 'running', 30);
    const error = await appError(retryJobAsOperator(db(), op.id, { jobId: running }, ctx));
    expect(error.code).toBe('conflict');
    expect(error.userMessage).toMatch(/has not failed yet/);
    expect((await appError(retryJobAsOperator(db(), op.id, { jobId: crypto.randomUUID() }, ctx))).code).toBe('not_found');
    expect((await appError(retryJobAsOperator(db(), op.id, { jobId: 'nope' }, ctx))).code).toBe('validation_failed');
    expect(await db().job.count({ where: { organizationId: a.clinic.id } })).toBe(1);
  });
});

describe('webhook problems', () => {
  it('lists disabled or failing endpoints and failed deliveries by host only', async () => {
    const op = await operator();
    const a = await clinic();
    const endpoint = (data: { enabled?: boolean; disabledReason?: string | null; failingSince?: Date | null }) =>
      db().webhookEndpoint.create({
        data: { organizationId: a.clinic.id, url: 'https://hooks.example.com/in?token=s3cret', events: ['job.completed'], secretCiphertext: 'x', secretHint: 'abcd', ...data },
        select: { id: true },
      });
    const disabled = await endpoint({ enabled: false, disabledReason: 'failing', failingSince: new Date(Date.now() - 4 * 86_400_000) });
    const failing = await endpoint({ failingSince: new Date(Date.now() - 3_600_000) });
    const healthy = await endpoint({});
    const delivery = (endpointId: string, status: 'failed' | 'succeeded') =>
      db().webhookDelivery.create({
        data: { endpointId, organizationId: a.clinic.id, event: 'job.completed', eventId: crypto.randomUUID(), payload: {}, status, attempts: 17, lastStatusCode: 500, lastError: 'HTTP 500' },
        select: { id: true },
      });
    const failed = await delivery(failing.id, 'failed');
    const ok = await delivery(healthy.id, 'succeeded');

    const problems = await listWebhookProblems(db(), op.id, ctx);
    const endpointIds = problems.endpoints.map((e) => e.id);
    expect(endpointIds).toEqual(expect.arrayContaining([disabled.id, failing.id]));
    expect(endpointIds).not.toContain(healthy.id);
    expect(problems.endpoints.find((e) => e.id === disabled.id)).toMatchObject({ enabled: false, disabledReason: 'failing', host: 'hooks.example.com', clinicName: a.clinic.name });
    expect(problems.deliveries.map((d) => d.id)).toContain(failed.id);
    expect(problems.deliveries.map((d) => d.id)).not.toContain(ok.id);
    expect(problems.deliveries.find((d) => d.id === failed.id)).toMatchObject({ attempts: 17, lastStatusCode: 500, lastError: 'HTTP 500', host: 'hooks.example.com' });
    expect(JSON.stringify(problems)).not.toContain('s3cret');
    expect(await db().auditLog.count({ where: { event: 'operator.viewed', actorUserId: op.id, targetId: 'webhooks', organizationId: null } })).toBe(1);
    // The account chain the views are written to stays intact.
    expect((await verifyAuditChains(db(), { organizationId: null })).broken).toEqual([]);
  });
});

describe('pausing a clinic', () => {
  it('refuses new jobs with a clear message while paused, and accepts them again once resumed', async () => {
    const op = await operator();
    const a = await clinic();
    const other = await clinic();

    const invalid = await appError(setClinicPaused(db(), op.id, { clinicId: a.clinic.id, paused: true, reason: '  ' }, ctx));
    expect(invalid.code).toBe('validation_failed');
    expect(invalid.fieldErrors?.reason?.[0]).toMatch(/Say why/);

    await expect(setClinicPaused(db(), op.id, { clinicId: a.clinic.id, paused: true, reason: 'Unusual volume under review' }, ctx)).resolves.toEqual({ paused: true, changed: true });
    expect(await getClinicPauseState(db(), a.clinic.id)).toMatchObject({ reason: 'Unusual volume under review', pausedAt: expect.any(Date) });
    expect(await getClinicPauseState(db(), other.clinic.id)).toBeNull();

    const refused = await appError(submitAnalysisJob(db(), a.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx));
    expect(refused.code).toBe('forbidden');
    expect(refused.userMessage).toBe(CLINIC_PAUSED_MESSAGE);
    expect(await db().job.count({ where: { organizationId: a.clinic.id } })).toBe(0);
    expect(await db().usageRecord.count({ where: { organizationId: a.clinic.id } })).toBe(0);
    // Other clinics carry on.
    await submitAnalysisJob(db(), other.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx);

    // Pausing again with the same reason changes nothing.
    await expect(setClinicPaused(db(), op.id, { clinicId: a.clinic.id, paused: true, reason: 'Unusual volume under review' }, ctx)).resolves.toEqual({ paused: true, changed: false });

    await expect(setClinicPaused(db(), op.id, { clinicId: a.clinic.id, paused: false }, ctx)).resolves.toEqual({ paused: false, changed: true });
    expect(await getClinicPauseState(db(), a.clinic.id)).toBeNull();
    const { jobId } = await submitAnalysisJob(db(), a.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx);
    expect(jobId).toBeTruthy();

    const audit = await db().auditLog.findMany({ where: { organizationId: a.clinic.id, event: { startsWith: 'operator.' } }, orderBy: { seq: 'asc' } });
    expect(audit.map((r) => [r.event, r.actorUserId, r.targetId])).toEqual([
      ['operator.clinic_paused', op.id, a.clinic.id],
      ['operator.clinic_resumed', op.id, a.clinic.id],
    ]);
    expect(audit[0]!.metadata).toEqual({ operator: true });
    expect((await appError(setClinicPaused(db(), op.id, { clinicId: crypto.randomUUID(), paused: true, reason: 'Abuse review' }, ctx))).code).toBe('not_found');
  });

  it('refuses API requests of a paused clinic with a 403 clinic_paused problem', async () => {
    const op = await operator();
    const a = await clinic();
    await db().organization.update({ where: { id: a.clinic.id }, data: { planOverride: 'enterprise' } });
    const { secret } = await createApiKey(db(), a.actor('owner'), { name: 'EHR', scopes: ['usage:read'] }, ctx);
    const usage = () => apiFetch(`${API_ORIGIN}/api/v1/usage`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await usage()).status).toBe(200);

    await setClinicPaused(db(), op.id, { clinicId: a.clinic.id, paused: true, reason: 'Billing dispute' }, ctx);
    const refused = await usage();
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ code: 'clinic_paused', status: 403, detail: CLINIC_PAUSED_MESSAGE });

    await setClinicPaused(db(), op.id, { clinicId: a.clinic.id, paused: false }, ctx);
    expect((await usage()).status).toBe(200);
  });
});
