// Fax triage in a browser: the front desk uploads an incoming referral (a text PDF
// made here) or pastes it, follows the job, reads the urgency, type, sender and
// patient, ticks a task (saved: it survives a reload, with who ticked it), copies
// a task list; the inbox puts urgent documents before routine ones; staff cannot
// start the full analysis, a clinician can; the dashboard shows staff the inbox
// first; the phone layout. The e2e server's worker runs the offline triage.
import { expect, test, type Page } from '@playwright/test';
import { textPdf } from '../fixtures/files/generate';
import { clinicOnPlan, signInAs } from './support/jobs';
import { createMember, sql } from './support/session';

const URGENT_REFERRAL = [
  'FAX COVER SHEET',
  'To: Maneiro Eye Clinic   Fax: (555) 300-1200',
  'From: Dr. Helena Marsh, MD, Riverbend Family Practice',
  'Fax: (555) 618-2233   Phone: (555) 618-2200',
  'Re: URGENT referral - Orla Brennan',
  '',
  'Patient: Orla Brennan   DOB: 02/17/1961',
  'Reason for referral: sudden painless loss of vision in the right eye since this morning, with flashes and floaters.',
  'Please see within 24 hours. Thank you.',
];

const ROUTINE_REFERRAL = [
  'New patient referral form',
  'Referring clinic: Meadowview Pediatrics',
  'Fax: 555.230.4471',
  'Patient: Tomas Reyes',
  'Date of birth: 05/30/2014',
  'Service requested: routine eye examination, mild difficulty reading the board at school. Non-urgent.',
  'Referring provider: Dr. Ines Duarte, MD',
];

const JOB_URL = /\/jobs\/([0-9a-f-]{36})$/;
const statusLine = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

async function member(page: Page, baseURL: string, role: 'staff' | 'clinician', clinicId?: string) {
  const clinic = clinicId ?? (await clinicOnPlan('professional'));
  const created = await createMember(clinic, role, { name: role === 'staff' ? 'Rita Lopes' : 'Dr. Marisol Otero' });
  await signInAs(page.context(), baseURL, created.userId);
  return { clinicId: clinic, ...created };
}

/** Pastes a document on /triage and waits for its job page; returns the job id. */
async function triagePasted(page: Page, lines: string[], title: string): Promise<string> {
  await page.goto('/triage');
  await page.getByRole('tab', { name: 'Paste text' }).click();
  await page.getByLabel('Document text').fill(lines.join('\n'));
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Triage document' }).click();
  await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
  return JOB_URL.exec(page.url())![1]!;
}

