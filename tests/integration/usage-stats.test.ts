import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DELETED_USER } from '@/lib/audit/list';
import { verifyAuditChains } from '@/lib/audit/verify';
import type { Actor, Role } from '@/lib/auth/authorize';
import { setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import type { JobType, Plan } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { exportUsageCsv, parsePeriodParam } from '@/lib/usage/export';
import { commitJobQuota, getQuotaStatus, releaseJobQuota, reserveJobQuota } from '@/lib/usage/quota';
import { getUsageStats, periodDays, type UsageStats } from '@/lib/usage/stats';
import { withAppDatabase } from '../support/app-database';
import { addMember, createClinic, createUser } from '../support/factories';
import { appError } from '../support/errors';
import { parseCsv } from '../support/csv';

const BILLING_ON = {
  STRIPE_SECRET_KEY: 'sk_test_usage',
  STRIPE_WEBHOOK_SECRET: 'whsec_usage',
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
};
const BILLING_OFF = Object.fromEntries(Object.keys(BILLING_ON).map((k) => [k, '']));

const database = withAppDatabase({ DEFAULT_PLAN: 'professional', ...BILLING_OFF });
beforeEach(() => setEnvironment(BILLING_OFF));

const NOW = new Date('2026-11-20T12:00:00Z');
const HEADER = 'created_at,job_type,state,member_name,member_email,job_id,settled_at';
const request = { ip: '198.51.100.9', userAgent: 'vitest' };

/** A clinic on a fixed plan with named members, and an actor per member. */
async function clinicWith(plan: Plan | null, names: string[] = ['Dr. Ana Souza']) {
  const clinic = await createClinic();
  if (plan) await db().organization.update({ where: { id: clinic.id }, data: { planOverride: plan } });
  const members = [];
  for (const [i, name] of names.entries()) {
    const user = await createUser({ name });
    const role: Role = i === 0 ? 'owner' : 'clinician';
    await addMember(clinic.id, user.id, role);
    members.push({ ...user, actor: { userId: user.id, organizationId: clinic.id, role } satisfies Actor });
  }
  return { clinic, members, actor: members[0]!.actor };
}

async function reserve(organizationId: string, userId: string | null, jobType: JobType, now = NOW, createdAt?: string) {
  const reservation = await db().$transaction((tx) => reserveJobQuota(tx, { organizationId, userId, jobType, jobId: randomUUID() }, now));
  // created_at is stamped by the database clock; pin it where a test needs a particular day.
  if (createdAt) await db().usageRecord.update({ where: { id: reservation.reservationId }, data: { createdAt: new Date(createdAt) } });
  return reservation.reservationId;
}

/** The ledger invariant: the total is the quota counter, and every breakdown adds up to it. */
async function expectConsistent(stats: UsageStats, organizationId: string, now = NOW) {
  const counter = await getQuotaStatus(db(), organizationId, now);
  const sum = (xs: { total: number }[]) => xs.reduce((n, x) => n + x.total, 0);
  expect(stats.used).toBe(counter.used);
  expect(stats.inProgress + stats.completed).toBe(stats.used);
  expect(sum(stats.byType)).toBe(stats.used);
  expect(sum(stats.byMember)).toBe(stats.used);
  expect(sum(stats.daily)).toBe(stats.used);
}

describe('usage statistics', () => {
  it('totals reserved and committed jobs, never released ones, and equals the quota counter', async () => {
    const { clinic, members, actor } = await clinicWith('basic', ['Dr. Ana Souza', 'Dr. Rui Alves']);
    const [ana, rui] = members.map((m) => m.id);
    const ids = [];
    for (const [userId, type] of [
      [ana, 'analysis'],
      [ana, 'analysis'],
      [ana, 'letter'],
      [rui, 'transcription'],
      [rui, 'triage'],
      [rui, 'analysis'],
      [ana, 'letter'],
      [rui, 'letter'],
      [ana, 'triage'],
      [rui, 'analysis'],
    ] as const) {
      ids.push(await reserve(clinic.id, userId!, type));
    }
    for (const id of ids.slice(0, 4)) await commitJobQuota(db(), id);
    for (const id of ids.slice(4, 7)) await releaseJobQuota(db(), id);
    // Settling again (a retried worker) changes nothing.
    await releaseJobQuota(db(), ids[4]!);
    await commitJobQuota(db(), ids[5]!);

    const stats = await getUsageStats(db(), actor, NOW);
    expect(stats).toMatchObject({ used: 7, limit: 50, remaining: 43, exceeded: false, inProgress: 3, completed: 4, released: 3 });
    expect(stats.plan.id).toBe('basic');
    expect(stats.period).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
    await expectConsistent(stats, clinic.id);
  });

  it('keeps the invariant over random mixes of reservations, commits and releases', async () => {
    const { clinic, members, actor } = await clinicWith('professional', ['A', 'B', 'C']);
    const types: JobType[] = ['analysis', 'transcription', 'letter', 'triage'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const open: string[] = [];
    for (let step = 0; step < 60; step++) {
      const move = random(4);
      if (move < 2 || open.length === 0) {
        open.push(await reserve(clinic.id, members[random(3)]!.id, types[random(4)]!));
      } else {
        const [id] = open.splice(random(open.length), 1);
        if (move === 2) await commitJobQuota(db(), id!);
        else await releaseJobQuota(db(), id!);
      }
      if (step % 10 === 9) await expectConsistent(await getUsageStats(db(), actor, NOW), clinic.id);
    }
    const stats = await getUsageStats(db(), actor, NOW);
    expect(stats.inProgress).toBe(open.length);
    await expectConsistent(stats, clinic.id);
  });

  it('reads one snapshot: every read during concurrent reservations and releases adds up', async () => {
    const { clinic, members, actor } = await clinicWith('enterprise');
    const userId = members[0]!.id;
    let writing = true;
    // 8 writers, each starting and settling 9 jobs in turn, while the reads go on.
    const writers = (async () => {
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let j = 0; j < 9; j++) {
            const i = w * 9 + j;
            const id = await reserve(clinic.id, userId, i % 2 ? 'letter' : 'analysis');
            if (i % 3 === 0) await releaseJobQuota(db(), id);
            else if (i % 3 === 1) await commitJobQuota(db(), id);
          }
        }),
      );
      writing = false;
    })();
    let reads = 0;
    while (writing || reads < 3) {
      const stats = await getUsageStats(db(), actor, NOW);
      expect(stats.inProgress + stats.completed).toBe(stats.used);
      expect(stats.byType.reduce((n, t) => n + t.total, 0)).toBe(stats.used);
      expect(stats.daily.reduce((n, d) => n + d.total, 0)).toBe(stats.used);
      reads++;
    }
    await writers;
    const stats = await getUsageStats(db(), actor, NOW);
    expect(stats).toMatchObject({ used: 48, inProgress: 24, completed: 24, released: 24 });
    await expectConsistent(stats, clinic.id);
  });

  it('breaks the period down by job type and by member, with deleted and former members', async () => {
    const { clinic, members, actor } = await clinicWith('basic', ['Dr. Ana Souza', 'Dr. Gone', 'Dr. Left', 'Dr. Idle']);
    const [ana, gone, left] = members;
    await reserve(clinic.id, ana!.id, 'analysis');
    const committed = await reserve(clinic.id, ana!.id, 'analysis');
    await commitJobQuota(db(), committed);
    await reserve(clinic.id, ana!.id, 'letter');
    await releaseJobQuota(db(), await reserve(clinic.id, ana!.id, 'letter'));
    await reserve(clinic.id, gone!.id, 'triage');
    await reserve(clinic.id, gone!.id, 'triage');
    await reserve(clinic.id, left!.id, 'transcription');
    await db().user.delete({ where: { id: gone!.id } });
    await db().membership.deleteMany({ where: { organizationId: clinic.id, userId: left!.id } });

    const stats = await getUsageStats(db(), actor, NOW);
    expect(stats.byType).toEqual([
      { jobType: 'analysis', inProgress: 1, completed: 1, total: 2 },
      { jobType: 'transcription', inProgress: 1, completed: 0, total: 1 },
      { jobType: 'letter', inProgress: 1, completed: 0, total: 1 },
      { jobType: 'triage', inProgress: 2, completed: 0, total: 2 },
    ]);
    // Busiest first; the deleted account keeps its count under "Deleted user"; members without jobs are not listed.
    expect(stats.byMember).toEqual([
      { userId: ana!.id, name: 'Dr. Ana Souza', email: ana!.email, currentMember: true, inProgress: 2, completed: 1, total: 3 },
      { userId: null, name: DELETED_USER, email: null, currentMember: false, inProgress: 2, completed: 0, total: 2 },
      { userId: left!.id, name: 'Dr. Left', email: left!.email, currentMember: false, inProgress: 1, completed: 0, total: 1 },
    ]);
    await expectConsistent(stats, clinic.id);
  });

  it('has one entry per UTC day of the period, empty days included, cut in UTC whatever the server time zone', async () => {
    const { clinic, members, actor } = await clinicWith('basic');
    const userId = members[0]!.id;
    await reserve(clinic.id, userId, 'analysis', NOW, '2026-11-01T00:00:00.000Z');
    await reserve(clinic.id, userId, 'letter', NOW, '2026-11-01T23:59:59.999Z');
    await reserve(clinic.id, userId, 'letter', NOW, '2026-11-02T00:00:00.000Z');
    await reserve(clinic.id, userId, 'triage', NOW, '2026-11-30T23:59:59.999Z');
    await releaseJobQuota(db(), await reserve(clinic.id, userId, 'triage', NOW, '2026-11-15T10:00:00.000Z'));

    // A server far from UTC (UTC+14) must not move jobs to another day or lose the period.
    const name = new URL(database.url).pathname.slice(1);
    await db().$executeRawUnsafe(`ALTER DATABASE "${name}" SET timezone = 'Pacific/Kiritimati'`);
    await disconnectDb();
    try {
      const stats = await getUsageStats(db(), actor, NOW);
      expect(stats.daily).toHaveLength(30);
      expect(stats.daily.map((d) => d.date)).toEqual(periodDays(stats.period));
      expect(stats.daily[0]).toEqual({ date: '2026-11-01', total: 2, analysis: 1, transcription: 0, letter: 1, triage: 0 });
      expect(stats.daily[1]).toEqual({ date: '2026-11-02', total: 1, analysis: 0, transcription: 0, letter: 1, triage: 0 });
      expect(stats.daily[14]).toMatchObject({ date: '2026-11-15', total: 0 });
      expect(stats.daily[29]).toEqual({ date: '2026-11-30', total: 1, analysis: 0, transcription: 0, letter: 0, triage: 1 });
      expect(stats.daily.filter((d) => d.total === 0)).toHaveLength(27);
      expect(stats).toMatchObject({ used: 4, inProgress: 4, released: 1 });
      expect(stats.daily.reduce((n, d) => n + d.total, 0)).toBe(4);
      const csv = (await exportUsageCsv(db(), actor, '2026-11-01T00:00:00.000Z', null, { now: NOW })).csv;
      expect(parseCsv(csv).slice(1).map((r) => r[0])).toEqual([
        '2026-11-01T00:00:00.000Z',
        '2026-11-01T23:59:59.999Z',
        '2026-11-02T00:00:00.000Z',
        '2026-11-15T10:00:00.000Z',
        '2026-11-30T23:59:59.999Z',
      ]);
    } finally {
      await db().$executeRawUnsafe(`ALTER DATABASE "${name}" RESET timezone`);
      await disconnectDb();
    }
  });

  it('covers a billing period that starts mid-day, both partial days included', async () => {
    setEnvironment(BILLING_ON);
    const { clinic, members, actor } = await clinicWith(null);
    await db().subscription.create({
      data: {
        id: `sub_${randomUUID()}`,
        organizationId: clinic.id,
        customerId: 'cus_usage',
        status: 'active',
        plan: 'basic',
        priceId: 'price_basic',
        currentPeriodStart: new Date('2026-11-10T09:00:00Z'),
        currentPeriodEnd: new Date('2026-12-10T09:00:00Z'),
        stripeCreatedAt: new Date('2026-10-10T09:00:00Z'),
        syncedAt: NOW,
      },
    });
    await reserve(clinic.id, members[0]!.id, 'analysis', NOW, '2026-11-10T09:00:00.000Z');
    await reserve(clinic.id, members[0]!.id, 'analysis', new Date('2026-12-10T08:59:59.999Z'), '2026-12-10T08:59:59.999Z');
    // At 09:00 on December 10 the next period begins.
    await reserve(clinic.id, members[0]!.id, 'analysis', new Date('2026-12-10T09:00:00Z'), '2026-12-10T09:00:00.000Z');

    const stats = await getUsageStats(db(), actor, NOW);
    expect(stats.period).toEqual({ start: new Date('2026-11-10T09:00:00Z'), end: new Date('2026-12-10T09:00:00Z') });
    expect(stats.daily).toHaveLength(31);
    expect(stats.daily[0]).toMatchObject({ date: '2026-11-10', total: 1 });
    expect(stats.daily[30]).toMatchObject({ date: '2026-12-10', total: 1 });
    expect(stats).toMatchObject({ used: 2, limit: 50 });
    expect(stats.previous).toEqual([]);
  });

  it('splits calendar-month periods at midnight UTC and lists earlier periods newest first', async () => {
    const { clinic, members, actor } = await clinicWith('basic');
    const userId = members[0]!.id;
    await reserve(clinic.id, userId, 'analysis', new Date('2026-09-15T00:00:00Z'));
    for (let i = 0; i < 3; i++) await reserve(clinic.id, userId, 'letter', new Date('2026-10-31T23:59:59.999Z'));
    await releaseJobQuota(db(), await reserve(clinic.id, userId, 'letter', new Date('2026-10-02T00:00:00Z')));
    await reserve(clinic.id, userId, 'triage', new Date('2026-11-01T00:00:00Z'));

    const november = await getUsageStats(db(), actor, new Date('2026-11-01T00:00:00Z'));
    expect(november).toMatchObject({ used: 1, period: { start: new Date('2026-11-01T00:00:00Z') } });
    expect(november.previous).toEqual([
      { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), used: 3 },
      { start: new Date('2026-09-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z'), used: 1 },
    ]);
    // One millisecond earlier is still October, and November is not a previous period of it.
    const october = await getUsageStats(db(), actor, new Date('2026-10-31T23:59:59.999Z'));
    expect(october).toMatchObject({ used: 3, released: 1, period: { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') } });
    expect(october.previous.map((p) => p.start)).toEqual([new Date('2026-09-01T00:00:00Z')]);
    expect(october.daily).toHaveLength(31);
  });

  it('shows an exhausted allowance, and counts on an unlimited plan', async () => {
    const basic = await clinicWith('free');
    for (let i = 0; i < 5; i++) await reserve(basic.clinic.id, basic.members[0]!.id, 'analysis');
    expect(await getUsageStats(db(), basic.actor, NOW)).toMatchObject({ used: 5, limit: 5, remaining: 0, exceeded: true });

    const unlimited = await clinicWith('enterprise');
    for (let i = 0; i < 7; i++) await reserve(unlimited.clinic.id, unlimited.members[0]!.id, 'triage');
    expect(await getUsageStats(db(), unlimited.actor, NOW)).toMatchObject({ used: 7, limit: null, remaining: null, exceeded: false });
  });

  it('is empty, with every day present, for a clinic that has not started a job', async () => {
    const { actor } = await clinicWith(null);
    const stats = await getUsageStats(db(), actor, NOW);
    expect(stats).toMatchObject({ used: 0, limit: 500, inProgress: 0, completed: 0, released: 0, byMember: [], previous: [] });
    expect(stats.byType.every((t) => t.total === 0)).toBe(true);
    expect(stats.daily).toHaveLength(30);
  });

  it("never shows another clinic's usage, members or periods", async () => {
    const ours = await clinicWith('basic', ['Dr. Ours']);
    const theirs = await clinicWith('basic', ['Dr. Theirs']);
    await reserve(ours.clinic.id, ours.members[0]!.id, 'analysis');
    for (let i = 0; i < 4; i++) await reserve(theirs.clinic.id, theirs.members[0]!.id, 'letter');
    await reserve(theirs.clinic.id, theirs.members[0]!.id, 'letter', new Date('2026-08-10T00:00:00Z'));
    // A member of both clinics: only the jobs started in this clinic count here.
    await addMember(theirs.clinic.id, ours.members[0]!.id, 'clinician');
    await reserve(theirs.clinic.id, ours.members[0]!.id, 'triage');

    const stats = await getUsageStats(db(), ours.actor, NOW);
    expect(stats).toMatchObject({ used: 1, previous: [] });
    expect(stats.byMember.map((m) => [m.name, m.total])).toEqual([['Dr. Ours', 1]]);
    expect(stats.byType.find((t) => t.jobType === 'triage')?.total).toBe(0);
  });
});

