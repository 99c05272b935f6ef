import { randomBytes } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export const STRONG_PASSWORD = 'correct horse battery staple orbit';

export function uniqueEmail(prefix = 'clinician'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.test`;
}

export async function signUp(page: Page, options: { name?: string; email?: string; clinic?: string } = {}) {
  const email = options.email ?? uniqueEmail();
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(options.name ?? 'Dr. Ana Souza');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(STRONG_PASSWORD);
  await page.getByLabel('Clinic name').fill(options.clinic ?? `Clinic ${randomBytes(3).toString('hex')}`);
  await page.getByRole('button', { name: 'Create clinic' }).click();
  // Hashing and then verifying the password takes a moment on a shared 2-core machine.
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 20_000 });
  return { email, password: STRONG_PASSWORD };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Verifying the password (argon2id) can take seconds on a loaded 2-core machine; wait until the
  // attempt is over, whichever way it went, so callers' assertions start from its outcome.
  await expect(page.getByRole('button', { name: 'Signing in…' })).toHaveCount(0, { timeout: 30_000 });
}
