import { expect, test } from '@playwright/test';
import { signIn, signUp, STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { linkFromEmail } from './support/inbox';
import { toast } from './support/toast';

test('change your name and see it in the shell', async ({ page }) => {
  await signUp(page, { name: 'Dr. Ana Souza' });
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();

  const section = page.getByRole('region', { name: 'Your name', exact: true });
  await section.getByLabel('Full name').fill('');
  await section.getByRole('button', { name: 'Save name' }).click();
  await expect(section.getByText('Enter your name.')).toBeVisible();

  await section.getByLabel('Full name').fill('Dr. Ana Souza Lima');
  await section.getByRole('button', { name: 'Save name' }).click();
  await expect(toast(page, 'Name saved')).toBeVisible();
  await expect(page.getByRole('complementary').getByText('Dr. Ana Souza Lima', { exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('region', { name: 'Your name', exact: true }).getByLabel('Full name')).toHaveValue('Dr. Ana Souza Lima');
});

test('change your password, get signed out, then sign in with the new one', async ({ page }) => {
  const { email } = await signUp(page);
  await page.goto('/settings/profile');
  const section = page.getByRole('region', { name: 'Password', exact: true });

  await section.getByLabel('Current password').fill('not the current password');
  await section.getByLabel('New password').fill('amber glacier whistles softly at dawn');
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByText('That password is not correct.')).toBeVisible();

  const fresh = 'marble orchard listens to quiet rain';
  await section.getByLabel('Current password').fill(STRONG_PASSWORD);
  await section.getByLabel('New password').fill(fresh);
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/login\?reason=password-changed/, { timeout: 20_000 });
  await expect(page.getByText('Your password has been changed')).toBeVisible();

  await signIn(page, email, STRONG_PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible();
  await signIn(page, email, fresh);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('change your email address through a link sent to the new inbox', async ({ page }) => {
  const { email, password } = await signUp(page);
  await page.goto('/settings/profile');
  const section = page.getByRole('region', { name: 'Email address', exact: true });
  await expect(section.getByText(email)).toBeVisible();

  const newEmail = uniqueEmail('moved');
  await section.getByLabel('New email address').fill(newEmail);
  await section.getByLabel('Current password').fill(password);
  await section.getByRole('button', { name: 'Change email address' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Check the inbox' })).toContainText(newEmail);

  // The text part's link (the HTML part's has &amp;).
  const link = await linkFromEmail(newEmail, /new email address/i, /\/verify-email\?token=[\w-]+&change=1$/);
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my new email' }).click();
  await expect(page.getByText('Your new email address is confirmed')).toBeVisible();
  await page.getByRole('link', { name: 'Sign in with your new address' }).click();
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, newEmail, password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/settings/profile');
  await expect(page.getByRole('region', { name: 'Email address', exact: true }).getByText('Confirmed', { exact: true })).toBeVisible();
});

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

test('an owner edits the letterhead and uploads, previews and removes the logo', async ({ page }) => {
  await signUp(page, { clinic: 'Letterhead Eye Care' });
  await page.goto('/settings/clinic');
  await expect(page.getByRole('heading', { level: 1, name: 'Clinic' })).toBeVisible();

  const details = page.getByRole('region', { name: 'Letterhead details' });
  await details.getByLabel('Address').fill('1 Harbour Road\nSuite 2');
  await details.getByLabel('Phone').fill('call us');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(details.getByText('Use only digits, spaces and + - ( ) .')).toBeVisible();
  await details.getByLabel('Phone').fill('+1 (555) 010-0000');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(toast(page, 'Clinic details saved')).toBeVisible();

  const logo = page.getByRole('region', { name: 'Logo', exact: true });
  await expect(logo.getByText('on the letterhead of exported PDFs')).toBeVisible();
  await expect(logo.getByText('No logo yet')).toBeVisible();

  // A text file is refused by its content, whatever its name.
  await logo.getByLabel('Choose a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
  await logo.getByRole('button', { name: 'Upload logo' }).click();
  await expect(logo.getByText('must be a PNG, JPEG or WebP image')).toBeVisible();

  await logo.getByLabel('Choose a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await logo.getByRole('button', { name: 'Upload logo' }).click();
  await expect(toast(page, 'Logo uploaded')).toBeVisible();
  const current = logo.getByRole('img', { name: "The clinic's current logo" });
  await expect(current).toBeVisible();
  // Served by /api/clinic/images/logo: the browser decoded a real image.
  await expect.poll(() => current.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await logo.getByRole('button', { name: 'Remove logo' }).click();
  await expect(logo.getByText('No logo yet')).toBeVisible();
  const response = await page.request.get('/api/clinic/images/logo');
  expect(response.status()).toBe(404);
});
