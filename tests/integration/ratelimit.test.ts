// Rate limits with the real @upstash/ratelimit against the real Redis on 127.0.0.1
// (through scripts/upstash-bridge/bridge.ts), and the same scenarios on the
// in-process limiter: the N+1-th request is refused, IP and email are counted
// apart, a spoofed X-Forwarded-For does not reset a count, a limiter that fails
// (500s, no answer, gone) refuses sign-in, sign-up, password resets and job
// submissions, and a refused submission writes nothing. Also: without a trusted
// client IP the database sign-in throttle does not lock one shared "unknown" source.
import { randomBytes } from 'node:crypto';
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { jobQueue, stopJobQueue } from '@/lib/jobs/queue';
import { ANALYSIS_QUEUE } from '@/lib/jobs/queues';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { submitTriageJob } from '@/lib/jobs/triage';
import { submitLetterJob } from '@/lib/letters/submit';
import {
  checkRateLimit,
  clinicKey,
  createMemoryBackend,
  createUpstashBackend,
  emailKey,
  ipKey,
  rateLimitedError,
  resetRateLimitStore,
  setRateLimitBackend,
  type RateLimitBackend,
} from '@/lib/ratelimit';
import { checkAuthRateLimit } from '@/lib/ratelimit/auth';
import { authOptionsFor } from '@/lib/web/auth-options';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic, createUser, TEST_PASSWORD, uniqueEmail } from '../support/factories';
import { createCompletedAnalysis, key, SAMPLE_NOTE } from '../support/jobs';
import { startUpstashBridge, type UpstashBridge } from '../../scripts/upstash-bridge/bridge';

// Server actions read the request's headers from next/headers; the tests set them.
const incoming = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({ headers: () => Promise.resolve(incoming.headers) }));
const { requestResetAction } = await import('@/app/(auth)/password-actions');
const { signUpAction } = await import('@/app/(auth)/signup/actions');

// One trusted proxy: the client is the rightmost X-Forwarded-For entry.
withAppDatabase({ AUTH_SECRET: 'ratelimit-integration-secret-'.padEnd(48, 'x'), DEFAULT_PLAN: 'basic', TRUSTED_PROXY_HOPS: '1' });

const PREFIX = `maneiro-test:rl:${randomBytes(6).toString('hex')}`;
const TIMEOUT_MS = 300;
const ctx = { ip: '203.0.113.9', userAgent: 'vitest' };
let bridge: UpstashBridge;
let upstash: RateLimitBackend;

beforeAll(async () => {
  bridge = await startUpstashBridge();
  upstash = createUpstashBackend({ url: bridge.url, token: bridge.token, timeoutMs: TIMEOUT_MS, prefix: PREFIX });
  // Windows are aligned to the clock; a stopped clock in the middle of an hour keeps every
  // count of a test inside one window (1 minute, 15 minutes and 1 hour alike).
  const hour = 3_600_000;
  vi.useFakeTimers({ toFake: ['Date'], now: Math.floor(Date.now() / hour) * hour + 30 * 60_000 + 30_000 });
});
afterEach(() => {
  bridge.setMode('ok');
  setRateLimitBackend(null);
  resetRateLimitStore();
});
afterAll(async () => {
  vi.useRealTimers();
  await stopJobQueue();
  await bridge.deleteKeys(PREFIX);
  await bridge.stop();
});

const uniqueIp = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
const forwarded = (value: string) => new Headers({ 'x-forwarded-for': value, 'user-agent': 'vitest' });

function credentialsAuthorize(): CredentialsConfig['authorize'] {
  const provider = authOptionsFor().providers[0] as CredentialsConfig & { options?: { authorize?: CredentialsConfig['authorize'] } };
  const authorize = provider.options?.authorize;
  if (!authorize) throw new Error('no credentials provider');
  return authorize;
}

