import { expect, test } from '@playwright/test';
import { signIn, signUp, STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { linkFromEmail } from './support/inbox';

test('sign up creates a clinic and lands on the dashboard', async ({ page }) => {
  await signUp(page, { name: 'Dr. Lia Moreno', clinic: 'Moreno Eye Care' });
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Moreno Eye Care').first()).toBeVisible();
});

test('sign-up explains what is wrong and keeps the other fields', async ({ page }) => {
  await page.goto('/signup');
  await page.getByLabel('Your name').fill('Dr. Short');
  await page.getByLabel('Work email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByLabel('Clinic name').fill('Short Clinic');
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByLabel('Clinic name')).toHaveValue('Short Clinic');
  await expect(page).toHaveURL(/\/signup$/);
});

test('sign out, then sign in again, returning to the page asked for', async ({ page }) => {
  const { email, password } = await signUp(page);
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/login\?next=%2Fjobs/);
  await page.getByLabel('Email').fill(email.toUpperCase());
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
});

test('a wrong password and an unknown email get the same message', async ({ page }) => {
  const { email } = await signUp(page);
  await page.context().clearCookies();
  await signIn(page, email, 'not the right password at all');
  const wrong = page.getByRole('alert').filter({ hasText: 'incorrect' });
  await expect(wrong).toHaveText('The email or password is incorrect.');
  await signIn(page, uniqueEmail('nobody'), STRONG_PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toHaveText('The email or password is incorrect.');
  await expect(page).toHaveURL(/\/login/);
});

test('signed-out visitors are sent to sign in; signed-in visitors skip the sign-in page', async ({ page }) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings/);
  await signUp(page);
  await page.goto('/login');
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('signing out everywhere ends the session in every other browser at its next request', async ({ browser }) => {
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const first = await laptop.newPage();
  const { email, password } = await signUp(first);
  const second = await phone.newPage();
  await signIn(second, email, password);
  await expect(second).toHaveURL(/\/dashboard$/);

  await first.getByRole('button', { name: 'Sign out everywhere' }).first().click();
  await expect(first).toHaveURL(/\/login/, { timeout: 15_000 });

  await second.goto('/jobs');
  await expect(second).toHaveURL(/\/login\?reason=session-ended/);
  await expect(second.getByText('Your session has ended')).toBeVisible();
  await laptop.close();
  await phone.close();
});

test('reset a forgotten password through the emailed link', async ({ page }) => {
  const { email } = await signUp(page);
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');

  const link = await linkFromEmail(email, /reset/i, /\/reset-password\?token=/);
  await page.goto(link);
  const fresh = 'amber glacier whistles softly at dawn';
  await page.getByLabel('New password').fill(fresh);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?reason=password-reset/);
  await expect(page.getByText('Your password has been changed')).toBeVisible();

  await signIn(page, email, STRONG_PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible();
  await signIn(page, email, fresh);
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto(link);
  await expect(page.getByText('This reset link has expired or was already used.')).toBeVisible();
});

test('an unknown email gets the same answer when asking for a reset', async ({ page }) => {
  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(uniqueEmail('ghost'));
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');
});

test('confirm the email address from the link sent at sign-up', async ({ page }) => {
  const { email } = await signUp(page);
  await expect(page.getByText('Please confirm your email address')).toBeVisible();
  const link = await linkFromEmail(email, /confirm/i, /\/verify-email\?token=/);
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByText('your email address is confirmed')).toBeVisible();
  await page.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Please confirm your email address')).toHaveCount(0);
});