describe('usage CSV export', () => {
  it('lists every record of the period oldest first, released ones included, and audits the export', async () => {
    const { clinic, members, actor } = await clinicWith('basic', ['Dr. Ana Souza', '=HYPERLINK("http://x.test","Dr. Formula")', 'Dr. Gone']);
    const [ana, formula, gone] = members;
    const first = await reserve(clinic.id, ana!.id, 'analysis', NOW, '2026-11-02T08:00:00.000Z');
    await commitJobQuota(db(), first, new Date('2026-11-02T08:01:00.000Z'));
    const second = await reserve(clinic.id, formula!.id, 'letter', NOW, '2026-11-03T09:30:00.000Z');
    await releaseJobQuota(db(), second, new Date('2026-11-03T09:31:00.000Z'));
    await reserve(clinic.id, gone!.id, 'triage', NOW, '2026-11-04T10:00:00.000Z');
    await reserve(clinic.id, ana!.id, 'transcription', NOW, '2026-11-05T11:00:00.000Z');
    await reserve(clinic.id, ana!.id, 'analysis', new Date('2026-10-20T00:00:00Z'), '2026-10-20T00:00:00.000Z');
    await db().user.delete({ where: { id: gone!.id } });
    const other = await clinicWith('basic', ['Dr. Elsewhere']);
    await reserve(other.clinic.id, other.members[0]!.id, 'analysis', NOW, '2026-11-02T09:00:00.000Z');

    const slug = (await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).slug;
    // A chunk of 2 makes the three reads meet at rows with the cursor in between.
    const result = await exportUsageCsv(db(), actor, null, request, { now: NOW, chunkSize: 2 });
    expect(result.filename).toBe(`maneiro-usage-${slug}-2026-11-01.csv`);
    expect(result.rows).toBe(4);
    expect(result.csv.split('\r\n')[0]).toBe(HEADER);
    const records = parseCsv(result.csv).slice(1);
    const jobIds = await db().usageRecord.findMany({ where: { organizationId: clinic.id, periodStart: new Date('2026-11-01T00:00:00Z') }, orderBy: { createdAt: 'asc' } });
    expect(records).toEqual([
      ['2026-11-02T08:00:00.000Z', 'analysis', 'committed', 'Dr. Ana Souza', ana!.email, jobIds[0]!.jobId, '2026-11-02T08:01:00.000Z'],
      ['2026-11-03T09:30:00.000Z', 'letter', 'released', `'=HYPERLINK("http://x.test","Dr. Formula")`, formula!.email, jobIds[1]!.jobId, '2026-11-03T09:31:00.000Z'],
      ['2026-11-04T10:00:00.000Z', 'triage', 'reserved', DELETED_USER, '', jobIds[2]!.jobId, ''],
      ['2026-11-05T11:00:00.000Z', 'transcription', 'reserved', 'Dr. Ana Souza', ana!.email, jobIds[3]!.jobId, ''],
    ]);
    // The rows that count are the page's total.
    expect(records.filter((r) => r[2] !== 'released')).toHaveLength((await getUsageStats(db(), actor, NOW)).used);
    expect(result.csv).not.toContain('Dr. Elsewhere');

    const audit = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: 'data.exported' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: ana!.id,
      outcome: 'success',
      ip: '198.51.100.9',
      metadata: { kind: 'usage', rows: 4, period: '2026-11-01T00:00:00.000Z' },
    });
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);
  });

  it('exports an earlier period by its start, as a date-time or a date', async () => {
    const { clinic, members, actor } = await clinicWith('basic');
    await reserve(clinic.id, members[0]!.id, 'letter', new Date('2026-10-20T00:00:00Z'), '2026-10-20T00:00:00.000Z');
    await reserve(clinic.id, members[0]!.id, 'analysis', NOW);
    for (const period of ['2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00Z', '2026-10-01T02:00:00+02:00', '2026-10-01']) {
      const result = await exportUsageCsv(db(), actor, period, null, { now: NOW });
      expect(result.period).toEqual({ start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') });
      expect(result.filename).toMatch(/-2026-10-01\.csv$/);
      expect(parseCsv(result.csv).slice(1).map((r) => r[1])).toEqual(['letter']);
    }
    // The current period exports even before its first job (a header and nothing else).
    const empty = await clinicWith('basic');
    const result = await exportUsageCsv(db(), empty.actor, '2026-11-01T00:00:00.000Z', null, { now: NOW });
    expect(result.csv).toBe(`${HEADER}\r\n`);
  });

  it('refuses a malformed period or one the clinic does not have with 400 and a specific message', async () => {
    const ours = await clinicWith('basic');
    const theirs = await clinicWith('basic');
    await reserve(theirs.clinic.id, theirs.members[0]!.id, 'analysis', new Date('2026-07-05T00:00:00Z'));

    for (const bad of ['yesterday', '2026-13-01', '2026-02-30', '2026-11-01T25:00:00Z', '1'.repeat(60), '2026-11-01 00:00']) {
      const error = await appError(exportUsageCsv(db(), ours.actor, bad, null, { now: NOW }));
      expect(error.code, bad).toBe('bad_request');
      expect(error.status).toBe(400);
      expect(error.userMessage).toBe(
        'The period must be the start of a usage period as an ISO 8601 date and time in UTC, such as 2026-11-01T00:00:00.000Z.',
      );
    }
    // Another clinic's period is not ours: the same answer as a period that never was.
    for (const unknown of ['2026-07-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']) {
      const error = await appError(exportUsageCsv(db(), ours.actor, unknown, null, { now: NOW }));
      expect(error).toBeInstanceOf(AppError);
      expect(error.status).toBe(400);
      expect(error.userMessage).toBe(
        `Your clinic has no usage period starting at ${unknown}. Choose a period listed on the Usage page.`,
      );
    }
    expect(await db().auditLog.count({ where: { organizationId: ours.clinic.id, event: 'data.exported' } })).toBe(0);
  });

  it('treats an absent or empty period as the current one', () => {
    expect(parsePeriodParam(null)).toBeNull();
    expect(parsePeriodParam(undefined)).toBeNull();
    expect(parsePeriodParam('  ')).toBeNull();
    expect(parsePeriodParam('2026-11-01')).toEqual(new Date('2026-11-01T00:00:00Z'));
  });
});
