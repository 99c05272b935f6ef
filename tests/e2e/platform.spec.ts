import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signUp } from './support/accounts';

test('the landing page explains the product', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Maneiro/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('#pricing')).toContainText('Professional');
  await expect(page.locator('#pricing')).toContainText('$99');
  await expect(page.locator('#privacy')).toBeVisible();
  await expect(page.getByRole('link', { name: /start free/i }).first()).toBeVisible();
});

test('health answers without caching', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok' });
  expect(response.headers()['cache-control']).toBe('no-store');
});

test('readiness reports the database and migrations', async ({ request }) => {
  const response = await request.get('/api/ready');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
});

test('an unknown page shows the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-page-here');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: /home/i }).first()).toBeVisible();
});

test('the signed-in shell navigates between its sections', async ({ page }) => {
  await signUp(page);
  const nav = page.getByRole('navigation', { name: /main|app|primary/i }).first();
  await expect(nav.getByRole('link', { name: 'Jobs' })).toBeVisible();
  await nav.getByRole('link', { name: 'Jobs' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Jobs');
  await expect(nav.getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page');
});

test('keyboard users can skip to the content @phone', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: /skip to/i });
  await expect(skip).toBeFocused();
});

test('the mobile menu opens and closes @mobile-only', async ({ page }) => {
  await page.goto('/');
  const button = page.getByRole('button', { name: /menu/i });
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('link', { name: /sign in/i }).first()).toBeVisible();
});

test('a production server without DATABASE_URL refuses to start and says why', async () => {
  test.setTimeout(60_000);
  const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !['DATABASE_URL', 'SSM_PARAMETER_PATH', 'AUTH_SECRET'].includes(key)) env[key] = value;
  }
  const child = spawn(process.execPath, [nextBin, 'start', '--port', '3199', '--hostname', '127.0.0.1'], {
    env: { ...env, NODE_ENV: 'production', APP_URL: 'https://app.example.com' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 45_000);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(code).toBe(1);
  expect(output).toContain('DATABASE_URL is required in production');
  expect(output).toContain('AUTH_SECRET is required in production');
});
