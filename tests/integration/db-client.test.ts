import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { db, disconnectDb } from '@/lib/db/client';
import { withAppDatabase } from '../support/app-database';

const run = promisify(execFile);
const database = withAppDatabase();

describe('database client', () => {
  it('reads and writes instants correctly when the database lives far from UTC', async () => {
    const name = new URL(database.url).pathname.slice(1);
    await db().$executeRawUnsafe(`ALTER DATABASE "${name}" SET timezone = 'Pacific/Kiritimati'`);
    await disconnectDb();
    try {
      const before = Date.now();
      const explicit = new Date('2026-11-30T23:30:00.000Z');
      const user = await db().user.create({
        data: { email: 'zone@example.com', name: 'Zone', emailVerifiedAt: explicit },
      });
      const read = await db().user.findUniqueOrThrow({ where: { id: user.id } });
      // A database default (created_at = now()) and a value the app wrote both come back as written.
      expect(Math.abs(read.createdAt.getTime() - before)).toBeLessThan(60_000);
      expect(read.emailVerifiedAt?.toISOString()).toBe(explicit.toISOString());
      const [row] = await db().$queryRaw<{ zone: string }[]>`SELECT current_setting('TimeZone') AS zone`;
      expect(row?.zone).toBe('UTC');
    } finally {
      await db().$executeRawUnsafe(`ALTER DATABASE "${name}" RESET timezone`);
      await disconnectDb();
    }
  });

  it('loads every module the worker imports lazily in plain Node (no react-server condition)', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "await import('@/lib/jobs/handlers'); await import('@/lib/billing/reconcile'); await import('@/lib/extraction'); await import('@/lib/uploads/read-upload'); await import('@/lib/analysis'); console.log('loaded')"],
      { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 },
    );
    expect(stdout.trim()).toBe('loaded');
  });
});
