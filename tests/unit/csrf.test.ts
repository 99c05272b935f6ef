// The cross-site check of route handlers (lib/http/csrf.ts), the route() wrapper
// that applies it, and every state-changing route handler of the app.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkSameOrigin, CROSS_SITE_MESSAGE } from '@/lib/http/csrf';
import { route } from '@/lib/http/route';

const APP = 'https://app.maneiro.test';
const verdict = (headers: Record<string, string>) => checkSameOrigin({ headers: new Headers(headers), appUrl: APP });

describe('checkSameOrigin', () => {
  it('accepts our own pages and address-bar requests', () => {
    expect(verdict({ 'sec-fetch-site': 'same-origin', origin: APP })).toEqual({ ok: true });
    expect(verdict({ 'sec-fetch-site': 'none' })).toEqual({ ok: true });
  });

  it('refuses other sites, sibling subdomains included, whatever Origin says', () => {
    expect(verdict({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toEqual({ ok: false, reason: 'cross-site' });
    expect(verdict({ 'sec-fetch-site': 'same-site', origin: 'https://blog.maneiro.test' })).toEqual({ ok: false, reason: 'cross-site' });
    expect(verdict({ 'sec-fetch-site': 'cross-site', origin: APP })).toEqual({ ok: false, reason: 'cross-site' });
  });

  it('falls back to Origin for browsers without Sec-Fetch-Site', () => {
    expect(verdict({ origin: APP })).toEqual({ ok: true });
    expect(verdict({ origin: `${APP}/` })).toEqual({ ok: true });
    expect(verdict({ origin: 'https://evil.example' })).toEqual({ ok: false, reason: 'foreign-origin' });
    // Same host, other scheme or port: another origin.
    expect(verdict({ origin: 'http://app.maneiro.test' })).toEqual({ ok: false, reason: 'foreign-origin' });
    expect(verdict({ origin: 'https://app.maneiro.test:8443' })).toEqual({ ok: false, reason: 'foreign-origin' });
    expect(verdict({ origin: 'null' })).toEqual({ ok: false, reason: 'foreign-origin' });
    expect(verdict({ origin: 'not a url' })).toEqual({ ok: false, reason: 'foreign-origin' });
  });

  it('accepts the host the request was sent to (a second name for the deployment)', () => {
    expect(verdict({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toEqual({ ok: true });
    expect(verdict({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3001' })).toEqual({ ok: false, reason: 'foreign-origin' });
  });

  it('lets requests that no browser sent through to the session check', () => {
    expect(verdict({})).toEqual({ ok: true });
  });
});

const call = (handler: ReturnType<typeof route>, method: string, headers: Record<string, string>) =>
  handler(new Request('http://localhost:3000/api/thing', { method, headers }), { params: Promise.resolve({}) });

describe('route()', () => {
  it('refuses a cross-site POST with a 403 before the handler runs', async () => {
    const handler = vi.fn(async () => Response.json({ done: true }));
    const response = await call(route(handler), 'POST', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden', message: CROSS_SITE_MESSAGE } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(handler).not.toHaveBeenCalled();
  });

  it('checks PUT, PATCH and DELETE too, and lets same-origin writes and any GET through', async () => {
    const handler = vi.fn(async () => Response.json({ done: true }));
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await call(route(handler), method, { origin: 'https://evil.example' })).status, method).toBe(403);
    }
    expect(handler).not.toHaveBeenCalled();
    expect((await call(route(handler), 'POST', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await call(route(handler), 'GET', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("checks GET as well with sameOrigin: 'all', and nothing with 'none'", async () => {
    const handler = vi.fn(async () => Response.json({ done: true }));
    expect((await call(route(handler, { sameOrigin: 'all' }), 'GET', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await call(route(handler, { sameOrigin: 'all' }), 'GET', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await call(route(handler, { sameOrigin: 'none' }), 'POST', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });
});

/**
 * Handlers that take state-changing methods without the session cookie: next-auth
 * (its own CSRF token), the signed Stripe webhook, and the API-key routes of /api/v1.
 */
const NOT_SESSION_ROUTES = [/^app\/api\/auth\//, /^app\/api\/stripe\/webhook\//, /^app\/api\/v1\//];
const WRITE_EXPORT = /export\s+(?:const|async\s+function|function)\s+(POST|PUT|PATCH|DELETE)\b|export\s*\{[^}]*\bas\s+(POST|PUT|PATCH|DELETE)\b/g;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full.split(path.sep).join('/')] : [];
  });
}

const sessionWrites = routeFiles('app')
  .filter((file) => !NOT_SESSION_ROUTES.some((pattern) => pattern.test(file)))
  .flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(WRITE_EXPORT)].map((m) => ({ file, method: (m[1] ?? m[2]) as string })));

describe('state-changing route handlers of the app', () => {
  it('are found (the scan works)', () => {
    expect(sessionWrites.map((w) => `${w.method} ${w.file}`)).toEqual(
      expect.arrayContaining(['POST app/api/uploads/route.ts', 'POST app/api/recordings/route.ts', 'DELETE app/api/recordings/[id]/route.ts']),
    );
  });

  for (const { file, method } of sessionWrites) {
    it(`${method} ${file} refuses a cross-site request before touching anything`, async () => {
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      const handler = mod[method];
      expect(typeof handler).toBe('function');
      const request = new Request('http://localhost:3000/api/x', {
        method,
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'content-type': 'application/json' },
        body: '{}',
      });
      // Any params: the check runs before they are read.
      const params = Promise.resolve({ id: '00000000-0000-4000-8000-000000000000', index: '0', kind: 'logo' });
      const response = await (handler as (r: Request, s: { params: Promise<unknown> }) => Promise<Response>)(request, { params });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden', message: CROSS_SITE_MESSAGE } });
    });
  }
});
