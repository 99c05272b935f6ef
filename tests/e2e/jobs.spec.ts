// The analysis journey in a browser: uploading a note (a text PDF, a photographed
// note as PNG) or pasting it, following the stages live (server-sent events, and
// the polling fallback), reading the diagnoses with their ICD-10 codes, cancel and
// retry, the jobs list with its filters and PHI-free search, what staff see, the
// quota and size limits, and the phone layout. The e2e server runs the real worker
// with the offline analyzer; tests pause it to hold a job in the queue.
import { expect, test, type Page } from '@playwright/test';
import { noteImage, textPdf } from '../fixtures/files/generate';
import { clinicOnPlan, insertJob, signInAs } from './support/jobs';
import { GLAUCOMA_NOTE } from './support/notes';
import { createMember, sql } from './support/session';
import { toast } from './support/toast';
import { pauseWorker, resumeWorker } from './support/worker';

const JOB_URL = /\/jobs\/([0-9a-f-]{36})$/;

async function clinician(page: Page, baseURL: string, plan: 'free' | 'professional' = 'professional') {
  const clinicId = await clinicOnPlan(plan);
  const member = await createMember(clinicId, 'clinician', { name: 'Dr. Marisol Otero' });
  await signInAs(page.context(), baseURL, member.userId);
  return { clinicId, ...member };
}

/** Fills the paste tab and starts the analysis; returns the new job's id. */
async function startPastedAnalysis(page: Page, text: string, title: string): Promise<string> {
  await page.goto('/dashboard');
  await page.getByRole('tab', { name: 'Paste text' }).click();
  await page.getByLabel('Note text').fill(text);
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Start analysis' }).click();
  await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
  return JOB_URL.exec(page.url())![1]!;
}

const statusLine = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

