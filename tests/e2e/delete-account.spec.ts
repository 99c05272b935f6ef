import { expect, test } from '@playwright/test';
import { signIn, signUp, STRONG_PASSWORD } from './support/accounts';
import { createClinic, createMember } from './support/session';

test('a member deletes their account: the password is asked, they are signed out and cannot sign in again', async ({ page }) => {
  test.setTimeout(60_000);
  const clinicId = await createClinic('Rocha Family Practice');
  await createMember(clinicId, 'owner');
  const { email } = await createMember(clinicId, 'clinician', { name: 'Dr. Leaving Soon', password: STRONG_PASSWORD });
  await signIn(page, email, STRONG_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 20_000 });

  await page.goto('/settings/profile');
  const section = page.getByRole('region', { name: 'Delete account' });
  await section.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await expect(dialog.getByLabel('Your password')).toBeFocused();

  // Changing one's mind changes nothing.
  await dialog.getByRole('button', { name: 'Keep my account' }).click();
  await expect(dialog).toBeHidden();
  await section.getByRole('button', { name: 'Delete my account' }).click();

  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(dialog.getByText('Enter your password to confirm.')).toBeVisible();
  await dialog.getByLabel('Your password').fill('not my password at all');
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(dialog.getByText('That password is not correct.')).toBeVisible();

  await dialog.getByLabel('Your password').fill(STRONG_PASSWORD);
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/login\?reason=account-deleted/, { timeout: 20_000 });
  await expect(page.getByText('Your account has been deleted.')).toBeVisible();

  await signIn(page, email, STRONG_PASSWORD);
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
});

test("a clinic's only owner is told what to do first, and cannot delete the account yet", async ({ page }) => {
  await signUp(page, { clinic: 'Solo Vision Care' });
  await page.goto('/settings/profile');
  const section = page.getByRole('region', { name: 'Delete account' });
  await expect(section.getByText(/You are the only owner of Solo Vision Care\./)).toBeVisible();
  await expect(section.getByRole('button', { name: 'Delete my account' })).toBeDisabled();
});
