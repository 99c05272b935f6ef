import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { GET as ready } from '@/app/api/ready/route';
import { setEnvironment } from '@/lib/config';
import { checkReadiness, closeReadinessPool } from '@/lib/health/readiness';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../support/db';

const segment = { params: Promise.resolve({}) };
const get = (handler: typeof health, headers?: HeadersInit) => handler(new Request('http://localhost/api', { headers }), segment);

describe('health and readiness', () => {
  let migrated: TestDatabase;
  let empty: TestDatabase;
  beforeAll(async () => {
    [migrated, empty] = await Promise.all([createTestDatabase(), createEmptyDatabase()]);
  });
  afterAll(async () => {
    await closeReadinessPool();
    await Promise.all([migrated.drop(), empty.drop()]);
  });

  it('answers /api/health without a database, uncached, with a request id', async () => {
    setEnvironment({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    const response = await get(health);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed request id from the load balancer', async () => {
    const response = await get(health, { 'x-request-id': 'lb-req-000123' });
    expect(response.headers.get('x-request-id')).toBe('lb-req-000123');
    const odd = await get(health, { 'x-request-id': 'bad id <script>' });
    expect(odd.headers.get('x-request-id')).not.toContain('<');
  });

  it('is ready when the database answers and every migration is applied', async () => {
    setEnvironment({ DATABASE_URL: migrated.url });
    const response = await get(ready);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('is unavailable while migrations are pending', async () => {
    setEnvironment({ DATABASE_URL: empty.url });
    const response = await get(ready);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', migrations: 'pending' } });
  });

  it('is unavailable when the database does not answer, and says nothing more', async () => {
    setEnvironment({ DATABASE_URL: 'postgresql://maneiro:topsecret@127.0.0.1:1/maneiro' });
    const response = await get(ready);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'unavailable', checks: { database: 'unavailable', migrations: 'unknown' } });
    expect(text).not.toMatch(/topsecret|127\.0\.0\.1|ECONNREFUSED/);
  });

  it('reports an unconfigured database as unavailable', async () => {
    expect(await checkReadiness({ connectionString: undefined })).toEqual({
      ready: false,
      checks: { database: 'unavailable', migrations: 'unknown' },
    });
  });
});