test.describe('analysing a note', () => {
  test.setTimeout(120_000);

  test('a clinician uploads a PDF note and reads the diagnoses, their ICD-10 codes and what each reference supports', async ({ page, baseURL }) => {
    await clinician(page, baseURL!);
    await page.goto('/dashboard');
    await expect(page.getByText('500 of 500 jobs left this period, resets', { exact: false })).toBeVisible();

    await page.getByLabel('Note file').setInputFiles({ name: 'glaucoma-visit.pdf', mimeType: 'application/pdf', buffer: Buffer.from(textPdf([GLAUCOMA_NOTE])) });
    await expect(page.getByRole('button', { name: 'Remove glaucoma-visit.pdf' })).toBeVisible();
    await expect(page.getByText(/Uploaded\.$/)).toBeVisible();
    await page.getByLabel('Specialty').selectOption('ophthalmology');
    await page.getByLabel('Title (optional)').fill('Glaucoma follow-up');
    await page.getByRole('button', { name: 'Start analysis' }).click();

    await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
    await expect(page.getByRole('heading', { level: 1, name: 'Glaucoma follow-up' })).toBeVisible();
    await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('AI output — review before use.')).toBeVisible();

    // Every stage is done; OCR was not needed for a PDF with a text layer.
    const stages = page.getByRole('list', { name: 'Stages' });
    await expect(stages.getByRole('listitem')).toHaveText([
      'Received: done',
      'Reading the document: done',
      'Analysing the note: done',
      'Structuring the result: done',
      'Finding references: done',
      'Checking the result: done',
      'Complete: done',
    ]);

    const diagnoses = page.getByRole('region', { name: 'Diagnoses', exact: true });
    const glaucoma = diagnoses.getByRole('listitem').filter({ hasText: 'glaucoma' }).first();
    await expect(glaucoma).toContainText('H40.11');
    await expect(glaucoma).toContainText('Laterality: Right');
    await expect(diagnoses.getByRole('listitem').filter({ hasText: 'H40.05' }).first()).toContainText('Laterality: Left');
    await expect(page.getByRole('region', { name: 'Patient', exact: true })).toContainText('Harold');
    await expect(page.getByRole('region', { name: 'Medications', exact: true })).toContainText(/latanoprost/i);

    // The plan says which diagnoses each item addresses.
    await expect(page.getByRole('region', { name: 'Plan', exact: true }).getByRole('link', { name: /^Dx 1/ }).first()).toBeVisible();

    // Selecting a reference highlights what cites it, in text as well as colour.
    const references = page.getByRole('region', { name: 'References', exact: true });
    const firstReference = references.getByRole('button').first();
    await firstReference.click();
    await expect(firstReference).toHaveAttribute('aria-pressed', 'true');
    const cited = page.getByText(/^Cites reference \d+$/);
    const announcement = page.getByRole('status').filter({ hasText: /^Reference \d+ is (cited by|not cited)/ });
    await expect(announcement).toHaveCount(1);
    if ((await announcement.textContent())?.includes('is cited by')) await expect(cited.first()).toBeVisible();
    await firstReference.click();
    await expect(firstReference).toHaveAttribute('aria-pressed', 'false');
    await expect(cited).toHaveCount(0);

    // The uploaded file can be downloaded again from the job.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download glaucoma-visit.pdf' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
    // The patient's name and the title never travel in the URL.
    expect(page.url()).not.toMatch(/Vennick|Glaucoma/i);
  });

  test('a photographed note (PNG) goes through OCR and is coded', async ({ page, baseURL }) => {
    await clinician(page, baseURL!);
    await page.goto('/dashboard');
    const lines = GLAUCOMA_NOTE.filter((line) => !line.startsWith('DFE') && !line.startsWith('MEDICATIONS'));
    await page.getByLabel('Note file').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from(noteImage(lines, { width: 2000 })) });
    await expect(page.getByText(/Uploaded\.$/)).toBeVisible();
    await page.getByRole('button', { name: 'Start analysis' }).click();
    await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
    await expect(page.getByRole('heading', { level: 1, name: 'Untitled note' })).toBeVisible();
    await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByRole('list', { name: 'Stages' }).getByRole('listitem').filter({ hasText: 'Recognising text (OCR)' })).toHaveText(
      'Recognising text (OCR): done',
    );
    await expect(page.getByRole('region', { name: 'Diagnoses', exact: true })).toContainText('H40.11');
  });

  test('pasted text longer than the analysis cap is analysed with a notice', async ({ page, baseURL }) => {
    await clinician(page, baseURL!);
    const padding = '\nInterval history: the patient reports stable vision and good adherence to drops.'.repeat(220);
    const text = `${GLAUCOMA_NOTE.join('\n')}${padding}`;
    expect(text.length).toBeGreaterThan(16_000);

    await page.goto('/dashboard');
    await page.getByRole('tab', { name: 'Paste text' }).click();
    await page.getByLabel('Note text').fill(text);
    await expect(page.getByText(`${text.length.toLocaleString('en-US')} characters`)).toBeVisible();
    await expect(page.getByText('only the first 16,000 are analysed', { exact: false })).toBeVisible();
    await page.getByRole('button', { name: 'Start analysis' }).click();
    await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
    await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('list', { name: 'Notices' })).toContainText(/16,000|truncat|first/i);
    await expect(page.getByText('Pasted text.')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Diagnoses', exact: true })).toContainText('H40.11');
  });

  test('the form answers mistakes inline: nothing to analyse, too-short text, a file over the plan limit, a file that is not what it claims', async ({ page, baseURL }) => {
    await clinician(page, baseURL!, 'free');
    await page.goto('/dashboard');
    await expect(page.getByText('5 of 5 jobs left this period', { exact: false })).toBeVisible();

    await page.getByRole('button', { name: 'Start analysis' }).click();
    await expect(page.getByText('Choose a file to analyse, or paste the note as text instead.')).toBeVisible();

    await page.getByRole('tab', { name: 'Paste text' }).click();
    await page.getByLabel('Note text').fill('BP ok.');
    await page.getByRole('button', { name: 'Start analysis' }).click();
    await expect(page.getByText('The pasted text is too short to analyse', { exact: false })).toBeVisible();
    await expect(page.getByLabel('Note text')).toHaveAttribute('aria-invalid', 'true');

    // The Free plan takes files up to 10 MB: a larger one is refused before it is sent.
    await page.getByRole('tab', { name: 'Upload a file' }).click();
    let uploads = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/uploads')) uploads += 1;
    });
    await page.getByLabel('Note file').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1024 * 1024, 0x20) });
    await expect(page.getByRole('alert').filter({ hasText: 'That file is 11 MB; your clinic’s plan accepts files up to 10 MB.' })).toBeVisible();
    expect(uploads).toBe(0);

    // The server reads the bytes, not the name: its refusal is shown next to the file.
    await page.getByLabel('Note file').setInputFiles({ name: 'not-really.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ this is an executable, not a PDF at all') });
    const refusal = page.getByRole('alert').filter({ hasText: 'not-really.pdf' });
    await expect(refusal).toBeVisible();
    expect(uploads).toBe(1);
    await expect(page.getByRole('button', { name: 'Start analysis' })).toBeEnabled();
  });
});

