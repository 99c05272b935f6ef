import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_IDS } from '@/lib/billing/plans';
import { setEnvironment } from '@/lib/config';
import { ERROR_STATUS } from '@/lib/errors';
import {
  checkRateLimit,
  checkRateLimits,
  clinicKey,
  createMemoryBackend,
  emailKey,
  FAIL_CLOSED_RETRY_SECONDS,
  formatWait,
  ipKey,
  rateLimitedError,
  rateLimitHeaders,
  RateLimiterUnavailableError,
  resetRateLimitStore,
  setRateLimitBackend,
  type RateLimitBackend,
} from '@/lib/ratelimit';
import { authRateLimitKeys } from '@/lib/ratelimit/auth';
import { storeKey } from '@/lib/ratelimit/keys';
import { RATE_LIMIT_POLICIES, ruleFor, type RateLimitPolicy } from '@/lib/ratelimit/policies';

beforeAll(() => setEnvironment({ AUTH_SECRET: 'unit-test-secret-'.padEnd(40, 'x') }));
afterEach(() => {
  setRateLimitBackend(null);
  resetRateLimitStore();
});

const failing: RateLimitBackend = { name: 'broken', hit: () => Promise.reject(new RateLimiterUnavailableError('test')) };

describe('policy table', () => {
  it('fails closed for authentication and job submission, open for the API', () => {
    for (const policy of ['signIn', 'signUp', 'passwordReset', 'jobSubmit'] as const) expect(RATE_LIMIT_POLICIES[policy].failClosed).toBe(true);
    expect(RATE_LIMIT_POLICIES.api.failClosed).toBe(false);
  });

  it('counts authentication per IP and per email, jobs per clinic and the API per key, higher plans getting more', () => {
    for (const policy of ['signIn', 'signUp', 'passwordReset'] as const) {
      expect(Object.keys(RATE_LIMIT_POLICIES[policy].rules).sort()).toEqual(['email', 'ip']);
    }
    expect(Object.keys(RATE_LIMIT_POLICIES.jobSubmit.rules)).toEqual(['clinic']);
    expect(Object.keys(RATE_LIMIT_POLICIES.api.rules)).toEqual(['key']);
    for (const [policy, kind] of [['jobSubmit', 'clinic'], ['api', 'key']] as const) {
      const limits = PLAN_IDS.map((plan) => ruleFor(policy, kind, plan).limit);
      expect(limits).toEqual([...limits].sort((a, b) => a - b));
      expect(new Set(limits).size).toBe(PLAN_IDS.length);
    }
    // Without a plan, the strictest applies.
    expect(ruleFor('jobSubmit', 'clinic')).toEqual(ruleFor('jobSubmit', 'clinic', 'free'));
  });

  it('refuses a key of a kind the policy does not count', async () => {
    expect(() => ruleFor('jobSubmit', 'ip')).toThrow(/no rule/);
    await expect(checkRateLimit('signIn', 'clinic:abc')).rejects.toThrow(/no rule/);
    await expect(checkRateLimit('signIn', 'no-kind')).rejects.toThrow(/<kind>:<value>/);
  });
});

