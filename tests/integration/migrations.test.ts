import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, migrationStatus, readMigrationFiles, MigrationError } from '@/lib/db/migrations';
import { createEmptyDatabase, type TestDatabase } from '../support/db';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A migrations folder with the given files, for failure cases. */
function folder(migrations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-migrations-'));
  for (const [name, sql] of Object.entries(migrations)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migration runner', () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  beforeEach(async () => {
    database = await createEmptyDatabase();
  });
  afterEach(() => database.drop());
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('applies every migration to an empty database and records it the way Prisma does', async () => {
    const files = readMigrationFiles();
    const applied = await migrate({ connectionString: database.url });
    expect(applied).toEqual(files.map((f) => f.name));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      database.url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(files[i]?.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    const columns = await query<{ column_name: string }>(
      database.url,
      `SELECT column_name FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count',
    ]);
  });

  it('is a no-op the second time', async () => {
    await migrate({ connectionString: database.url });
    expect(await migrate({ connectionString: database.url })).toEqual([]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    expect((await migrationStatus(client)).pending).toEqual([]);
    await client.end();
  });

  it('serializes concurrent runners so each migration is applied exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate({ connectionString: database.url })));
    const all = results.flat();
    expect(all.sort()).toEqual(readMigrationFiles().map((f) => f.name).sort());
    const rows = await query<{ n: string }>(database.url, 'SELECT count(*)::text AS n FROM _prisma_migrations');
    expect(Number(rows[0]?.n)).toBe(readMigrationFiles().length);
  });

  it('reports pending migrations before they are applied', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const status = await migrationStatus(client);
      expect(status.applied).toEqual([]);
      expect(status.pending).toEqual(readMigrationFiles().map((f) => f.name));
    } finally {
      await client.end();
    }
  });

  it('rolls back a failing migration completely and records nothing for it', async () => {
    const dir = folder({
      '20260101000000_good': 'CREATE TABLE good (id int);',
      '20260102000000_bad': 'CREATE TABLE half (id int);\nSELECT * FROM no_such_table;',
    });
    dirs.push(dir);
    const error = await migrate({ connectionString: database.url, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain('20260102000000_bad failed and was rolled back');
    const tables = await query<{ table_name: string }>(
      database.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(['_prisma_migrations', 'good']);
    const rows = await query<{ migration_name: string }>(database.url, 'SELECT migration_name FROM _prisma_migrations');
    expect(rows.map((r) => r.migration_name)).toEqual(['20260101000000_good']);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    const dir = folder({ '20260101000000_first': 'CREATE TABLE first (id int);' });
    dirs.push(dir);
    await migrate({ connectionString: database.url, dir });
    fs.writeFileSync(path.join(dir, '20260101000000_first', 'migration.sql'), 'CREATE TABLE first (id bigint);');
    await expect(migrate({ connectionString: database.url, dir })).rejects.toThrow(/was changed after it was applied/);
  });

  it('refuses to continue after a migration that started but never finished', async () => {
    const dir = folder({ '20260101000000_first': 'CREATE TABLE first (id int);' });
    dirs.push(dir);
    await migrate({ connectionString: database.url, dir });
    await query(database.url, `UPDATE _prisma_migrations SET finished_at = NULL`);
    await expect(migrate({ connectionString: database.url, dir })).rejects.toThrow(/started but never finished/);
  });
});