async function signInError(email: string, xff: string, password = 'wrong password here'): Promise<string | null> {
  const req = { headers: { 'x-forwarded-for': xff, 'user-agent': 'vitest' }, body: {}, query: {}, method: 'POST' };
  try {
    const user = await credentialsAuthorize()({ email, password }, req);
    return user ? null : 'invalid';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function clinicWith(plan: 'basic' | 'professional' = 'basic') {
  const { clinic, members } = await createStaffedClinic();
  await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const actor = (role: keyof typeof members): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

async function written(organizationId: string) {
  const [jobs, events, usage, audits, letters] = await Promise.all([
    db().job.count({ where: { organizationId } }),
    db().jobEvent.count({ where: { organizationId } }),
    db().usageRecord.count({ where: { organizationId } }),
    db().auditLog.count({ where: { organizationId } }),
    db().letter.count({ where: { organizationId } }),
  ]);
  const queued = (await (await jobQueue()).findJobs(ANALYSIS_QUEUE)).length;
  return { jobs, events, usage, audits, letters, queued };
}

describe.each([
  ['Upstash (real SDK, real Redis)', () => upstash],
  ['in-process', () => createMemoryBackend()],
] as const)('rate limits on %s', (_name, backendFor) => {
  const use = () => setRateLimitBackend(backendFor());

  it('allows the limit and refuses the next request, with the draft headers', async () => {
    use();
    const ip = ipKey(uniqueIp()) ?? '';
    for (let i = 1; i <= 10; i++) {
      expect(await checkRateLimit('signUp', ip)).toMatchObject({ allowed: true, limit: 10, remaining: 10 - i, failedClosed: false });
    }
    const refused = await checkRateLimit('signUp', ip);
    expect(refused).toMatchObject({ allowed: false, limit: 10, remaining: 0, failedClosed: false });
    // The window is an hour, aligned to the clock (stopped at half past).
    expect(refused.resetAt.getTime() - Date.now()).toBe(29 * 60_000 + 30_000);
    expect(refused.retryAfterSeconds).toBe(1770);
    const error = rateLimitedError(refused);
    expect(error.userMessage).toBe('Too many attempts. Try again in 30 minutes.');
    const response = await route(() => Promise.reject(error))(new Request('http://127.0.0.1/api/thing'), { params: Promise.resolve({}) });
    expect(response.status).toBe(429);
    expect(Object.fromEntries(['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'retry-after': '1770',
      'ratelimit-limit': '10',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '1770',
    });
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('counts per IP and per email independently', async () => {
    use();
    const [ipA, ipB, ipC] = [uniqueIp(), uniqueIp(), uniqueIp()];
    const target = uniqueEmail('reset-target');
    for (let i = 0; i < 3; i++) expect(await checkAuthRateLimit('passwordReset', { ip: ipA, email: target })).toMatchObject({ allowed: true });
    // The email's three an hour are used up, from any address (case and spaces do not matter)…
    expect(await checkAuthRateLimit('passwordReset', { ip: ipB, email: ` ${target.toUpperCase()}` })).toMatchObject({ allowed: false, limit: 3 });
    // …while the same address may still ask for another email.
    expect(await checkAuthRateLimit('passwordReset', { ip: ipA, email: uniqueEmail('other') })).toMatchObject({ allowed: true });
    // Ten from one address with ten emails: the address is used up, not the emails.
    for (let i = 0; i < 10; i++) expect((await checkAuthRateLimit('passwordReset', { ip: ipC, email: uniqueEmail('spray') }))?.allowed).toBe(true);
    const fresh = uniqueEmail('fresh');
    expect(await checkAuthRateLimit('passwordReset', { ip: ipC, email: fresh })).toMatchObject({ allowed: false, limit: 10 });
    expect(await checkAuthRateLimit('passwordReset', { ip: uniqueIp(), email: fresh })).toMatchObject({ allowed: true });
  });

  it('is not reset by a spoofed X-Forwarded-For: the trusted proxy’s entry is what counts', async () => {
    use();
    const client = uniqueIp();
    for (let i = 0; i < 10; i++) {
      incoming.headers = forwarded(`10.${i}.0.1, ${uniqueIp()}, ${client}`);
      expect(await requestResetAction({ email: uniqueEmail('spoof') })).toEqual({ ok: true, data: null });
    }
    incoming.headers = forwarded(`192.0.2.${Math.floor(Math.random() * 200)}, ${client}`);
    const refused = await requestResetAction({ email: uniqueEmail('spoof') });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/^Too many attempts\. Try again in \d+ (minutes?|seconds?)\.$/) });
    // Another client behind the same proxy is unaffected.
    incoming.headers = forwarded(`${client}, ${uniqueIp()}`);
    expect(await requestResetAction({ email: uniqueEmail('spoof') })).toEqual({ ok: true, data: null });
  });

  it('limits sign-in before any password is checked, and lets normal sign-ins through', async () => {
    use();
    const user = await createUser({ email: uniqueEmail('signin') });
    expect(await signInError(user.email, uniqueIp(), TEST_PASSWORD)).toBeNull();
    const email = uniqueEmail('guessed');
    for (let i = 0; i < 20; i++) await checkRateLimit('signIn', emailKey(email));
    const message = await signInError(email, uniqueIp());
    expect(message).toMatch(/^throttled:\d+$/);
    // Refused before signInWithPassword: no failed-login audit for this attempt.
    expect(await db().auditLog.count({ where: { event: 'user.login_failed' } })).toBe(0);
  });

  it('refuses a sign-up over the limit with a message that says when to try again', async () => {
    use();
    const ip = uniqueIp();
    for (let i = 0; i < 10; i++) await checkRateLimit('signUp', ipKey(ip) ?? '');
    incoming.headers = forwarded(ip);
    const email = uniqueEmail('signup');
    const result = await signUpAction({ name: 'Dr. Limit', email, password: 'a long and unusual passphrase 42', clinicName: 'Limit Clinic' });
    expect(result).toEqual({ ok: false, error: 'Too many attempts. Try again in 30 minutes.' });
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it('refuses a job submission over the clinic’s limit and writes nothing', async () => {
    use();
    const { clinic, members, actor } = await clinicWith('basic');
    const first = key();
    await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: first }, ctx);
    const analysis = await createCompletedAnalysis(clinic.id, members.clinician.id);
    // Basic: 30 a minute; the submission above was one of them.
    for (let i = 0; i < 29; i++) expect((await checkRateLimit('jobSubmit', clinicKey(clinic.id), { plan: 'basic' })).allowed).toBe(true);
    const before = await written(clinic.id);

    const refused = await appError(submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx));
    expect(refused.code).toBe('rate_limited');
    expect(refused.userMessage).toBe('Your clinic has started too many jobs in a short time. Try again in 30 seconds.');
    expect(refused.headers?.['Retry-After']).toBe('30');
    expect((await appError(submitTriageJob(db(), actor('staff'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx))).code).toBe('rate_limited');
    const letter = {
      analysisJobId: analysis.jobId,
      idempotencyKey: key(),
      request: {
        template: 'referral',
        recipientType: 'specialist',
        language: 'en',
        to: 'Dr. Ana Silva, Glaucoma Service',
        from: 'Dr. Alex Sample',
        reason: { kind: 'diagnosis', diagnosisNumber: 1 },
        ...Object.fromEntries(['referralFocus', 'specialRequests', 'tone', 'detail', 'insuranceLetterType', 'procedure', 'insurer', 'justification'].map((f) => [f, null])),
      },
    };
    expect((await appError(submitLetterJob(db(), actor('clinician'), letter, ctx))).code).toBe('rate_limited');
    expect(await written(clinic.id)).toEqual(before);

    // A resubmitted form still finds its job: duplicates are answered before the limit.
    expect(await submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: first }, ctx)).toMatchObject({ duplicate: true });
    // Another clinic has its own allowance.
    const other = await clinicWith('basic');
    expect(await submitAnalysisJob(db(), other.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx)).toMatchObject({ duplicate: false });
  });
});

describe('when the Upstash limiter is down', () => {
  async function expectAllRefused(backend: RateLimitBackend): Promise<void> {
    setRateLimitBackend(backend);
    for (const policy of ['signIn', 'signUp', 'passwordReset'] as const) {
      expect(await checkRateLimit(policy, emailKey(uniqueEmail('down')))).toMatchObject({ allowed: false, failedClosed: true, retryAfterSeconds: 30 });
    }
    // Sign-in says it is unavailable (not "wrong password", not "too many attempts").
    expect(await signInError(uniqueEmail('down'), uniqueIp())).toBe('unavailable:30');
    incoming.headers = forwarded(uniqueIp());
    expect(await requestResetAction({ email: uniqueEmail('down') })).toEqual({ ok: false, error: 'We cannot accept this right now. Try again in 30 seconds.' });
    const { clinic, actor } = await clinicWith('professional');
    const before = await written(clinic.id);
    const refused = await appError(submitAnalysisJob(db(), actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: key() }, ctx));
    expect(refused).toMatchObject({ code: 'rate_limited', userMessage: 'We cannot accept this right now. Try again in 30 seconds.' });
    expect(await written(clinic.id)).toEqual(before);
    // The API policy fails open.
    expect(await checkRateLimit('api', 'key:some-key', { plan: 'enterprise' })).toMatchObject({ allowed: true, failedClosed: false });
  }

  it('refuses authentication and submissions when the bridge answers 500', async () => {
    bridge.setMode('fail');
    await expectAllRefused(upstash);
  });

  it('refuses them when the bridge never answers (a timeout the SDK would report as success)', async () => {
    bridge.setMode('hang');
    const started = performance.now();
    setRateLimitBackend(upstash);
    expect(await checkRateLimit('signIn', emailKey(uniqueEmail('slow')))).toMatchObject({ allowed: false, failedClosed: true });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_500);
    await expectAllRefused(upstash);
  });

  it('refuses them when the bridge is gone', async () => {
    const gone = await startUpstashBridge();
    const backend = createUpstashBackend({ url: gone.url, token: gone.token, timeoutMs: TIMEOUT_MS, prefix: PREFIX });
    setRateLimitBackend(backend);
    expect(await checkRateLimit('signUp', emailKey(uniqueEmail('before')))).toMatchObject({ allowed: true });
    await gone.stop();
    await expectAllRefused(backend);
  });

  it('refuses them when the token is wrong', async () => {
    await expectAllRefused(createUpstashBackend({ url: bridge.url, token: 'not-the-token', timeoutMs: TIMEOUT_MS, prefix: PREFIX }));
  });
});

