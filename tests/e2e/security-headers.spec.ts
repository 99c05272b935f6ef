// Security headers on representative responses (next.config.js and proxy.ts), the
// pages working under the strict Content-Security-Policy, and the cross-site check
// of route handlers that act on the session cookie (lib/http/csrf.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { signUp } from './support/accounts';
import { clinicOnPlan, insertJob, insertLetter, signInAs } from './support/jobs';
import { createMember, sessionCookie, sql } from './support/session';

/** The e2e server is a production build on http://127.0.0.1 with local storage: no bucket, no upgrade-insecure-requests. */
const PAGE_POLICY =
  "default-src 'self'; script-src 'self' 'nonce-NONCE' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; " +
  "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

function expectFixedHeaders(response: APIResponse, label: string): void {
  const headers = response.headers();
  expect(headers['strict-transport-security'], label).toBe('max-age=63072000; includeSubDomains; preload');
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options'], label).toBe('DENY');
  expect(headers['cross-origin-opener-policy'], label).toBe('same-origin');
  expect(headers['permissions-policy'], label).toContain('microphone=(self)');
  expect(headers['permissions-policy'], label).toContain('camera=()');
}

/** Checks the page policy and that every script tag of the document carries its nonce; returns the nonce. */
async function expectPagePolicy(response: APIResponse, label: string): Promise<string> {
  const policy = response.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([A-Za-z0-9+/]+={0,2})'/.exec(policy)?.[1] ?? '';
  expect(nonce, `${label}: a nonce in ${policy}`).not.toBe('');
  expect(policy.replace(nonce, 'NONCE'), label).toBe(PAGE_POLICY);
  const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `${label}: scripts in the page`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, label).toContain(`nonce="${nonce}"`);
  return nonce;
}

/** Collects what the browser refused under the policy (it logs each refusal to the console). */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

test('public pages carry the strict policy, a fresh nonce on every script, and the fixed headers', async ({ request }) => {
  for (const path of ['/', '/login', '/pricing']) {
    const first = await request.get(path);
    expect(first.status(), path).toBe(200);
    const nonce = await expectPagePolicy(first, path);
    expectFixedHeaders(first, path);
    expect(await expectPagePolicy(await request.get(path), path), `${path}: a new nonce per request`).not.toBe(nonce);
  }
});

test('a signed-in page carries the policy and the fixed headers', async ({ request }) => {
  const member = await createMember(await clinicOnPlan('professional'), 'owner');
  const response = await request.get('/dashboard', { headers: { cookie: await sessionCookie(member.userId) }, maxRedirects: 0 });
  expect(response.status()).toBe(200);
  await expectPagePolicy(response, '/dashboard');
  expectFixedHeaders(response, '/dashboard');
});

test('route handlers and static files get the fixed headers, and no page policy', async ({ request }) => {
  const health = await request.get('/api/health');
  expectFixedHeaders(health, '/api/health');
  expect(health.headers()['content-security-policy']).toBeUndefined();
  const unauthenticated = await request.get('/api/recordings');
  expect(unauthenticated.status()).toBe(401);
  expectFixedHeaders(unauthenticated, '/api/recordings (401)');

  const html = await (await request.get('/')).text();
  const chunk = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(chunk, 'a script file in the landing page').toBeTruthy();
  const file = await request.get(chunk!);
  expect(file.status()).toBe(200);
  expectFixedHeaders(file, chunk!);
});

