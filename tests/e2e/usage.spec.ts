import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { expect, test, type BrowserContext } from '@playwright/test';
import { createClinic, createMember, sessionCookie, sql, type Role } from './support/session';

const HEADER = 'created_at,job_type,state,member_name,member_email,job_id,settled_at';

type JobType = 'analysis' | 'transcription' | 'letter' | 'triage';
type State = 'reserved' | 'committed' | 'released';

/** The current UTC calendar month: the quota period of a clinic with a plan override (not a subscription). */
function currentMonth(now = new Date()) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { start, end, previous, days: Math.round((end.getTime() - start.getTime()) / 86_400_000) };
}

const longDate = (date: Date) => date.toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

async function clinicOn(plan: 'free' | 'basic' | 'enterprise') {
  const clinicId = await createClinic();
  await sql(`UPDATE organizations SET plan_override = $2 WHERE id = $1`, [clinicId, plan]);
  const [row] = await sql<{ slug: string }>(`SELECT slug FROM organizations WHERE id = $1`, [clinicId]);
  return { clinicId, slug: row!.slug };
}

/** Writes the ledger as reserveJobQuota would: the counter holds the records that still count. */
async function recordUsage(
  clinicId: string,
  periodStart: Date,
  periodEnd: Date,
  jobs: { type: JobType; state: State; userId: string | null; at: Date }[],
  used = jobs.filter((j) => j.state !== 'released').length,
) {
  await sql(`INSERT INTO usage_counters (organization_id, period_start, period_end, used) VALUES ($1, $2, $3, $4)`, [
    clinicId,
    periodStart,
    periodEnd,
    used,
  ]);
  for (const job of jobs) {
    await sql(
      `INSERT INTO usage_records (id, organization_id, period_start, job_type, user_id, job_id, state, created_at, settled_at)
       VALUES ($1, $2, $3, $4::"JobType", $5, $6, $7::"UsageState", $8, $9)`,
      [randomUUID(), clinicId, periodStart, job.type, job.userId, randomUUID(), job.state, job.at, job.state === 'reserved' ? null : job.at],
    );
  }
}

/** Signs the browser in by handing it the session cookie next-auth would have set. */
async function signInAs(context: BrowserContext, baseURL: string, userId: string) {
  const [name = '', ...value] = (await sessionCookie(userId)).split('=');
  await context.addCookies([{ name, value: value.join('='), url: baseURL }]);
}

