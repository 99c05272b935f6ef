import { describe, expect, it, vi } from 'vitest';
import { csvCell, exportAuditCsv } from '@/lib/audit/export';
import { DELETED_USER, listAuditEvents, listAuditFilterOptions } from '@/lib/audit/list';
import { recordAudit, type AuditInput } from '@/lib/audit/record';
import { verifyAuditChains } from '@/lib/audit/verify';
import type { Actor, Role } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { withAppDatabase } from '../support/app-database';
import { addMember, createStaffedClinic, createUser } from '../support/factories';
import { appError } from '../support/errors';
import { parseCsv } from '../support/csv';

const request = { ip: '198.51.100.7', userAgent: 'vitest' };
const HEADER = 'time,event,outcome,actor_name,actor_email,target_type,target_id,ip,user_agent,metadata';

withAppDatabase();

async function staffed() {
  const { clinic, members } = await createStaffedClinic();
  const actor = (role: Role): Actor => ({ userId: members[role].id, organizationId: clinic.id, role });
  return { clinic, members, actor };
}

type Entry = Omit<AuditInput, 'organizationId'> & { at?: string };

/** Records events in order; `at` pins the row's time (recordAudit stamps `new Date()`). */
async function record(organizationId: string | null, entries: Entry[]): Promise<void> {
  for (const { at, ...input } of entries) {
    if (at) {
      // Only Date is faked: pg and Prisma keep their real timers.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(at));
    }
    try {
      await db().$transaction((tx) => recordAudit(tx, { organizationId, ...input }));
    } finally {
      if (at) vi.useRealTimers();
    }
  }
}

async function many(organizationId: string, actorUserId: string, count: number): Promise<void> {
  await db().$transaction(async (tx) => {
    for (let n = 0; n < count; n++) await recordAudit(tx, { organizationId, actorUserId, event: 'job.viewed', metadata: { n } });
  });
}