test('pages hydrate and work under the policy: sign up, navigate, nothing refused', async ({ page }) => {
  const violations = watchViolations(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Signing up needs the form's script (it calls next-auth from the browser).
  await signUp(page);
  const nav = page.getByRole('navigation', { name: /main|app|primary/i }).first();
  await nav.getByRole('link', { name: 'Jobs' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Jobs');
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(violations).toEqual([]);
});

test('every app page renders under the policy without a refusal', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const clinicId = await clinicOnPlan('enterprise');
  const owner = await createMember(clinicId, 'owner');
  const jobId = await insertJob(clinicId, { createdById: owner.userId, title: 'CSP check' });
  const letterId = await insertLetter(clinicId);
  await signInAs(page.context(), baseURL!, owner.userId);
  const violations = watchViolations(page);
  const pages = ['/dashboard', '/jobs', `/jobs/${jobId}`, '/transcribe', '/triage', '/reports', `/reports/${letterId}`, '/usage', '/audit'];
  pages.push('/settings', '/settings/profile', '/settings/clinic', '/settings/team', '/settings/billing', '/settings/api-keys', '/settings/webhooks', '/settings/data');
  pages.push('/pricing', '/privacy', '/docs/api');
  for (const path of pages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).first(), path).toBeVisible();
    // Not 'networkidle': some pages poll. The page's scripts ran at load; give their first
    // effects (fetches, images, lazily loaded chunks) a moment to be refused if they would be.
    await page.waitForTimeout(500);
    expect(violations, path).toEqual([]);
  }
});

test('an owner still reaches Stripe Checkout from the pricing page', async ({ page }) => {
  const violations = watchViolations(page);
  const account = await signUp(page);
  await sql('UPDATE users SET email_verified_at = now() WHERE email = $1', [account.email]);
  await page.goto('/pricing');
  await page.locator('li[data-plan="basic"]').getByRole('button', { name: 'Upgrade to Basic' }).click();
  const stripeUrl = (JSON.parse(fs.readFileSync(`test-results/e2e-server-${process.env.E2E_PORT ?? 3100}.json`, 'utf8')) as { stripeUrl: string }).stripeUrl;
  await expect(page).toHaveURL(new RegExp(`^${stripeUrl}/pay/cs_test_\\w+$`));
  expect(violations).toEqual([]);
});

test('the microphone is allowed on our pages and the camera is not', async ({ page, baseURL }) => {
  const violations = watchViolations(page);
  const member = await createMember(await clinicOnPlan('professional'), 'clinician');
  await signInAs(page.context(), baseURL!, member.userId);
  await page.goto('/transcribe');
  const outcome = async (constraints: MediaStreamConstraints) =>
    page.evaluate(async (c) => {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(c);
        stream.getTracks().forEach((track) => track.stop());
        return 'allowed';
      } catch (error) {
        return (error as Error).name;
      }
    }, constraints);
  expect(await outcome({ audio: true })).toBe('allowed');
  expect(await outcome({ video: true })).toBe('NotAllowedError');
  expect(violations).toEqual([]);
});

test('a write from another site is refused even with the session cookie; our own page may write', async ({ page, request, baseURL }) => {
  await signUp(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const file = { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('Routine follow-up visit. Vision stable. Return in one year.') };

  const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'same-site' }];
  for (const headers of crossSite) {
    const refused = await request.post('/api/uploads', { headers: { cookie, ...headers }, multipart: { file } });
    expect(refused.status(), JSON.stringify(headers)).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/another website/) } });
  }
  // A DELETE is refused before the recording is even looked up (404 otherwise).
  const discard = await request.delete(`/api/recordings/${randomUUID()}`, { headers: { cookie, origin: 'https://evil.example' } });
  expect(discard.status()).toBe(403);
  // So is the PDF download, whose first request stores the PDF.
  const pdf = await request.get(`/api/reports/${randomUUID()}/pdf`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
  expect(pdf.status()).toBe(403);
  expect((await request.get(`/api/reports/${randomUUID()}/pdf`, { headers: { cookie } })).status()).toBe(404);

  // The same upload from our origin (the header a browser sets) and from the page itself.
  const accepted = await request.post('/api/uploads', { headers: { cookie, origin: baseURL! }, multipart: { file } });
  expect(accepted.status()).toBe(201);
  const fromPage = await page.evaluate(async () => {
    const form = new FormData();
    form.append('file', new File(['Routine follow-up visit. Vision stable.'], 'note.txt', { type: 'text/plain' }));
    const response = await fetch('/api/uploads', { method: 'POST', body: form });
    return response.status;
  });
  expect(fromPage).toBe(201);
});

test('the session-ended address does not sign out a live session', async ({ page }) => {
  await signUp(page);
  await page.goto('/auth/session-ended');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/jobs$/);
});