test('a member sees the period against the plan, the breakdowns, the chart summary, and exports the CSV @phone', async ({ page, baseURL }) => {
  const month = currentMonth();
  const { clinicId, slug } = await clinicOn('basic');
  const ana = await createMember(clinicId, 'owner', { name: 'Dr. Ana Souza' });
  const rui = await createMember(clinicId, 'clinician', { name: 'Dr. Rui Alves' });
  const first = new Date(month.start.getTime() + 10 * 3_600_000);
  const now = new Date();
  await recordUsage(clinicId, month.start, month.end, [
    { type: 'analysis', state: 'committed', userId: ana.userId, at: first },
    { type: 'analysis', state: 'committed', userId: ana.userId, at: first },
    { type: 'letter', state: 'committed', userId: ana.userId, at: first },
    { type: 'analysis', state: 'reserved', userId: ana.userId, at: now },
    { type: 'transcription', state: 'committed', userId: rui.userId, at: now },
    { type: 'triage', state: 'reserved', userId: rui.userId, at: now },
    { type: 'letter', state: 'reserved', userId: null, at: now },
    { type: 'letter', state: 'released', userId: rui.userId, at: now },
  ]);
  await recordUsage(clinicId, month.previous, month.start, [], 12);
  // Another clinic's busy month must not show up anywhere.
  const other = await clinicOn('basic');
  const stranger = await createMember(other.clinicId, 'owner', { name: 'Dr. Stranger' });
  await recordUsage(other.clinicId, month.start, month.end, [{ type: 'triage', state: 'committed', userId: stranger.userId, at: now }]);

  await signInAs(page.context(), baseURL!, rui.userId);
  await page.goto('/usage');
  await expect(page.getByRole('heading', { level: 1, name: 'Usage' })).toBeVisible();

  await expect(page.getByText('7 of 50 jobs', { exact: true })).toBeVisible();
  await expect(page.getByText('Basic plan', { exact: true })).toBeVisible();
  const bar = page.getByRole('progressbar', { name: 'Jobs used this period' });
  await expect(bar).toHaveAttribute('aria-valuenow', '7');
  await expect(bar).toHaveAttribute('aria-valuetext', '7 of 50 jobs used, 43 left');
  await expect(page.getByText(`Resets on ${longDate(month.end)}`)).toBeVisible();
  await expect(page.getByText('4 completed, 3 in progress')).toBeVisible();
  await expect(page.getByText('1 job failed or canceled')).toBeVisible();
  await expect(page.getByRole('heading', { name: /has used all/ })).toHaveCount(0);

  const byType = page.getByRole('region', { name: 'Jobs by type' });
  await expect(byType.getByRole('row', { name: /^Analysis/ })).toHaveText(/Analysis\s*2\s*1\s*3/);
  await expect(byType.getByRole('row', { name: /^Letter/ })).toHaveText(/Letter\s*1\s*1\s*2/);
  await expect(byType.getByRole('row', { name: /^All types/ })).toHaveText(/All types\s*4\s*3\s*7/);

  const byMember = page.getByRole('region', { name: 'Jobs by member' });
  await expect(byMember.getByRole('row')).toHaveCount(4);
  await expect(byMember.getByRole('row', { name: /Dr\. Ana Souza/ })).toContainText('4');
  await expect(byMember.getByRole('row', { name: /Dr\. Rui Alves/ })).toContainText(rui.email);
  await expect(byMember.getByRole('row', { name: /Deleted user/ })).toBeVisible();
  await expect(page.getByText('Dr. Stranger')).toHaveCount(0);

  const chart = page.getByRole('figure');
  await expect(chart).toHaveAccessibleName(new RegExp(`^7 jobs counted over the ${month.days} days of the period`));
  await page.getByText('Show the daily numbers as a table').click();
  const daily = page.getByRole('region', { name: 'Jobs per day' });
  await expect(daily.getByRole('row')).toHaveCount(month.days + 1);
  await expect(daily.getByRole('row', { name: new RegExp(`^${longDate(month.start)}`) })).toContainText(
    month.start.getUTCDate() === now.getUTCDate() ? '7' : '3',
  );

  const previous = page.getByRole('region', { name: 'Previous periods' });
  await expect(previous.getByRole('row')).toHaveCount(2);
  await expect(previous.getByRole('cell', { name: '12', exact: true })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`maneiro-usage-${slug}-${month.start.toISOString().slice(0, 10)}.csv`);
  const csv = await fs.readFile(await file.path(), 'utf8');
  const [header, ...rows] = csv.split('\r\n').filter(Boolean);
  expect(header).toBe(HEADER);
  expect(rows).toHaveLength(8);
  expect(rows.filter((r) => r.includes(',released,'))).toHaveLength(1);
  expect(rows.filter((r) => r.includes(',Deleted user,'))).toHaveLength(1);
  expect(rows.filter((r) => r.includes(`,Dr. Ana Souza,${ana.email},`))).toHaveLength(4);
  expect(csv).not.toContain('Dr. Stranger');
});