describe('keys', () => {
  it('counts IPv6 clients per /64 and unwraps IPv4-mapped addresses', () => {
    expect(ipKey('203.0.113.7')).toBe('ip:203.0.113.7');
    expect(ipKey('::ffff:203.0.113.7')).toBe('ip:203.0.113.7');
    expect(ipKey('2001:db8:1:2:aaaa::1')).toBe('ip:2001:db8:1:2::/64');
    expect(ipKey('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('ip:2001:db8:1:2::/64');
    expect(ipKey('2001:db8::')).toBe('ip:2001:db8:0:0::/64');
    expect(ipKey('::1')).toBe('ip:0:0:0:0::/64');
    expect(ipKey('nonsense')).toBeNull();
  });

  it('normalizes emails and never stores them (or IPs) in the clear', () => {
    expect(emailKey('  Ana@Example.TEST ')).toBe('email:ana@example.test');
    const stored = storeKey('signIn', 'email', 'ana@example.test');
    expect(stored).toMatch(/^signIn:email:[\w-]{32}$/);
    expect(stored).not.toContain('ana');
    expect(storeKey('signUp', 'email', 'ana@example.test')).not.toBe(stored);
    expect(storeKey('signIn', 'ip', '203.0.113.7')).not.toContain('203');
  });

  it('counts an attempt under the IP and the email, or the email alone when no IP is trusted', () => {
    expect(authRateLimitKeys({ ip: '203.0.113.7', email: 'A@x.test' })).toEqual(['ip:203.0.113.7', 'email:a@x.test']);
    expect(authRateLimitKeys({ ip: null, email: 'a@x.test' })).toEqual(['email:a@x.test']);
    expect(authRateLimitKeys({ ip: null, email: '  ' })).toEqual([]);
  });
});

describe('in-process back end', () => {
  it('allows the limit, refuses the next, and starts again in the next window', async () => {
    let now = 1_000_000_000_000 + 5_000;
    const backend = createMemoryBackend({ now: () => now });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await backend.hit('k', 3, 60_000));
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    // Windows are aligned to the clock, as Upstash's are.
    expect(results[0]?.resetAt).toBe(Math.ceil(now / 60_000) * 60_000);
    now = results[0]?.resetAt ?? 0;
    expect(await backend.hit('k', 3, 60_000)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps memory bounded: ended windows are swept and the oldest go first when full', async () => {
    let now = 2_000_000_000_000;
    const backend = createMemoryBackend({ maxEntries: 100, now: () => now });
    for (let i = 0; i < 500; i++) await backend.hit(`flood-${i}`, 5, 1_000);
    expect(backend.size()).toBe(100);
    // The newest keys survived, so a key still being counted keeps its count.
    expect(await backend.hit('flood-499', 1, 1_000)).toMatchObject({ allowed: false });
    now += 10_000;
    for (let i = 0; i < 1_000; i++) await backend.hit('steady', 5_000, 60_000);
    expect(backend.size()).toBe(1);
  });
});

describe('decisions, headers and messages', () => {
  it('reports the count and when to retry, in IETF draft headers', async () => {
    // A stopped clock: no window can end between two checks of one test.
    const frozen = Date.now();
    setRateLimitBackend(createMemoryBackend({ now: () => frozen }));
    const key = emailKey('headers@example.test');
    let last = await checkRateLimit('passwordReset', key);
    expect(last).toMatchObject({ allowed: true, limit: 3, remaining: 2, retryAfterSeconds: 0, failedClosed: false });
    const allowedHeaders = rateLimitHeaders(last);
    expect(allowedHeaders).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '2' });
    expect(allowedHeaders).not.toHaveProperty('Retry-After');
    expect(Number(allowedHeaders['RateLimit-Reset'])).toBeLessThanOrEqual(3600);
    for (let i = 0; i < 3; i++) last = await checkRateLimit('passwordReset', key);
    expect(last.allowed).toBe(false);
    expect(last.retryAfterSeconds).toBeGreaterThan(0);
    expect(Math.abs(last.retryAfterSeconds - Math.max(1, Math.ceil((last.resetAt.getTime() - Date.now()) / 1000)))).toBeLessThanOrEqual(1);
    const headers = rateLimitHeaders(last);
    expect(headers).toEqual({
      'RateLimit-Limit': '3',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(last.retryAfterSeconds),
      'Retry-After': String(last.retryAfterSeconds),
    });
    const error = rateLimitedError(last);
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(ERROR_STATUS.rate_limited);
    expect(error.userMessage).toBe(`Too many attempts. Try again in ${formatWait(last.retryAfterSeconds)}.`);
    expect(error.headers).toEqual(headers);
  });

  it('says how long to wait, rounded up', () => {
    expect([1, 45, 59, 60, 61, 120, 899, 3599, 3600, 3601].map(formatWait)).toEqual([
      '1 second',
      '45 seconds',
      '59 seconds',
      '1 minute',
      '2 minutes',
      '2 minutes',
      '15 minutes',
      '60 minutes',
      '1 hour',
      '2 hours',
    ]);
  });

  it('stops at the first refusal across keys, so an IP over its limit does not use up the email', async () => {
    const frozen = Date.now();
    const backend = createMemoryBackend({ now: () => frozen });
    setRateLimitBackend(backend);
    const ip = ipKey('198.51.100.20') ?? '';
    for (let i = 0; i < 10; i++) await checkRateLimit('signUp', ip);
    const email = emailKey('bystander@example.test');
    expect(await checkRateLimits('signUp', [ip, email])).toMatchObject({ allowed: false, limit: 10 });
    // The email's five are all still there.
    expect(await checkRateLimit('signUp', email)).toMatchObject({ allowed: true, remaining: 4 });
    expect(await checkRateLimits('signUp', [])).toBeNull();
  });
});

describe('when the limiter fails', () => {
  it.each<RateLimitPolicy>(['signIn', 'signUp', 'passwordReset'])('%s fails closed', async (policy) => {
    setRateLimitBackend(failing);
    const decision = await checkRateLimit(policy, emailKey('down@example.test'));
    expect(decision).toMatchObject({ allowed: false, remaining: 0, failedClosed: true, retryAfterSeconds: FAIL_CLOSED_RETRY_SECONDS });
    const error = rateLimitedError(decision);
    expect(error.userMessage).toBe('We cannot accept this right now. Try again in 30 seconds.');
    expect(error.headers?.['Retry-After']).toBe('30');
  });

  it('job submission fails closed and the API fails open', async () => {
    setRateLimitBackend(failing);
    expect(await checkRateLimit('jobSubmit', clinicKey('c1'), { plan: 'enterprise' })).toMatchObject({ allowed: false, failedClosed: true, limit: 600 });
    expect(await checkRateLimit('api', 'key:k1', { plan: 'enterprise' })).toMatchObject({ allowed: true, failedClosed: false, limit: 1200, remaining: 1200 });
  });
});
