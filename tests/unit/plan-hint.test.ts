import { NextRequest } from 'next/server';
import { encode } from 'next-auth/jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  gatedFeatureFor,
  PLAN_HINT_COOKIE,
  PLAN_HINT_TTL_SECONDS,
  planGateRedirect,
  signPlanHint,
  verifyPlanHint,
  type PlanHint,
} from '@/lib/billing/plan-hint';
import { setEnvironment } from '@/lib/config';
import { proxy } from '@/proxy';

const SECRET = 'plan-hint-test-secret-0123456789abcdef';
const CLINIC = '3f0c8a4e-1d2b-4c5d-8e9f-0a1b2c3d4e5f';
const USER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const NOW = new Date('2026-11-20T12:00:00Z');

function flip(text: string, index: number): string {
  const c = text[index] === 'A' ? 'B' : 'A';
  return `${text.slice(0, index)}${c}${text.slice(index + 1)}`;
}

describe('signed plan hint', () => {
  it('verifies what it signed, with the expiry ten minutes on', async () => {
    const value = await signPlanHint(SECRET, { organizationId: CLINIC, userId: USER, plan: 'basic' }, NOW);
    expect(value).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(await verifyPlanHint(SECRET, value, NOW)).toEqual({
      organizationId: CLINIC,
      userId: USER,
      plan: 'basic',
      expiresAt: NOW.getTime() / 1000 + PLAN_HINT_TTL_SECONDS,
    });
  });

  it('is refused once expired', async () => {
    const value = await signPlanHint(SECRET, { organizationId: CLINIC, userId: USER, plan: 'free' }, NOW);
    const justBefore = new Date(NOW.getTime() + (PLAN_HINT_TTL_SECONDS - 1) * 1000);
    const atExpiry = new Date(NOW.getTime() + PLAN_HINT_TTL_SECONDS * 1000);
    expect(await verifyPlanHint(SECRET, value, justBefore)).not.toBeNull();
    expect(await verifyPlanHint(SECRET, value, atExpiry)).toBeNull();
  });

  it('is refused when tampered with, signed with another secret or malformed', async () => {
    const value = await signPlanHint(SECRET, { organizationId: CLINIC, userId: USER, plan: 'free' }, NOW);
    const [version, payload, signature] = value.split('.') as [string, string, string];
    // A payload that claims Enterprise, with the Free hint's signature.
    const forged = Buffer.from(JSON.stringify({ c: CLINIC, u: USER, p: 'enterprise', e: NOW.getTime() / 1000 + 600 })).toString('base64url');
    const refused = [
      `${version}.${forged}.${signature}`,
      `${version}.${payload}.${flip(signature, 3)}`,
      `${version}.${flip(payload, 5)}.${signature}`,
      `v2.${payload}.${signature}`,
      `${version}.${payload}`,
      `${value}.extra`,
      'not a hint',
      '',
      undefined,
      `${version}.${payload}.${signature}`.replace(/.$/, '!'),
    ];
    for (const candidate of refused) expect(await verifyPlanHint(SECRET, candidate, NOW), String(candidate)).toBeNull();
    expect(await verifyPlanHint('another-secret-of-at-least-32-characters', value, NOW)).toBeNull();
  });

  it('refuses a correctly signed payload that is not a hint (unknown plan, missing fields)', async () => {
    // Sign arbitrary payloads with the real key by going through signPlanHint's format.
    const bad = await signPlanHint(SECRET, { organizationId: CLINIC, userId: USER, plan: 'platinum' as PlanHint['plan'] }, NOW);
    expect(await verifyPlanHint(SECRET, bad, NOW)).toBeNull();
  });
});