test.describe('triaging incoming documents', () => {
  test.setTimeout(120_000);

  test('the front desk uploads an urgent referral, ticks a task that stays ticked, and copies a list; only a clinician opens the full analysis', async ({
    page,
    baseURL,
    browser,
  }) => {
    const staff = await member(page, baseURL!, 'staff');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });

    await page.goto('/triage');
    await expect(page.getByRole('heading', { level: 1, name: 'Triage' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No documents triaged yet' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Nothing waiting' })).toBeVisible();
    await page.getByLabel('Document file').setInputFiles({ name: 'referral-fax.pdf', mimeType: 'application/pdf', buffer: Buffer.from(textPdf([URGENT_REFERRAL])) });
    await expect(page.getByText(/Uploaded\.$/)).toBeVisible();
    await page.getByLabel('Title (optional)').fill('Riverbend referral');
    await page.getByRole('button', { name: 'Triage document' }).click();

    await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
    const jobId = JOB_URL.exec(page.url())![1]!;
    await expect(page.getByRole('heading', { level: 1, name: 'Riverbend referral' })).toBeVisible();
    await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('list', { name: 'Stages' }).getByRole('listitem')).toHaveText([
      'Received: done',
      'Reading the document: done',
      'Triaging the document: done',
      'Checking the result: done',
      'Complete: done',
    ]);

    await expect(page.getByText('AI output — review before use.')).toBeVisible();
    const summary = page.getByRole('region', { name: 'Triage', exact: true });
    await expect(summary).toContainText('Urgent');
    await expect(summary).toContainText('Act within 24–48 hours');
    await expect(summary).toContainText('Referral request');
    const from = page.getByRole('region', { name: 'From', exact: true });
    await expect(from).toContainText('Helena Marsh');
    await expect(from).toContainText('(555) 618-2233');
    const regarding = page.getByRole('region', { name: 'Regarding', exact: true });
    await expect(regarding).toContainText('Orla Brennan');
    await expect(regarding).toContainText('02/17/1961');
    await expect(page.getByRole('region', { name: 'Key clinical information' })).toContainText('loss of vision');
    await expect(page.getByRole('region', { name: 'Reasoning' })).toContainText(/urgent/i);
    await expect(page.getByRole('link', { name: 'Download referral-fax.pdf' })).toBeVisible();

    // Tick the first front-desk task: it shows at once with who did it, and survives a reload.
    const frontDesk = page.getByRole('list', { name: 'Front-desk tasks' });
    const schedule = frontDesk.getByRole('checkbox', { name: /^Schedule new-patient consult for Orla Brennan within 24–48 hours/ });
    await expect(schedule).not.toBeChecked();
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/jobs/${jobId}`));
    await schedule.check();
    await expect(schedule).toBeChecked();
    await saved;
    await expect(frontDesk).toContainText('Done by Rita Lopes');
    await page.reload();
    await expect(page.getByRole('list', { name: 'Front-desk tasks' }).getByRole('checkbox', { name: /^Schedule new-patient consult/ })).toBeChecked();
    await expect(page.getByRole('list', { name: 'Front-desk tasks' })).toContainText(/Done by Rita Lopes on \d+ \w+ \d{4}, \d\d:\d\d UTC/);
    const [state] = await sql<{ done_by_id: string }>(`SELECT done_by_id FROM triage_task_states WHERE job_id = $1 AND task_key = 'front_desk:0'`, [jobId]);
    expect(state?.done_by_id).toBe(staff.userId);

    // Copy the front-desk list as plain text.
    await page.getByRole('button', { name: 'Copy list of front-desk tasks' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.split('\n')[0]).toBe('Front-desk tasks');
    expect(copied).toContain('[x] Schedule new-patient consult for Orla Brennan within 24–48 hours');
    expect(copied).toContain('[ ] Scan referral into chart');

    // Staff are told who starts the analysis; there is no button to do it.
    await expect(page.getByRole('button', { name: 'Open the full analysis' })).toHaveCount(0);
    await expect(page.getByText('A full clinical analysis of this document is started by a clinician')).toBeVisible();
    expect(page.url()).not.toMatch(/Brennan|Riverbend/i);

    // A clinician of the same clinic opens the full analysis, which links back.
    const clinicianContext = await browser.newContext({ baseURL });
    try {
      const doctor = await clinicianContext.newPage();
      await member(doctor, baseURL!, 'clinician', staff.clinicId);
      await doctor.goto(`/jobs/${jobId}`);
      await expect(doctor.getByRole('list', { name: 'Front-desk tasks' }).getByRole('checkbox', { name: /^Schedule new-patient consult/ })).toBeChecked();
      await doctor.getByRole('button', { name: 'Open the full analysis' }).click();
      await expect(doctor).not.toHaveURL(new RegExp(jobId), { timeout: 20_000 });
      await expect(doctor).toHaveURL(JOB_URL);
      const analysisId = JOB_URL.exec(doctor.url())![1]!;
      expect(analysisId).not.toBe(jobId);
      await expect(doctor.getByText(/^Analysis · /)).toBeVisible();
      const [link] = await sql<{ source_job_id: string; type: string }>('SELECT source_job_id, type FROM jobs WHERE id = $1', [analysisId]);
      expect(link).toEqual({ source_job_id: jobId, type: 'analysis' });
      await doctor.goto(`/jobs/${jobId}`);
      await expect(doctor.getByRole('link', { name: 'Analysis 1' })).toHaveAttribute('href', `/jobs/${analysisId}`);
    } finally {
      await clinicianContext.close();
    }
  });

  test('the inbox puts the urgent document before the routine one, counts them, and the dashboard shows staff the inbox first', async ({ page, baseURL }) => {
    await member(page, baseURL!, 'staff');
    // The routine one is older: urgency still comes first.
    const routine = await triagePasted(page, ROUTINE_REFERRAL, 'Meadowview referral');
    await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('region', { name: 'Triage', exact: true })).toContainText('Routine');
    const urgent = await triagePasted(page, URGENT_REFERRAL, 'Riverbend referral');
    await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });

    await page.goto('/triage');
    await expect(page.getByText('1 urgent, 0 soon and 1 routine documents with open tasks.')).toBeAttached();
    const rows = page.getByRole('region', { name: 'Triaged documents' }).getByRole('row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText('Urgent');
    await expect(rows.nth(1)).toContainText('Riverbend referral');
    await expect(rows.nth(1)).toContainText('Referral request');
    await expect(rows.nth(1)).toContainText('Orla Brennan');
    await expect(rows.nth(1)).toContainText('6 of 6 tasks open');
    await expect(rows.nth(1)).toContainText(/just now|min ago/);
    await expect(rows.nth(2)).toContainText('Routine');
    await expect(rows.nth(2)).toContainText('Meadowview referral');
    await expect(rows.nth(1).getByRole('link', { name: 'Riverbend referral' })).toHaveAttribute('href', `/jobs/${urgent}`);
    await expect(rows.nth(2).getByRole('link', { name: 'Meadowview referral' })).toHaveAttribute('href', `/jobs/${routine}`);

    // With every task of the urgent one done, it leaves the open inbox but stays under "All documents".
    await sql(
      `INSERT INTO triage_task_states (job_id, organization_id, task_key, done_by_id)
       SELECT j.id, j.organization_id, k, j.created_by_id FROM jobs j,
         unnest(ARRAY['front_desk:0','front_desk:1','front_desk:2','front_desk:3','front_desk:4','doctor:0']) AS k WHERE j.id = $1`,
      [urgent],
    );
    await page.reload();
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('Meadowview referral');
    await page.getByRole('link', { name: 'All documents' }).click();
    await expect(page).toHaveURL(/\/triage\?status=all$/);
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText('Meadowview referral');
    await expect(rows.nth(2)).toContainText('All 6 tasks done');

    // Staff see the inbox summary before anything else on the dashboard.
    await page.goto('/dashboard');
    const headings = page.getByRole('main').getByRole('heading', { level: 2 });
    await expect(headings.first()).toHaveText('Triage inbox');
    const summary = page.getByRole('region', { name: 'Triage inbox' });
    await expect(summary.getByRole('list', { name: 'Documents with open tasks' }).getByRole('link')).toHaveText(['Meadowview referral']);
    await summary.getByRole('link', { name: 'Open the inbox' }).click();
    await expect(page).toHaveURL(/\/triage$/);
  });

  test('a clinician sees the inbox summary below the new analysis, and the form answers mistakes inline', async ({ page, baseURL }) => {
    await member(page, baseURL!, 'clinician');
    await page.goto('/dashboard');
    const headings = page.getByRole('main').getByRole('heading', { level: 2 });
    await expect(headings.first()).not.toHaveText('Triage inbox');
    await expect(page.getByRole('region', { name: 'Triage inbox' })).toContainText('No incoming document has open tasks.');

    await page.getByRole('navigation', { name: 'Main' }).first().getByRole('link', { name: 'Triage' }).click();
    await expect(page).toHaveURL(/\/triage$/);
    await page.getByRole('button', { name: 'Triage document' }).click();
    await expect(page.getByText('Choose the incoming document, or paste its text instead.')).toBeVisible();
    await page.getByRole('tab', { name: 'Paste text' }).click();
    await page.getByLabel('Document text').fill('Fax.');
    await page.getByRole('button', { name: 'Triage document' }).click();
    await expect(page.getByText('The pasted text is too short to triage', { exact: false })).toBeVisible();
    await expect(page.getByLabel('Document text')).toHaveAttribute('aria-invalid', 'true');
  });
});

test('phone layout: the triage form, the inbox as cards and a triaged document fit the screen @phone', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await member(page, baseURL!, 'staff');
  const jobId = await triagePasted(page, URGENT_REFERRAL, 'Phone referral');
  await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
  const task = page.getByRole('list', { name: 'Doctor tasks' }).getByRole('checkbox').first();
  await task.check();
  await expect(page.getByRole('list', { name: 'Doctor tasks' })).toContainText('Done by Rita Lopes');
  // The tick shows at once; leaving the page before it is saved would cancel the save.
  await expect(page.getByRole('list', { name: 'Doctor tasks' })).not.toContainText('saving…');

  await page.goto('/triage');
  await expect(page.getByRole('button', { name: 'Triage document' })).toBeVisible();
  const isPhone = (page.viewportSize()?.width ?? 1280) < 768;
  if (isPhone) {
    const cards = page.getByRole('list', { name: 'Triaged documents' });
    await expect(cards.getByRole('listitem')).toHaveCount(1);
    await expect(cards).toContainText('Orla Brennan');
    await expect(cards).toContainText('5 of 6 tasks open');
    await expect(page.getByRole('region', { name: 'Triaged documents' })).toBeHidden();
  } else {
    await expect(page.getByRole('region', { name: 'Triaged documents' }).getByRole('row')).toHaveCount(2);
  }
  await page.getByRole('link', { name: 'Phone referral' }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await expect(page.getByRole('region', { name: 'Triage', exact: true })).toContainText('Urgent');
  for (const path of ['/triage', `/jobs/${jobId}`]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
