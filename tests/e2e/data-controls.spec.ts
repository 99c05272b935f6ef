// Settings → Data in the browser: an owner exports the clinic (the worker writes
// the zip, the page shows progress and then a download), sets the retention
// period, schedules the clinic's deletion (every member then sees a banner) and
// restores it; the privacy page is reachable without signing in.
import { expect, test } from '@playwright/test';
import { signIn, STRONG_PASSWORD } from './support/accounts';
import { createClinic, createMember } from './support/session';
import { toast } from './support/toast';

test('an owner exports the clinic, sets retention, schedules its deletion and restores it', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const name = `Data Controls ${Date.now()}`;
  const clinicId = await createClinic(name);
  const owner = await createMember(clinicId, 'owner', { name: 'Dr. Owner', password: STRONG_PASSWORD });
  const clinician = await createMember(clinicId, 'clinician', { name: 'Dr. Colleague', password: STRONG_PASSWORD });
  await signIn(page, owner.email, STRONG_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 20_000 });

  await page.goto('/settings');
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();

  // Export: progress while the worker writes the zip, then a download link.
  const exportSection = page.getByRole('region', { name: 'Export all data' });
  await exportSection.getByRole('button', { name: 'Export all data' }).click();
  await expect(toast(page, 'Export started')).toBeVisible();
  const download = exportSection.getByRole('link', { name: 'Download' });
  await expect(download).toBeVisible({ timeout: 60_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toMatch(/^maneiro-clinic-export-\d{4}-\d{2}-\d{2}\.zip$/);

  // Retention.
  const retention = page.getByRole('region', { name: 'Retention of raw files' });
  await retention.getByLabel('Keep uploaded files and audio for').selectOption('90');
  await retention.getByRole('button', { name: 'Save retention' }).click();
  await expect(toast(page, 'Raw files are kept for 90 days')).toBeVisible();

  // Deletion: the name and the password are both checked.
  const deletion = page.getByRole('region', { name: 'Delete the clinic' });
  await deletion.getByRole('button', { name: 'Delete this clinic' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await dialog.getByLabel(/Type the clinic’s name/).fill('Some other clinic');
  await dialog.getByLabel('Your password').fill(STRONG_PASSWORD);
  await dialog.getByRole('button', { name: 'Delete the clinic' }).click();
  await expect(dialog.getByText(`Type the clinic’s name exactly as shown: ${name}`)).toBeVisible({ timeout: 20_000 });
  await dialog.getByLabel(/Type the clinic’s name/).fill(name);
  await dialog.getByRole('button', { name: 'Delete the clinic' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: 'Clinic deletion' })).toContainText('This clinic will be deleted on');

  // Every member sees the banner; only owners can restore.
  const other = await browser.newContext();
  const colleague = await other.newPage();
  await signIn(colleague, clinician.email, STRONG_PASSWORD);
  await expect(colleague.getByRole('region', { name: 'Clinic deletion' })).toContainText('ask an owner of the clinic to restore it');
  await other.close();

  await deletion.getByRole('button', { name: 'Restore the clinic' }).click();
  await expect(toast(page, 'The clinic was restored')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Clinic deletion' })).toHaveCount(0);
});

test('the privacy page is linked from the site footer and the sign-up page, without signing in', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Footer' }).getByRole('link', { name: 'Privacy' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole('heading', { name: 'Where your clinic’s data goes', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The AI provider, only when the deployment configures one' })).toBeVisible();

  await page.goto('/signup');
  await page.getByRole('link', { name: 'privacy page' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
});