describe('listing the audit log', () => {
  it('lists the clinic newest first with names, a deleted account as "Deleted user"', async () => {
    const { clinic, members, actor } = await staffed();
    const leaver = await createUser({ name: 'Dr. Gone' });
    await addMember(clinic.id, leaver.id, 'clinician');
    await record(clinic.id, [
      { actorUserId: members.owner.id, event: 'user.registered', targetType: 'user', targetId: members.owner.id, request },
      { actorUserId: leaver.id, event: 'user.login', request },
      { actorUserId: null, event: 'user.login_failed', outcome: 'failure', targetType: 'user', targetId: members.admin.id },
      { actorUserId: members.admin.id, event: 'member.invited', targetType: 'invitation', targetId: 'inv-1' },
    ]);
    await db().user.delete({ where: { id: leaver.id } });

    const page = await listAuditEvents(db(), actor('admin'), {});
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 50, pageCount: 1 });
    expect(page.rows.map((r) => r.event)).toEqual(['member.invited', 'user.login_failed', 'user.login', 'user.registered']);
    expect(page.rows[0]).toMatchObject({ actorName: 'The admin', actorEmail: members.admin.email, eventLabel: 'Member invited', targetName: null });
    expect(page.rows[1]).toMatchObject({ actorName: null, outcome: 'failure', targetName: 'The admin' });
    expect(page.rows[2]).toMatchObject({ actorUserId: leaver.id, actorName: DELETED_USER, actorEmail: null });
    expect(page.rows[3]).toMatchObject({ actorName: 'The owner', targetName: 'The owner', ip: '198.51.100.7', userAgent: 'vitest' });
  });

  it('filters by event and by member', async () => {
    const { clinic, members, actor } = await staffed();
    await record(clinic.id, [
      { actorUserId: members.owner.id, event: 'user.login' },
      { actorUserId: members.clinician.id, event: 'user.login' },
      { actorUserId: members.clinician.id, event: 'job.started' },
      { actorUserId: members.staff.id, event: 'user.logout' },
    ]);
    const logins = await listAuditEvents(db(), actor('owner'), { event: 'user.login' });
    expect(logins.total).toBe(2);
    expect(logins.rows.every((r) => r.event === 'user.login')).toBe(true);

    const clinician = await listAuditEvents(db(), actor('owner'), { actorUserId: members.clinician.id });
    expect(clinician.rows.map((r) => r.event)).toEqual(['job.started', 'user.login']);

    const both = await listAuditEvents(db(), actor('owner'), { event: 'user.login', actorUserId: members.clinician.id.toUpperCase() });
    expect(both.rows.map((r) => [r.event, r.actorUserId])).toEqual([['user.login', members.clinician.id]]);

    // Empty values from an unfilled GET form mean "no filter".
    expect((await listAuditEvents(db(), actor('owner'), { event: '', actorUserId: '', from: '', to: '', page: '' })).total).toBe(4);
  });

  it('filters by whole UTC days, the end day included', async () => {
    const { clinic, members, actor } = await staffed();
    const by = members.admin.id;
    await record(clinic.id, [
      { actorUserId: by, event: 'user.login', at: '2026-02-28T23:59:59.999Z', metadata: { n: 1 } },
      { actorUserId: by, event: 'user.login', at: '2026-03-01T00:00:00.000Z', metadata: { n: 2 } },
      { actorUserId: by, event: 'user.login', at: '2026-03-15T12:00:00.000Z', metadata: { n: 3 } },
      { actorUserId: by, event: 'user.login', at: '2026-03-31T23:59:59.999Z', metadata: { n: 4 } },
      { actorUserId: by, event: 'user.login', at: '2026-04-01T00:00:00.000Z', metadata: { n: 5 } },
    ]);
    const n = async (filters: Record<string, string>) =>
      (await listAuditEvents(db(), actor('admin'), filters)).rows.map((r) => (r.metadata as { n: number }).n);
    expect(await n({ from: '2026-03-01', to: '2026-03-31' })).toEqual([4, 3, 2]);
    expect(await n({ from: '2026-03-31', to: '2026-03-31' })).toEqual([4]);
    expect(await n({ from: '2026-03-15' })).toEqual([5, 4, 3]);
    expect(await n({ to: '2026-02-28' })).toEqual([1]);
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);
  });

  it('pages by 50: 120 events make 3 pages', async () => {
    const { clinic, members, actor } = await staffed();
    await many(clinic.id, members.owner.id, 120);
    const first = await listAuditEvents(db(), actor('owner'), {});
    expect(first).toMatchObject({ total: 120, pageCount: 3, page: 1 });
    expect(first.rows).toHaveLength(50);
    expect((first.rows[0]?.metadata as { n: number }).n).toBe(119);

    const second = await listAuditEvents(db(), actor('owner'), { page: '2' });
    expect(second.rows).toHaveLength(50);
    expect((second.rows[0]?.metadata as { n: number }).n).toBe(69);

    const third = await listAuditEvents(db(), actor('owner'), { page: 3 });
    expect(third.rows).toHaveLength(20);
    expect((third.rows.at(-1)?.metadata as { n: number }).n).toBe(0);

    const ids = new Set([...first.rows, ...second.rows, ...third.rows].map((r) => r.id));
    expect(ids.size).toBe(120);
    expect(await listAuditEvents(db(), actor('owner'), { page: 4 })).toMatchObject({ rows: [], total: 120, pageCount: 3 });
  });

  it("never shows another clinic's rows or the account chain, even filtered by its members", async () => {
    const mine = await staffed();
    const theirs = await staffed();
    await record(mine.clinic.id, [{ actorUserId: mine.members.owner.id, event: 'user.login' }]);
    await record(theirs.clinic.id, [
      { actorUserId: theirs.members.owner.id, event: 'user.login' },
      { actorUserId: theirs.members.admin.id, event: 'clinic.settings_changed' },
    ]);
    await record(null, [{ actorUserId: null, event: 'user.login_failed', outcome: 'failure' }]);

    const all = await listAuditEvents(db(), mine.actor('admin'), {});
    expect(all.rows.map((r) => r.actorUserId)).toEqual([mine.members.owner.id]);
    expect(await listAuditEvents(db(), mine.actor('admin'), { actorUserId: theirs.members.admin.id })).toMatchObject({ rows: [], total: 0 });

    const options = await listAuditFilterOptions(db(), mine.actor('admin'));
    expect(options.members.map((m) => m.id).sort()).toEqual(Object.values(mine.members).map((m) => m.id).sort());
    expect(options.members.map((m) => m.name)).toEqual(['The admin', 'The clinician', 'The owner', 'The staff']);
    expect(options.events).toContainEqual({ value: 'audit.exported', label: 'Audit log exported' });

    const { csv } = await exportAuditCsv(db(), mine.actor('owner'), { actorUserId: theirs.members.admin.id }, request);
    expect(parseCsv(csv)).toHaveLength(1);
  });

  it('is closed to clinicians and staff', async () => {
    const { clinic, actor } = await staffed();
    for (const role of ['clinician', 'staff'] as const) {
      expect((await appError(listAuditEvents(db(), actor(role), {}))).code).toBe('forbidden');
      expect((await appError(listAuditFilterOptions(db(), actor(role)))).code).toBe('forbidden');
      expect((await appError(exportAuditCsv(db(), actor(role), {}, request))).code).toBe('forbidden');
    }
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'audit.exported' } })).toBe(0);
  });

  it('rejects malformed filters field by field', async () => {
    const { actor } = await staffed();
    const errors = async (filters: Record<string, unknown>) => {
      const error = await appError(listAuditEvents(db(), actor('admin'), filters));
      expect(error.code).toBe('validation_failed');
      return error.fieldErrors;
    };
    expect(await errors({ from: '2026-02-30' })).toEqual({ from: ['Enter a date as YYYY-MM-DD.'] });
    expect(await errors({ from: '03/01/2026', to: 'yesterday' })).toMatchObject({ from: [expect.any(String)], to: [expect.any(String)] });
    expect(await errors({ from: '2026-04-02', to: '2026-04-01' })).toEqual({ to: ['The end date must be on or after the start date.'] });
    expect(await errors({ event: 'user.hacked' })).toEqual({ event: ['Choose an event from the list.'] });
    expect(await errors({ actorUserId: 'not-a-uuid' })).toEqual({ actorUserId: ['Choose a member from the list.'] });
    expect(Object.keys((await errors({ page: '0' })) ?? {})).toEqual(['page']);
    expect(Object.keys((await errors({ page: 'two' })) ?? {})).toEqual(['page']);
    expect((await appError(exportAuditCsv(db(), actor('admin'), { to: '2026-13-01' }, request))).code).toBe('validation_failed');
  });
});

