import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig, setEnvironment } from '@/lib/config';
import { requestContextFrom } from '@/lib/http/request-context';
import { safeNextPath } from '@/lib/web/safe-next';

describe('post-sign-in destination', () => {
  it('keeps same-site paths and refuses everything else', () => {
    expect(safeNextPath('/jobs?status=failed')).toBe('/jobs?status=failed');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'jobs', '', null, undefined, '/login', '/api/auth/signout']) {
      expect(safeNextPath(bad)).toBe('/dashboard');
    }
  });
});

describe('request context', () => {
  afterEach(() => resetConfig());

  it('takes the client address the trusted proxy appended, not the leftmost entry, and bounds the user agent', () => {
    setEnvironment({ TRUSTED_PROXY_HOPS: '1' });
    const headers = new Headers({ 'x-forwarded-for': '198.51.100.66, 203.0.113.7', 'user-agent': 'x'.repeat(1000) });
    const context = requestContextFrom(headers);
    expect(context.ip).toBe('203.0.113.7');
    expect(context.userAgent).toHaveLength(512);
  });

  it('trusts no forwarded address without a trusted proxy, and ignores addresses that are not addresses', () => {
    setEnvironment({ TRUSTED_PROXY_HOPS: '0' });
    expect(requestContextFrom(new Headers({ 'x-forwarded-for': '203.0.113.7' })).ip).toBeNull();
    expect(requestContextFrom(new Headers({ 'x-real-ip': '2001:db8::1' })).ip).toBeNull();
    setEnvironment({ TRUSTED_PROXY_HOPS: '1' });
    expect(requestContextFrom(new Headers({ 'x-forwarded-for': '<script>' })).ip).toBeNull();
  });
});

describe('session cookies', () => {
  afterEach(() => resetConfig());

  it('are __Secure- prefixed when the app is served over https', async () => {
    const { authOptionsFor } = await import('@/lib/web/auth-options');
    setEnvironment({ APP_URL: 'https://app.maneiro.example' });
    expect(authOptionsFor().useSecureCookies).toBe(true);
    setEnvironment({ APP_URL: 'http://localhost:3000' });
    expect(authOptionsFor().useSecureCookies).toBe(false);
    expect(authOptionsFor().session).toMatchObject({ strategy: 'jwt' });
  });
});
