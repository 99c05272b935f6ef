// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, keeping
// Prisma's own `_prisma_migrations` bookkeeping so `prisma migrate deploy` stays
// valid wherever its schema engine is available. Runners serialize on the same
// advisory lock Prisma uses; re-running is a no-op; each migration commits or
// rolls back as a whole.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** Prisma Migrate's advisory lock key, so our runner and `prisma migrate deploy` never overlap. */
export const MIGRATION_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export function defaultMigrationsDir(cwd = process.cwd()): string {
  return path.join(cwd, 'prisma', 'migrations');
}

// The folder is traced into builds explicitly (next.config.js outputFileTracingIncludes),
// so the bundler is told not to trace these dynamic reads.
export function readMigrationFiles(dir = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) throw new MigrationError(`Migrations folder not found: ${dir}`);
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!fs.existsSync(/*turbopackIgnore: true*/ file)) throw new MigrationError(`Migration ${name} has no migration.sql`);
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// The table exactly as Prisma Migrate creates it.
const BOOKKEEPING_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedRows(client: pg.ClientBase): Promise<AppliedRow[] | null> {
  const exists = await client.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]?.present) return null;
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

/** Which migrations on disk are applied and which are pending. Read-only. */
export async function migrationStatus(client: pg.ClientBase, files = readMigrationFiles()): Promise<MigrationStatus> {
  const rows = (await appliedRows(client)) ?? [];
  const done = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  return {
    applied: files.filter((f) => done.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !done.has(f.name)).map((f) => f.name),
  };
}

export interface MigrateOptions {
  connectionString: string;
  dir?: string;
  onApplied?: (name: string, ms: number) => void;
}

/** Applies every pending migration. Returns the names applied by this call. */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const files = readMigrationFiles(options.dir ?? defaultMigrationsDir());
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(BOOKKEEPING_DDL);
      const rows = (await appliedRows(client)) ?? [];
      const byName = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
      for (const row of byName.values()) {
        if (!row.finished_at) {
          throw new MigrationError(
            `Migration ${row.migration_name} was started but never finished. Resolve it (prisma migrate resolve) before migrating again.`,
          );
        }
      }
      for (const file of files) {
        const row = byName.get(file.name);
        if (row) {
          if (row.checksum !== file.checksum) {
            throw new MigrationError(
              `Migration ${file.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
            );
          }
          continue;
        }
        const started = Date.now();
        try {
          await client.query('BEGIN');
          await client.query(file.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, $4, now(), 1)`,
            [randomUUID(), file.checksum, file.name, new Date(started)],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          const detail = error instanceof Error ? error.message : String(error);
          throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${detail}`, { cause: error });
        }
        applied.push(file.name);
        options.onApplied?.(file.name, Date.now() - started);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
  return applied;
}