test.describe('following and controlling a job', () => {
  // These tests hold the shared worker; one at a time keeps each pause short.
  test.describe.configure({ mode: 'serial' });
  test.setTimeout(120_000);

  test('the page follows a queued job live to its result without reloading', async ({ page, baseURL }) => {
    await clinician(page, baseURL!);
    await pauseWorker();
    let resumed = false;
    try {
      const stream = page.waitForRequest((r) => /\/api\/jobs\/[0-9a-f-]{36}\/events$/.test(r.url()));
      await startPastedAnalysis(page, GLAUCOMA_NOTE.join('\n'), 'Live follow-up');
      await stream;
      await expect(statusLine(page, 'Waiting for a worker to pick it up.')).toBeVisible();
      await expect(page.getByRole('progressbar', { name: 'Analysis progress' })).toBeVisible();
      await expect(page.getByText('This page updates by itself as the job moves on.')).toBeVisible();
      await page.evaluate(() => Object.assign(window, { e2eMarker: 'same page' }));
      await resumeWorker();
      resumed = true;
      await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByRole('region', { name: 'Diagnoses', exact: true })).toContainText('H40.11');
      expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same page');
    } finally {
      if (!resumed) await resumeWorker();
    }
  });

  test('without a working event stream the page polls for the status instead', async ({ page, baseURL }) => {
    await clinician(page, baseURL!);
    // A proxy that refuses the stream: EventSource gives up at once on a 503.
    await page.route(/\/api\/jobs\/[0-9a-f-]{36}\/events$/, (route) => route.fulfill({ status: 503, body: 'stream unavailable' }));
    await pauseWorker();
    let resumed = false;
    try {
      await startPastedAnalysis(page, GLAUCOMA_NOTE.join('\n'), 'Polled follow-up');
      await expect(page.getByText('Checking for updates every 2 seconds.')).toBeVisible();
      const polls = page.waitForRequest((r) => /\/api\/jobs\/[0-9a-f-]{36}$/.test(r.url()) && r.method() === 'GET');
      await polls;
      await resumeWorker();
      resumed = true;
      await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByRole('region', { name: 'Diagnoses', exact: true })).toContainText('H40.11');
    } finally {
      if (!resumed) await resumeWorker();
    }
  });

  test('a queued job can be canceled, gives its quota unit back, and can be retried', async ({ page, baseURL }) => {
    const { clinicId } = await clinician(page, baseURL!, 'free');
    await pauseWorker();
    let resumed = false;
    try {
      const jobId = await startPastedAnalysis(page, GLAUCOMA_NOTE.join('\n'), 'To cancel');
      await expect(statusLine(page, 'Waiting for a worker to pick it up.')).toBeVisible();
      await page.getByRole('button', { name: 'Cancel analysis' }).click();
      await expect(toast(page, 'Analysis canceled')).toBeVisible();
      await expect(statusLine(page, 'Canceled.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Cancel analysis' })).toHaveCount(0);
      const [row] = await sql<{ status: string }>('SELECT status FROM jobs WHERE id = $1 AND organization_id = $2', [jobId, clinicId]);
      expect(row?.status).toBe('canceled');
      await page.goto('/dashboard');
      await expect(page.getByText('5 of 5 jobs left this period', { exact: false })).toBeVisible();

      await page.goto(`/jobs/${jobId}`);
      await resumeWorker();
      resumed = true;
      await page.getByRole('button', { name: 'Retry analysis' }).click();
      await expect(toast(page, 'Analysis started again')).toBeVisible();
      await expect(page).not.toHaveURL(new RegExp(jobId));
      await expect(page.getByText('This is a retry of')).toBeVisible();
      await expect(statusLine(page, 'Complete.')).toBeVisible({ timeout: 60_000 });
      await page.goto(`/jobs/${jobId}`);
      await expect(page.getByRole('link', { name: 'open the new job' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Retry analysis' })).toHaveCount(0);
    } finally {
      if (!resumed) await resumeWorker();
    }
  });
});

