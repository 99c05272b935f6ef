// The transcription journey in Chromium with its fake microphone (a tone; see
// the launch flags in playwright.config.ts): record, pause, resume, stop, start
// the transcription, follow the job to its transcript (the e2e server's fake
// OpenAI audio endpoint), edit and save a version, analyse the transcript; and
// what a Free clinic is told instead.
import { expect, test, type Page } from '@playwright/test';
import { clinicOnPlan, signInAs } from './support/jobs';
import { createMember } from './support/session';

const JOB_URL = /\/jobs\/([0-9a-f-]{36})$/;

async function clinician(page: Page, baseURL: string, plan: 'free' | 'basic') {
  const clinicId = await clinicOnPlan(plan);
  const member = await createMember(clinicId, 'clinician', { name: 'Dr. Ines Araujo' });
  await signInAs(page.context(), baseURL, member.userId);
  return { clinicId, ...member };
}

test.describe('transcribing a recording', () => {
  test.setTimeout(150_000);

  test('a clinician records with pause and resume, transcribes, edits a version and analyses the transcript', async ({ page, baseURL }) => {
    await clinician(page, baseURL!, 'basic');
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Transcribe', exact: true }).first().click();
    await expect(page).toHaveURL(/\/transcribe$/);

    await page.getByRole('button', { name: 'Start recording' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Recording/ })).toBeVisible();
    // The fake microphone plays a tone: the meter hears it.
    await expect(page.getByTestId('level-word')).not.toHaveText(/silent|not listening/, { timeout: 10_000 });
    await page.waitForTimeout(3_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Paused/ })).toBeVisible();
    const pausedAt = await page.locator('time').first().textContent();
    await page.waitForTimeout(1_500);
    // The clock stands still while paused.
    await expect(page.locator('time').first()).toHaveText(pausedAt!);
    await page.getByRole('button', { name: 'Resume' }).click();
    // Long enough for at least one 5-second chunk to go up while recording.
    await expect(page.getByText(/Uploaded [1-9]\d* parts?/)).toBeVisible({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByText(/Saved: \d+ parts?/)).toBeVisible({ timeout: 20_000 });

    await page.getByLabel('Exam conversation').check();
    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Title (optional)').fill('Recorded exam');
    await page.getByRole('button', { name: 'Start transcription' }).click();
    await expect(page).toHaveURL(JOB_URL, { timeout: 20_000 });
    const transcriptionId = JOB_URL.exec(page.url())![1]!;

    // The worker transcribes it through the fake provider; the transcript replaces the live panel.
    await expect(page.getByRole('heading', { name: /^Transcript/ })).toBeVisible({ timeout: 60_000 });
    const passages = page.getByRole('list', { name: 'Transcript passages' }).getByRole('listitem');
    await expect(passages.first()).toBeVisible();
    await expect(page.getByRole('button', { name: /Play from/ }).first()).toBeVisible();
    // The recording plays from memory (local storage sends no byte ranges), so a timestamp can seek.
    const player = page.getByLabel('Recording', { exact: true });
    await expect(player).toHaveAttribute('src', /^blob:/);
    await expect.poll(() => player.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 10_000 }).toBeGreaterThan(3);
    await page.getByRole('button', { name: /Play from/ }).last().click();
    await expect.poll(() => player.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeGreaterThan(1);

    await page.getByRole('button', { name: 'Edit' }).click();
    const firstBox = page.getByRole('textbox').first();
    await firstBox.fill('Patient reports blurred vision in the right eye for two weeks, worse at night, no pain.');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await expect(page.getByText('Saved as version 2.')).toBeVisible();
    await expect(passages.first()).toContainText('blurred vision in the right eye');
    await expect(page.getByRole('list').filter({ hasText: 'Version 2' })).toContainText('edited by Dr. Ines Araujo');

    await page.getByRole('button', { name: 'Analyze this transcript' }).click();
    await expect(page).not.toHaveURL(new RegExp(transcriptionId), { timeout: 20_000 });
    await expect(page).toHaveURL(JOB_URL);
    // The analysis job's page, which runs the offline analyzer on the edited text.
    await expect(page.getByRole('status').filter({ hasText: /complete/i }).first()).toBeVisible({ timeout: 60_000 });
  });

  test('a Free clinic is told transcription needs a higher plan', async ({ page, baseURL }) => {
    await clinician(page, baseURL!, 'free');
    await page.goto('/transcribe');
    await expect(page.getByTestId('plan-gate')).toContainText('Audio transcription is not part of the Free plan.');
    await expect(page.getByRole('link', { name: 'See your clinic’s plan' })).toHaveAttribute('href', '/settings/billing');
    await expect(page.getByRole('button', { name: 'Start recording' })).toHaveCount(0);
  });
});
