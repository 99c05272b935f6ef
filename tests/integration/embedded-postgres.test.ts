import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir, startEmbeddedPostgres } from '@/lib/db/embedded';

const dir = scratchDir('maneiro-embedded-');
const port = 56000 + Math.floor(Math.random() * 3000);

function postgresProcessesFor(path: string): number {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(path) && line.includes('postgres')).length;
}

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    return Object.values(result.rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('embedded PostgreSQL', () => {
  it('creates a cluster on first start, reuses its data on the next, and leaves no process behind', async () => {
    const first = await startEmbeddedPostgres({ dir, port });
    expect(first.initialised).toBe(true);
    await first.ensureDatabase('maneiro');
    await first.ensureDatabase('maneiro'); // idempotent
    await scalar(first.urlFor('maneiro'), 'CREATE TABLE kept (id int)');
    await scalar(first.urlFor('maneiro'), 'INSERT INTO kept VALUES (42)');
    expect(await scalar(first.urlFor('maneiro'), 'SHOW listen_addresses')).toBe('127.0.0.1');
    await first.stop();
    expect(postgresProcessesFor(dir)).toBe(0);

    const second = await startEmbeddedPostgres({ dir, port });
    expect(second.initialised).toBe(false);
    expect(await scalar(second.urlFor('maneiro'), 'SELECT id FROM kept')).toBe(42);
    await second.stop();
    expect(postgresProcessesFor(dir)).toBe(0);
  });

  it('refuses a password it was not initialised with', async () => {
    const server = await startEmbeddedPostgres({ dir, port });
    const wrong = server.urlFor('maneiro').replace(/:[^:@]+@/, ':wrong@');
    await expect(scalar(wrong, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    await server.stop();
  });

  it('rejects database names that are not plain identifiers', async () => {
    const server = await startEmbeddedPostgres({ dir, port });
    await expect(server.ensureDatabase('x"; DROP DATABASE postgres; --')).rejects.toThrow(/lower-case letters/);
    await server.stop();
  });
});
