// The backup and restore drill: seed a clinic's worth of data through the product's
// own code paths (sign-up, members, an analysis, a letter drafted by the worker and
// edited, a duplicate, audit events), back it up with pg_dump, drop the database,
// restore it with pg_restore, and find every row and every audit chain intact. Then
// tamper with one audit row to prove the check can fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/authorize';
import { signUp } from '@/lib/auth/sign-up';
import { backupDatabase, checkRestore, connectionEnvironment, countTableRows, findPgTool, manifestPathFor, readManifest, restoreDatabase, type TableCount } from '@/lib/db/backup';
import { db, disconnectDb } from '@/lib/db/client';
import { createLetterHandler } from '@/lib/jobs/letter-handler';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { startWorker } from '@/lib/jobs/worker';
import { duplicateLetter, saveLetterVersion } from '@/lib/letters/letters';
import { submitLetterJob } from '@/lib/letters/submit';
import { createLogger } from '@/lib/logger';
import { withAppDatabase } from '../support/app-database';
import { adminUrl } from '../support/db';
import { createStaffedClinic, TEST_PASSWORD, uniqueEmail } from '../support/factories';
import { createCompletedAnalysis, createUploadRow, key, waitForStatus } from '../support/jobs';
import { letterRequestFields } from '../fixtures/letters';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-backup-'));
const database = withAppDatabase({ DEFAULT_PLAN: 'professional', DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const ctx = { ip: '203.0.113.7', userAgent: 'vitest backup drill' };
const dumpFile = path.join(dataDir, 'backups', 'drill.dump');

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Rows of the tables we compare one by one, in a stable order. */
async function snapshotRows(url: string) {
  const tables = ['users', 'organizations', 'memberships', 'jobs', 'letters', 'letter_versions', 'audit_logs', 'uploads'];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) out[table] = await sql(url, `SELECT * FROM public.${table} ORDER BY id`);
  return out;
}

async function seed() {
  // A self-serve sign-up: user, clinic, owner membership and the first audit row.
  const signedUp = await signUp(db(), { name: 'Dr. Backup Drill', email: uniqueEmail('drill'), password: TEST_PASSWORD, clinicName: 'Drill Eye Care' }, ctx);
  // A second clinic with every role, an upload, an analysis and a letter written by the worker.
  const { clinic, members } = await createStaffedClinic();
  const actor: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
  await createUploadRow(clinic.id, 'pdf');
  const analysis = await createCompletedAnalysis(clinic.id, members.clinician.id);
  const worker = await startWorker({
    connectionString: database.url,
    handlers: [createLetterHandler({ queueOptions: { retryLimit: 0, expireInSeconds: 120, notify: true }, log: silent })],
    concurrency: 1,
    batchSize: 1,
    pollSeconds: 0.5,
    notifyPollSeconds: 0.5,
    log: silent,
  });
  try {
    const started = await submitLetterJob(
      db(),
      actor,
      {
        analysisJobId: analysis.jobId,
        idempotencyKey: key(),
        request: letterRequestFields('referral', 'specialist', { to: 'Dr. Ana Silva, Glaucoma Service', from: 'Dr. Alex Sample' }),
      },
      ctx,
    );
    expect(await waitForStatus(started.jobId, ['succeeded', 'failed'])).toBe('succeeded');
    const content = { blocks: [{ type: 'paragraph', runs: [{ text: 'IOP 26 mmHg on treatment; please see within two weeks.' }] }] };
    await saveLetterVersion(db(), actor, { letterId: started.letterId, baseVersion: 1, content }, ctx);
    await duplicateLetter(db(), actor, started.letterId, ctx);
  } finally {
    await worker.stop();
    await Promise.all([stopJobQueue(), closeSharedListeners()]);
  }
  // The account chain (events outside any clinic).
  await db().$transaction((tx) => recordAudit(tx, { organizationId: null, actorUserId: null, event: 'user.login_failed', outcome: 'failure', request: ctx }));
  return { signedUp, clinic };
}

let before: TableCount[];
let rowsBefore: Awaited<ReturnType<typeof snapshotRows>>;
let databaseName: string;

beforeAll(async () => {
  await seed();
  databaseName = connectionEnvironment(database.url).PGDATABASE ?? '';
  before = await countTableRows(database.url);
  rowsBefore = await snapshotRows(database.url);
}, 120_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/**
 * Without DATABASE_URL the run uses the embedded PostgreSQL 18, and this machine's
 * client tools may be older: then the drill cannot run here (CI sets DATABASE_URL and
 * always runs it; a missing tool there fails the test).
 */
function drillToolsMissing(): string | null {
  if (process.env.CI || process.env.DATABASE_URL) return null;
  try {
    findPgTool('pg_dump', 18);
    findPgTool('pg_restore', 18);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'pg_dump 18 not found';
  }
}
const missingTools = drillToolsMissing();
if (missingTools) console.warn(`Skipping the backup and restore drill on the embedded PostgreSQL: ${missingTools}`);

describe.skipIf(missingTools !== null)('the backup and restore drill', () => {
  it('backs up, survives a dropped database, and restores every row with the audit chains intact', async () => {
    // The seed reached many tables, including the job queue's own schema.
    const populated = before.filter((t) => t.rows > 0).map((t) => t.table);
    expect(populated).toEqual(expect.arrayContaining(['public.users', 'public.organizations', 'public.memberships', 'public.jobs', 'public.letters', 'public.letter_versions', 'public.audit_logs', 'public.uploads']));
    expect(populated.length).toBeGreaterThanOrEqual(10);
    expect(rowsBefore.letter_versions?.length).toBeGreaterThanOrEqual(3);
    expect((await checkRestore(db(), { tables: before, manifest: null })).audit.broken).toEqual([]);

    const backup = await backupDatabase({ url: database.url, out: dumpFile });
    expect(backup.rows).toBe(before.reduce((n, t) => n + t.rows, 0));
    expect(backup.tables).toBe(before.length);
    expect(fs.statSync(dumpFile).size).toBe(backup.bytes);
    expect(readManifest(dumpFile)?.tables).toEqual(before);

    // Wipe: drop the whole database and create it empty again.
    await disconnectDb();
    await sql(adminUrl(), `DROP DATABASE "${databaseName}" WITH (FORCE)`);
    await sql(adminUrl(), `CREATE DATABASE "${databaseName}"`);
    expect(await countTableRows(database.url)).toEqual([]);

    // Without an explicit confirmation nothing happens.
    await expect(restoreDatabase({ url: database.url, input: dumpFile, confirmed: false })).rejects.toMatchObject({ userMessage: expect.stringContaining('--yes') });
    expect(await countTableRows(database.url)).toEqual([]);

    const restored = await restoreDatabase({ url: database.url, input: dumpFile, confirmed: true });
    expect(restored.tables).toEqual(before);
    expect(await snapshotRows(database.url)).toEqual(rowsBefore);
    const check = await checkRestore(db(), restored);
    expect(check).toMatchObject({ ok: true, mismatches: [] });
    expect(check.audit.rows).toBe(rowsBefore.audit_logs?.length);
    expect(check.audit.chains).toBeGreaterThanOrEqual(3);

    // The check can fail: one edited audit row after the restore breaks its chain.
    // The append-only trigger came back with the restore, so the edit has to bypass it, as an attacker with superuser rights would.
    await expect(sql(database.url, `UPDATE audit_logs SET ip = '198.51.100.66'`)).rejects.toThrow(/append-only/);
    const [victim] = await sql<{ id: string }>(database.url, `SELECT id FROM audit_logs WHERE organization_id IS NOT NULL ORDER BY seq LIMIT 1`);
    await sql(database.url, `SET session_replication_role = replica; UPDATE audit_logs SET ip = '198.51.100.66' WHERE id = '${victim?.id ?? ''}'`);
    const tampered = await checkRestore(db(), restored);
    expect(tampered.ok).toBe(false);
    expect(tampered.audit.broken).toEqual([expect.objectContaining({ id: victim?.id, reason: 'hash mismatch' })]);

    // And a missing row shows up as a count mismatch against the manifest.
    await sql(database.url, `DELETE FROM uploads`);
    const missing = await checkRestore(db(), { ...restored, tables: await countTableRows(database.url) });
    expect(missing.mismatches).toEqual([{ table: 'public.uploads', expected: rowsBefore.uploads?.length, actual: 0 }]);
  });

  it('refuses a dump that no longer matches its manifest, leaving the database untouched', async () => {
    const damaged = path.join(dataDir, 'damaged.dump');
    const bytes = fs.readFileSync(dumpFile);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    fs.writeFileSync(damaged, bytes);
    fs.copyFileSync(manifestPathFor(dumpFile), manifestPathFor(damaged));
    const countsBefore = await countTableRows(database.url);
    await expect(restoreDatabase({ url: database.url, input: damaged, confirmed: true })).rejects.toMatchObject({ userMessage: expect.stringContaining('damaged') });
    expect(await countTableRows(database.url)).toEqual(countsBefore);
  });

  it('gives clear errors for an unreachable server and for missing or mismatched tools, and keeps the password out of argv', async () => {
    await expect(backupDatabase({ url: 'postgresql://postgres:secret@127.0.0.1:1/none', out: path.join(dataDir, 'x.dump') })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/^Cannot connect to the database none on 127\.0\.0\.1:1/),
    });
    expect(() => findPgTool('pg_dump', 15, { binDir: path.join(dataDir, 'no-such-folder') })).toThrow(/pg_dump was not found in .*--pg-bin/);
    expect(() => findPgTool('pg_dump', 99)).toThrow(/Version mismatch: the server is PostgreSQL 99/);
    const env = connectionEnvironment('postgresql://app%40x:p%3Ass@db.internal:6432/maneiro?sslmode=require');
    expect(env).toEqual({ PGHOST: 'db.internal', PGPORT: '6432', PGDATABASE: 'maneiro', PGUSER: 'app@x', PGPASSWORD: 'p:ss', PGSSLMODE: 'require' });
  });
});
