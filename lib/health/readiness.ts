// Readiness for load balancers: the database answers and every migration in the
// build is applied. Answers say only ok / unavailable / pending, never why.
import pg from 'pg';
import { migrationStatus, readMigrationFiles, type MigrationFile } from '@/lib/db/migrations';

export type CheckState = 'ok' | 'unavailable' | 'pending' | 'unknown';

export interface Readiness {
  ready: boolean;
  checks: { database: CheckState; migrations: CheckState };
}

export interface ReadinessOptions {
  connectionString: string | undefined;
  timeoutMs?: number;
  migrations?: MigrationFile[];
}

let cachedFiles: MigrationFile[] | undefined;
function migrationFiles(): MigrationFile[] {
  cachedFiles ??= readMigrationFiles();
  return cachedFiles;
}

// One small pool per process for the probe, separate from the app's pool so a
// saturated app pool still shows up as slow rather than as a false "unavailable".
const POOL_KEY = Symbol.for('maneiro.readinessPool');
function probePool(connectionString: string, timeoutMs: number): pg.Pool {
  const g = globalThis as typeof globalThis & { [POOL_KEY]?: { url: string; pool: pg.Pool } };
  const existing = g[POOL_KEY];
  if (existing?.url === connectionString) return existing.pool;
  void existing?.pool.end();
  const pool = new pg.Pool({
    connectionString,
    max: 2,
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'maneiro-readiness',
  });
  pool.on('error', () => undefined); // a dropped idle connection is reported by the next check
  g[POOL_KEY] = { url: connectionString, pool };
  return pool;
}

export async function checkReadiness(options: ReadinessOptions): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  if (!options.connectionString) {
    return { ready: false, checks: { database: 'unavailable', migrations: 'unknown' } };
  }
  let client: pg.PoolClient;
  try {
    client = await probePool(options.connectionString, timeoutMs).connect();
  } catch {
    return { ready: false, checks: { database: 'unavailable', migrations: 'unknown' } };
  }
  try {
    await client.query('SELECT 1');
    let migrations: CheckState;
    try {
      const status = await migrationStatus(client, options.migrations ?? migrationFiles());
      migrations = status.pending.length === 0 ? 'ok' : 'pending';
    } catch {
      migrations = 'unknown';
    }
    return { ready: migrations === 'ok', checks: { database: 'ok', migrations } };
  } catch {
    return { ready: false, checks: { database: 'unavailable', migrations: 'unknown' } };
  } finally {
    client.release();
  }
}

/** Closes the probe pool (tests and shutdown). */
export async function closeReadinessPool(): Promise<void> {
  const g = globalThis as typeof globalThis & { [POOL_KEY]?: { url: string; pool: pg.Pool } };
  const existing = g[POOL_KEY];
  g[POOL_KEY] = undefined;
  await existing?.pool.end();
}
