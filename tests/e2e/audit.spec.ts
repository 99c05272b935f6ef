import fs from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signUp } from './support/accounts';
import { createClinic, createMember, sessionCookie } from './support/session';

const HEADER = 'time,event,outcome,actor_name,actor_email,target_type,target_id,ip,user_agent,metadata';

test('an owner reads, filters and exports the audit log @phone', async ({ page }) => {
  test.setTimeout(90_000);
  await signUp(page, { name: 'Dr. Rui Alves', clinic: 'Alves Eye Care' });

  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table.getByRole('cell', { name: 'User registered', exact: true })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'User login', exact: true })).toBeVisible();
  await expect(table.getByText('Dr. Rui Alves').first()).toBeVisible();

  await page.getByLabel('Event', { exact: true }).selectOption({ label: 'User login' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/[?&]event=user\.login(&|$)/);
  await expect(table.getByRole('cell', { name: 'User login', exact: true })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'User registered', exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Event', { exact: true })).toHaveValue('user.login');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-alves-eye-care(-\d+)?-\d{8}\.csv$/);
  const csv = await fs.readFile(await file.path(), 'utf8');
  const [header, ...rows] = csv.split('\r\n').filter(Boolean);
  expect(header).toBe(HEADER);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((row) => row.includes(',User login,'))).toBe(true);

  // The export is itself on the record.
  await page.getByRole('link', { name: 'Clear', exact: true }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(table.getByRole('cell', { name: 'Audit log exported', exact: true })).toBeVisible();
});

test('filters with no match show an empty state, and bad dates are explained', async ({ page }) => {
  await signUp(page);
  await page.goto('/audit?event=clinic.deleted');
  await expect(page.getByRole('heading', { name: 'No events match these filters' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);

  await page.goto('/audit?from=2026-04-02&to=2026-04-01');
  await expect(page.getByText('The end date must be on or after the start date.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveCount(0);
});

test('only owners and admins may read or export the log', async ({ request }) => {
  const clinicId = await createClinic();
  const cookies = {
    staff: await sessionCookie((await createMember(clinicId, 'staff')).userId),
    clinician: await sessionCookie((await createMember(clinicId, 'clinician')).userId),
    admin: await sessionCookie((await createMember(clinicId, 'admin')).userId),
  };

  for (const role of ['staff', 'clinician'] as const) {
    const pageResponse = await request.get('/audit', { headers: { cookie: cookies[role] }, maxRedirects: 0 });
    expect(pageResponse.status()).toBe(200);
    expect(await pageResponse.text()).toContain('Only admins and owners can see the audit log');
    const exportResponse = await request.get('/api/audit/export', { headers: { cookie: cookies[role] } });
    expect(exportResponse.status()).toBe(403);
    expect((await exportResponse.json()).error.code).toBe('forbidden');
  }

  expect((await request.get('/api/audit/export')).status()).toBe(401);

  const invalid = await request.get('/api/audit/export?from=2026-02-30', { headers: { cookie: cookies.admin } });
  expect(invalid.status()).toBe(422);
  expect((await invalid.json()).error.fieldErrors).toEqual({ from: ['Enter a date as YYYY-MM-DD.'] });

  const ok = await request.get('/api/audit/export', { headers: { cookie: cookies.admin } });
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(ok.headers()['cache-control']).toBe('no-store');
  expect(ok.headers()['content-disposition']).toMatch(/^attachment; filename="audit-matrix-[a-f0-9]+-\d{8}\.csv"$/);
  expect((await ok.text()).split('\r\n')[0]).toBe(HEADER);
});