test('the jobs list filters by URL parameters and searches names without putting them in the URL', async ({ page, baseURL }) => {
  const clinicId = await clinicOnPlan('professional');
  const ana = await createMember(clinicId, 'clinician', { name: 'Dr. Ana Souza' });
  const rui = await createMember(clinicId, 'owner', { name: 'Dr. Rui Alves' });
  const day = (d: number) => new Date(Date.UTC(2026, 9, d, 10));
  await insertJob(clinicId, { createdById: ana.userId, title: 'Cataract review', patientName: 'Beatriz Quental', createdAt: day(2) });
  await insertJob(clinicId, { createdById: rui.userId, title: 'Diabetes visit', patientName: 'Carlos Mendonça', status: 'failed', stage: 'extracting', errorMessage: 'The file could not be read.', createdAt: day(5) });
  await insertJob(clinicId, { createdById: ana.userId, title: null, patientName: 'Beatriz Quental', status: 'running', stage: 'analyzing', progress: 35, createdAt: day(9) });
  for (let i = 0; i < 22; i++) await insertJob(clinicId, { createdById: rui.userId, title: `Routine note ${i + 1}`, patientName: `Patient ${i + 1}`, createdAt: day(12) });
  // Another clinic's job with the same patient name must never appear.
  const other = await clinicOnPlan('professional');
  await insertJob(other, { title: 'Elsewhere', patientName: 'Beatriz Quental' });

  await signInAs(page.context(), baseURL!, ana.userId);
  await page.goto('/jobs');
  const table = page.getByRole('region', { name: 'Jobs', exact: true });
  await expect(page.getByText('Showing 1–20 of 25 jobs.')).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(21);
  await page.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\/jobs\?page=2$/);
  await expect(page.getByText('Showing 21–25 of 25 jobs.')).toBeVisible();
  const running = table.getByRole('row', { name: /Untitled note/ });
  await expect(running).toContainText('Running');
  await expect(running).toContainText('Analysing the note, 35 %');
  await expect(running).toContainText('Dr. Ana Souza');

  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\/jobs\?status=failed$/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row', { name: /Diabetes visit/ })).toContainText('Failed');

  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Started by').selectOption({ label: 'Dr. Ana Souza' });
  await page.getByLabel('From (UTC)').fill('2026-10-01');
  await page.getByLabel('To (UTC)').fill('2026-10-08');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs\\?member=${ana.userId}&from=2026-10-01&to=2026-10-08$`));
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Cataract review');

  // The search term (a patient's name) is posted, never put in the URL.
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  await page.getByLabel('Search titles and patient names').fill('quental');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('Showing 1–2 of 2 jobs matching “quental”.')).toBeVisible();
  await expect(table).toContainText('Cataract review');
  await expect(table).not.toContainText('Elsewhere');
  expect(page.url()).not.toMatch(/quental/i);
  expect(urls.filter((u) => /quental/i.test(u))).toEqual([]);

  // Filters apply to the search too, and a search with no hits says so.
  await page.getByLabel('Status').selectOption('running');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('Showing 1–1 of 1 job matching “quental”.')).toBeVisible();
  await page.getByLabel('Search titles and patient names').fill('nobody by this name');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'No jobs match' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  expect(page.url()).not.toMatch(/nobody/);
});

test('a clinic without jobs sees where they will appear', async ({ page, baseURL }) => {
  await clinician(page, baseURL!);
  await page.goto('/jobs');
  await expect(page.getByRole('heading', { name: 'No jobs yet' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Start an analysis' })).toHaveAttribute('href', '/dashboard');
  await page.goto('/dashboard');
  await expect(page.getByRole('region', { name: 'Recent jobs', exact: true }).getByRole('heading', { name: 'No jobs yet' })).toBeVisible();
});

test('staff see jobs and results but get an explanation instead of the new-analysis form', async ({ page, baseURL }) => {
  const clinicId = await clinicOnPlan('professional');
  const staff = await createMember(clinicId, 'staff', { name: 'Front Desk' });
  const doctor = await createMember(clinicId, 'clinician', { name: 'Dr. Ana Souza' });
  const failed = await insertJob(clinicId, { createdById: doctor.userId, title: 'Failed scan', status: 'failed', stage: 'extracting', errorMessage: 'The PDF is password-protected.' });
  await signInAs(page.context(), baseURL!, staff.userId);

  await page.goto('/dashboard');
  await expect(page.getByText('Clinical analyses are started by clinicians, admins and owners.', { exact: false })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start analysis' })).toHaveCount(0);
  await expect(page.getByLabel('Note file')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Recent jobs', exact: true }).getByRole('link', { name: 'Failed scan' })).toBeVisible();

  await page.goto(`/jobs/${failed}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Failed scan' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'The PDF is password-protected.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry analysis' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel analysis' })).toHaveCount(0);
});

