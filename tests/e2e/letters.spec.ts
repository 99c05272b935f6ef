// The letter journey in a browser: from a completed analysis, write a referral
// (offline writer in the e2e worker), follow the job, edit a paragraph and save
// a version, export and download the PDF (its text is checked), see the audit
// entries; then the reports list with search, duplicate and delete, and staff
// limited to patient and insurance letters.
import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';
import { clinicOnPlan, insertLetter, signInAs } from './support/jobs';
import { GLAUCOMA_NOTE } from './support/notes';
import { createMember } from './support/session';

const NOTE = GLAUCOMA_NOTE.join('\n');

const JOB_URL = /\/jobs\/([0-9a-f-]{36})(#.*)?$/;
const LETTER_URL = /\/reports\/([0-9a-f-]{36})$/;

async function analysed(page: Page): Promise<string> {
  await page.goto('/dashboard');
  await page.getByRole('tab', { name: 'Paste text' }).click();
  await page.getByLabel('Note text').fill(NOTE);
  await page.getByLabel('Title (optional)').fill('Vennick glaucoma visit');
  await page.getByRole('button', { name: 'Start analysis' }).click();
  await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Complete.' })).toBeVisible({ timeout: 60_000 });
  return JOB_URL.exec(page.url())![1]!;
}

/** Fills the letter form on the analysis page and waits for the drafted letter to open. */
async function writeLetter(page: Page, fill: (form: Page) => Promise<void>): Promise<string> {
  await page.getByRole('link', { name: 'Write a letter from this analysis' }).click();
  await fill(page);
  await page.getByRole('button', { name: 'Write the letter' }).click();
  await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
  await page.getByRole('link', { name: 'Open the letter' }).click({ timeout: 60_000 });
  await expect(page).toHaveURL(LETTER_URL);
  return LETTER_URL.exec(page.url())![1]!;
}

test.describe('letters', () => {
  test.setTimeout(150_000);

  test('from an analysis, an admin writes a referral, edits a paragraph, exports and downloads the PDF, and sees the audit entries', async ({ page, baseURL }) => {
    const clinicId = await clinicOnPlan('professional', 'Lakeshore Eye Associates');
    const admin = await createMember(clinicId, 'admin', { name: 'Dr. Marisol Otero' });
    await signInAs(page.context(), baseURL!, admin.userId);
    await analysed(page);

    await writeLetter(page, async () => {
      await page.getByLabel('Template').selectOption({ label: 'Standard referral' });
      await page.getByLabel('Recipient').selectOption({ label: 'Specialist' });
      await page.getByRole('textbox', { name: 'To', exact: true }).fill('Dr. Ana Silva, Glaucoma Service, City Eye Hospital');
      await expect(page.getByRole('textbox', { name: 'From', exact: true })).not.toHaveValue('');
      await page.getByLabel('Referral focus').selectOption({ index: 1 });
      await page.getByLabel('Special requests').fill('please check the optic nerve photos before the visit');
    });

    await expect(page.getByRole('heading', { level: 1 })).toContainText('Standard referral for Harold Vennick');
    await expect(page.getByText('Dr. Ana Silva, Glaucoma Service, City Eye Hospital')).toBeVisible();
    const editor = page.getByRole('textbox', { name: 'Letter text' });
    await expect(editor).toContainText('Dear Dr. Silva');
    await expect(editor).toContainText('H40.11');
    await expect(editor).toContainText(/optic nerve photos/);

    // Edit a paragraph: append a sentence to the second paragraph and make a word bold.
    const paragraph = editor.locator('p').nth(1);
    await paragraph.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' He prefers morning appointments.');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type(' Thank you.');
    await page.getByRole('button', { name: 'Save version' }).click();
    await expect(page.getByText(/Saved as version 2/)).toBeVisible();
    await expect(page.getByRole('list', { name: 'Versions, newest first' })).toContainText('Version 2 (current)');
    await expect(page.getByRole('list', { name: 'Versions, newest first' })).toContainText('Edited by Dr. Marisol Otero');

    await page.getByRole('button', { name: 'Export PDF' }).click();
    await expect(page.getByText(/PDF ready \(\d+ pages?\)/)).toBeVisible({ timeout: 30_000 });
    const onFile = page.getByRole('region', { name: 'PDFs on file' });
    await expect(onFile).toContainText('Version 2');
    await expect(onFile).toContainText(/SHA-256 [0-9a-f]{64}/);
    await expect(page.getByText('Exported', { exact: true })).toBeVisible();

    const downloading = page.waitForEvent('download');
    await onFile.getByRole('link', { name: /Download the PDF of version 2/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^LakeshoreEyeAssociates_DrOtero_PxVennick_Harold_\d{8}_referral\.pdf$/);
    const bytes = await fs.readFile((await download.path())!);
    const text = (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
    expect(text).toContain('He prefers morning appointments.');
    expect(text).toContain('Harold Vennick');
    expect(text).toContain('Lakeshore Eye Associates');
    expect(text).toMatch(/Page 1 of \d/);

    await page.goto('/audit');
    const table = page.getByRole('table');
    await expect(table.getByRole('cell', { name: 'PDF downloaded', exact: true }).first()).toBeVisible();
    await expect(table.getByRole('cell', { name: 'PDF exported', exact: true }).first()).toBeVisible();
    await expect(table.getByRole('cell', { name: 'Letter edited', exact: true }).first()).toBeVisible();
  });

  test('an older version is shown read-only and can be restored as a new version', async ({ page, baseURL }) => {
    const clinicId = await clinicOnPlan('professional');
    const clinician = await createMember(clinicId, 'clinician', { name: 'Dr. Paula Reis' });
    await signInAs(page.context(), baseURL!, clinician.userId);
    await analysed(page);
    await writeLetter(page, async () => {
      await page.getByLabel('Template').selectOption({ label: 'Patient summary' });
      await page.getByRole('textbox', { name: 'To', exact: true }).fill('Mr Harold Vennick');
      await page.getByLabel('Tone').selectOption({ label: 'Simple' });
    });
    const editor = page.getByRole('textbox', { name: 'Letter text' });
    await expect(editor).not.toContainText('H40');
    await editor.locator('p').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Added line.');
    await page.getByRole('button', { name: 'Save version' }).click();
    await expect(page.getByText(/Saved as version 2/)).toBeVisible();

    await page.getByRole('link', { name: 'Version 1', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'You are viewing version 1 of 2.' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Letter text' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await expect(page).toHaveURL(LETTER_URL);
    await expect(page.getByRole('list', { name: 'Versions, newest first' })).toContainText('Version 3 (current)');
    await expect(page.getByRole('list', { name: 'Versions, newest first' })).toContainText('Restored from version 1');
    await expect(page.getByRole('textbox', { name: 'Letter text' })).not.toContainText('Added line.');
  });

  test('the reports list filters, searches without putting names in URLs, duplicates and deletes; staff see patient and insurance letters only @phone', async ({ page, baseURL }) => {
    const clinicId = await clinicOnPlan('professional');
    const clinician = await createMember(clinicId, 'clinician', { name: 'Dr. Lena Brandt' });
    await insertLetter(clinicId, { template: 'referral', patientName: 'Odile Marchetti', toLine: 'Dr. Referral Recipient' });
    await insertLetter(clinicId, { template: 'patient_summary', patientName: 'Bruno Castellan', toLine: 'Bruno Castellan' });
    await insertLetter(clinicId, { template: 'insurance', patientName: 'Carla Nunes', toLine: 'Claims Department' });
    await signInAs(page.context(), baseURL!, clinician.userId);

    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto('/reports');
    await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
    const letters = page.getByRole(test.info().project.name === 'phone' ? 'list' : 'region', { name: 'Letters' });
    await expect(letters).toContainText('Odile Marchetti');
    await expect(letters).toContainText('Bruno Castellan');

    await page.getByLabel('Template').selectOption({ label: 'Patient summary' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]template=patient_summary/);
    await expect(letters).toContainText('Bruno Castellan');
    await expect(letters).not.toContainText('Odile Marchetti');
    await page.getByRole('link', { name: 'Clear', exact: true }).or(page.getByRole('button', { name: 'Clear', exact: true })).click();
    await expect(page).toHaveURL(/\/reports$/);

    await page.getByRole('searchbox', { name: 'Search letters' }).fill('Marchetti');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'matching' })).toBeVisible();
    await expect(letters).toContainText('Odile Marchetti');
    await expect(letters).not.toContainText('Carla Nunes');
    expect(requests.some((url) => url.includes('Marchetti'))).toBe(false);

    await page.getByRole('button', { name: 'Duplicate the letter for Odile Marchetti' }).click();
    await expect(page).toHaveURL(LETTER_URL);
    await expect(page.getByRole('link', { name: 'The original letter' })).toBeVisible();
    await page.getByRole('link', { name: 'All reports' }).click();
    await page.getByRole('button', { name: 'Delete the letter for Carla Nunes' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this letter?' });
    await dialog.getByRole('button', { name: 'Delete letter' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Letter deleted.' })).toBeVisible();
    await expect(letters).not.toContainText('Carla Nunes');

    // Staff: no referrals in their list.
    const staff = await createMember(clinicId, 'staff', { name: 'Front Desk' });
    await page.context().clearCookies();
    await signInAs(page.context(), baseURL!, staff.userId);
    await page.goto('/reports');
    await expect(letters).toContainText('Bruno Castellan');
    await expect(letters).not.toContainText('Odile Marchetti');
  });
});
