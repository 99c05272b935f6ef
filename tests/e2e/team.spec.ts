import { expect, test } from '@playwright/test';
import { signUp, uniqueEmail } from './support/accounts';
import { linkFromEmail } from './support/inbox';
import { toast } from './support/toast';

test('invite a colleague, who joins; change their role; remove them and their session ends', async ({ browser }) => {
  test.setTimeout(120_000);
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const { email: ownerEmail } = await signUp(owner, { name: 'Dr. Ines Costa', clinic: 'Costa Eye Clinic' });

  // Inviting needs a confirmed address.
  await owner.goto(await linkFromEmail(ownerEmail, /confirm/i, /\/verify-email\?token=/));
  await owner.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(owner.getByText('your email address is confirmed')).toBeVisible();

  await owner.goto('/settings/team');
  const colleague = uniqueEmail('colleague');
  await owner.getByLabel('Email').fill(colleague);
  await owner.getByLabel('Role').selectOption('staff');
  await owner.getByRole('button', { name: 'Send invitation' }).click();
  await expect(owner.getByRole('cell', { name: colleague, exact: true })).toBeVisible();

  const colleagueContext = await browser.newContext();
  const other = await colleagueContext.newPage();
  await other.goto(await linkFromEmail(colleague, /invit|join/i, /\/invite\//));
  await expect(other.getByRole('heading', { name: 'Join Costa Eye Clinic' })).toBeVisible();
  await other.getByLabel('Your name').fill('Marta Reis');
  await other.getByLabel('Password').fill('copper kettle hums at midnight');
  await other.getByRole('button', { name: 'Create account and join' }).click();
  await expect(other).toHaveURL(/\/dashboard$/, { timeout: 20_000 });
  await expect(other.getByText('Costa Eye Clinic').first()).toBeVisible();

  await owner.reload();
  const row = owner.getByRole('row', { name: /Marta Reis/ });
  await row.getByLabel('Role of Marta Reis').selectOption('clinician');
  await expect(toast(owner, 'Marta Reis is now Clinician')).toBeVisible();
  await other.reload();
  await expect(other.getByText(/Clinician/).first()).toBeVisible();

  owner.once('dialog', (dialog) => void dialog.accept());
  await owner.getByRole('button', { name: 'Remove Marta Reis' }).click();
  await expect(toast(owner, 'Marta Reis was removed')).toBeVisible();

  await other.goto('/jobs');
  await expect(other).toHaveURL(/\/login\?reason=session-ended/);
  await ownerContext.close();
  await colleagueContext.close();
});

test('a new clinic shows its owner alone on the team page', async ({ page }) => {
  await signUp(page);
  await page.goto('/settings/team');
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Members (1)' })).toBeVisible();
  await expect(page.getByText('No invitations are waiting for an answer.')).toBeVisible();
});