test('a clinic that has used its allowance is told when it resets and where to upgrade', async ({ page, baseURL }) => {
  const clinicId = await clinicOnPlan('free');
  const owner = await createMember(clinicId, 'owner');
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  await sql('INSERT INTO usage_counters (organization_id, period_start, period_end, used) VALUES ($1, $2, $3, 5)', [clinicId, start, end]);
  await signInAs(page.context(), baseURL!, owner.userId);
  await page.goto('/dashboard');
  await expect(page.getByText('0 of 5 jobs left this period', { exact: false })).toBeVisible();
  await expect(page.getByText('Your clinic has used all 5 jobs of the Free plan for this period.')).toBeVisible();
  await expect(page.getByText(`New analyses can start again on ${end.toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'See plans and upgrade' })).toHaveAttribute('href', '/settings/billing');
  await expect(page.getByRole('button', { name: 'Start analysis' })).toHaveCount(0);
});

test('phone layout: the new-analysis form, the jobs as cards and a job page fit the screen @phone', async ({ page, baseURL }) => {
  const { clinicId, userId } = await clinician(page, baseURL!);
  const done = await insertJob(clinicId, { createdById: userId, title: 'Phone check', patientName: 'Beatriz Quental', status: 'failed', errorMessage: 'The file could not be read.' });
  await page.goto('/dashboard');
  await expect(page.getByRole('tab', { name: 'Paste text' })).toBeVisible();
  await expect(page.getByText('Drop the note here, or choose a file')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start analysis' })).toBeVisible();

  await page.goto('/jobs');
  const cards = page.getByRole('list', { name: 'Jobs', exact: true });
  const isPhone = (page.viewportSize()?.width ?? 1280) < 768;
  if (isPhone) {
    await expect(cards.getByRole('listitem')).toHaveCount(1);
    await expect(cards).toContainText('Beatriz Quental');
    await expect(page.getByRole('region', { name: 'Jobs', exact: true })).toBeHidden();
  } else {
    await expect(page.getByRole('region', { name: 'Jobs', exact: true }).getByRole('row')).toHaveCount(2);
  }
  await page.getByRole('link', { name: 'Phone check' }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${done}$`));
  await expect(page.getByRole('button', { name: 'Retry analysis' })).toBeVisible();
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