test('a used-up allowance names the plan, the limit and the reset date; owners get the way to upgrade', async ({ browser, baseURL }) => {
  const month = currentMonth();
  const { clinicId } = await clinicOn('free');
  const members: Record<'owner' | 'staff', string> = {
    owner: (await createMember(clinicId, 'owner')).userId,
    staff: (await createMember(clinicId, 'staff')).userId,
  };
  await recordUsage(
    clinicId,
    month.start,
    month.end,
    Array.from({ length: 5 }, () => ({ type: 'analysis' as const, state: 'committed' as const, userId: members.owner, at: new Date() })),
  );

  for (const role of ['owner', 'staff'] as const) {
    const context = await browser.newContext({ baseURL });
    await signInAs(context, baseURL!, members[role]);
    const page = await context.newPage();
    await page.goto('/usage');
    const notice = page.getByRole('region', { name: 'Your clinic has used all 5 jobs of the Free plan' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(`New jobs are refused until the count starts again on ${longDate(month.end)}.`);
    await expect(page.getByText('5 of 5 jobs', { exact: true })).toBeVisible();
    if (role === 'owner') {
      await expect(notice.getByRole('link', { name: 'Compare plans and upgrade' })).toHaveAttribute('href', '/pricing');
    } else {
      await expect(notice.getByRole('link')).toHaveCount(0);
      await expect(notice).toContainText('Ask an owner of your clinic to upgrade the plan.');
    }
    await context.close();
  }
});

test('unlimited plans count without a limit; a new clinic sees empty states', async ({ request }) => {
  const unlimited = await clinicOn('enterprise');
  const owner = (await createMember(unlimited.clinicId, 'owner')).userId;
  const month = currentMonth();
  await recordUsage(unlimited.clinicId, month.start, month.end, [{ type: 'triage', state: 'committed', userId: owner, at: new Date() }]);
  const html = await (await request.get('/usage', { headers: { cookie: await sessionCookie(owner) } })).text();
  expect(html).toContain('Unlimited: the Enterprise plan has no monthly limit');
  expect(html).not.toContain('role="progressbar"');

  const empty = await clinicOn('basic');
  const member = (await createMember(empty.clinicId, 'clinician')).userId;
  const fresh = await (await request.get('/usage', { headers: { cookie: await sessionCookie(member) } })).text();
  expect(fresh).toContain('No jobs counted yet this period');
  expect(fresh).toContain('No earlier periods yet');
  expect(fresh).toContain('No one in the clinic has started a job this period.');
});

test('the CSV export: any member may download it, bad periods are refused, other clinics stay out', async ({ request }) => {
  const month = currentMonth();
  const ours = await clinicOn('basic');
  const theirs = await clinicOn('basic');
  const cookies = {} as Record<Role, string>;
  for (const role of ['owner', 'admin', 'clinician', 'staff'] as const) {
    cookies[role] = await sessionCookie((await createMember(ours.clinicId, role)).userId);
  }
  const stranger = (await createMember(theirs.clinicId, 'owner')).userId;
  await recordUsage(ours.clinicId, month.previous, month.start, [{ type: 'letter', state: 'committed', userId: null, at: month.previous }]);
  await recordUsage(theirs.clinicId, month.start, month.end, [{ type: 'triage', state: 'committed', userId: stranger, at: new Date() }]);
  const theirPast = new Date(Date.UTC(2020, 0, 1));
  await recordUsage(theirs.clinicId, theirPast, new Date(Date.UTC(2020, 1, 1)), [{ type: 'triage', state: 'committed', userId: stranger, at: theirPast }]);

  expect((await request.get('/api/usage/export')).status()).toBe(401);

  for (const role of ['owner', 'admin', 'clinician', 'staff'] as const) {
    const ok = await request.get('/api/usage/export', { headers: { cookie: cookies[role] } });
    expect(ok.status(), role).toBe(200);
    expect(ok.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(ok.headers()['cache-control']).toBe('no-store');
    expect(ok.headers()['content-disposition']).toBe(`attachment; filename="maneiro-usage-${ours.slug}-${month.start.toISOString().slice(0, 10)}.csv"`);
    // This month has no jobs yet: the header alone.
    expect(await ok.text()).toBe(`${HEADER}\r\n`);
  }

  const past = await request.get(`/api/usage/export?period=${encodeURIComponent(month.previous.toISOString())}`, { headers: { cookie: cookies.staff } });
  expect(past.status()).toBe(200);
  const [, ...rows] = (await past.text()).split('\r\n').filter(Boolean);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(/^[^,]+,letter,committed,Deleted user,,/);

  const malformed = await request.get('/api/usage/export?period=last-month', { headers: { cookie: cookies.owner } });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toMatchObject({
    code: 'bad_request',
    message: 'The period must be the start of a usage period as an ISO 8601 date and time in UTC, such as 2026-11-01T00:00:00.000Z.',
  });
  const foreign = await request.get(`/api/usage/export?period=${theirPast.toISOString()}`, { headers: { cookie: cookies.owner } });
  expect(foreign.status()).toBe(400);
  expect((await foreign.json()).error.message).toContain('Your clinic has no usage period starting at 2020-01-01T00:00:00.000Z.');

  const audited = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_logs WHERE organization_id = $1 AND event = 'data.exported'`, [ours.clinicId]);
  expect(audited[0]!.n).toBe(5);
});