describe('plan gate decision', () => {
  const hint = (plan: PlanHint['plan'], overrides: Partial<PlanHint> = {}): PlanHint => ({
    organizationId: CLINIC,
    userId: USER,
    plan,
    expiresAt: NOW.getTime() / 1000 + 600,
    ...overrides,
  });

  it('maps gated page prefixes to features', () => {
    expect(gatedFeatureFor('/transcriptions')).toBe('transcription');
    expect(gatedFeatureFor('/transcriptions/abc')).toBe('transcription');
    expect(gatedFeatureFor('/settings/api-keys')).toBe('apiAccess');
    expect(gatedFeatureFor('/transcriptionsx')).toBeNull();
    expect(gatedFeatureFor('/settings')).toBeNull();
  });

  it('sends a plan that lacks the feature to /pricing?feature=…', () => {
    expect(planGateRedirect({ pathname: '/transcriptions', hint: hint('free'), userId: USER, activeClinicId: null })).toBe('/pricing?feature=transcription');
    expect(planGateRedirect({ pathname: '/settings/api-keys/new', hint: hint('professional'), userId: USER, activeClinicId: CLINIC })).toBe(
      '/pricing?feature=apiAccess',
    );
  });

  it('lets a plan with the feature through, and does nothing on ungated pages', () => {
    expect(planGateRedirect({ pathname: '/transcriptions', hint: hint('basic'), userId: USER, activeClinicId: null })).toBeNull();
    expect(planGateRedirect({ pathname: '/settings/api-keys', hint: hint('enterprise'), userId: USER, activeClinicId: null })).toBeNull();
    expect(planGateRedirect({ pathname: '/dashboard', hint: hint('free'), userId: USER, activeClinicId: null })).toBeNull();
  });

  it('does nothing without a hint that describes this user and active clinic', () => {
    expect(planGateRedirect({ pathname: '/transcriptions', hint: null, userId: USER, activeClinicId: null })).toBeNull();
    expect(planGateRedirect({ pathname: '/transcriptions', hint: hint('free'), userId: null, activeClinicId: null })).toBeNull();
    expect(planGateRedirect({ pathname: '/transcriptions', hint: hint('free', { userId: 'someone-else' }), userId: USER, activeClinicId: null })).toBeNull();
    expect(planGateRedirect({ pathname: '/transcriptions', hint: hint('free'), userId: USER, activeClinicId: 'another-clinic' })).toBeNull();
  });
});

describe('proxy.ts', () => {
  const AUTH_SECRET = 'proxy-test-auth-secret-0123456789abcdef';
  let session: string;

  beforeAll(async () => {
    setEnvironment({ AUTH_SECRET, APP_URL: 'http://app.test' });
    session = await encode({ secret: AUTH_SECRET, token: { uid: USER, sv: 1 } });
  });

  async function visit(path: string, cookies: Record<string, string>, method = 'GET') {
    const cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    return proxy(new NextRequest(`http://app.test${path}`, { method, headers: cookie ? { cookie } : {} }));
  }

  it('redirects a gated page when the signed hint says the plan lacks the feature', async () => {
    const hint = await signPlanHint(AUTH_SECRET, { organizationId: CLINIC, userId: USER, plan: 'free' });
    const response = await visit('/transcriptions', { 'next-auth.session-token': session, [PLAN_HINT_COOKIE]: hint });
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get('location')!).pathname + new URL(response.headers.get('location')!).search).toBe('/pricing?feature=transcription');
  });

  it('lets the request through without a hint, with a forged one, with a plan that has the feature, or for a POST', async () => {
    const basic = await signPlanHint(AUTH_SECRET, { organizationId: CLINIC, userId: USER, plan: 'basic' });
    const free = await signPlanHint(AUTH_SECRET, { organizationId: CLINIC, userId: USER, plan: 'free' });
    const forged = await signPlanHint('not-the-auth-secret-but-long-enough-000', { organizationId: CLINIC, userId: USER, plan: 'free' });
    for (const [cookies, method] of [
      [{ 'next-auth.session-token': session }, 'GET'],
      [{ 'next-auth.session-token': session, [PLAN_HINT_COOKIE]: forged }, 'GET'],
      [{ 'next-auth.session-token': session, [PLAN_HINT_COOKIE]: basic }, 'GET'],
      [{ 'next-auth.session-token': session, [PLAN_HINT_COOKIE]: free, 'maneiro.clinic': 'c0ffee00-0000-4000-8000-000000000000' }, 'GET'],
      [{ 'next-auth.session-token': session, [PLAN_HINT_COOKIE]: free }, 'POST'],
    ] as const) {
      const response = await visit('/transcriptions', cookies, method);
      expect(response.headers.get('location'), JSON.stringify(Object.keys(cookies))).toBeNull();
      expect(response.headers.get('x-middleware-next')).toBe('1');
    }
  });

  it('still sends signed-out visitors of a gated page to sign in first', async () => {
    const hint = await signPlanHint(AUTH_SECRET, { organizationId: CLINIC, userId: USER, plan: 'free' });
    const response = await visit('/transcriptions', { [PLAN_HINT_COOKIE]: hint });
    expect(response.headers.get('location')).toMatch(/\/login\?next=%2Ftranscriptions$/);
  });
});