describe('without a trusted client IP', () => {
  it('does not pool every visitor into one "unknown" source that ten failures would lock', async () => {
    const request = { ip: null, userAgent: 'vitest' };
    for (let i = 0; i < 12; i++) {
      expect(await signInWithPassword(db(), { email: uniqueEmail('nobody'), password: 'not it at all', request })).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    const user = await createUser({ email: uniqueEmail('innocent') });
    expect(await signInWithPassword(db(), { email: user.email, password: TEST_PASSWORD, request })).toMatchObject({ ok: true });
    expect(await db().loginThrottle.count({ where: { key: { contains: 'ip:unknown' } } })).toBe(0);
  });
});

describe('the bridge', () => {
  it('stores the SDK’s counters in Redis under the run’s prefix, with hashed keys only', async () => {
    setRateLimitBackend(upstash);
    const email = uniqueEmail('visible');
    await checkRateLimit('passwordReset', emailKey(email));
    const keys = await bridge.redis.command('KEYS', `${PREFIX}:passwordReset:email:*`);
    expect(Array.isArray(keys) && keys.length).toBeGreaterThan(0);
    const all = await bridge.redis.command('KEYS', `${PREFIX}*`);
    expect(JSON.stringify((Array.isArray(all) ? all : []).map(String))).not.toContain(email.split('@')[0]);
  });

  it('refuses a wrong token', async () => {
    const response = await fetch(bridge.url, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '["PING"]' });
    expect(response.status).toBe(401);
  });
});