describe('exporting the audit log as CSV', () => {
  it('neutralises formulas and quotes commas, quotes and line breaks', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const lead of ['+', '-', '@', '\t']) expect(csvCell(`${lead}1`)).toBe(`'${lead}1`);
    expect(csvCell('\r1')).toBe(`"'\r1"`);
    expect(csvCell('Smith, Jr')).toBe('"Smith, Jr"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
  });

  it('writes every matching row, safe for spreadsheets, and audits the export', async () => {
    const { clinic, members, actor } = await staffed();
    const tricky = await createUser({ name: '=cmd|"/c calc"!A1, "Doc"\nJr' });
    await addMember(clinic.id, tricky.id, 'clinician');
    await record(clinic.id, [
      { actorUserId: members.owner.id, event: 'user.login', request: { ip: '203.0.113.5', userAgent: '@SUM(1+1)*cmd' }, at: '2026-05-04T08:09:10.123Z' },
      {
        actorUserId: tricky.id,
        event: 'member.role_changed',
        targetType: 'user',
        targetId: members.staff.id,
        metadata: { role: 'clinician', previous: '-staff' },
      },
    ]);

    const { filename, csv } = await exportAuditCsv(db(), actor('admin'), {}, request, { now: new Date('2026-05-06T23:30:00Z') });
    const slug = (await db().organization.findUniqueOrThrow({ where: { id: clinic.id } })).slug;
    expect(filename).toBe(`audit-${slug}-20260506.csv`);
    expect(csv.startsWith(`${HEADER}\r\n`)).toBe(true);

    const [header, changed, login, ...rest] = parseCsv(csv);
    expect(header?.join(',')).toBe(HEADER);
    expect(rest).toEqual([]);
    expect(changed?.slice(1, 7)).toEqual(['Member role changed', 'success', `'=cmd|"/c calc"!A1, "Doc"\nJr`, tricky.email, 'user', members.staff.id]);
    expect(JSON.parse(changed?.[9] ?? '')).toEqual({ role: 'clinician', previous: '-staff' });
    expect(login).toEqual([
      '2026-05-04T08:09:10.123Z',
      'User login',
      'success',
      'The owner',
      members.owner.email,
      '',
      '',
      '203.0.113.5',
      "'@SUM(1+1)*cmd",
      '{}',
    ]);

    const exported = await db().auditLog.findFirstOrThrow({ where: { organizationId: clinic.id }, orderBy: { seq: 'desc' } });
    expect(exported).toMatchObject({
      event: 'audit.exported',
      actorUserId: members.admin.id,
      ip: '198.51.100.7',
      metadata: { rowCount: 2, filteredByEvent: false, filteredByMember: false, filteredFrom: false, filteredTo: false },
    });
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);

    // The next export includes the first one's event, and records its own filters as flags only.
    const again = await exportAuditCsv(db(), actor('owner'), { event: 'audit.exported', from: '2000-01-01', page: '7' }, request);
    expect(parseCsv(again.csv).map((r) => r[1])).toEqual(['event', 'Audit log exported']);
    const second = await db().auditLog.findFirstOrThrow({ where: { organizationId: clinic.id }, orderBy: { seq: 'desc' } });
    expect(second.metadata).toEqual({ rowCount: 1, filteredByEvent: true, filteredByMember: false, filteredFrom: true, filteredTo: false });
    expect((await verifyAuditChains(db(), { organizationId: clinic.id })).broken).toEqual([]);
  });

  it('reads in chunks, newest first, and refuses more rows than the cap', async () => {
    const { clinic, members, actor } = await staffed();
    await many(clinic.id, members.owner.id, 25);
    const { csv } = await exportAuditCsv(db(), actor('owner'), {}, request, { chunkSize: 7 });
    const rows = parseCsv(csv).slice(1);
    expect(rows.map((r) => JSON.parse(r[9] ?? '') as { n: number }).map((m) => m.n)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));

    const before = await db().auditLog.count({ where: { organizationId: clinic.id } });
    const error = await appError(exportAuditCsv(db(), actor('owner'), {}, request, { maxRows: 20 }));
    expect(error.code).toBe('validation_failed');
    expect(error.userMessage).toMatch(/at most 20\b/);
    expect(await db().auditLog.count({ where: { organizationId: clinic.id } })).toBe(before);
  });
});
